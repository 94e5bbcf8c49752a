"""Plain data that crosses the layers: documents, spans, statements. No I/O here.

Everything that points into a document is a :class:`Span` of character offsets
(Python ``str`` indices) into :attr:`Document.text`, so any statement can be shown
highlighted in its source.
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Literal, TypeVar

Kind = Literal["direct", "indirect", "mixed", "implicit", "turn", "author"]
KINDS: tuple[str, ...] = ("direct", "indirect", "mixed", "implicit", "turn", "author")

# What a statement's cue reports: speech (said, told, wrote, according to, any quotation), a belief
# or wish (believes, hopes, wants, fears), an intention (plans, decided, aims), or what a thing shows
# (a poll, a report, data, a chart). Everything is stored; users see ``say`` unless they widen it.
Act = Literal["say", "think", "intend", "show"]
ACTS: tuple[str, ...] = ("say", "think", "intend", "show")
DEFAULT_ACTS: tuple[str, ...] = ("say",)


def parse_acts(value: str | None) -> tuple[str, ...] | None:
    """A user's acts filter (``say``, ``say,think``, ``all``) as a tuple of acts, or None for all of
    them; an empty value means the default (``say``). Raises ValueError naming the unknown act."""
    if value is None or not value.strip():
        return DEFAULT_ACTS
    wanted = [a.strip().lower() for a in value.split(",") if a.strip()]
    if "all" in wanted:
        return None
    unknown = [a for a in wanted if a not in ACTS]
    if unknown:
        raise ValueError(f"unknown act {unknown[0]!r}; choose from {', '.join(ACTS)} or all (comma-separated)")
    chosen = tuple(a for a in ACTS if a in wanted)  # canonical order: one cache key per filter
    return None if len(chosen) == len(ACTS) else chosen


def visible(statement: Statement, acts: Collection[str] | None) -> bool:
    """Whether ``statement`` shows under the acts filter ``acts`` (None: every act). The writer's own
    voice (kind ``author``) always shows: keeping it apart from what others said is part of the record."""
    return acts is None or statement.kind == "author" or statement.act in acts


_Class = TypeVar("_Class", bound=type)


def _pickled_by_fields(cls: _Class) -> _Class:
    """Pickle instances of ``cls`` (a frozen dataclass) as the class called with its field values.
    Documents and statements cross between worker processes (issue 17); dataclasses' own pickling of
    slotted classes looks the fields up again for every object, which cost twice as much."""
    names = tuple(cls.__dataclass_fields__)  # type: ignore[attr-defined]
    if len(names) < 2 or not all(f.init for f in cls.__dataclass_fields__.values()):  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__}: only a dataclass of two or more fields, all given to __init__")
    values = operator.attrgetter(*names)

    def __reduce__(self: object) -> tuple[type, tuple[object, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[assignment, method-assign]
    return cls


@_pickled_by_fields
@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character range ``[start, end)`` into a document's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        """The text this span covers."""
        return text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def as_list(self) -> list[int]:
        return [self.start, self.end]


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Turn:
    """One speaking turn of a transcript: ``LABEL: content``."""

    label: str  # as written: "DONALD TRUMP", "Q"
    label_span: Span
    content_span: Span
    speaker: str | None  # the name the label stands for, or None when unknown


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Document:
    """One text and what is known about it. ``text`` is what every span points into."""

    text: str
    source: str  # where it was read from: the path as given, with "#N" for records of a file
    format: str  # text | markdown | html | jsonl | feed | transcript
    title: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) when known
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    genre: str | None = None
    key: str | None = None  # the document's own id, when its source gives one
    turns: tuple[Turn, ...] = ()
    meta: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    lang: str | None = None  # "en", "ru": told on ingest from its script, or given (``--lang``); issue 15

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text: what makes re-ingesting the same document a no-op."""
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def is_transcript(self) -> bool:
        return bool(self.turns)

    def record(self) -> dict[str, object]:
        """The document as one flat row (``meta`` as JSON text): what the store and Parquet keep."""
        return {
            "content_hash": self.content_hash,
            "source": self.source,
            "key": self.key,
            "format": self.format,
            "title": self.title,
            "date": self.date,
            "outlet": self.outlet,
            "author": self.author,
            "url": self.url,
            "genre": self.genre,
            "lang": self.lang,
            "meta": json.dumps(self.meta, default=str),
            "text": self.text,
        }


