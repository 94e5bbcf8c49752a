"""Provenance: trace what an article attributes to someone back to their own words.

For each statement an article attributes to a speaker, find the best supporting passage in that
speaker's primary sources (transcript turns, their direct quotes) and say how faithfully it was
reported:

- ``verbatim``: the quoted words occur as they are (quote style, case, punctuation and whitespace aside);
- ``trimmed``: the quoted words occur in order, with omissions (an ellipsis, a dropped clause);
- ``altered``: mostly the same words, some changed, added or dropped (a word diff shows which);
- ``paraphrase``: reported speech whose meaning matches a passage (embeddings and shared words);
- ``translated``: the words match a passage in another language (multilingual embeddings), with
  what the translation changed flagged: numbers, negation, certainty, names, time, clauses added, and what a
  trimmed translation leaves out noted (issue 15;
  ``analyse/translation.py``), and a claim that is not the speaker's told word by word (``analyse/alignment.py``);
- ``unsupported``: nothing close in what was searched (which is said).

The search: the speaker's passages sharing the most rare words are the candidates (BM25: the store's
full-text index, FTS5 ``bm25()`` or PostgreSQL ``ts_rank``, over the passages it keeps with every
transcript; bm25s over files given with ``--against``), rapidfuzz aligns the quote in each, word-level
comparison decides; embeddings only for what the words don't settle, and for passages in another
language, which share no words (their sentence vectors are kept in the store's embedding cache).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Protocol

import bm25s
import numpy as np
from rapidfuzz import fuzz

from onrecord.analyse.alignment import Alignment, align
from onrecord.analyse.bilingual import dictionary
from onrecord.analyse.embed import (
    DIMENSIONS,
    MULTILINGUAL_MODEL_ID,
    Embed,
    embed_cached,
    embedder,
    multilingual_embedder,
)
from onrecord.analyse.translation import TRANSLATED, Candidate, clauses, flag_mark, margin_score
from onrecord.analyse.translation import cyrillic as _cyrillic
from onrecord.analyse.translation import flags as _translation_flags
from onrecord.analyse.translation import names as _names
from onrecord.analyse.translation_verdict import Evidence, Verdict, cascade
from onrecord.model import DEFAULT_ACTS, Document, DocumentInfo, Passage, Span, Statement, visible
from onrecord.resolve.identity import name_key
from onrecord.resolve.names import same_person
from onrecord.store import Query, Store
from onrecord.text import WORD, chunks, normal, sentences, sentences_any, words

VERDICTS = ("verbatim", "trimmed", "altered", "paraphrase", "translated", "unsupported")
# what each verdict's score measures, the figure its threshold is on (issue 15: shown beside the score)
MEASURES = {
    "verbatim": "word match",  # the share of the quote's words found in order
    "trimmed": "word match",
    "altered": "word match",
    "paraphrase": "meaning and words",  # sentence similarity and shared words, combined
    "translated": "margin",  # cosine plus its margin over the speaker's other sentences (translation.py)
    "unsupported": "closest",  # the best figure found, below every threshold
}
CANDIDATES = 25  # passages aligned per statement, best by shared rare words
ALTERED = 0.60  # word-sequence similarity from which a quote is "altered" rather than unrelated
PARAPHRASE = 0.50  # combined similarity (meaning and shared words) from which reported speech matches
PARAPHRASE_WEIGHT = 0.6  # the share of meaning (embeddings) in that combination
EMBEDDED = 40  # sentences embedded per statement, best by shared words
WINDOW_DAYS = 365  # primary sources dated this long before the article (and one day after)
CYRILLIC_LANGS = ("ru",)  # the languages onrecord reads that are written in Cyrillic
SEARCHES_AT_ONCE = 2  # an article's candidate searches in the store run side by side, this many at a time

_ELLIPSIS = re.compile(r"\.\s?\.\s?\.|…|\[\s*\.\.\.\s*\]")
_STOP = frozenset({
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "that",
    "this", "these", "those", "it", "its", "is", "are", "was", "were", "be", "been", "being", "i", "you", "he",
    "she", "we", "they", "me", "him", "her", "us", "them", "my", "your", "his", "our", "their", "not", "no",
    "so", "as", "if", "then", "than", "there", "here", "do", "does", "did", "have", "has", "had", "will",
    "would", "can", "could", "should", "just", "very", "really", "going", "get", "got", "know", "think",
    "said", "say",
})  # fmt: skip


@lru_cache(maxsize=65_536)  # a passage's words recur across an article's statements
def _stem(word: str) -> str:
    """A crude stem for counting shared words: leaving/leave, talks/talk."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True, slots=True)
