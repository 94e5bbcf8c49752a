"""Readers, one per input format: bytes of a file -> Documents.

Each reader yields :class:`~onrecord.model.Document` objects, or an
:class:`~onrecord.errors.InputError` for a record that cannot be read (a bad JSONL
line, an empty feed entry) so that the rest of the file still goes in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Protocol

import yaml

from onrecord import safe_yaml
from onrecord.errors import InputError
from onrecord.ingest.decode import bom_codec, decode, html_charset, is_blank
from onrecord.ingest.filenames import parse_name
from onrecord.ingest.language import language_code
from onrecord.ingest.transcript import find_turns
from onrecord.model import Document

Result = Document | InputError

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_META_FIELDS = ("title", "outlet", "author", "url", "genre", "lang", "language")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", re.DOTALL)
_LONGEST_FREE_DATE = 64  # "Wednesday, 4 March 2026, 10:15 a.m. Eastern" fits; dateparser's cost grows with length
_FIX_DATE = "correct it, or give the date with --date"
_DATE_SHAPES = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%A, %B %d, %Y", "%A, %d %B %Y")
# A year alone ("2026") or a day and month would get the missing parts from today: not a date given.
_DATEPARSER_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "REQUIRE_PARTS": ["month", "year"],
}
# Front matter holds a few fields; YAML is parsed in pure Python (about 0.1 MB/s), so a
# megabyte of it would take the time of a whole corpus.
_MAX_FRONT_MATTER = 64_000
NOTES = "reading_notes"  # meta key: what was assumed while reading (an encoding), for the user to check


@dataclass(frozen=True, slots=True)
class Given:
    """What the caller says about every file: it wins over what the file says or seems to be."""

    encoding: str | None = None  # codec to decode with instead of detecting
    date: str | None = None  # YYYY-MM-DD, already checked


class Reader(Protocol):
    def __call__(self, data: bytes, path: str, given: Given) -> Iterator[Result]: ...


def normalise_date(value: object) -> str | None:
    """Any date-like value -> ``YYYY-MM-DD``, or None when it is not a date in the calendar."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if iso := _ISO_DATE.fullmatch(text):
        # checked here, not by dateparser, which would read 2026-13-01 as 13 January
        try:
            return date(*map(int, iso.groups())).isoformat()
        except ValueError:
            return None
    if len(text) > _LONGEST_FREE_DATE:
        return None
    return _free_date(text)


def _free_date(text: str) -> str | None:
    """A free-form date in English: the usual shapes in microseconds, the rest by dateparser.

    dateparser guesses the language first, which takes up to 0.35 s for a string that is not a
    date; in English only it takes under 10 ms, so a file of many bad dates stays cheap.
    """
    for shape in _DATE_SHAPES:
        try:
            return datetime.strptime(text, shape).date().isoformat()
        except ValueError:
            continue
    try:  # RFC 2822, the date of RSS and e-mail: "Sat, 02 May 2026 10:00:00 GMT"
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        parsed = _dateparser().parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)
    except (ValueError, OverflowError):
        return None
    return parsed.date().isoformat() if parsed else None


def stated_date(path: str, given: Given, *stated: tuple[str, object], fix: str = _FIX_DATE) -> str | None:
    """The caller's date, else the first date the file states in ``stated`` ((what, value), most explicit first).

    A stated date that is not a calendar date refuses the document rather than being dropped:
    documents are keyed by their text, so one stored without its date could not be put right by
    ingesting the corrected file again.
    """
    if given.date:
        return given.date
    for what, value in stated:
        if value is None or value == "":
            continue
        parsed = normalise_date(value)
        if parsed is None:
            raise InputError(path, f"{what} {str(value)[:40]!r} is not a calendar date; {fix}")
        return parsed
    return None


@lru_cache(maxsize=1)
def _dateparser():  # type: ignore[no-untyped-def]
    import dateparser  # slow to import; only needed for free-form dates

    return dateparser


