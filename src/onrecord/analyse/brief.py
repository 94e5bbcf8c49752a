"""Briefs: what an analyst writes after a round of interviews, built only from stored statements.

Who spoke where and when (each source by outlet and title); what is new against their earlier
statements (shifts, each with its dated evidence); per topic and, under it, per subject, what they
said (short quotes with source and date), the changed subjects and the newest first; and the
writers' own claims in commentary, set apart. Every line cites the statement it comes from
(``#id``): the brief invents nothing.
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass, field

from onrecord.analyse.shifts import Shift, speaker_shifts
from onrecord.analyse.timeline import UNPLACED, UNTOPICAL
from onrecord.model import DEFAULT_ACTS, StoredStatement
from onrecord.store import Query, Store
from onrecord.text import sentences

QUOTE_WIDTH = 220
PER_TOPIC = 8
PER_SUBJECT = 4
TITLE_WIDTH = 90


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
    # topic -> subject -> its statements, newest first; changed subjects (a shift) and then the newest first
    subjects: dict[str, dict[str, list[StoredStatement]]] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)  # subjects with a shift in the brief
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
            Appearance(rs[0].document.date, rs[0].document.outlet, _title(store, rs[0]), doc_id, len(rs))
            for doc_id, rs in documents.items()
        ),
        key=lambda a: (a.date or "", a.document_id),
        reverse=True,
    )
    speakers = {speaker} if speaker else {r.identity for r in attributed if r.identity}
    in_scope = {r.id for r in records}
    for name in sorted(s for s in speakers if s):
        result.new += [shift for shift in speaker_shifts(store, name, acts=acts) if shift.statement.id in in_scope]
    result.new.sort(key=lambda s: (s.statement.date, s.score), reverse=True)
    shown = [r for r in attributed if r.statement.nested_in is None or r.identity]
    by_topic: dict[str, list[StoredStatement]] = defaultdict(list)
    for record in shown:
        by_topic[record.topics[0][0] if record.topics else UNTOPICAL].append(record)
    order = sorted(by_topic, key=lambda t: (t == UNTOPICAL, -len(by_topic[t]), t))
    result.topics = {t: _most_telling(by_topic[t]) for t in order}
    placed = store.subject_of([r.id for r in shown]) if hasattr(store, "subject_of") else {}
    shifted = {s.statement.id for s in result.new}
    for topic in order:
        grouped: dict[str, list[StoredStatement]] = defaultdict(list)
        for record in by_topic[topic]:
            grouped[placed[record.id][1] if record.id in placed else UNPLACED].append(record)
        changed = {name for name, rs in grouped.items() if any(r.id in shifted for r in rs) and name != UNPLACED}
        result.changed |= changed

        def rank(name: str, grouped: dict[str, list[StoredStatement]] = grouped, changed: set[str] = changed) -> tuple:
            newest = max(r.document.date or "" for r in grouped[name])
            return (name == UNPLACED, name not in changed, _negated_date(newest), -len(grouped[name]), name)

        result.subjects[topic] = {
            name: sorted(_most_telling(grouped[name], PER_SUBJECT), key=lambda r: (r.document.date or "", r.id),
                         reverse=True)
            for name in sorted(grouped, key=rank)
        }  # fmt: skip
    # the topics with a changed subject first, then the one spoken on most recently
    order = sorted(
        order,
        key=lambda t: (
            not (result.subjects[t].keys() & result.changed),
            _negated_date(max(r.document.date or "" for r in by_topic[t])),
            t == UNTOPICAL,
            t,
        ),
    )
    result.subjects = {t: result.subjects[t] for t in order}
    result.topics = {t: [r for rs in result.subjects[t].values() for r in rs] for t in order}
    return result


def _negated_date(date: str) -> tuple[int, ...]:
    """A sort key that puts later ISO dates first."""
    return tuple(-ord(c) for c in date)


def _title(store: Store, record: StoredStatement) -> str | None:
    """The document's title; for a text without one, its first line (its first sentence, shortened)."""
    if record.document.title:
        return record.document.title
    try:
        document, _, _ = store.document(record.document.id)
    except Exception:  # noqa: BLE001 - a title is a nicety; the brief stands without it
        return None
    for line in document.text.splitlines():
        line = " ".join(line.strip().lstrip("#").split())
        if line:
            a, b = sentences(line)[0]
            return _short(line[a:b], TITLE_WIDTH)
    return None


