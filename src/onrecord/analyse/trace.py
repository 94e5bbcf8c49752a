"""Provenance: trace what an article attributes to someone back to their own words.

For each statement an article attributes to a speaker, find the best supporting passage in that
speaker's primary sources (transcript turns, their direct quotes) and say how faithfully it was
reported:

- ``verbatim``: the quoted words occur as they are (quote style, case, punctuation and whitespace aside);
- ``trimmed``: the quoted words occur in order, with omissions (an ellipsis, a dropped clause);
- ``altered``: mostly the same words, some changed, added or dropped (a word diff shows which);
- ``paraphrase``: reported speech whose meaning matches a passage (embeddings and shared words);
- ``translated``: the words match a passage in another language (multilingual embeddings), with
  what the translation changed flagged: numbers, negation, names, clauses added or dropped (issue 15;
  ``analyse/translation.py``);
- ``unsupported``: nothing close in what was searched (which is said).

The search: an inverted index over the primary passages' words picks candidates, rapidfuzz aligns
the quote in each, word-level comparison decides; embeddings only for what the words don't settle.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from rapidfuzz import fuzz

from onrecord.analyse.embed import DIMENSIONS, Embed, embedder, multilingual_embedder
from onrecord.analyse.sentences import WORD, normal, sentences, sentences_any, words
from onrecord.analyse.translation import TRANSLATED, Candidate, clauses, margin_score
from onrecord.analyse.translation import cyrillic as _cyrillic
from onrecord.analyse.translation import flags as _translation_flags
from onrecord.model import DEFAULT_ACTS, Document, Span, Statement, StoredStatement, visible
from onrecord.resolve.identity import name_key
from onrecord.resolve.names import same_person
from onrecord.store import Query, Store

VERDICTS = ("verbatim", "trimmed", "altered", "paraphrase", "translated", "unsupported")
CANDIDATES = 25  # passages aligned per statement, best by shared rare words
ALTERED = 0.60  # word-sequence similarity from which a quote is "altered" rather than unrelated
PARAPHRASE = 0.50  # combined similarity (meaning and shared words) from which reported speech matches
PARAPHRASE_WEIGHT = 0.6  # the share of meaning (embeddings) in that combination
CHUNK_CHARS = 700  # passages are cut to about this length at sentence ends
EMBEDDED = 40  # sentences embedded per statement, best by shared words
WINDOW_DAYS = 365  # primary sources dated this long before the article (and one day after)

_ELLIPSIS = re.compile(r"\.\s?\.\s?\.|…|\[\s*\.\.\.\s*\]")
_STOP = frozenset({
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "that",
    "this", "these", "those", "it", "its", "is", "are", "was", "were", "be", "been", "being", "i", "you", "he",
    "she", "we", "they", "me", "him", "her", "us", "them", "my", "your", "his", "our", "their", "not", "no",
    "so", "as", "if", "then", "than", "there", "here", "do", "does", "did", "have", "has", "had", "will",
    "would", "can", "could", "should", "just", "very", "really", "going", "get", "got", "know", "think",
    "said", "say",
})  # fmt: skip


def _stem(word: str) -> str:
    """A crude stem for counting shared words: leaving/leave, talks/talk."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of a speaker's own words in a primary document."""

    source: str
    speaker: str
    span: Span  # into the primary document's text
    text: str
    date: str | None = None
    document_id: int | None = None
    question: str | None = None  # what the speaker was answering, when the turn follows another's


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
            "passage": passage,
            "diff": [list(d) for d in self.diff],
            "flags": list(self.flags),
            "searched": self.searched,
        }