class Trace:
    """The verdict on one attributed statement, with the passage it rests on."""

    statement: Statement
    speaker: str | None
    verdict: str
    score: float
    passage: Passage | None = None
    match: Span | None = None  # the matched words, inside ``passage.text``
    diff: tuple[tuple[str, str], ...] = ()  # (op, words): "=", "-" (in the source only), "+" (in the report only)
    flags: tuple[str, ...] = ()
    searched: str = ""
    similarity: float | None = None  # a translation's cosine with its source (``score`` is the margin that decides)

    @property
    def measure(self) -> str:
        """What ``score`` is (:data:`MEASURES`): the figure the verdict's threshold is on."""
        return MEASURES[self.verdict]

    def score_text(self) -> str:
        """The score as shown: its measure, and a translation's cosine beside its margin."""
        cosine = f", cosine {self.similarity:.2f}" if self.similarity is not None else ""
        return f"{self.measure} {self.score:.2f}{cosine}"

    def to_dict(self) -> dict[str, object]:
        passage = None
        if self.passage is not None:
            at = self.passage.span.start
            matched = Span(at + self.match.start, at + self.match.end) if self.match else self.passage.span
            passage = {
                "source": self.passage.source,
                "document_id": self.passage.document_id,
                "date": self.passage.date,
                "speaker": self.passage.speaker,
                "span": matched.as_list(),
                "text": self.passage.text[self.match.start : self.match.end] if self.match else self.passage.text,
            }
        return {
            "statement": self.statement.to_dict(),
            "speaker": self.speaker,
            "verdict": self.verdict,
            "score": round(self.score, 3),
            "measure": self.measure,
            "similarity": None if self.similarity is None else round(self.similarity, 3),
            "passage": passage,
            "diff": [list(d) for d in self.diff],
            "flags": list(self.flags),
            "searched": self.searched,
        }


class Primaries(Protocol):
    """Where a :class:`Tracer` looks for the speaker's own words: files held in memory
    (:class:`PrimaryIndex`), or the passages the store keeps (:class:`StoredPassages`)."""

    def candidates(self, text: str, speaker: str | None, around: str | None, k: int = CANDIDATES) -> list[Passage]:
        """Passages by ``speaker`` in the date window around ``around``, most like ``text``: ranked by
        BM25 over their words, the best of those re-ranked by fuzzy alignment of the whole text."""
        ...

    def speakers_passages(self, speaker: str | None, around: str | None) -> int:
        """How many passages by ``speaker`` in the window there were to search."""
        ...

    def other_script(self, text: str, speaker: str | None, around: str | None) -> list[Passage]:
        """The speaker's passages in the window written in the other script than ``text``."""
        ...

    def prepare(self, searches: Sequence[tuple[str, str | None, str | None]]) -> None:
        """Ready the :meth:`candidates` of these (text, speaker, around) and their counts, all at once."""
        ...


def _fits(speaker: str | None, around: str | None) -> Callable[[Passage], bool]:
    """Whether a passage is by ``speaker`` and in the window around ``around``; the window and each
    passage speaker's comparison are worked out once, not per passage."""
    bounds = window(around)
    same: dict[str, bool] = {}

    def fits(passage: Passage) -> bool:
        if speaker:
            if passage.speaker not in same:
                same[passage.speaker] = _same_speaker(passage.speaker, speaker)
            if not same[passage.speaker]:
                return False
        return bounds is None or passage.date is None or bounds[0] <= passage.date <= bounds[1]

    return fits


def _terms(text: str) -> list[str]:
    """The words of ``text`` a candidate search looks for: each once, stop words left out."""
    return sorted(set(words(text)) - _STOP)


@lru_cache(maxsize=8_192)  # of a passage: an article's statements rank many of the same passages
def _passage_words(text: str) -> tuple[str, ...]:
    return tuple(words(text))


@lru_cache(maxsize=8_192)
def _joined_words(text: str) -> str:
    return " ".join(_passage_words(text))


def _aligned(text: str, found: Sequence[str], k: int) -> list[int]:
    """Which ``k`` of the passage texts ``found`` (best by BM25 first) ``text`` aligns in best, fuzzily."""
    probe = " ".join(words(text))
    scores = [fuzz.partial_ratio(probe, _joined_words(t)) for t in found]
    return sorted(range(len(found)), key=lambda n: -scores[n])[:k]


class PrimaryIndex:
    """Primary passages held in memory (files given with ``--against``, labelled sets), ranked by BM25
    over their words with bm25s (a sparse matrix: scoring every passage is one product)."""

    def __init__(self, passages: Iterable[Passage]) -> None:
        self.passages = list(passages)
        self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
        if self.passages:
            # all their words, stop words too, so that lengths count every word; queries leave them out
            self._bm25.index([words(p.text) for p in self.passages], show_progress=False)
        self._masks: dict[tuple[str | None, str | None], np.ndarray] = {}
        self._cyrillic: np.ndarray | None = None

    @classmethod
    def from_documents(cls, documents: Iterable[Document]) -> PrimaryIndex:
        """Each speaker's turns in transcripts (turns without a known speaker are left out)."""
        return cls(p for document in documents for p in passages_of(document))

    def __len__(self) -> int:
        return len(self.passages)

    def _mask(self, speaker: str | None, around: str | None) -> np.ndarray:
        """Which passages are by ``speaker`` in the window: once per speaker and date, not per statement."""
        if (speaker, around) not in self._masks:
            fits = _fits(speaker, around)
            self._masks[speaker, around] = np.fromiter(map(fits, self.passages), bool, len(self.passages))
        return self._masks[speaker, around]

    def candidates(self, text: str, speaker: str | None, around: str | None, k: int = CANDIDATES) -> list[Passage]:
        terms = _terms(text)
        if not terms or not self.passages:
            return []
        scores = self._bm25.get_scores(terms)
        allowed = np.flatnonzero((scores > 0) & self._mask(speaker, around))
        best = allowed[np.argsort(-scores[allowed], kind="stable")][: 4 * k]
        return [self.passages[best[n]] for n in _aligned(text, [self.passages[n].text for n in best], k)]

    def speakers_passages(self, speaker: str | None, around: str | None) -> int:
        return int(self._mask(speaker, around).sum())

    def prepare(self, searches: Sequence[tuple[str, str | None, str | None]]) -> None:
        pass  # in memory: each search is quick

    def other_script(self, text: str, speaker: str | None, around: str | None) -> list[Passage]:
        if self._cyrillic is None:
            self._cyrillic = np.fromiter((_cyrillic(p.text) for p in self.passages), bool, len(self.passages))
        wanted = self._mask(speaker, around) & (self._cyrillic != _cyrillic(text))
        return [self.passages[n] for n in np.flatnonzero(wanted)]


