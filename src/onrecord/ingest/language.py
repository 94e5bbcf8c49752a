"""A document's language, told on ingest from its script: plain code, no model.

The first step of the flow that knows about languages: ``read`` and ``from_text`` set
:attr:`Document.lang` with :func:`detect_language` unless the user names one (``--lang``), and
the extractor picks its rules by it. Cyrillic letters make Russian (the only Cyrillic language
onrecord reads); Latin letters make English.
"""

from __future__ import annotations

import re

LANGUAGES: tuple[str, ...] = ("en", "ru")  # the languages onrecord extracts statements from
CYRILLIC_SHARE = 0.4  # Russian when at least this share of the letters are Cyrillic
_SAMPLE = 20_000  # characters looked at: a long document's start tells its language
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]")


def detect_language(text: str) -> str:
    """``ru`` when at least :data:`CYRILLIC_SHARE` of the letters (in the first 20,000 characters)
    are Cyrillic, else ``en``. The share, not any Cyrillic at all: an English article may quote a
    Russian name in its own script."""
    sample = text[:_SAMPLE]
    cyrillic = len(_CYRILLIC.findall(sample))
    if not cyrillic:  # most texts: no letter to count (counting them all cost more than the rest of reading)
        return "en"
    letters = len(_LETTER.findall(sample))
    return "ru" if cyrillic >= CYRILLIC_SHARE * letters else "en"


def language_code(value: str | None) -> str | None:
    """A user's ``--lang`` value as one of :data:`LANGUAGES` (``RU``, ``ru-RU`` -> ``ru``), None
    when none was given. Raises ValueError naming the languages onrecord reads."""
    if value is None or not value.strip():
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {value!r}; choose from {', '.join(LANGUAGES)}")
    return code