# marks that set a frame off inside its content: "The talks, the envoy said, have stalled"
_FRAME_MARKS = (",", "—", "–")


def _trimmed(text: str, start: int, end: int) -> Span | None:
    """``[start, end)`` without edge spaces and punctuation; None when nothing is left."""
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return Span(start, end) if end > start else None


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Statement:
    """Something attributed to a speaker, with every part located in the document text."""

    index: int  # 0-based position in its document
    kind: Kind
    content: str
    content_span: Span
    speaker: str | None = None  # resolved name ("Anna Petrova"), None when unknown
    speaker_mention: str | None = None  # as written ("she", "the minister")
    speaker_span: Span | None = None
    cue: str | None = None  # "warned", "according to"; None when there is none
    cue_span: Span | None = None
    nested_in: int | None = None  # index of the statement this one is reported inside
    quotes: tuple[Span, ...] = ()  # verbatim quoted spans inside the content
    confidence: float = 1.0
    act: Act = "say"  # what the cue reports (see ``ACTS``); last, so positional construction holds

    def content_parts(self, text: str) -> tuple[Span, ...]:
        """What the statement reports, as parts of ``text``: its content without a frame set off
        inside it (``By 2030, Petrova said on Friday, Valdor will …``: the part before the comma or
        dash that opens the frame and the part after the one that closes it), else its content
        span whole; a quotation split by its frame (``"A," she said, "B."``) is its quoted words.
        ``text`` is the text the spans point into."""
        content = self.content_span
        if self.kind == "direct" and len(self.quotes) > 1:
            return self.quotes
        ends = [sp for sp in (self.speaker_span, self.cue_span) if sp is not None]
        if not ends or not all(content.start < sp.start and sp.end < content.end for sp in ends):
            return (content,)
        frame = Span(min(sp.start for sp in ends), max(sp.end for sp in ends))
        opens = max(text.rfind(mark, content.start, frame.start) for mark in _FRAME_MARKS)
        closes = [at for at in (text.find(mark, frame.end, content.end) for mark in _FRAME_MARKS) if at >= 0]
        if opens < 0 or not closes:
            return (content,)
        parts = (_trimmed(text, content.start, opens), _trimmed(text, min(closes) + 1, content.end))
        return tuple(part for part in parts if part is not None) or (content,)

    def reported_text(self, text: str) -> str:
        """The words :meth:`content_parts` covers, joined by a space: the content without its frame."""
        return " ".join(part.of(text) for part in self.content_parts(text))

    def to_dict(self) -> dict[str, object]:
        """The statement contract as plain JSON-ready data."""
        return {
            "index": self.index,
            "speaker": self.speaker,
            "speaker_mention": self.speaker_mention,
            "speaker_span": self.speaker_span.as_list() if self.speaker_span else None,
            "cue": self.cue,
            "cue_span": self.cue_span.as_list() if self.cue_span else None,
            "content": self.content,
            "content_span": self.content_span.as_list(),
            "kind": self.kind,
            "act": self.act,
            "nested_in": self.nested_in,
            "quotes": [q.as_list() for q in self.quotes],
            "confidence": round(self.confidence, 3),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Statement:
        def span(value: object) -> Span | None:
            return Span(int(value[0]), int(value[1])) if value else None  # type: ignore[index]

        return cls(
            index=int(data["index"]),  # type: ignore[arg-type]
            kind=data["kind"],  # type: ignore[arg-type]
            content=str(data["content"]),
            content_span=span(data["content_span"]),  # type: ignore[arg-type]
            speaker=data.get("speaker"),  # type: ignore[arg-type]
            speaker_mention=data.get("speaker_mention"),  # type: ignore[arg-type]
            speaker_span=span(data.get("speaker_span")),
            cue=data.get("cue"),  # type: ignore[arg-type]
            cue_span=span(data.get("cue_span")),
            nested_in=data.get("nested_in"),  # type: ignore[arg-type]
            quotes=tuple(span(q) for q in data.get("quotes") or ()),  # type: ignore[misc, union-attr]
            confidence=float(data.get("confidence", 1.0)),  # type: ignore[arg-type]
            act=data.get("act") or "say",  # type: ignore[arg-type]  # records from before acts are speech
        )


@dataclass(frozen=True, slots=True)
class Entity:
    """A named mention the extractor saw, handed to speaker resolution as plain data."""

    text: str
    span: Span
    label: str  # PERSON | ORG | GPE | NORP, or PROPN for a proper noun the recogniser left untyped
    normal: str | None = None  # its nominative form, where the language inflects names ("Лаврова" -> "Лавров")


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the extractor found in one document, before speakers are resolved."""

    statements: tuple[Statement, ...]
    entities: tuple[Entity, ...] = ()
    # appositive and title links: (descriptor span, name span), e.g. "the foreign minister" -> "Anna Petrova"
    aliases: tuple[tuple[Span, Span], ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A stored document's metadata, without its text."""

    id: int
    source: str
    format: str
    title: str | None
    date: str | None
    outlet: str | None
    author: str | None
    url: str | None
    genre: str | None
    key: str | None
    content_hash: str
    lang: str | None = None
    statements: int = 0


@dataclass(frozen=True, slots=True)
class SpeakerInfo:
    """A speaker identity in the store: how often they are reported, the names documents give
    them (``variants``), and the mentions that named them."""

    name: str
    statements: int
    documents: int
    mentions: tuple[tuple[str, int], ...] = ()  # as written ("she", "the minister"), most frequent first
    variants: tuple[str, ...] = ()  # document-level names linked to this identity ("Petrova", "Sergey Lavrov")
    kind: str = "person"
    roles: tuple[Role, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind,
            "statements": self.statements,
            "documents": self.documents,
            "variants": list(self.variants),
            "roles": [r.to_dict() for r in self.roles],
            "mentions": [{"mention": m, "count": n} for m, n in self.mentions],
        }


@dataclass(frozen=True, slots=True)
class Role:
    """An office held from ``start`` to ``end`` (ISO dates, open when None): ``foreign minister`` of ``Russia``."""

    office: str
    of: str | None = None
    start: str | None = None
    end: str | None = None

    def held_on(self, date: str | None) -> bool:
        if date is None:
            return True
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)

    def to_dict(self) -> dict[str, object]:
        return {"office": self.office, "of": self.of, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Identity:
    """A registry entry: one person, organisation or state, however documents spell it."""

    name: str
    kind: Literal["person", "organisation", "state"] = "person"
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True, slots=True)
class Registry:
    """Who is who: identities, and office names with their variants (``top diplomat`` -> ``foreign minister``)."""

    identities: tuple[Identity, ...] = ()
    offices: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __add__(self, other: Registry) -> Registry:
        """Later entries win: an identity of the same name replaces the earlier one."""
        merged = {i.name: i for i in self.identities} | {i.name: i for i in other.identities}
        offices = dict(self.offices)
        for office, variants in other.offices.items():
            offices[office] = tuple(dict.fromkeys(offices.get(office, ()) + variants))
        return Registry(tuple(merged.values()), offices)