class StoredPassages:
    """The passages the store keeps with every transcript turn: candidates from its full-text index
    (FTS5 ``bm25()`` on SQLite, ``ts_rank`` on PostgreSQL), nothing read that is not a candidate.
    ``speakers`` are the names (identities) an article's statements go by: a statement's speaker
    searches those of them that are the same person (:func:`_same_speaker`, across scripts too)."""

    def __init__(self, store: Store, speakers: Iterable[str]) -> None:
        self.store = store
        self.speakers = sorted(set(speakers))
        # an article's statements mostly share a speaker and a date: count and list once for them
        self._counts: dict[tuple[str | None, str | None], int] = {}
        self._other: dict[tuple[str | None, str | None, bool], list[Passage]] = {}
        self._read: dict[int, Passage] = {}  # by id: statements of one article often compare the same ones
        self._ranked: dict[tuple[str, str | None, str | None], list[tuple[int, str]]] = {}  # by prepare()

    def _who(self, speaker: str | None) -> list[str] | None:
        if not speaker:
            return None
        return sorted({speaker, *(s for s in self.speakers if _same_speaker(s, speaker))})

    def _ranking(
        self, text: str, speaker: str | None, around: str | None, k: int = CANDIDATES
    ) -> list[tuple[int, str]]:
        terms = _terms(text)
        if not terms:
            return []
        since, until = window(around) or (None, None)
        return self.store.passage_ranking(terms, self._who(speaker), since, until, 4 * k)

    def prepare(self, searches: Sequence[tuple[str, str | None, str | None]]) -> None:
        """The searches side by side, :data:`SEARCHES_AT_ONCE` at a time: the store's full-text queries are
        most of a trace's time, and SQLite releases Python's lock while it runs them."""
        todo = [s for s in dict.fromkeys(searches) if s not in self._ranked]
        counts = [c for c in dict.fromkeys((speaker, around) for _, speaker, around in todo) if c not in self._counts]
        with ThreadPoolExecutor(SEARCHES_AT_ONCE) as pool:
            ranked = pool.map(lambda search: self._ranking(*search), todo)
            counted = pool.map(lambda count: self.speakers_passages(*count), counts)
            self._ranked.update(zip(todo, ranked, strict=True))
            list(counted)

    def candidates(self, text: str, speaker: str | None, around: str | None, k: int = CANDIDATES) -> list[Passage]:
        prepared = self._ranked.get((text, speaker, around)) if k == CANDIDATES else None
        ranked = prepared if prepared is not None else self._ranking(text, speaker, around, k)
        ids = [ranked[n][0] for n in _aligned(text, [t for _, t in ranked], k)]
        # the details (source, date, the question answered) of the kept ones alone
        self._read.update(
            zip(fresh := [i for i in ids if i not in self._read], self.store.passages(fresh), strict=True)
        )
        return [self._read[i] for i in ids]

    def speakers_passages(self, speaker: str | None, around: str | None) -> int:
        if (speaker, around) not in self._counts:
            since, until = window(around) or (None, None)
            self._counts[speaker, around] = self.store.passage_count(self._who(speaker), since, until)
        return self._counts[speaker, around]

    def other_script(self, text: str, speaker: str | None, around: str | None) -> list[Passage]:
        cyrillic = _cyrillic(text)
        if (speaker, around, cyrillic) not in self._other:
            since, until = window(around) or (None, None)
            # the document's language narrows it in SQL; the script of each passage decides
            found = self.store.speaker_passages(self._who(speaker), since, until, CYRILLIC_LANGS, cyrillic)
            self._other[speaker, around, cyrillic] = [p for p in found if _cyrillic(p.text) != cyrillic]
        return self._other[speaker, around, cyrillic]


def window(around: str | None) -> tuple[str, str] | None:
    """The dates (ISO, inclusive) of the primary sources searched for an article dated ``around``."""
    if not around:
        return None
    day = date.fromisoformat(around)
    return (day - timedelta(days=WINDOW_DAYS)).isoformat(), (day + timedelta(days=1)).isoformat()