class PrimaryIndex:
    """Primary passages, with an inverted index over their words."""

    def __init__(self, passages: Iterable[Passage]) -> None:
        self.passages = list(passages)
        self.words = [words(p.text) for p in self.passages]
        self.joined = [" ".join(w) for w in self.words]
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)  # word -> (passage, count)
        for n, found in enumerate(self.words):
            for word, count in Counter(w for w in found if w not in _STOP).items():
                self.postings[word].append((n, count))
        self.average = sum(map(len, self.words)) / max(1, len(self.words))
        self.idf = {w: math.log(1 + len(self.passages) / len(ids)) for w, ids in self.postings.items()}

    @classmethod
    def from_documents(cls, documents: Iterable[Document]) -> PrimaryIndex:
        """Each speaker's turns in transcripts (turns without a known speaker are left out)."""
        return cls(p for document in documents for p in passages_of(document))

    def __len__(self) -> int:
        return len(self.passages)

    def candidates(self, text: str, speaker: str | None, around: str | None, k: int = CANDIDATES) -> list[int]:
        """Passages by this speaker, in the date window, most like ``text``: ranked by BM25 over
        their words, then the best of those re-ranked by fuzzy alignment of the whole text."""
        scores: Counter[int] = Counter()
        for word in set(words(text)) - _STOP:
            for n, count in self.postings.get(word, ()):
                length = len(self.words[n]) / self.average
                scores[n] += self.idf[word] * count * 2.2 / (count + 1.2 * (0.25 + 0.75 * length))
        fits = self._filter(speaker, around)
        allowed = [n for n, _ in scores.most_common() if fits(self.passages[n])]
        probe = " ".join(words(text))
        shortlist = allowed[: 4 * k]
        aligned = sorted(shortlist, key=lambda n: -fuzz.partial_ratio(probe, self.joined[n]))
        return aligned[:k]

    @staticmethod
    def _filter(speaker: str | None, around: str | None) -> Callable[[Passage], bool]:
        """Whether a passage is by ``speaker`` and in the window around ``around``; the window and
        each passage speaker's comparison are worked out once, not per passage."""
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

    def speakers_passages(self, speaker: str | None, around: str | None) -> int:
        fits = self._filter(speaker, around)
        return sum(map(fits, self.passages))


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