@dataclass(frozen=True, slots=True)
class Link:
    """What a document-level speaker name (or a role mention on a date) refers to across the corpus."""

    identity: str | None
    how: str  # registry | role | variant | surname | state | name | ambiguous | unknown
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredStatement:
    """A statement as kept in the store, with the document it came from."""

    id: int
    document: DocumentInfo
    statement: Statement
    identity: str | None = None  # the speaker across documents (see ``onrecord speakers``)
    topics: tuple[tuple[str, float], ...] = ()  # (topic, score), best first

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "document_id": self.document.id,
            "source": self.document.source,
            "date": self.document.date,
            "outlet": self.document.outlet,
            "title": self.document.title,
            "lang": self.document.lang,
            **self.statement.to_dict(),
            "identity": self.identity,
            "topics": [{"topic": t, "score": round(score, 3)} for t, score in self.topics],
        }


@dataclass(frozen=True, slots=True)
class Passage:
    """A stretch of a speaker's own words in a primary document: a transcript turn, cut to paragraph
    size (``text.chunks``). The store keeps them for the turns it stores; trace compares them."""

    source: str
    speaker: str
    span: Span  # into the primary document's text
    text: str
    date: str | None = None
    document_id: int | None = None
    question: str | None = None  # what the speaker was answering, when the turn follows another's


