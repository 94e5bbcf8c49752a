"""Ingest: files, directories and globs -> :class:`~onrecord.model.Document`.

The first layer of the flow (ingest -> extract -> resolve -> store -> analyse -> present).
:func:`read` turns one path into documents, :func:`expand` turns what a user typed
into paths. Formats: plain text, Markdown (front matter), HTML (trafilatura), JSONL,
RSS/Atom (feedparser); any of them can be a transcript with speaker turns.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from onrecord.config import setting
from onrecord.errors import InputError
from onrecord.ingest.readers import READERS, Result, normalise_date, sniff_reader
from onrecord.ingest.transcript import find_turns
from onrecord.model import Document

__all__ = ["expand", "find_turns", "from_text", "read", "Result"]


def expand(paths: Iterable[str]) -> Iterator[str | InputError]:
    """Files named by ``paths``: files as given, directories recursively, glob patterns.

    Yields an :class:`InputError` for a path that matches nothing.
    """
    for raw in paths:
        if os.path.isdir(raw):
            for root, dirs, files in os.walk(raw):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        elif os.path.exists(raw):
            yield raw
        elif glob.has_magic(raw) and (matches := sorted(glob.glob(raw, recursive=True))):
            yield from expand(matches)
        else:
            yield InputError(raw, "no such file or directory")


def read(
    path: str,
    *,
    date: str | None = None,
    outlet: str | None = None,
    max_bytes: int | None = None,
) -> Iterator[Result]:
    """Documents in the file at ``path``; ``date`` and ``outlet`` override what the file says.

    Raises :class:`InputError` when the whole file cannot be read.
    """
    limit = max_bytes if max_bytes is not None else int(float(setting("max_mb")) * 1_000_000)
    try:
        size = os.path.getsize(path)
        if size > limit:
            raise InputError(
                path,
                f"{size / 1e6:.1f} MB is more than the {limit / 1e6:g} MB limit; "
                "split the file or raise the limit with --max-mb",
            )
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory; give its files or the directory to ingest") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    reader = READERS.get(Path(path).suffix.lower()) or sniff_reader(data)
    overrides = {k: v for k, v in {"date": normalise_date(date), "outlet": outlet}.items() if v}
    for result in reader(data, path):
        yield replace(result, **overrides) if overrides and isinstance(result, Document) else result


def from_text(text: str, source: str = "<text>", **meta: object) -> Document:
    """A document made from a string; ``meta`` may give title, date, outlet, author, url, genre, key."""
    known = {k: meta.pop(k) for k in ("title", "outlet", "author", "url", "genre", "key") if k in meta}
    when = normalise_date(meta.pop("date", None))
    doc = Document(text=text, source=source, format="text", date=when, meta=dict(meta), **known)  # type: ignore[arg-type]
    turns = find_turns(text)
    return replace(doc, turns=turns, format="transcript") if turns else doc
