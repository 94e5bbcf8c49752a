"""Readers, one per input format: bytes of a file -> Documents.

Each reader yields :class:`~onrecord.model.Document` objects, or an
:class:`~onrecord.errors.InputError` for a record that cannot be read (a bad JSONL
line, an empty feed entry) so that the rest of the file still goes in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import yaml

from onrecord.errors import InputError
from onrecord.ingest.decode import decode
from onrecord.ingest.filenames import parse_name
from onrecord.ingest.transcript import find_turns
from onrecord.model import Document

Result = Document | InputError

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_META_FIELDS = ("title", "date", "outlet", "author", "url", "genre")


def normalise_date(value: object) -> str | None:
    """Any date-like value -> ``YYYY-MM-DD``, or None when it cannot be understood."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    parsed = _dateparser().parse(text, settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False})
    return parsed.date().isoformat() if parsed else None


@lru_cache(maxsize=1)
def _dateparser():  # type: ignore[no-untyped-def]
    import dateparser  # slow to import; only needed for free-form dates

    return dateparser


def _clean_meta(raw: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name in _META_FIELDS:
        value = raw.get(name)
        if value is None or value == "":
            continue
        out[name] = normalise_date(value) if name == "date" else str(value).strip()
    return out


def _with_turns(doc: Document) -> Document:
    participants = doc.meta.get("participants") or []
    single = participants[0] if isinstance(participants, list) and len(participants) == 1 else None
    # "Interview with X": X asks the questions; "Press Conference with X": X answers them
    asks = (doc.genre or "").lower().startswith("interview")
    turns = find_turns(doc.text, interviewer=single if asks else None, interviewee=None if asks else single)
    if not turns:
        return doc
    return replace(doc, turns=turns, format="transcript" if doc.format == "text" else doc.format)


def _first_line_title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if re.fullmatch(r"\[.*\]|\(.*\)", line):  # an editor's note, not a title
            continue
        if line:
            return line if len(line) <= 200 and ":" not in line[:40] else None
    return None


def read_text(data: bytes, path: str, *, markdown: bool = False) -> Iterator[Result]:
    """Plain text or Markdown, with optional YAML front matter (Markdown only)."""
    text, note = decode(data, path)
    meta: dict[str, object] = {}
    if markdown and (front := _FRONT_MATTER.match(text)):
        try:
            loaded = yaml.safe_load(front["yaml"]) or {}
        except yaml.YAMLError as exc:
            where = getattr(exc, "problem_mark", None)
            line = f" at line {where.line + 2}" if where is not None else ""
            raise InputError(path, f"front matter is not valid YAML{line}; fix or remove it") from exc
        if not isinstance(loaded, dict):
            raise InputError(path, "front matter must be a YAML mapping of fields (title:, date:, outlet:)")
        meta = loaded
        text = text[front.end() :]
    if not text.strip():
        raise InputError(path, "no text after the front matter")
    name = parse_name(Path(path).stem)
    fields = _clean_meta(meta)
    doc = Document(
        text=text,
        source=path,
        format="markdown" if markdown else "text",
        title=fields.get("title") or name.title or _first_line_title(text),  # type: ignore[arg-type]
        date=fields.get("date") or name.date,  # type: ignore[arg-type]
        outlet=fields.get("outlet") or name.outlet,  # type: ignore[arg-type]
        author=fields.get("author"),  # type: ignore[arg-type]
        url=fields.get("url"),  # type: ignore[arg-type]
        genre=fields.get("genre") or name.genre,  # type: ignore[arg-type]
        key=str(meta["id"]) if meta.get("id") is not None else None,
        meta={
            k: v
            for k, v in {"participants": meta.get("participants") or name.participants, "encoding_note": note}.items()
            if v
        },
    )
    yield _with_turns(doc)


def read_html(data: bytes, path: str) -> Iterator[Result]:
    """An HTML page: its main text and metadata, by trafilatura."""
    import trafilatura

    html, note = decode(data, path)
    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_recall=True)
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        raise InputError(path, "no readable text in this HTML page (only scripts, markup or navigation)")
    name = parse_name(Path(path).stem)
    doc = Document(
        text=text,
        source=path,
        format="html",
        title=extracted.title or name.title,
        date=normalise_date(extracted.date) or name.date,
        outlet=extracted.sitename or name.outlet,
        author=extracted.author,
        url=extracted.url,
        genre=name.genre,
        meta={"encoding_note": note} if note else {},
    )
    yield _with_turns(doc)


def read_jsonl(data: bytes, path: str) -> Iterator[Result]:
    """One JSON object per line: ``text`` plus optional title, date, outlet, author, url, id."""
    text, _ = decode(data, path)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) or not record["text"].strip():
            yield InputError(where, 'each line needs a JSON object with a non-empty "text" field')
            continue
        fields = _clean_meta(record)
        extra = {k: v for k, v in record.items() if k not in {"text", "id", *_META_FIELDS}}
        doc = Document(
            text=record["text"],
            source=f"{path}#{number}",
            format="jsonl",
            key=str(record["id"]) if record.get("id") is not None else None,
            meta=extra,
            **fields,  # type: ignore[arg-type]
        )
        yield _with_turns(doc)


def read_feed(data: bytes, path: str) -> Iterator[Result]:
    """An RSS or Atom file: one document per entry, from its content or summary."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise InputError(path, f"no entries in this feed{reason}")
    outlet = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{path}#{number}"
        body = entry.get("content", [{}])[0].get("value") if entry.get("content") else entry.get("summary")
        text = _fragment_text(body) if body and "<" in body else body
        if not text or not text.strip():
            yield InputError(where, "feed entry has no content or summary")
            continue
        when = entry.get("published") or entry.get("updated")
        yield _with_turns(
            Document(
                text=text.strip(),
                source=where,
                format="feed",
                title=entry.get("title"),
                date=normalise_date(when),
                outlet=outlet,
                author=entry.get("author"),
                url=entry.get("link"),
                key=entry.get("id"),
            )
        )


def _fragment_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry), one paragraph per block element."""
    import lxml.html

    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    blocks = [child.text_content().strip() for child in root] or [root.text_content().strip()]
    lead = (root.text or "").strip()
    return "\n\n".join(b for b in [lead, *blocks] if b)


READERS = {
    ".txt": read_text,
    ".text": read_text,
    ".md": lambda data, path: read_text(data, path, markdown=True),
    ".markdown": lambda data, path: read_text(data, path, markdown=True),
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
}


def sniff_reader(data: bytes):  # type: ignore[no-untyped-def]
    """A reader for a file whose suffix says nothing, from its first bytes."""
    head = data[:2048].lstrip().lower()
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head:
        return read_feed
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return read_html
    if head.startswith(b"{"):
        return read_jsonl
    return read_text
