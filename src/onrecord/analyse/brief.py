"""Briefs: what an analyst writes after a round of interviews, built only from stored statements.

Who spoke where and when; per topic, what they said (short quotes with source and date); what
is new against their earlier statements (shifts); and the writers' own claims in commentary,
set apart. Every line cites the statement it comes from (``#id``): the brief invents nothing.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field

from onrecord.analyse.shifts import Shift, speaker_shifts
from onrecord.analyse.timeline import UNTOPICAL
from onrecord.model import DEFAULT_ACTS, StoredStatement
from onrecord.store import Query, Store

QUOTE_WIDTH = 220
PER_TOPIC = 8


@dataclass(frozen=True, slots=True)
class Appearance:
    date: str | None
    outlet: str | None
    title: str | None
    document_id: int
    statements: int


@dataclass(slots=True)
class Brief:
    title: str
    appearances: list[Appearance] = field(default_factory=list)
    topics: dict[str, list[StoredStatement]] = field(default_factory=dict)
    new: list[Shift] = field(default_factory=list)
    own_voice: list[StoredStatement] = field(default_factory=list)  # writers' first-person claims

    @property
    def cited(self) -> set[int]:
        """Every statement id the brief rests on."""
        ids = {r.id for records in self.topics.values() for r in records} | {r.id for r in self.own_voice}
        for shift in self.new:
            ids |= {shift.statement.id, *(s.id for s in shift.evidence)}
        return ids


def brief(
    store: Store,
    *,
    speaker: str | None = None,
    document: str | None = None,
    since: str | None = None,
    until: str | None = None,
    acts: tuple[str, ...] | None = DEFAULT_ACTS,
) -> Brief:
    """The brief for one speaker, one document, or everyone in a date range, from statements of
    ``acts`` (None: all); the writers' own claims whatever their act."""
    if document is not None:
        _, info, _ = store.document(document)
        records = store.statements(Query(document_id=info.id, acts=acts))
        title = f"Brief: {info.title or info.source} ({info.outlet or 'no outlet'}, {info.date or 'undated'})"
    else:
        records = store.statements(Query(identity=speaker, since=since, until=until, acts=acts))
        scope = f" since {since}" if since else ""
        title = f"Brief: {speaker or 'all speakers'}{scope}"
    result = Brief(title)
    attributed = [r for r in records if r.statement.kind != "author"]
    result.own_voice = [r for r in records if r.statement.kind == "author"]
    documents: dict[int, list[StoredStatement]] = defaultdict(list)
    for record in records:
        documents[record.document.id].append(record)
    result.appearances = sorted(
        (
            Appearance(rs[0].document.date, rs[0].document.outlet, rs[0].document.title, doc_id, len(rs))
            for doc_id, rs in documents.items()
        ),
        key=lambda a: (a.date or "", a.document_id),
    )
    by_topic: dict[str, list[StoredStatement]] = defaultdict(list)
    for record in attributed:
        if record.statement.nested_in is None or record.identity:
            by_topic[record.topics[0][0] if record.topics else UNTOPICAL].append(record)
    order = sorted(by_topic, key=lambda t: (t == UNTOPICAL, -len(by_topic[t]), t))
    result.topics = {t: _most_telling(by_topic[t]) for t in order}
    speakers = {speaker} if speaker else {r.identity for r in attributed if r.identity}
    in_scope = {r.id for r in records}
    for name in sorted(s for s in speakers if s):
        result.new += [shift for shift in speaker_shifts(store, name, acts=acts) if shift.statement.id in in_scope]
    return result


def _most_telling(records: list[StoredStatement]) -> list[StoredStatement]:
    """Quotes before reports, confident before unsure, then in date order; at most ``PER_TOPIC``."""
    rank = {"direct": 0, "turn": 1, "mixed": 2, "indirect": 3, "implicit": 4}
    best = sorted(records, key=lambda r: (rank.get(r.statement.kind, 5), -r.statement.confidence))[:PER_TOPIC]
    return sorted(best, key=lambda r: (r.document.date or "", r.id))


