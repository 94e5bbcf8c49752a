"""Bytes to text: refuse binary, read UTF-8 (and UTF-16/32 with a byte-order mark), never guess silently.

A file that is not UTF-8 is decoded only when charset detection is confident (one clear
candidate with a coherent language); the document then carries a note saying what was assumed,
which the CLI shows. Anything else is refused with the offset of the first bad byte:
mostly-UTF-8 text with a few bad bytes is damaged or mixes encodings, and guessing a legacy
encoding for it would store mojibake.
"""

from __future__ import annotations

import codecs
import re

from onrecord.errors import InputError

_BINARY_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF")
# UTF-32 first: its little-endian mark begins with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# White space and characters that show nothing (zero-width, byte-order mark, Hangul and Braille
# fillers): a text made only of these is empty, whatever its length.
_BLANK = re.compile(
    r"[\s\u00ad\u034f\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufeff\uffa0]*"
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A legacy guess must be this clean (charset_normalizer's "chaos", 0..1) and coherent in some language,
# and no rival of (almost) the same cleanliness may read the bytes differently.
_MAX_CHAOS, _MIN_COHERENCE, _RIVAL_MARGIN = 0.1, 0.3, 0.01
_RESAVE = "re-save the file as UTF-8"


def is_blank(text: str) -> bool:
    """True when ``text`` shows nothing: only (Unicode) white space and invisible characters."""
    return _BLANK.fullmatch(text) is not None


def bom_codec(data: bytes) -> str | None:
    """The codec a byte-order mark at the start of ``data`` names (which strips the mark), or None."""
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), None)


def html_charset(data: bytes) -> str | None:
    """The codec an HTML page declares in a ``<meta>`` near its start, when Python knows it."""
    found = _META_CHARSET.search(data[:4096])
    if not found:
        return None
    try:
        name = codecs.lookup(found[1].decode("ascii")).name
    except LookupError:
        return None
    # as browsers do (WHATWG): pages labelled Latin-1 or ASCII are windows-1252
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def decode(data: bytes, path: str, encoding: str | None = None, declared: str | None = None) -> tuple[str, str | None]:
    """Return ``(text, note)``; ``note`` says which encoding was assumed when it was detected.

    ``encoding`` forces a codec (the bytes must then be valid in it); ``declared`` is the one the
    file itself names (an HTML ``<meta charset>``), used when the bytes are not UTF-8. Raises
    :class:`InputError` for empty or binary data and for bytes whose encoding cannot be known.
    """
    if not data.strip():
        raise InputError(path, "the file is empty; nothing to read")
    note = None
    codec = encoding or bom_codec(data)
    if codec is not None:
        text = _strict(data, codec, path)
    else:
        _refuse_binary(data, path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text, note = (_strict(data, declared, path), None) if declared else _legacy(data, path, exc)
    text = text.removeprefix("\ufeff")  # a mark left by an explicit utf-8 or a legacy codec
    if is_blank(text):
        raise InputError(path, "the file is empty (only white space); nothing to read")
    if len(_CONTROL.findall(text)) > len(text) / 100:
        raise InputError(path, "this looks like binary data, not text")
    return text, note


def _strict(data: bytes, codec: str, path: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        name = codecs.lookup(codec).name
        raise InputError(path, f"is not valid {name} at {_where(data, exc.start)}; {_RESAVE}") from None


def _refuse_binary(data: bytes, path: str) -> None:
    head = data[:8192]
    if not data.startswith(_BINARY_SIGNATURES) and b"\x00" not in head:
        return
    # every other byte zero: UTF-16 text that lost (or never had) its byte-order mark
    if len(head) >= 8 and (head[0::2].count(0) > len(head) * 0.4 or head[1::2].count(0) > len(head) * 0.4):
        raise InputError(path, f"looks like UTF-16 text without a byte-order mark; {_RESAVE}")
    raise InputError(path, "this is a binary file, not text; convert it to text, HTML or JSONL first")


def _where(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"byte {offset} on line {line}"


def _legacy(data: bytes, path: str, error: UnicodeDecodeError) -> tuple[str, str]:
    """Decode bytes that are not UTF-8, only when their encoding is clear; else refuse."""
    where = _where(data, error.start)
    lenient = data.decode("utf-8", "replace")
    bad = lenient.count("\ufffd")
    good = len(lenient) - len(lenient.encode("ascii", "ignore")) - bad  # well-formed non-ASCII characters
    # Valid multi-byte sequences are rare by chance in a single-byte legacy encoding: many of them
    # mean UTF-8 text that is damaged or has another encoding pasted in, which no codec reads right.
    if good * 10 >= bad:
        raise InputError(
            path,
            f"is not valid UTF-8 at {where}, {bad} bad byte{'s' if bad != 1 else ''} in UTF-8 text "
            f"(damaged, or another encoding pasted in); {_RESAVE}",
        )
    guess, rivals = _detect(data)
    if guess is None:
        maybe = f" (it could be {', '.join(rivals[:2])} or {rivals[2]})" if len(rivals) > 2 else ""
        maybe = maybe or (f" (it could be {' or '.join(rivals)})" if rivals else "")
        raise InputError(path, f"is not UTF-8 ({where} is not valid) and its encoding is not clear{maybe}; {_RESAVE}")
    return data.decode(guess), f"not UTF-8; decoded as {guess} (detected; if the text looks wrong, {_RESAVE})"


def _detect(data: bytes) -> tuple[str | None, list[str]]:
    """``(encoding, [])`` when detection is confident, else ``(None, candidates)``."""
    from charset_normalizer import from_bytes  # slow to import; only needed for legacy files

    found = sorted(from_bytes(data), key=lambda m: (m.chaos, -m.coherence))
    if not found:
        return None, []
    best = found[0]
    names = [m.encoding for m in found]
    if best.chaos > _MAX_CHAOS or best.coherence < _MIN_COHERENCE:
        return None, names
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None, names
    rivals = [m.encoding for m in found[1:] if m.chaos <= best.chaos + _RIVAL_MARGIN and str(m) != text]
    return (None, [best.encoding, *rivals]) if rivals else (best.encoding, [])