def _same_speaker(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    if a.lower() == b.lower() or same_person(a, b) or same_person(b, a):
        return True
    if _cyrillic(a) != _cyrillic(b):  # "Игорь Соколов" and "Igor Sokolov", romanized (issue 15)
        ka, kb = name_key(a).split(), name_key(b).split()
        return bool(ka and kb) and ka[-1] == kb[-1] and (len(ka) == 1 or len(kb) == 1 or ka[0][:1] == kb[0][:1])
    return False


def passages_of(document: Document, document_id: int | None = None) -> list[Passage]:
    """A transcript's turns, cut into paragraph-sized passages, each with the question it answers."""
    found = []
    previous = None
    for turn in document.turns:
        text = turn.content_span.of(document.text)
        if turn.speaker and text.strip():
            question = previous[1] if previous is not None and previous[0] != turn.speaker else None
            found += _passages(
                document.source, turn.speaker, turn.content_span.start, text, document.date, document_id, question
            )
        previous = (turn.speaker, text)
    return found


def _passages(
    source: str, speaker: str, start: int, text: str, day: str | None, document_id: int | None, question: str | None
) -> list[Passage]:
    """A turn's text (at ``start`` in its document) cut into passages."""
    return [
        Passage(source, speaker, Span(start + a, start + b), text[a:b], day, document_id, question)
        for a, b in chunks(text)
    ]


# -- classifying one statement ------------------------------------------------------------------
def _cue(statement: Statement, text: str) -> str | None:
    """The words that report a statement: its cue with what stands between the speaker and it ("did not rule out",
    where the cue is "rule out"), which may hedge or deny what is reported."""
    speaker, cue = statement.speaker_span, statement.cue_span
    if speaker is not None and cue is not None and 0 <= cue.start - speaker.end <= 30:
        return text[speaker.end : cue.end].strip()
    return statement.cue


def _quoted_parts(statement: Statement, text: str) -> list[str]:
    """The quoted words of a statement, its marks stripped; empty for reported speech."""
    parts = []
    for quote in statement.quotes:
        inner = quote.of(text).strip().strip("\"“”'‘’").strip()
        if len(words(inner)) >= 3:
            parts.append(inner)
    return parts


def _introduced(statement: Statement, text: str) -> bool:
    """Whether the statement's quote follows a colon that closes the writer's own words ('denied that the ministry
    had wrecked the talks: "Nobody broke off …"'): those words sum up or frame the quote, which is the speaker's."""
    if not statement.quotes:
        return False
    before = text[statement.content_span.start : statement.quotes[0].start].rstrip().rstrip("\"“«„'‘").rstrip()
    return before.endswith(":")


def _probe(statement: Statement, text: str) -> str:
    """What the candidates of a statement are searched by: its quoted words, else all its words
    (without a frame standing inside them: "By 2030, she said, …")."""
    return " ".join(_quoted_parts(statement, text)) or statement.reported_text(text)


def _is_subsequence(needle: list[str], hay: Sequence[str]) -> tuple[bool, int]:
    """Whether ``needle`` occurs in order in ``hay``, and in how many contiguous runs."""
    at, runs, last = 0, 0, -2
    for word in needle:
        while at < len(hay) and hay[at] != word:
            at += 1
        if at == len(hay):
            return False, runs
        if at != last + 1:
            runs += 1
        last = at
        at += 1
    return True, runs


def _window(passage_words: Sequence[str], quote_words: list[str]) -> tuple[int, int, float]:
    """The stretch of the passage most like the quote: (first word, end word, similarity)."""
    if not passage_words:
        return 0, 0, 0.0
    joined = " ".join(passage_words)
    alignment = fuzz.partial_ratio_alignment(" ".join(quote_words), joined)
    first = joined[: alignment.dest_start].count(" ")
    last = joined[: alignment.dest_end].count(" ") + 1
    # widen: a trimmed quote spans more of the source than it shows; then keep what matches
    slack = max(3, len(quote_words))
    lo, hi = max(0, first - slack), min(len(passage_words), last + slack)
    matcher = difflib.SequenceMatcher(None, quote_words, passage_words[lo:hi], autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= 2] or [
        b for b in matcher.get_matching_blocks() if b.size
    ]
    if not blocks:
        return first, last, 0.0
    # cover the quote's unmatched ends too: a changed first or last word is part of the match
    a = max(lo, lo + blocks[0].b - blocks[0].a)
    b = min(hi, lo + blocks[-1].b + blocks[-1].size + len(quote_words) - blocks[-1].a - blocks[-1].size)
    return a, b, difflib.SequenceMatcher(None, quote_words, passage_words[a:b], autojunk=False).ratio()


@lru_cache(maxsize=1024)  # of a passage: each statement of an article compares the same candidates again
def _sentence_ends(text: str) -> tuple[int, ...]:
    """Indices (in :func:`words`) of the words that end a sentence."""
    return tuple(n for n, m in enumerate(_WORD_ENDING.finditer(normal(text))) if m.group(1) is not None)


# a WORD, and (the group) the end of a sentence right after it; the lookahead never fails, so the words
# found are WORD's
_WORD_ENDING = re.compile(r"[\w']+(?=([\"”']?[.!?])?)")


@lru_cache(maxsize=1024)
def _word_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Where each of :func:`words` of ``text`` is in it."""
    return tuple(m.span() for m in WORD.finditer(normal(text)))


def _char_span(text: str, first: int, end: int) -> Span:
    spans = _word_spans(text)
    if not spans or first >= len(spans):
        return Span(0, len(text))
    return Span(spans[first][0], spans[min(end, len(spans)) - 1][1])


def _diff(report: list[str], source: Sequence[str]) -> tuple[tuple[str, str], ...]:
    ops = []
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, source, report, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("=", " ".join(source[a1:a2])))
            continue
        if a2 > a1:
            ops.append(("-", " ".join(source[a1:a2])))
        if b2 > b1:
            ops.append(("+", " ".join(report[b1:b2])))
    return tuple(ops)


@dataclass(slots=True)
class _Best:
    verdict: str = "unsupported"
    score: float = 0.0
    passage: int | None = None
    match: Span | None = None
    diff: tuple[tuple[str, str], ...] = ()
    rank: int = field(default=len(VERDICTS))
    similarity: float | None = None  # a translation's cosine, beside its margin in ``score``


@lru_cache(maxsize=1024)  # of a passage: an article's reported statements compare many of the same
def _piece_stems(text: str) -> tuple[tuple[Span, ...], tuple[frozenset[str], ...]]:
    """What the paraphrase comparison reads of a passage: its sentences, then each two in a row (a report
    often condenses two), with the stems of their words. A sentence ends in ``.``, ``!`` or ``?`` and the
    next begins after a space, so no word spans two: a pair's words are its sentences' and those between."""
    spans = sentences(text)
    singles = [frozenset(map(_stem, words(text[a:b]))) for a, b in spans]
    pairs = [
        singles[i] | singles[i + 1] | frozenset(map(_stem, words(text[spans[i][1] : spans[i + 1][0]])))
        for i in range(len(spans) - 1)
    ]
    whole = [Span(a, b) for a, b in spans] + [Span(spans[i][0], spans[i + 1][1]) for i in range(len(spans) - 1)]
    return tuple(whole), tuple(singles + pairs)


def _pieces(parts: list[str]) -> list[list[str]]:
    """The words of quoted parts, cut at ellipses: what a quote says in each unbroken stretch."""
    return [found for part in parts for p in _ELLIPSIS.split(part) if (found := words(p))]


def _quote_verdict(pieces: list[list[str]], source: Sequence[str], passage_text: str) -> _Best:
    """Verbatim / trimmed / altered for a quote's pieces against one passage (``source``: its words)."""
    quote = [w for piece in pieces for w in piece]
    if not quote or not source:
        return _Best()
    joined = " " + " ".join(source) + " "
    a, b, ratio = _window(source, quote)
    ends = _sentence_ends(passage_text)
    matched_end = next((e + 1 for e in ends if a <= e < b), None)
    if matched_end is not None and b > matched_end and " ".join(quote[-2:]) not in " ".join(source[a:b]):
        # the quote's unmatched end stops where the source's sentence does
        b = matched_end
        ratio = difflib.SequenceMatcher(None, quote, source[a:b], autojunk=False).ratio()
    match = _char_span(passage_text, a, b)
    if len(pieces) == 1 and f" {' '.join(quote)} " in joined:
        first = joined[: joined.index(f" {' '.join(quote)} ")].count(" ")
        return _Best("verbatim", 1.0, match=_char_span(passage_text, first, first + len(quote)), rank=0)
    within, runs = _is_subsequence(quote, source[a:b])
    if not within:  # a trimmed quote may skip more words than it keeps
        reach = 3 * len(quote)
        within, runs = _is_subsequence(quote, source[max(0, a - reach) : b + reach])
    trimmed_by_ellipsis = len(pieces) > 1 and all(f" {' '.join(p)} " in joined for p in pieces)
    if trimmed_by_ellipsis or (within and runs <= max(2, len(quote) // 4) and len(quote) >= 4):
        return _Best("trimmed", ratio, match=match, diff=_diff(quote, source[a:b]), rank=1)
    if ratio >= ALTERED:
        return _Best("altered", ratio, match=match, diff=_diff(quote, source[a:b]), rank=2)
    return _Best(score=ratio)


class Tracer:
    """Traces articles' statements against primary passages (:class:`Primaries`). With a ``store``,
    sentence vectors are read from (and computed once into) its embedding cache."""

    def __init__(
        self,
        index: Primaries,
        embed: Embed | None = None,
        store: Store | None = None,
        decide: Verdict = cascade,
        floor: float = TRANSLATED,
    ) -> None:
        self.index = index
        self.decide = decide  # a report against its nearest sentence in the other language: the class, and why
        # a margin score below which a report is no translation, nothing else measured (the rest parses both texts)
        self.floor = floor
        self._embed = embed
        self.store = store
        self._multilingual_vectors: dict[tuple[str, str], np.ndarray] = {}  # multilingual, by (role, text) (issue 15)
        self._concept_vectors: dict[str, np.ndarray] = {}  # multilingual latent terms, by text

    @property
    def embed(self) -> Embed:
        if self._embed is None:
            self._embed = embedder()
        return self._embed

    def _sentence_vectors(self, texts: list[str]) -> np.ndarray:
        """Sentence vectors for the paraphrase comparison: the store's cache when there is one."""
        if self.store is None or self._embed is not None:
            return self.embed(texts)
        return embed_cached(self.store, texts)

    def trace(
        self, document: Document, found: Sequence[Statement], speakers: dict[int, str] | None = None
    ) -> list[Trace]:
        """A trace for each attributed statement of ``document`` (not the writer's own voice, not turns).
        ``speakers`` maps statement index -> identity, when known (else the statement's speaker)."""
        speakers = speakers or {}
        traced = [
            (s, speakers.get(s.index) or s.speaker)
            for s in found
            if s.kind not in {"author", "turn"} and (s.speaker or speakers.get(s.index))
        ]
        self.index.prepare([(_probe(s, document.text), speaker, document.date) for s, speaker in traced])
        return [self.trace_one(document, s, speaker) for s, speaker in traced]

    def trace_one(self, document: Document, statement: Statement, speaker: str | None) -> Trace:
        parts = _quoted_parts(statement, document.text)
        probe = _probe(statement, document.text)
        reported = statement.reported_text(document.text)  # its content, a frame inside it left out
        # the passages compared: the candidates, then (for a translation) the other script's; a
        # verdict's ``passage`` is an index into this list
        found = self.index.candidates(probe, speaker, document.date)
        ids = list(range(len(found)))
        source_words = [_passage_words(p.text) for p in found]
        pool = self.index.speakers_passages(speaker, document.date)
        window = f" dated up to {WINDOW_DAYS} days before {document.date}" if document.date else ""
        searched = f"{pool} passages by {speaker}{window}; {len(ids)} shared enough words to compare"
        best = _Best()
        pieces = _pieces(parts)
        for n in ids if parts else ():
            verdict = _quote_verdict(pieces, source_words[n], found[n].text)
            if (verdict.rank, -verdict.score) < (best.rank, -best.score):
                verdict.passage = n
                best = verdict
                if best.rank == 0:  # verbatim: no later passage can do better, only as well
                    break
        if best.verdict == "unsupported" and parts:
            # a partial quote changed inside reported speech: 'that the inspectors "can come next month"'
            # shows its change only with the reported words around it
            around = _pieces([re.sub(r"^(?:that|whether|if)\s+", "", reported)])
            for n in ids:
                verdict = _quote_verdict(around, source_words[n], found[n].text)
                if verdict.rank in (1, 2) and (verdict.rank, -verdict.score) < (best.rank, -best.score):
                    verdict.passage, verdict.verdict, verdict.rank = n, "altered", 2
                    best = verdict
        if best.verdict == "unsupported":
            best = self._paraphrase(reported if not parts else " ".join(parts), found)
        flags: tuple[str, ...] = ()
        if best.verdict == "unsupported":  # the speaker's own words may be in another language
            # the report's own words whole, a partial quote with the reported words around it
            # (a quote the writer introduces with a colon stands whole: the words before it are the writer's)
            whole = len(" ".join(parts)) >= 0.8 * len(reported) or _introduced(statement, document.text)
            words_of = " ".join(parts) if parts and whole else reported
            text = words_of or reported
            cue = _cue(statement, document.text)
            best, flags = self._translation(text, speaker, document.date, best, found, _names(document.text), cue)
        passage = found[best.passage] if best.passage is not None else None
        return Trace(
            statement,
            speaker,
            best.verdict,
            best.score,
            passage,
            best.match,
            best.diff,
            self._flags(passage, best.match) + flags,
            searched,
            best.similarity,
        )

    def _translation(
        self,
        text: str,
        speaker: str | None,
        around: str | None,
        best: _Best,
        found: list[Passage],
        named: Sequence[str] = (),
        cue: str | None = None,
    ) -> tuple[_Best, tuple[str, ...]]:
        """The sentence, pair or clause most like ``text`` among this speaker's passages in the other script, by
        multilingual embeddings and its margin over the speaker's other sentences (``analyse/translation.py``):
        ``translated`` from :data:`TRANSLATED`, with what changed flagged. Those passages are added to
        ``found``, which the verdict's passage indexes. ``named``: the names the article mentions; ``cue``: the verb
        the article reports it with ("promised": a commitment the source may not make)."""
        if not text.strip():
            return best, ()
        other = list(range(len(found), len(found) + len(added := self.index.other_script(text, speaker, around))))
        found.extend(added)
        if not other:
            return best, ()
        pieces: list[tuple[int, Span]] = []
        candidates: list[Candidate] = []
        text_of = {n: found[n].text for n in other}
        for n in other:
            spans = sentences_any(text_of[n])
            pairs = [(spans[i][0], spans[i + 1][1]) for i in range(len(spans) - 1)]
            # a clause alone too: a report may translate part of a sentence (its flags then say what it dropped)
            parts = [(a + c, a + d) for a, b in spans if len(cut := clauses(text_of[n][a:b])) > 1 for c, d in cut]
            kinds = [*((s, "single") for s in spans), *((p, "pair") for p in pairs), *((c, "clause") for c in parts)]
            for (a, b), kind in kinds:
                pieces.append((n, Span(a, b)))
                candidates.append(Candidate(n, a, b, kind == "single", kind == "pair"))
        query = self._multilingual([text], "query")[0]
        texts = [span.of(text_of[n]) for n, span in pieces]
        similarity = self._multilingual(texts, "passage") @ query
        k, score = margin_score(similarity, candidates)
        if score < self.floor:
            return best, ()
        n, span = pieces[k]
        chosen = _Best("translated", score, n, span, rank=VERDICTS.index("translated"), similarity=float(similarity[k]))
        # flags against the whole sentence a matched clause stands in, so that what the report left out shows
        sentence = next(((a, b) for a, b in sentences_any(text_of[n]) if a <= span.start and span.end <= b), None)
        source = text_of[n][sentence[0] : sentence[1]] if sentence and not candidates[k].single else texts[k]
        if not (source != texts[k] and len(source) > len(texts[k])):
            source = texts[k]
        # the dense vectors blur who does what: a claim built of the speaker's words shares few of the source's concepts;
        # a clause's are also measured alone, since the rest of its sentence, which the report leaves out, dilutes them
        overlap = max(self._concept_overlap(text, part) for part in dict.fromkeys([source, texts[k]]))
        vectors = lambda ws: self._multilingual(ws, "query")  # noqa: E731 - single words, for names and the alignment

        def measure_flags() -> tuple[str, ...]:
            whole = float(self._multilingual([source], "passage")[0] @ query) if source != texts[k] else similarity[k]
            # the names the speaker and the article use elsewhere tell a name opening a sentence from an ordinary word
            known = sorted({*named, *(name for m in other for name in _names(text_of[m]))})
            rendered = None
            if candidates[k].pair and len(clauses(text)) <= 1:  # one clause against two sentences: the nearer one
                c = candidates[k]
                inside = [i for i, d in enumerate(candidates) if d.single and d.group == c.group and c.start <= d.start]
                inside = [i for i in inside if candidates[i].end <= c.end]
                rendered = texts[max(inside, key=lambda i: similarity[i])] if inside else None
            # negation is compared predicate by predicate over the alignment's links (measured once, the decision's too)
            alignment = evidence.alignment
            return _translation_flags(
                text, source, vectors, self._multilingual, float(whole), known, rendered, alignment, cue
            )

        def measure_alignment() -> Alignment:
            # word by word: is the report's claim the source's (its words rendered there, the same one acting); the
            # sentence before the source holds what its "this" points to
            spans = sentences_any(text_of[n])
            before = next(
                (text_of[n][a:b] for (a, b), (c, d) in zip(spans, spans[1:], strict=False) if c <= span.start < d), ""
            )
            return align(text, source, vectors, dictionary(), before)

        kind = "single" if candidates[k].single else "pair" if candidates[k].pair else "clause"
        # the flags and the alignment parse both texts: measured when the decision first reads them, so that a claim
        # the concepts already tell from a translation stops there (a pair's; one sentence's also asks the alignment
        # whether the dictionaries attest its words)
        evidence = Evidence(score, float(similarity[k]), overlap, measure_flags, measure_alignment, kind, text, source)
        verdict, why = self.decide(evidence)
        if verdict == "unsupported":
            nearest = f"the nearest words in the other language ({source})"
            return best, (f"not a translation: {nearest} {why}",) if why else ()
        return chosen, evidence.flags

    def _multilingual(self, texts: list[str], role: str) -> np.ndarray:
        """Multilingual vectors (``role``: query or passage), kept for the tracer's life by text and role (an
        article's statements share the speaker's passages, and the flags embed the same words again and
        again), and in the store's embedding cache when there is one, for the next article."""
        fresh = sorted({t for t in texts if (role, t) not in self._multilingual_vectors})
        if fresh:
            model = multilingual_embedder
            vectors = (
                model()(fresh, role)
                if self.store is None
                else embed_cached(self.store, fresh, lambda t: model()(t, role), f"{MULTILINGUAL_MODEL_ID}:{role}")
            )
            self._multilingual_vectors.update({(role, t): v for t, v in zip(fresh, vectors, strict=True)})
        return np.stack([self._multilingual_vectors[(role, t)] for t in texts]) if texts else np.zeros((0, DIMENSIONS))

    def _concept_overlap(self, report: str, source: str) -> float:
        """The cosine of the two texts' latent terms (``MultilingualEmbedder.concepts``), kept by text."""
        fresh = [t for t in dict.fromkeys([report, source]) if t not in self._concept_vectors]
        if fresh:
            self._concept_vectors.update(zip(fresh, multilingual_embedder().concepts(fresh), strict=True))
        return float(self._concept_vectors[report] @ self._concept_vectors[source])

    def _paraphrase(self, content: str, found: list[Passage]) -> _Best:
        if not found:
            return _Best()
        pieces: list[tuple[int, Span]] = []
        stems: list[frozenset[str]] = []
        for n, passage in enumerate(found):
            spans, held = _piece_stems(passage.text)
            pieces += [(n, span) for span in spans]
            stems += held
        shared = {_stem(w) for w in words(content)} - _STOP
        overlaps = [len(shared & held) / max(1, len(shared)) for held in stems]
        keep = sorted(range(len(pieces)), key=lambda i: -overlaps[i])[:EMBEDDED]
        texts = {i: pieces[i][1].of(found[pieces[i][0]].text) for i in keep}
        vectors = self._sentence_vectors([content, *(texts[i] for i in keep)])
        similarity = vectors[1:] @ vectors[0]
        # meaning and shared words together: the small model underrates "we will not leave" vs
        # "Ruritania would not leave" because of the name
        combined = [
            PARAPHRASE_WEIGHT * float(similarity[k]) + (1 - PARAPHRASE_WEIGHT) * overlaps[i] for k, i in enumerate(keep)
        ]
        best = int(np.argmax(combined))
        n, span = pieces[keep[best]]
        if combined[best] >= PARAPHRASE:
            return _Best("paraphrase", combined[best], n, span, rank=VERDICTS.index("paraphrase"))
        return _Best(score=combined[best], passage=n, match=span)

    @staticmethod
    def _flags(passage: Passage | None, match: Span | None) -> tuple[str, ...]:
        if passage is None or match is None:
            return ()
        flags = []
        before = passage.text[: match.start]
        if before.count('"') % 2 == 1 or before.count("“") > before.count("”"):
            flags.append("the speaker was quoting someone else")
        elif re.search(
            r"\b(?:they|he|she|people|somebody|someone) (?:say|says|said|tell|told)\b[^.?!]*$", before, re.I
        ):
            flags.append("the speaker was reporting what others say")
        return tuple(flags)


# -- over the store ------------------------------------------------------------------------------
def trace_document(
    store: Store | None, document: Document, found: Sequence[Statement], against: Sequence[Document] = (),
    identities: dict[int, str] | None = None, acts: tuple[str, ...] | None = DEFAULT_ACTS,
) -> list[Trace]:  # fmt: skip
    """Trace an article's statements of ``acts`` (None: all) against ``against`` (primary documents),
    or else against the store's transcripts of the same speakers around the article's date."""
    found = [s for s in found if visible(s, acts)]
    if identities is None and store is not None:
        from onrecord.analyse.identities import linker_of

        linker = linker_of(store)
        identities = {s.index: linker.link(s.speaker).identity or s.speaker for s in found if s.speaker}
    identities = identities or {}
    index: Primaries
    if against:
        index = PrimaryIndex.from_documents(against)
    elif store is not None:
        index = StoredPassages(store, {identities.get(s.index) or s.speaker for s in found if s.speaker})
    else:
        index = PrimaryIndex([])
    return Tracer(index, store=store).trace(document, found, identities)


def trace_stored(
    store: Store, ref: str | int, acts: tuple[str, ...] | None = DEFAULT_ACTS, against: Sequence[Document] = ()
) -> tuple[Document, DocumentInfo, list[Trace]]:
    """Trace a stored article (by id, path, key or hash prefix, as :meth:`Store.document` takes it):
    its statements go by the identities linking gave them, so no linker is built for it (seconds
    over every speaker name of a large store)."""
    document, info, found = store.document(ref)
    linked = store.iter_statements(Query(document_id=info.id))
    identities = {r.statement.index: r.identity or r.statement.speaker for r in linked if r.statement.speaker}
    return document, info, trace_document(store, document, found, against, identities, acts)


# -- showing traces -------------------------------------------------------------------------------
TRACE_CSS = (
    ".trace{border-collapse:collapse;width:100%}.trace td{vertical-align:top;border-top:1px solid #ddd;padding:.5rem}"
    ".trace .v{font-variant:small-caps;font-weight:600;white-space:nowrap}.v-verbatim{color:#1a7f37}"
    ".v-trimmed{color:#3b6}.v-altered{color:#b35900}.v-paraphrase{color:#1b5fa6}.v-translated{color:#6a3fa0}"
    ".v-unsupported{color:#b3261e}"
    ".trace mark{background:#fff3b0}.trace del{background:#ffd6d6}.trace ins{background:#d6f5d6;text-decoration:none}"
    ".trace small{color:#666}"
)


def _lang_attribute(text: str | None) -> str:
    """``lang="ru"`` for a text in Russian (the page is English), so browsers and screen readers read
    it as Russian."""
    return ' lang="ru"' if text is not None and _cyrillic(text) else ""


def to_html(traces: Sequence[Trace]) -> str:
    """Side by side: what the article says, and where (and how faithfully) the speaker said it.
    Every piece of text is escaped."""
    from html import escape as e

    rows = [
        '<table class="trace"><thead><tr><th>verdict</th><th>the article</th><th>the source</th></tr></thead><tbody>'
    ]
    for t in traces:
        source = "<small>nothing close</small>"
        if t.passage is not None:
            text, match = t.passage.text, t.match or Span(0, len(t.passage.text))
            source = (
                f"{e(text[: match.start])}<mark>{e(text[match.start : match.end])}</mark>{e(text[match.end :])}"
                f"<br><small>{e(t.passage.speaker)}, {e(t.passage.date or 'undated')}, {e(t.passage.source)}</small>"
            )
            if t.passage.question:
                source += f"<br><small>answering: {e(t.passage.question[:200])}</small>"
        diff = " ".join(
            f"<del>{e(w)}</del>" if op == "-" else f"<ins>{e(w)}</ins>" if op == "+" else e(w) for op, w in t.diff
        )
        notes = "".join(f"<br><small>{flag_mark(f)} {e(f)}</small>" for f in t.flags)
        rows.append(
            f'<tr><td class="v v-{t.verdict}">{t.verdict}<br><small>{e(t.score_text())}</small></td>'
            f"<td{_lang_attribute(t.statement.content)}>{e(t.speaker or '')}: {e(t.statement.content)}"
            f"{'<br><small>diff: ' + diff + '</small>' if diff else ''}{notes}"
            f"<br><small>searched: {e(t.searched)}</small></td>"
            f"<td{_lang_attribute(t.passage.text if t.passage else None)}>{source}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "\n".join(rows)
