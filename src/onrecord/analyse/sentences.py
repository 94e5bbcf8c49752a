"""Words and sentence boundaries in stored text, without a parser: what comparisons of statements
and passages see."""

from __future__ import annotations

import re

WORD = re.compile(r"[\w']+")
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z])")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty sentence of ``text``."""
    spans, at = [], 0
    for m in _SENTENCE.finditer(text):
        spans.append((at, m.start()))
        at = m.end()
    spans.append((at, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


_ANY_SENTENCE = re.compile(r"(?<=[.!?…])[\"”’'»]?\s+(?=[\"“‘'«„—–-]?\s?[A-ZА-ЯЁ])")


def sentences_any(text: str) -> list[tuple[int, int]]:
    """:func:`sentences` for any script, with Russian quotation marks and dashes (issue 15)."""
    spans, at = [], 0
    for m in _ANY_SENTENCE.finditer(text):
        spans.append((at, m.start()))
        at = m.end()
    spans.append((at, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def normal(text: str) -> str:
    """Curly apostrophes as straight ones, so ``don’t`` and ``don't`` are one word."""
    return text.replace("’", "'").replace("‘", "'")


def words(text: str) -> list[str]:
    """Lower-case words with quote styles and punctuation gone."""
    return WORD.findall(normal(text).lower())
