"""Subjects: what a speaker's statements are about, open-vocabulary, kept current as documents arrive.

Topics are a fixed, coarse taxonomy; a subject is whatever a speaker keeps talking about ("the
regional council", "New START"). A statement is placed in one of its speaker's subjects, or opens
a new one, from two things it shares with the subject's earlier statements:

1. the phrases it is about (names and the noun phrases after a determiner, read without a parser:
   :func:`phrases`), which hold together statements that put the same thing in other words;
2. its sentence embedding, close to the subject's centroid (the mean of its statements' vectors).

Placing is online: each new statement is compared with the speaker's existing subjects only, so an
ingest never re-clusters the store. It runs as the pending task ``subjects`` of
:func:`onrecord.analyse.refresh`, after linking (a subject belongs to an identity), so work an
interrupted run left undone is finished by the next. A subject is named by its most telling phrase:
the one most of its statements share, longer phrases winning ties. A statement that names nothing
(``Thank you.``) is placed in no subject.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from onrecord.analyse.embed import DIMENSIONS, Embed, embed_cached, embedder
from onrecord.model import SubjectInfo, SubjectState
from onrecord.store import Store
from onrecord.text import normal

VERSION = "onrecord.subjects.v1"
JOIN = 0.60  # cosine to a subject's centroid at which a statement joins it on meaning alone
JOIN_SHARED = 0.20  # ... when it also shares one of the subject's leading phrases that is a name or several words
JOIN_WORD = 0.40  # ... when the phrase it shares is one common word ("tariffs")
LEADING = 6  # a subject's phrases that count as leading (most frequent)
MIN_WORDS = 3  # a statement shorter than this is placed in no subject

_DETERMINER = {
    "the", "a", "an", "our", "their", "its", "this", "that", "these", "those", "his", "her", "my", "your",
    "any", "every", "each", "no", "some",
}  # fmt: skip


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that end a noun phrase, or are no phrase by themselves.
_FUNCTION = _wordset(
    """
    a an the and or but if unless then than so as at by for from in into of off on onto out over to up with
    without about after against before between during through under until upon within is are was were be been
    being am do does did done have has had having will would shall should may might must can could not no
    never very too also just only even still already again now then here there when where why how what which
    who whom whose this that these those it its they them their we us our i me my you your he him his she her
    all any some each every more most much many such other another own same first last next one two three
    because while whether whatever whoever really quite rather lot lots way thing things time times people
    kind sort part fact case point today yesterday tomorrow week month year years ago yes okay well going
    said says say saying told tell think believe know want get got make made take took see seen let go went
    come came give gave put keep kept ready able sure right cannot can't won't don't doesn't didn't isn't
    aren't wasn't weren't long old start end beginning moment number issue question matter situation side
    level place day days something anything everything nothing someone anyone everyone elsewhere abroad
    anyway instead together
    """
)
_PRAISE = _wordset("good great bad big little very whole real true huge tremendous beautiful terrible so")
_CALENDAR = _wordset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december mr mrs ms dr"
)
_OPENERS = {"the", "a", "an", "we", "our", "they", "their", "this", "that", "it", "i", "he", "she", "you", "my",
            "his", "her", "its", "and", "but", "if", "so", "in", "on", "at", "for", "of", "to", "yes", "no",
            "mr", "mrs", "ms", "dr", "president", "minister", "senator", "governor"}  # fmt: skip
_TOKEN = re.compile(r"[A-Za-z][\w'-]*|[.!?;:,\"“”]")


def phrases(text: str) -> list[str]:
    """The phrases a statement is about: names (runs of capitalised words, ``New START``,
    ``Nordvale``, without an opening ``The`` or ``We``, days or months) and noun phrases after a
    determiner (``the regional council`` gives ``regional council``)."""
    tokens = _TOKEN.findall(normal(text))
    found: list[str] = []
    run: list[str] = []

    def close_run() -> None:
        # a headline in title case ("Talks Are Moving") is cut at its function words
        pieces: list[list[str]] = [[]]
        for word in run:
            if word.lower() in _FUNCTION and not word.isupper():
                pieces.append([])
            else:
                pieces[-1].append(word)
        for words in pieces:
            while words and words[0].lower() in _OPENERS:
                words.pop(0)
            words = [w for w in words if w.lower() not in _CALENDAR]
            if words:
                found.append(" ".join(words))
        run.clear()

    for n, token in enumerate(tokens):
        if not token[0].isalpha():
            close_run()
            continue
        capital = token[0].isupper() and token != "I" and token.lower() not in _DETERMINER
        if capital:
            run.append(token)
        else:
            close_run()
            if token.lower() in _DETERMINER:
                phrase: list[str] = []
                for following in tokens[n + 1 : n + 5]:
                    low = following.lower()
                    if not phrase and low in _PRAISE:  # "a great deal": the deal
                        continue
                    if not following[0].isalpha() or low in _FUNCTION or following[0].isupper():
                        break
                    if low.endswith("'s"):  # "the harbour stadium's roof": the harbour stadium
                        phrase.append(low[:-2])
                        break
                    phrase.append(low)
                    if len(phrase) == 3:
                        break
                if phrase:
                    found.append(" ".join(phrase))
    close_run()
    return [p for p in dict.fromkeys(found) if p.lower() not in _FUNCTION and len(p) > 2]


def _shared(found: Sequence[str], leading: set[str]) -> str | None:
    """A phrase of ``found`` that is, or sits inside, or holds, one of a subject's ``leading`` phrases
    (``census`` and ``census forms``), as written in ``found``."""
    for phrase in found:
        words = f" {phrase.lower()} "
        for other in leading:
            if f" {other} " in words or words in f" {other} ":
                return phrase
    return None


def _specific(phrase: str) -> bool:
    """A name or a phrase of several words, not one common word."""
    return " " in phrase or any(c.isupper() for c in phrase)


def name_of(counts: Counter[str], speaker: Counter[str] | None = None, statements: int = 0) -> str:
    """The most telling phrase: the one most of the subject's statements share, weighed against how
    many of all the speaker's statements (``speaker``: phrase counts over ``statements``) carry it,
    so a minister's own country does not name every subject; a longer phrase wins a tie."""
    if not counts:
        return "(unnamed)"

    def telling(p: str) -> float:
        if not speaker or statements <= 1:
            return float(counts[p])
        return counts[p] * math.log(1 + statements / max(speaker.get(p, 0), counts[p]))

    phrase = max(counts, key=lambda p: (round(telling(p), 6), len(p.split()), -len(p), p))
    return phrase if any(c.isupper() for c in phrase) else f"the {phrase}"


