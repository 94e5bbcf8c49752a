"""Ingest: files, directories and globs -> :class:`~onrecord.model.Document`.

The first layer of the flow (ingest -> extract -> resolve -> store -> analyse -> present).
:func:`read` turns one path into documents, :func:`expand` turns what a user typed
into paths. Formats: plain text, Markdown (front matter), HTML (trafilatura), JSONL,
RSS/Atom (feedparser); any of them can be a transcript with speaker turns.
"""

from __future__ import annotations

import codecs
import errno
import glob
import math
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from onrecord.config import SETTINGS, setting
from onrecord.errors import InputError
from onrecord.ingest.decode import is_blank
from onrecord.ingest.language import LANGUAGES, detect_language, language_code
from onrecord.ingest.readers import NOTES, READERS, Given, Result, normalise_date, sniff_reader, stated_date
from onrecord.ingest.transcript import find_turns
from onrecord.model import Document

__all__ = [
    "LANGUAGES",
    "NOTES",
    "detect_language",
    "expand",
    "find_turns",
    "from_text",
    "language_code",
    "limit_bytes",
    "read",
    "Result",
]

_CHUNK = 1 << 22  # read in pieces: one read of the whole limit would allocate it at once
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the stat must not block the open
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)


def limit_bytes(megabytes: float | str) -> int:
    """The size limit in bytes for ``megabytes``; ValueError unless it is a finite number above 0."""
    try:
        value = float(megabytes)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise ValueError("must be a number of megabytes greater than 0")
    return max(1, int(value * 1_000_000))


def _setting_limit() -> int:
    raw = setting("max_mb")
    try:
        return limit_bytes(raw)
    except ValueError as exc:
        raise ValueError(f"{SETTINGS['max_mb'].env}={raw!r}: {exc}") from None


def expand(paths: Iterable[str]) -> Iterator[str | InputError]:
    """Files named by ``paths``: files as given, directories recursively, glob patterns.

    Yields only regular files (or links to them), and an :class:`InputError` for anything else:
    a path or pattern that matches nothing, a directory with nothing to read or that cannot be
    listed, a FIFO, device or socket, a broken link. Each is found from its stat, never opened,
    so whatever reads the paths (``read``, a batch digest) cannot block on a FIFO.
    """
    for raw in paths:
        if os.path.isdir(raw):
            yield from _walk(raw)
        elif os.path.lexists(raw):
            yield _checked(raw)
        elif glob.has_magic(raw):
            matches = _glob(raw)
            yield from expand(matches) if matches else [InputError(raw, "matches no file")]
        else:
            yield InputError(raw, "no such file or directory")


def _checked(path: str) -> str | InputError:
    """``path`` when it is a regular file, else why not."""
    try:
        _require_regular(path, os.stat(path).st_mode)
    except OSError as exc:
        return _os_error(path, exc)
    except InputError as exc:
        return exc
    return path


def _walk(top: str) -> Iterator[str | InputError]:
    """Files under ``top`` in order, hidden ones skipped; a directory that cannot be listed is an error."""
    unlisted: list[OSError] = []
    found = 0
    for root, files in _tree(top, unlisted.append):
        for item in [*_unlisted(unlisted), *(_checked(os.path.join(root, name)) for name in files)]:
            found += 1
            yield item
    yield from _unlisted(unlisted)
    if not found:
        yield InputError(top, "no files to read in this directory (hidden files are skipped)")


def _tree(top: str, onerror: Callable[[OSError], object] | None = None) -> Iterator[tuple[str, list[str]]]:
    """``(directory, its file names)`` for ``top`` and each directory under it, depth first in
    name order, hidden ones skipped. Linked directories are followed, but each directory is
    visited once, so a link to itself or to a parent cannot loop; and a stack, not recursion
    (``os.walk`` in 3.11), so a tree thousands of levels deep cannot exhaust Python's stack.
    """
    seen = {_identity(top)}
    stack = [top]
    while stack:
        root = stack.pop()
        try:
            with os.scandir(root) as listing:
                entries = [entry for entry in listing if not entry.name.startswith(".")]
        except OSError as exc:
            if onerror is not None:
                onerror(exc)
            continue
        dirs = sorted(entry.name for entry in entries if _is_dir(entry))
        yield root, sorted(entry.name for entry in entries if entry.name not in dirs)
        kept = []
        for name in dirs:  # in name order: of two links to one directory, the first is walked
            path = os.path.join(root, name)
            identity = _identity(path)
            if identity is not None and identity not in seen:
                seen.add(identity)
                kept.append(path)
        stack.extend(reversed(kept))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows links
    except OSError:
        return False


def _glob(pattern: str) -> list[str]:
    """Like ``glob.glob(pattern, recursive=True)``, but ``**`` visits each directory once: glob
    follows links there, and two links to ``.`` make it list paths without end."""
    parts = pattern.split(os.sep)
    if "**" not in parts:
        return glob.glob(pattern)
    at = parts.index("**")
    head, rest = os.sep.join(parts[:at]) or (os.sep if at else ""), os.sep.join(parts[at + 1 :])
    found: list[str] = []
    for top in glob.glob(head) if glob.has_magic(head) else [head]:
        if not os.path.isdir(top or os.curdir):
            continue
        if not rest:  # "dir/**": the directory, which is then walked
            found.append(top or os.curdir)
            continue
        for root, _ in _tree(top or os.curdir):
            where = root if top else "" if root == os.curdir else os.path.relpath(root)
            found += _glob(os.path.join(glob.escape(where), rest))
    return sorted(set(found))