def chunks(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Paragraph-sized pieces of a long text, cut at sentence ends: what a candidate search compares."""
    pieces: list[tuple[int, int]] = []
    start = end = None
    for a, b in sentences(text):
        if start is None:
            start = a
        elif b - start > size:
            pieces.append((start, end))  # type: ignore[arg-type]
            start = a
        end = b
    if start is not None:
        pieces.append((start, end))  # type: ignore[arg-type]
    return pieces


# -- classifying one statement ------------------------------------------------------------------
def _quoted_parts(statement: Statement, text: str) -> list[str]:
    """The quoted words of a statement, its marks stripped; empty for reported speech."""
    parts = []
    for quote in statement.quotes:
        inner = quote.of(text).strip().strip("\"“”'‘’").strip()
        if len(words(inner)) >= 3:
            parts.append(inner)
    return parts


def _is_subsequence(needle: list[str], hay: list[str]) -> tuple[bool, int]:
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


def _window(passage_words: list[str], quote_words: list[str]) -> tuple[int, int, float]:
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


def _sentence_ends(text: str) -> list[int]:
    """Indices (in :func:`words`) of the words that end a sentence."""
    plain = normal(text)
    return [n for n, m in enumerate(WORD.finditer(plain)) if re.match(r"[\"”']?[.!?]", plain[m.end() : m.end() + 2])]


def _char_span(text: str, first: int, end: int) -> Span:
    spans = [m.span() for m in WORD.finditer(normal(text))]
    if not spans or first >= len(spans):
        return Span(0, len(text))
    return Span(spans[first][0], spans[min(end, len(spans)) - 1][1])


def _diff(report: list[str], source: list[str]) -> tuple[tuple[str, str], ...]:
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


def _pieces(parts: list[str]) -> list[list[str]]:
    """The words of quoted parts, cut at ellipses: what a quote says in each unbroken stretch."""
    return [found for part in parts for p in _ELLIPSIS.split(part) if (found := words(p))]


def _quote_verdict(pieces: list[list[str]], source: list[str], passage_text: str) -> _Best:
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
    """Traces articles' statements against a :class:`PrimaryIndex`."""

    def __init__(self, index: PrimaryIndex, embed: Embed | None = None) -> None:
        self.index = index
        self._embed = embed
        self._multilingual_vectors: dict[tuple[str, str], np.ndarray] = {}  # multilingual, by (role, text) (issue 15)

    @property
    def embed(self) -> Embed:
        if self._embed is None:
            self._embed = embedder()
        return self._embed

    def trace(
        self, document: Document, found: Sequence[Statement], speakers: dict[int, str] | None = None
    ) -> list[Trace]:
        """A trace for each attributed statement of ``document`` (not the writer's own voice, not turns).
        ``speakers`` maps statement index -> identity, when known (else the statement's speaker)."""
        speakers = speakers or {}
        return [
            self.trace_one(document, s, speakers.get(s.index) or s.speaker)
            for s in found
            if s.kind not in {"author", "turn"} and (s.speaker or speakers.get(s.index))
        ]

    def trace_one(self, document: Document, statement: Statement, speaker: str | None) -> Trace:
        parts = _quoted_parts(statement, document.text)
        probe = " ".join(parts) or statement.content
        ids = self.index.candidates(probe, speaker, document.date)
        pool = self.index.speakers_passages(speaker, document.date)
        window = f" dated up to {WINDOW_DAYS} days before {document.date}" if document.date else ""
        searched = f"{pool} passages by {speaker}{window}; {len(ids)} shared enough words to compare"
        best = _Best()
        pieces = _pieces(parts)
        for n in ids if parts else ():
            verdict = _quote_verdict(pieces, self.index.words[n], self.index.passages[n].text)
            if (verdict.rank, -verdict.score) < (best.rank, -best.score):
                verdict.passage = n
                best = verdict
        if best.verdict == "unsupported" and parts:
            # a partial quote changed inside reported speech: 'that the inspectors "can come next month"'
            # shows its change only with the reported words around it
            around = _pieces([re.sub(r"^(?:that|whether|if)\s+", "", statement.content)])
            for n in ids:
                verdict = _quote_verdict(around, self.index.words[n], self.index.passages[n].text)
                if verdict.rank in (1, 2) and (verdict.rank, -verdict.score) < (best.rank, -best.score):
                    verdict.passage, verdict.verdict, verdict.rank = n, "altered", 2
                    best = verdict
        if best.verdict == "unsupported":
            best = self._paraphrase(statement.content if not parts else " ".join(parts), ids)
        flags: tuple[str, ...] = ()
        if best.verdict == "unsupported":  # the speaker's own words may be in another language
            # the report's own words whole, a partial quote with the reported words around it
            words_of = statement.content if len(" ".join(parts)) < 0.8 * len(statement.content) else " ".join(parts)
            best, flags = self._translation(words_of or statement.content, speaker, document.date, best)
        passage = self.index.passages[best.passage] if best.passage is not None else None
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
        )

    def _translation(
        self, text: str, speaker: str | None, around: str | None, best: _Best
    ) -> tuple[_Best, tuple[str, ...]]:
        """The sentence, pair or clause most like ``text`` among this speaker's passages in the other script, by
        multilingual embeddings and its margin over the speaker's other sentences (``analyse/translation.py``):
        ``translated`` from :data:`TRANSLATED`, with what changed flagged."""
        fits = self.index._filter(speaker, around)
        other = [n for n, p in enumerate(self.index.passages) if fits(p) and _cyrillic(p.text) != _cyrillic(text)]
        if not other or not text.strip():
            return best, ()
        pieces: list[tuple[int, Span]] = []
        candidates: list[Candidate] = []
        text_of = {n: self.index.passages[n].text for n in other}
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
        texts = [span.of(self.index.passages[n].text) for n, span in pieces]
        similarity = self._multilingual(texts, "passage") @ query
        k, score = margin_score(similarity, candidates)
        if score < TRANSLATED:
            return best, ()
        n, span = pieces[k]
        found = _Best("translated", float(similarity[k]), n, span, rank=VERDICTS.index("translated"))
        # flags against the whole sentence a matched clause stands in, so that what the report left out shows
        sentence = next(((a, b) for a, b in sentences_any(text_of[n]) if a <= span.start and span.end <= b), None)
        source = text_of[n][sentence[0] : sentence[1]] if sentence and not candidates[k].single else texts[k]
        if source != texts[k] and len(source) > len(texts[k]):
            whole = float(self._multilingual([source], "passage")[0] @ query)
        else:
            source, whole = texts[k], float(similarity[k])
        flags = _translation_flags(text, source, lambda ws: self._multilingual(ws, "query"), self._multilingual, whole)
        return found, flags

    def _multilingual(self, texts: list[str], role: str) -> np.ndarray:
        """Multilingual vectors, kept for the tracer's life by text and role: an article's statements
        share the speaker's passages, and the flags embed the same words again and again."""
        fresh = sorted({t for t in texts if (role, t) not in self._multilingual_vectors})
        if fresh:
            vectors = multilingual_embedder()(fresh, role)
            self._multilingual_vectors.update({(role, t): v for t, v in zip(fresh, vectors, strict=True)})
        return np.stack([self._multilingual_vectors[(role, t)] for t in texts]) if texts else np.zeros((0, DIMENSIONS))

    def _paraphrase(self, content: str, ids: list[int]) -> _Best:
        if not ids:
            return _Best()
        pieces = []
        for n in ids:
            text = self.index.passages[n].text
            spans = sentences(text)
            # single sentences and pairs: a report often condenses two
            pieces += [(n, Span(a, b)) for a, b in spans]
            pieces += [(n, Span(spans[i][0], spans[i + 1][1])) for i in range(len(spans) - 1)]
        shared = {_stem(w) for w in words(content)} - _STOP
        texts = [span.of(self.index.passages[n].text) for n, span in pieces]
        overlaps = [len(shared & {_stem(w) for w in words(t)}) / max(1, len(shared)) for t in texts]
        keep = sorted(range(len(texts)), key=lambda i: -overlaps[i])[:EMBEDDED]
        vectors = self.embed([content, *(texts[i] for i in keep)])
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
def index_from_store(store: Store, speakers: Iterable[str], around: str | None) -> PrimaryIndex:
    """The transcript turns of these speakers (identities) in the store, in the date window, each
    with the turn before it (the question it answers). Two queries, whatever the number of turns."""
    since, until = window(around) or (None, None)
    wanted = set(speakers)
    by_document: dict[int, list[StoredStatement]] = defaultdict(list)
    for record in store.iter_statements(Query(kind="turn", since=since, until=until)):
        by_document[record.document.id].append(record)
    passages = []
    for turns in by_document.values():
        for n, record in enumerate(turns):
            if record.identity not in wanted:
                continue
            statement, info = record.statement, record.document
            before = turns[n - 1] if n else None
            question = before.statement.content if before and before.identity != record.identity else None
            passages += _passages(
                info.source, record.identity, statement.content_span.start, statement.content, info.date, info.id,
                question,
            )  # fmt: skip
    return PrimaryIndex(passages)


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
    if against:
        index = PrimaryIndex.from_documents(against)
    elif store is not None:
        index = index_from_store(
            store, {identities.get(s.index) or s.speaker for s in found if s.speaker}, document.date
        )
    else:
        index = PrimaryIndex([])
    return Tracer(index).trace(document, found, identities)


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
        notes = "".join(f"<br><small>⚑ {e(f)}</small>" for f in t.flags)
        rows.append(
            f'<tr><td class="v v-{t.verdict}">{t.verdict}<br><small>{t.score:.2f}</small></td>'
            f"<td{_lang_attribute(t.statement.content)}>{e(t.speaker or '')}: {e(t.statement.content)}"
            f"{'<br><small>diff: ' + diff + '</small>' if diff else ''}{notes}"
            f"<br><small>searched: {e(t.searched)}</small></td>"
            f"<td{_lang_attribute(t.passage.text if t.passage else None)}>{source}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "\n".join(rows)