# -- watching sources: what the store keeps about fetches, sources and alerts -----------------------
@dataclass(frozen=True, slots=True)
class FetchRecord:
    """The last fetch of a URL: its validators for a conditional request, and what it stored."""

    url: str
    status: int
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    document_id: int | None = None
    fetched_at: str | None = None


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """A watched source and how its last poll went (``error`` None: it went well)."""

    url: str
    kind: str  # feed | page
    polled_at: str | None = None
    ok_at: str | None = None
    error: str | None = None
    error_at: str | None = None
    failures: int = 0  # failed polls in a row
    documents: int = 0  # added from it, all told
    pending: int = 0  # items listed but not yet fetched


@dataclass(frozen=True, slots=True)
class WatchItem:
    """An item a feed listed: recorded before it is fetched, so a killed watch loses none."""

    source: str
    item: str
    link: str | None
    state: str  # pending | done | failed
    attempts: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """What an alert rests on: a statement (or passage) in a stored document."""

    label: str  # "said", "before", "source", "transcript"
    text: str
    document_id: int | None = None
    statement_index: int | None = None
    date: str | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    """Something a watch found worth telling: a new statement by a followed speaker, a shift, or
    a quotation the speaker's own words do not support. ``key`` makes raising it twice a no-op."""

    key: str
    kind: str  # statement | shift | trace
    title: str
    summary: str
    speaker: str | None = None
    date: str | None = None
    statement_id: int | None = None
    document_id: int | None = None
    statement_index: int | None = None
    evidence: tuple[Evidence, ...] = ()
    id: int | None = None
    created_at: str | None = None
    webhook_state: str = "none"

    @property
    def path(self) -> str:
        """Where the statement is shown in the web UI (relative to the site's root)."""
        if self.document_id is None:
            return "/alerts"
        anchor = f"#s{self.statement_index}" if self.statement_index is not None else ""
        return f"/documents/{self.document_id}{anchor}"

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "key": self.key,
            "kind": self.kind,
            "title": self.title,
            "summary": self.summary,
            "speaker": self.speaker,
            "date": self.date,
            "created_at": self.created_at,
            "statement_id": self.statement_id,
            "document_id": self.document_id,
            "path": self.path,
            "evidence": [
                {
                    **asdict(e),
                    "path": f"/documents/{e.document_id}"
                    + (f"#s{e.statement_index}" if e.statement_index is not None else "")
                    if e.document_id is not None
                    else None,
                }
                for e in self.evidence
            ],
        }


@dataclass(frozen=True, slots=True)
class SubjectState:
    """What the store keeps of a subject to place new statements in it (see ``analyse.subjects``):
    ``id`` None for a subject not stored yet; ``centroid`` the mean of its statements' unit vectors
    (float32 bytes) over ``size`` statements; ``phrases`` the phrases its statements share, with counts."""

    id: int | None
    speaker: str
    name: str
    centroid: bytes
    size: int
    phrases: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class SubjectInfo:
    """A subject of one speaker as listed: its name, how many of the speaker's statements are on it,
    when it first and last came up, and the topics those statements fall under (with counts)."""

    id: int
    speaker: str
    name: str
    statements: int
    first: str | None
    last: str | None
    topics: tuple[tuple[str, int], ...] = ()
    phrases: tuple[str, ...] = ()  # its most frequent phrases, the name first

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "speaker": self.speaker,
            "name": self.name,
            "statements": self.statements,
            "first": self.first,
            "last": self.last,
            "topics": [{"topic": t, "statements": n} for t, n in self.topics],
            "phrases": list(self.phrases),
        }