@dataclass(slots=True)
class _Subject:
    """A subject while statements are being placed (the stored form is :class:`SubjectState`)."""

    id: int | None
    speaker: str
    total: np.ndarray  # the sum of its statements' vectors
    size: int
    counts: Counter[str] = field(default_factory=Counter)
    changed: bool = False

    @property
    def leading(self) -> set[str]:
        return {p.lower() for p, _ in self.counts.most_common(LEADING)}

    def add(self, vector: np.ndarray, found: Sequence[str]) -> None:
        self.total = self.total + vector
        self.size += 1
        self.counts.update(found)
        self.changed = True

    def state(self, speaker: Counter[str] | None = None, statements: int = 0) -> SubjectState:
        return SubjectState(
            self.id,
            self.speaker,
            name_of(self.counts, speaker, statements),
            self.total.astype("<f4").tobytes(),
            self.size,
            tuple(sorted(self.counts.items(), key=lambda p: (-p[1], p[0]))[:50]),
        )

    @classmethod
    def from_state(cls, state: SubjectState) -> _Subject:
        total = np.frombuffer(state.centroid, dtype="<f4").astype(np.float32)
        return cls(state.id, state.speaker, total, state.size, Counter(dict(state.phrases)))


class Placer:
    """Places one speaker's statements, in the order they were said, in the speaker's subjects.

    The subjects' unit centroids are kept as one matrix, so a document's statements are scored
    against all subjects in one product; an index from words to the subjects whose leading phrases
    hold them finds the subjects a statement shares a phrase with."""

    def __init__(self, speaker: str, known: Sequence[SubjectState] = ()) -> None:
        self.speaker = speaker
        self.subjects: list[_Subject] = []
        self._matrix = np.zeros((max(64, 2 * len(known)), DIMENSIONS), dtype=np.float32)
        self._leading: list[set[str]] = []
        self._by_word: dict[str, set[int]] = {}
        for state in known:
            self._open(_Subject.from_state(state))

    def _open(self, subject: _Subject) -> int:
        k = len(self.subjects)
        if k == len(self._matrix):
            self._matrix = np.vstack([self._matrix, np.zeros_like(self._matrix)])
        self.subjects.append(subject)
        self._leading.append(set())
        self._refresh(k)
        return k

    def _refresh(self, k: int) -> None:
        subject = self.subjects[k]
        norm = float(np.linalg.norm(subject.total))
        self._matrix[k] = subject.total / norm if norm > 0 else 0.0
        for phrase in self._leading[k]:
            for word in phrase.split():
                self._by_word.get(word, set()).discard(k)
        self._leading[k] = subject.leading
        for phrase in self._leading[k]:
            for word in phrase.split():
                self._by_word.setdefault(word, set()).add(k)

    def place(self, text: str, vector: np.ndarray) -> int | None:
        """The index (into ``self.subjects``) of the subject the statement joins or opens; None when
        it names nothing to group it by."""
        return self.place_many([text], vector[None, :])[0]

    def place_many(self, texts: Sequence[str], vectors: np.ndarray) -> list[int | None]:
        """:meth:`place` for statements said in this order (one document's), scored in one product."""
        before = len(self.subjects)
        base = vectors @ self._matrix[:before].T if before else np.zeros((len(texts), 0), dtype=np.float32)
        touched: set[int] = set()  # subjects changed or opened since ``base`` was computed
        placed: list[int | None] = []
        for n, (text, vector) in enumerate(zip(texts, vectors, strict=True)):
            found = phrases(text)
            if not found or len(text.split()) < MIN_WORDS:
                placed.append(None)
                continue
            scores = np.empty(len(self.subjects), dtype=np.float32)
            scores[:before] = base[n]
            for k in touched:
                scores[k] = self._matrix[k] @ vector
            best = self._best(found, scores)
            if best is None:
                best = self._open(_Subject(None, self.speaker, np.zeros(DIMENSIONS, dtype=np.float32), 0))
            self.subjects[best].add(vector, found)
            self._refresh(best)
            touched.add(best)
            placed.append(best)
        return placed

    def _best(self, found: Sequence[str], scores: np.ndarray) -> int | None:
        best, best_value = None, -1.0
        if len(scores):
            k = int(np.argmax(scores))
            if scores[k] >= JOIN:
                best, best_value = k, float(scores[k])
        candidates = {k for p in found for word in p.lower().split() for k in self._by_word.get(word, ())}
        for k in candidates:
            score = float(scores[k])
            if score + 0.2 <= best_value or score < JOIN_SHARED:
                continue
            shared = _shared(found, self._leading[k])
            if shared is not None and score >= (JOIN_SHARED if _specific(shared) else JOIN_WORD):
                best, best_value = k, score + 0.2
        return best


