"""What is worth an alert: the analysis a watch runs over the documents a round added.

Sits in analyse (reads the store; delivery is the shells' business). Three kinds, each keyed so
raising it twice is a no-op:

- ``statement``: a new statement by a followed speaker, or on a followed topic or subject;
- ``shift``: a new statement that reverses, newly claims or drops a followed speaker's line
  (:mod:`.shifts`), with the dated earlier statements it departs from as evidence;
- ``trace``: a quotation or report in a new article that the speaker's own words (transcripts in
  the store) show ``altered``, or ``unsupported`` when there were transcripts to search (:mod:`.trace`).

A syndicated copy (:mod:`.syndication`) raises nothing: its story did already.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from onrecord.analyse import shifts as position_shifts
from onrecord.analyse import trace as tracing
from onrecord.model import DEFAULT_ACTS, Alert, Evidence, StoredStatement
from onrecord.store import Query, Store

KINDS = ("statement", "shift", "trace")
_COMPARED = re.compile(r"(\d+) shared enough words to compare")
VERSION = "onrecord.alerts.v1"
SHIFT_WINDOW = 400  # a new statement is compared with the speaker's latest statements, as the speaker page does


@dataclass(frozen=True, slots=True)
class Follow:
    """Whom and what to follow, and which kinds of alert to raise. Names match a speaker's identity
    (or the name a document gives) without regard to case; subjects are words or phrases found in
    what was said; topics are taxonomy topics. Nothing followed means every attributed statement."""

    speakers: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    on: frozenset[str] = field(default_factory=lambda: frozenset(KINDS))

    def matches(self, record: StoredStatement) -> bool:
        s = record.statement
        if s.kind == "author" or not (record.identity or s.speaker):
            return False
        if not (self.speakers or self.subjects or self.topics):
            return True
        return (
            self.speaker_of(record) is not None
            or any(t in self.topics for t, _ in record.topics)
            or any(word.lower() in s.content.lower() for word in self.subjects)
        )

    def speaker_of(self, record: StoredStatement) -> str | None:
        """The followed speaker ``record`` is by, as the watchlist names them, or None."""
        names = {n.lower() for n in (record.identity, record.statement.speaker) if n}
        return next((f for f in self.speakers if f.lower() in names), None)


def find_alerts(
    store: Store, document_ids: Iterable[int], follow: Follow, acts: tuple[str, ...] | None = DEFAULT_ACTS
) -> list[Alert]:
    """The alerts the documents ``document_ids`` (just stored) raise under ``follow``, in document order."""
    found: list[Alert] = []
    for doc_id in sorted(set(document_ids)):
        if store.story_of(doc_id) != doc_id:
            continue  # a syndicated copy: its story raised what there was to raise
        records = [r for r in store.statements(Query(document_id=doc_id, acts=acts)) if follow.matches(r)]
        if not records:
            continue
        if "statement" in follow.on:
            found += [_statement_alert(r) for r in records]
        if "shift" in follow.on:
            found += _shift_alerts(store, records, follow, acts)
        if "trace" in follow.on:
            found += _trace_alerts(store, doc_id, records, acts)
    return found


def _who(record: StoredStatement) -> str:
    return record.identity or record.statement.speaker or "someone"


def _short(text: str, width: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _said(record: StoredStatement, label: str = "said") -> Evidence:
    return Evidence(
        label,
        record.statement.content,
        record.document.id,
        record.statement.index,
        record.document.date,
        record.document.outlet,
    )


def _base(record: StoredStatement) -> dict[str, object]:
    return {
        "speaker": _who(record),
        "date": record.document.date,
        "statement_id": record.id,
        "document_id": record.document.id,
        "statement_index": record.statement.index,
    }


def _statement_alert(record: StoredStatement) -> Alert:
    s, doc = record.statement, record.document
    where = ", ".join(x for x in (doc.outlet, doc.date) if x) or doc.source
    return Alert(
        key=f"statement:{record.id}",
        kind="statement",
        title=f"{_who(record)}: {_short(s.content)}",
        summary=f"{_who(record)} ({s.kind}, {s.cue or 'no cue'}) in {where}: {s.content}",
        evidence=(_said(record),),
        **_base(record),  # type: ignore[arg-type]
    )


def _shift_alerts(
    store: Store, records: Sequence[StoredStatement], follow: Follow, acts: tuple[str, ...] | None
) -> list[Alert]:
    found: list[Alert] = []
    by_speaker: dict[str, list[StoredStatement]] = {}
    for r in records:
        if follow.speaker_of(r) is not None and r.identity:
            by_speaker.setdefault(r.identity, []).append(r)
    for identity, new in by_speaker.items():
        new_ids = {r.id: r for r in new}
        everything = {r.id: r for r in store.statements(Query(identity=identity, acts=acts))}
        told: set[tuple[int, str, tuple[int, ...]]] = set()
        shifts = position_shifts.speaker_shifts(store, identity, acts=acts, latest=SHIFT_WINDOW)
        for shift in sorted(shifts, key=lambda s: -s.score):
            record = new_ids.get(shift.statement.id)
            if record is None:
                continue
            # one change of position in one document is one alert: its headline and its body
            # departing from the same earlier statements tell the same news twice
            same = (record.document.id, shift.kind, tuple(sorted(e.id for e in shift.evidence)))
            if same in told:
                continue
            told.add(same)
            evidence = [_said(record)] + [
                _said(everything[e.id], "before") if e.id in everything else Evidence("before", e.text, date=e.date)
                for e in shift.evidence
            ]
            found.append(
                Alert(
                    key=f"shift:{shift.kind}:{record.id}",
                    kind="shift",
                    title=f"{identity}: {shift.kind}{f' on {shift.topic}' if shift.topic else ''}",
                    summary=f"{shift.why}. Now: {_short(shift.statement.text, 300)}",
                    evidence=tuple(evidence),
                    **_base(record),  # type: ignore[arg-type]
                )
            )
    return found


def _compared(searched: str) -> bool:
    """Whether a trace compared the statement with any of the speaker's own words. ``unsupported``
    alone says nothing when none were close enough to compare (most new statements were never
    transcribed); it is worth an alert when their words on the matter were there and differ."""
    found = _COMPARED.search(searched)
    return found is not None and int(found[1]) > 0


def _trace_alerts(
    store: Store, doc_id: int, records: Sequence[StoredStatement], acts: tuple[str, ...] | None
) -> list[Alert]:
    document, _info, statements = store.document(doc_id)
    if document.is_transcript:
        return []  # the speaker's own words: nothing to trace
    wanted = {r.statement.index: r for r in records}
    # the identities linking gave the statements when they were stored: no linker to build (seconds)
    identities = {i: r.identity or r.statement.speaker for i, r in wanted.items() if r.statement.speaker}
    traced = [s for s in statements if s.index in wanted]
    found: list[Alert] = []
    for t in tracing.trace_document(store, document, traced, identities=identities, acts=acts):
        record = wanted[t.statement.index]
        if t.verdict not in {"altered", "unsupported"} or (t.verdict == "unsupported" and not _compared(t.searched)):
            continue
        evidence = [_said(record, "reported")]
        if t.passage is not None:
            evidence.append(Evidence("own words", t.passage.text, t.passage.document_id, None, t.passage.date))
        diff = " ".join(w if op == "=" else f"[-{w}-]" if op == "-" else f"{{+{w}+}}" for op, w in t.diff)
        detail = f"word diff: {diff}" if diff else f"searched: {t.searched}"
        found.append(
            Alert(
                key=f"trace:{record.id}",
                kind="trace",
                title=f"{_who(record)}: quoted words {t.verdict}",
                summary=f"{_short(record.statement.content, 300)} — {t.verdict}; {detail}",
                evidence=tuple(evidence),
                **_base(record),  # type: ignore[arg-type]
            )
        )
    return found