def _clean_meta(raw: dict[object, object]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in _META_FIELDS:
        value = raw.get(name)
        if value is not None and (text := str(value).strip()):
            out[name] = text
    return out


def _people(value: object) -> list[str]:
    """Participants as a list of names, whatever shape the front matter gave them."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [name for item in items if isinstance(item, str) and (name := item.strip())]


def _notes(*notes: str | None) -> dict[str, object]:
    """``meta`` entries for what was assumed while reading; the CLI shows them on stderr."""
    kept = [n for n in notes if n]
    return {NOTES: kept} if kept else {}


def _with_turns(doc: Document) -> Document:
    participants = doc.meta.get("participants") or []
    single = participants[0] if isinstance(participants, list) and len(participants) == 1 else None
    # "Interview with X": X asks the questions; "Press Conference with X": X answers them
    asks = (doc.genre or "").lower().startswith("interview")
    turns = find_turns(doc.text, interviewer=single if asks else None, interviewee=None if asks else single)
    if not turns:
        return doc
    return replace(doc, turns=turns, format="transcript" if doc.format == "text" else doc.format)


def _stated_language(path: str, value: str | None) -> str | None:
    """The language front matter or a JSONL record names (``lang: ru``), checked; None when it names none."""
    try:
        return language_code(value)
    except ValueError as exc:
        raise InputError(path, f"lang: {exc}") from None


def _first_line_title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if re.fullmatch(r"\[.*\]|\(.*\)", line):  # an editor's note, not a title
            continue
        if line:
            return line if len(line) <= 200 and ":" not in line[:40] else None
    return None


def _front_matter(text: str, path: str) -> tuple[dict[object, object], str]:
    """The YAML front matter of a Markdown text as a mapping, and the text after it."""
    front = _FRONT_MATTER.match(text)
    if not front:
        return {}, text
    if len(front["yaml"]) > _MAX_FRONT_MATTER:
        raise InputError(path, f"front matter is longer than {_MAX_FRONT_MATTER // 1000} KB; keep it to a few fields")
    try:
        # no aliases: a few hundred bytes of nested aliases would expand to gigabytes
        loaded = safe_yaml.load(front["yaml"]) or {}
    except safe_yaml.AliasRefused as exc:
        line = f" at line {exc.problem_mark.line + 2}" if exc.problem_mark is not None else ""
        raise InputError(path, f"front matter uses a YAML alias (*name){line}; write the value out instead") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 2}" if where is not None else ""
        raise InputError(path, f"front matter is not valid YAML{line}; fix or remove it") from None
    except ValueError as exc:  # what YAML reads as a timestamp but the calendar refuses: date: 2026-02-30
        raise InputError(path, f"front matter has a date that is not in the calendar ({exc}); correct it") from None
    except RecursionError:
        raise InputError(path, "front matter is nested too deeply; fix or remove it") from None
    if not isinstance(loaded, dict):
        raise InputError(path, "front matter must be a YAML mapping of fields (title:, date:, outlet:)")
    return loaded, text[front.end() :]


def read_text(data: bytes, path: str, given: Given, *, markdown: bool = False) -> Iterator[Result]:
    """Plain text or Markdown, with optional YAML front matter (Markdown only)."""
    text, note = decode(data, path, given.encoding)
    meta, text = _front_matter(text, path) if markdown else ({}, text)
    if is_blank(text):
        raise InputError(path, "no text after the front matter")
    name = parse_name(Path(path).stem)
    fields = _clean_meta(meta)
    doc = Document(
        text=text,
        source=path,
        format="markdown" if markdown else "text",
        title=fields.get("title") or name.title or _first_line_title(text),
        date=stated_date(
            path, given, ("the front matter's date", meta.get("date")), ("the file name's date", name.date)
        ),
        outlet=fields.get("outlet") or name.outlet,
        author=fields.get("author"),
        url=fields.get("url"),
        genre=fields.get("genre") or name.genre,
        key=str(meta["id"]) if meta.get("id") is not None else None,
        lang=_stated_language(path, fields.get("lang") or fields.get("language")),
        meta={
            **({"participants": people} if (people := _people(meta.get("participants")) or name.participants) else {}),
            **_notes(note),
        },
    )
    yield _with_turns(doc)


def read_html(data: bytes, path: str, given: Given) -> Iterator[Result]:
    """An HTML page: its main text and metadata, by trafilatura."""
    import trafilatura

    html, note = decode(data, path, given.encoding, declared=html_charset(data))
    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_recall=True)
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or is_blank(text):
        raise InputError(path, "no readable text in this HTML page (only scripts, markup or navigation)")
    name = parse_name(Path(path).stem)
    doc = Document(
        text=text,
        source=path,
        format="html",
        title=extracted.title or name.title,
        # the page's date is trafilatura's guess: one it cannot read is no date, not an error
        date=stated_date(
            path, given, ("the page's date", normalise_date(extracted.date)), ("the file name's date", name.date)
        ),
        outlet=extracted.sitename or name.outlet,
        author=extracted.author,
        url=extracted.url,
        genre=name.genre,
        meta=_notes(note),
    )
    yield _with_turns(doc)


def read_jsonl(data: bytes, path: str, given: Given) -> Iterator[Result]:
    """One JSON object per line: ``text`` plus optional title, date, outlet, author, url, id."""
    text, note = decode(data, path, given.encoding)
    # JSON Lines ends records at \n only: str.splitlines() would also cut at U+2028 or \x1c inside a string
    for number, line in enumerate(text.split("\n"), start=1):
        if is_blank(line):
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except ValueError as exc:  # an integer of more than 4300 digits
            yield InputError(where, f"not readable JSON ({exc})")
            continue
        except RecursionError:
            yield InputError(where, "JSON nested too deeply")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str) or is_blank(record["text"]):
            yield InputError(where, 'each line needs a JSON object with a non-empty "text" field')
            continue
        try:
            when = stated_date(where, given, ('the "date" field', record.get("date")))
        except InputError as exc:
            yield exc
            continue
        extra = {k: v for k, v in record.items() if k not in {"text", "id", "date", *_META_FIELDS}}
        fields = _clean_meta(record)
        stated = fields.pop("lang", None) or fields.pop("language", None)
        fields.pop("language", None)
        try:
            lang = _stated_language(where, stated)
        except InputError as exc:
            yield exc
            continue
        doc = Document(
            text=record["text"],
            source=f"{path}#{number}",
            format="jsonl",
            key=str(record["id"]) if record.get("id") is not None else None,
            date=when,
            meta={**extra, **_notes(note)},
            lang=lang,
            **fields,  # type: ignore[arg-type]
        )
        yield _with_turns(doc)


def read_feed(data: bytes, path: str, given: Given) -> Iterator[Result]:
    """An RSS or Atom file: one document per entry, from its content or summary."""
    import feedparser

    # feedparser finds the encoding itself (BOM, XML declaration); a given one overrides it
    headers = {"content-type": f"application/xml; charset={given.encoding}"} if given.encoding else None
    parsed = feedparser.parse(data, response_headers=headers)
    if not parsed.entries:
        reason = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise InputError(path, f"no entries in this feed{reason}")
    outlet = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{path}#{number}"
        body = entry.get("content", [{}])[0].get("value") if entry.get("content") else entry.get("summary")
        try:
            text = _fragment_text(body) if body and "<" in body else body
            if not text or is_blank(text):
                raise InputError(where, "feed entry has no content or summary")
            when = stated_date(where, given, ("the entry's date", entry.get("published") or entry.get("updated")))
        except InputError as exc:
            yield exc
            continue
        yield _with_turns(
            Document(
                text=text.strip(),
                source=where,
                format="feed",
                title=entry.get("title"),
                date=when,
                outlet=outlet,
                author=entry.get("author"),
                url=entry.get("link"),
                key=entry.get("id"),
            )
        )


def _fragment_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry), one paragraph per block element."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.LxmlError, ValueError):  # markup lxml cannot make a tree of
        return ""
    blocks = [child.text_content().strip() for child in root] or [root.text_content().strip()]
    lead = (root.text or "").strip()
    return "\n\n".join(b for b in [lead, *blocks] if b)


READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": partial(read_text, markdown=True),
    ".markdown": partial(read_text, markdown=True),
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
}


def sniff_reader(data: bytes) -> Reader:
    """A reader for a file whose suffix says nothing, from its first bytes."""
    head = data[:2048]
    if codec := bom_codec(head):  # UTF-16 and UTF-32 hide the markup between zero bytes
        head = head.decode(codec, errors="ignore").encode()
    head = head.lstrip().lower()
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head:
        return read_feed
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return read_html
    if head.startswith(b"{"):
        return read_jsonl
    return read_text