def group(texts: Sequence[str], embed: Embed | None = None, speaker: str = "") -> list[int | None]:
    """Place texts (one speaker's, in the order said) in subjects from scratch: each text's subject
    number, or None. What :func:`apply` does for the store, for a list in memory (the evaluation)."""
    vectors = (embed or embedder())(list(texts))
    placer = Placer(speaker)
    return [placer.place(t, v) for t, v in zip(texts, vectors, strict=True)]


def apply(store: Store, embed: Embed | None = None, progress: Callable[[int, int], None] | None = None) -> int:
    """Place every statement not yet placed (new, or whose speaker changed) in its speaker's subjects;
    returns how many were placed. Existing subjects are extended, never rebuilt. One process at a
    time: another that placed the same statements first leaves this one nothing to do."""
    with store.exclusive("subjects"):
        return _apply(store, embed, progress)


def _apply(store: Store, embed: Embed | None, progress: Callable[[int, int], None] | None) -> int:
    as_of = store.data_version()
    todo = store.statements_for_subjects()
    done = 0
    by_speaker: dict[str, list[tuple[int, int, str, str, str | None, int]]] = {}
    for row in todo:
        by_speaker.setdefault(row[2], []).append(row)
    for speaker, rows in by_speaker.items():
        placer = Placer(speaker, store.subject_states(speaker))
        statements = sum(s.size for s in placer.subjects) + len(rows)
        vectors = embed_cached(store, [r[3] for r in rows], embed)
        placed: list[tuple[int, int, int | None]] = []
        start = 0
        while start < len(rows):  # one document at a time: its statements scored in one product
            end = start
            while end < len(rows) and rows[end][5] == rows[start][5]:
                end += 1
            found = placer.place_many([r[3] for r in rows[start:end]], vectors[start:end])
            placed += [(r[0], r[1], k) for r, k in zip(rows[start:end], found, strict=True)]
            start = end
        changed = [k for k, s in enumerate(placer.subjects) if s.changed]
        index = {k: n for n, k in enumerate(changed)}
        overall: Counter[str] = Counter()
        for subject in placer.subjects:
            overall.update(subject.counts)
        store.save_subjects(
            [placer.subjects[k].state(overall, statements) for k in changed],
            [(sid, iid, None if k is None else index[k]) for sid, iid, k in placed],
        )
        done += len(rows)
        if progress:
            progress(done, len(todo))
    store.finished("subjects", as_of)
    return done


def speaker_subjects(
    store: Store, speaker: str, *, since: str | None = None, acts: tuple[str, ...] | None = None
) -> list[SubjectInfo]:
    """A speaker's subjects, busiest first, with counts, first and last dates and topics."""
    return store.subjects(speaker, since=since, acts=acts)


def monthly(
    store: Store, speaker: str, *, top: int = 12, acts: tuple[str, ...] | None = None
) -> tuple[list[str], list[tuple[SubjectInfo, list[int]]]]:
    """Months (every month from the first to the last) and, for the speaker's ``top`` busiest
    subjects, their statements per month: the small chart of each subject over time."""
    from onrecord.analyse.timeline import months_between

    shown = store.subjects(speaker, acts=acts)[:top]
    wanted = {s.id for s in shown}
    counts: dict[int, Counter[str]] = {s.id: Counter() for s in shown}
    for sid, month, n in store.subject_months(speaker, acts):
        if sid in wanted:
            counts[sid][month] += n
    seen = sorted({m for c in counts.values() for m in c})
    if not seen:
        return [], [(s, []) for s in shown]
    months = months_between(seen[0], seen[-1])
    return months, [(s, [counts[s.id].get(m, 0) for m in months]) for s in shown]