def _most_telling(records: list[StoredStatement], limit: int = PER_TOPIC) -> list[StoredStatement]:
    """Quotes before reports, confident before unsure, newer before older, then in date order; at most ``limit``."""
    rank = {"direct": 0, "turn": 1, "mixed": 2, "indirect": 3, "implicit": 4}
    best = sorted(
        records,
        key=lambda r: (rank.get(r.statement.kind, 5), -r.statement.confidence, _negated_date(r.document.date or "")),
    )[:limit]
    return sorted(best, key=lambda r: (r.document.date or "", r.id))


def _short(text: str, width: int = QUOTE_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + " …"


def _who(record: StoredStatement) -> str:
    s = record.statement
    return record.identity or s.speaker or s.speaker_mention or "unattributed"


def _line(record: StoredStatement, titles: dict[int, str | None] | None = None) -> tuple[str, str, str]:
    """(where and when, who and how, what) of one statement; its source by outlet and title."""
    d = record.document
    title = (titles or {}).get(d.id) or d.title
    source = ", ".join(p for p in (d.outlet, f"“{_short(title, TITLE_WIDTH)}”" if title else None) if p) or d.source
    where = f"{d.date or 'undated'}, {source}"
    how = f"{_who(record)} ({record.statement.cue or record.statement.kind})"
    return where, how, _short(record.statement.content)


def _about(shift: Shift) -> str:
    return " / ".join(p for p in (shift.topic, shift.subject) if p) or "no topic"


def to_markdown(b: Brief) -> str:
    out = [f"# {b.title}", ""]
    out += ["## Where and when", ""]
    titles = {a.document_id: a.title for a in b.appearances}
    for a in b.appearances:
        out.append(
            f"- {a.date or 'undated'} — {a.outlet or 'no outlet'}: {a.title or 'untitled'} "
            f"(document {a.document_id}, {a.statements} statements)"
        )
    if b.new:
        out += ["", "## What is new", ""]
        for shift in b.new:
            earlier = "; ".join(f"{s.date}: {_short(s.text, 120)} [#{s.id}]" for s in shift.evidence)
            out.append(
                f"- {shift.statement.date} ({_about(shift)}) {shift.kind}: {_short(shift.statement.text, 160)} "
                f"[#{shift.statement.id}] — earlier: {earlier}. {shift.why}."
            )
    for topic, by_subject in b.subjects.items():
        out += ["", f"## {topic}"]
        for name, records in by_subject.items():
            out += ["", f"### {name}{' — changed' if name in b.changed else ''}", ""]
            for record in records:
                where, how, what = _line(record, titles)
                out.append(f"- {where} — {how}: {what} [#{record.id}]")
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
    titles = {a.document_id: a.title for a in b.appearances}
    if b.new:
        parts.append("<h2>What is new</h2><ul>")
        for shift in b.new:
            earlier = "; ".join(f"{e(s.date)}: {e(_short(s.text, 120))} #{s.id}" for s in shift.evidence)
            parts.append(
                f"<li>{e(shift.statement.date)} ({e(_about(shift))}) <b>{e(shift.kind)}</b>: "
                f"{e(_short(shift.statement.text, 160))} <span class='cite'>#{shift.statement.id}</span>"
                f" — earlier: {earlier}. {e(shift.why)}.</li>"
            )
        parts.append("</ul>")
    for topic, by_subject in b.subjects.items():
        parts.append(f"<h2>{e(topic)}</h2>")
        for name, records in by_subject.items():
            parts.append(f"<h3>{e(name)}{' — changed' if name in b.changed else ''}</h3><ul>")
            for record in records:
                where, how, what = _line(record, titles)
                parts.append(f"<li><span class='where'>{e(where)}</span> — {e(how)}: {e(what)} {cite(record)}</li>")
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
