"""One exception tree for onrecord. Every message names the cause and what to do next.

OnrecordError
 ├── InputError            a file or record that cannot be read as a document
 │    │ (``path`` names it; the rest of a batch still goes in)
 │    └── FetchError       a URL that cannot be fetched or is refused (SSRF guard, robots.txt,
 │                         timeout, 4xx/5xx, too large); ``path`` is the URL
 ├── ModelNotFoundError    no English spaCy pipeline is installed
 ├── OutputError           a file onrecord was asked to write and will not (exists, is the database)
 ├── StoreError            the database cannot be opened or written
 │    └── NotFoundError    a document or statement that is not in the store
 └── EvaluationError       a gold set that cannot be read
"""

from __future__ import annotations

import unicodedata

# Characters that end a line, move the cursor or drive the terminal (ESC), or reorder or hide
# what is shown (bidi overrides, zero-width), plus lone surrogates, which cannot even be encoded.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with control, format and separator characters escaped (``\\n``, ``\\x1b``,
    ``\\u202e``), so that a message built from a file name stays one line and cannot drive a terminal."""
    if text.isprintable():  # the usual case, and fast
        return text
    return "".join(_escape(ch) if unicodedata.category(ch) in _UNSAFE_CATEGORIES else ch for ch in text)


def _escape(ch: str) -> str:
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape): show the byte
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


class OnrecordError(Exception):
    """Base of every error onrecord raises on purpose."""


class InputError(OnrecordError):
    """A file or record that cannot become a document.

    ``path`` and ``problem`` are kept as given; the message escapes control characters in both,
    so it is always one line whatever the file is called."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{printable(path)}: {printable(problem)}")
        self.path = path
        self.problem = problem


class ExtractionError(InputError):
    """The extractor failed on one document; the others are unaffected."""


class FetchError(InputError):
    """A URL that was refused or could not be fetched; the other URLs of a run still go in."""


class ModelNotFoundError(OnrecordError):
    """No English spaCy pipeline can be loaded."""


class OutputError(OnrecordError):
    """A file onrecord refuses to write: it exists (without --force) or is the database itself."""


class StoreError(OnrecordError):
    """The database cannot be opened, migrated or written."""


class NotFoundError(StoreError):
    """A document or statement that is not in the store."""


class EvaluationError(OnrecordError):
    """A gold set that cannot be read."""