def _unlisted(errors: list[OSError]) -> Iterator[InputError]:
    for exc in errors:
        reason = "permission denied" if exc.errno in (errno.EACCES, errno.EPERM) else exc.strerror or str(exc)
        yield InputError(str(exc.filename), f"cannot list this directory ({reason}); its files were not read")
    errors.clear()


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def read(
    path: str,
    *,
    date: str | None = None,
    outlet: str | None = None,
    max_bytes: int | None = None,
    encoding: str | None = None,
    lang: str | None = None,
) -> Iterator[Result]:
    """Documents in the file at ``path``; ``date`` and ``outlet`` override what the file says,
    ``encoding`` names its codec instead of detecting it, ``lang`` the language (``en``, ``ru``)
    instead of telling it from the script.

    Raises :class:`InputError` when the whole file cannot be read (not a regular file, larger
    than ``max_bytes``, not text), ValueError for a ``date`` that is not a calendar date and
    LookupError for an unknown ``encoding``.
    """
    limit = max_bytes if max_bytes is not None else _setting_limit()
    when = normalise_date(date)
    if date and when is None:
        raise ValueError(f"date {date!r} is not a calendar date; use YYYY-MM-DD")
    if encoding is not None:
        codecs.lookup(encoding)
    lang = language_code(lang)
    data = _read_regular(path, limit)
    source = _storable(path)
    reader = READERS.get(Path(path).suffix.lower()) or sniff_reader(data)
    for result in reader(data, source, Given(encoding=encoding, date=when)):
        if isinstance(result, Document):
            result = replace(result, lang=lang or result.lang or detect_language(result.text))
            if outlet:
                result = replace(result, outlet=outlet)
        yield result


def _read_regular(path: str, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, refused when more than ``limit``.

    Anything else (a FIFO, a device, a socket) is refused from its stat, without opening it:
    opening a FIFO blocks until a writer comes, and /dev/zero never ends. The read itself stops at
    ``limit`` + 1 bytes, so a file that grows or reports a wrong size cannot exceed the limit.
    """
    try:
        info = os.stat(path)  # follows links: a link to a regular file is read
    except OSError as exc:
        raise _os_error(path, exc) from None
    _require_regular(path, info.st_mode)
    if info.st_size > limit:
        raise _too_large(path, limit, info.st_size)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _os_error(path, exc) from None
    try:
        _require_regular(path, os.fstat(fd).st_mode)  # replaced since the stat
        data = bytearray()
        while len(data) <= limit and (chunk := os.read(fd, min(limit + 1 - len(data), _CHUNK))):
            data += chunk
    except OSError as exc:
        raise _os_error(path, exc) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise _too_large(path, limit)
    return bytes(data)


def _require_regular(path: str, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputError(path, "is a directory; give its files or the directory to ingest")
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a character device"
        if stat.S_ISCHR(mode)
        else "a block device"
        if stat.S_ISBLK(mode)
        else "a special file"
    )
    raise InputError(path, f"is {kind}, not a regular file; only regular files are read")


def _too_large(path: str, limit: int, size: int | None = None) -> InputError:
    stated = f"{size / 1e6:.1f} MB is" if size is not None else "is"
    return InputError(
        path, f"{stated} more than the {limit / 1e6:g} MB limit; split the file or raise the limit with --max-mb"
    )


def _os_error(path: str, exc: OSError) -> InputError:
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return InputError(path, "is a broken symbolic link (what it points to does not exist)")
    problem = {
        errno.ENOENT: "no such file",
        errno.ELOOP: "is a symbolic link loop (or too many links in a row)",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ENOTDIR: "no such file (a part of its path is not a directory)",
        errno.ENAMETOOLONG: "the name is too long",
    }.get(exc.errno or 0, f"cannot be read ({exc.strerror or exc})")
    return InputError(path, problem)


def _storable(path: str) -> str:
    """``path`` as text any database can hold: a name that is not UTF-8 gets its bytes as \\xNN."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


def from_text(text: str, source: str = "<text>", **meta: object) -> Document:
    """A document made from a string; ``meta`` may give title, date, outlet, author, url, genre, key
    and lang (else told from the script).

    Raises :class:`InputError` for a text that shows nothing, a date that is not a calendar date
    and a language onrecord does not read.
    """
    if is_blank(text):
        raise InputError(source, "no text (only white space)")
    known = {k: meta.pop(k) for k in ("title", "outlet", "author", "url", "genre", "key") if k in meta}
    try:
        known["lang"] = language_code(meta.pop("lang", None)) or detect_language(text)  # type: ignore[arg-type]
    except ValueError as exc:
        raise InputError(source, str(exc)) from None
    when = stated_date(source, Given(), ("date", meta.pop("date", None)), fix="use YYYY-MM-DD")
    doc = Document(text=text, source=source, format="text", date=when, meta=dict(meta), **known)  # type: ignore[arg-type]
    turns = find_turns(text)
    return replace(doc, turns=turns, format="transcript") if turns else doc