def _short(text: str, width: int = QUOTE_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + " …"


def _who(record: StoredStatement) -> str:
    s = record.statement
    return record.identity or s.speaker or s.speaker_mention or "unattributed"


def _line(record: StoredStatement) -> tuple[str, str, str]:
    """(where and when, who and how, what) of one statement."""
    d = record.document
    where = f"{d.date or 'undated'}, {d.outlet or d.source}"
    how = f"{_who(record)} ({record.statement.cue or record.statement.kind})"
    return where, how, _short(record.statement.content)


def to_markdown(b: Brief) -> str:
    out = [f"# {b.title}", ""]
    out += ["## Where and when", ""]
    for a in b.appearances:
        out.append(
            f"- {a.date or 'undated'} — {a.outlet or 'no outlet'}: {a.title or 'untitled'} "
            f"(document {a.document_id}, {a.statements} statements)"
        )
    for topic, records in b.topics.items():
        out += ["", f"## {topic}", ""]
        for record in records:
            where, how, what = _line(record)
            out.append(f"- {where} — {how}: {what} [#{record.id}]")
    if b.new:
        out += ["", "## What is new", ""]
        for shift in b.new:
            earlier = "; ".join(f"{s.date}: {_short(s.text, 120)} [#{s.id}]" for s in shift.evidence)
            out.append(
                f"- {shift.statement.date} ({shift.topic}) {shift.kind}: {_short(shift.statement.text, 160)} "
                f"[#{shift.statement.id}] — earlier: {earlier}. {shift.why}."
            )
    if b.own_voice:
        out += ["", "## The writers' own claims", ""]
        for record in b.own_voice:
            where, _, what = _line(record)
            author = record.statement.speaker or record.document.author or "the writer"
            out.append(f"- {where} — {author}: {what} [#{record.id}]")
    return "\n".join(out) + "\n"


BRIEF_CSS = (
    "body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}"
    "li{margin:.3rem 0}.where{color:#555}.cite{color:#777;font-size:.85em}"
)


def to_html(b: Brief, standalone: bool = True, links: bool = False) -> str:
    """The brief as HTML: a whole page, or (``standalone=False``) the fragment a site embeds;
    ``links`` makes citations link to the web UI's document pages. Every stored text is escaped."""
    e = html.escape

    def cite(record: StoredStatement) -> str:
        if links:
            return f"<a class='cite' href='/documents/{record.document.id}#s{record.statement.index}'>#{record.id}</a>"
        return f"<span class='cite'>#{record.id}</span>"

    def title(a: Appearance) -> str:
        text = e(a.title or "untitled")
        return f"<a href='/documents/{a.document_id}'>{text}</a>" if links else text

    parts = [f"<h1>{e(b.title)}</h1><h2>Where and when</h2><ul>"]
    if standalone:
        parts.insert(0, f"<!doctype html><html><head><meta charset='utf-8'><title>{e(b.title)}</title>"
                        f"<style>{BRIEF_CSS}</style></head><body>")  # fmt: skip
    for a in b.appearances:
        parts.append(
            f"<li>{e(a.date or 'undated')} — {e(a.outlet or 'no outlet')}: {title(a)} "
            f"<span class='cite'>(document {a.document_id}, {a.statements} statements)</span></li>"
        )
    parts.append("</ul>")
    for topic, records in b.topics.items():
        parts.append(f"<h2>{e(topic)}</h2><ul>")
        for record in records:
            where, how, what = _line(record)
            parts.append(f"<li><span class='where'>{e(where)}</span> — {e(how)}: {e(what)} {cite(record)}</li>")
        parts.append("</ul>")
    if b.new:
        parts.append("<h2>What is new</h2><ul>")
        for shift in b.new:
            earlier = "; ".join(f"{e(s.date)}: {e(_short(s.text, 120))} #{s.id}" for s in shift.evidence)
            parts.append(
                f"<li>{e(shift.statement.date)} ({e(shift.topic or '')}) <b>{e(shift.kind)}</b>: "
                f"{e(_short(shift.statement.text, 160))} <span class='cite'>#{shift.statement.id}</span>"
                f" — earlier: {earlier}. {e(shift.why)}.</li>"
            )
        parts.append("</ul>")
    if b.own_voice:
        parts.append("<h2>The writers' own claims</h2><ul>")
        for record in b.own_voice:
            where, _, what = _line(record)
            author = record.statement.speaker or record.document.author or "the writer"
            parts.append(f"<li><span class='where'>{e(where)}</span> — {e(author)}: {e(what)} {cite(record)}</li>")
        parts.append("</ul>")
    if standalone:
        parts.append("</body></html>")
    return "\n".join(parts) + "\n"
