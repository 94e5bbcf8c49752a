"""Words, sentence boundaries and passages in stored text, without a parser: what comparisons of
statements and passages see. Beneath every layer: the store cuts transcript turns into passages with
:func:`chunks` when it stores them, and analysis compares them with the same words."""

from __future__ import annotations

import re

WORD = re.compile(r"[\w']+")
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z])")


def between(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces of ``text`` between the matches of ``pattern``."""
    spans, at = [], 0
    for m in pattern.finditer(text):
        spans.append((at, m.start()))
        at = m.end()
    spans.append((at, len(text)))
    return spans


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty sentence of ``text``."""
    return [(a, b) for a, b in between(_SENTENCE, text) if text[a:b].strip()]


_ANY_SENTENCE = re.compile(r"(?<=[.!?…])[\"”’'»]?\s+(?=[\"“‘'«„—–-]?\s?[A-ZА-ЯЁ])")


def sentences_any(text: str) -> list[tuple[int, int]]:
    """:func:`sentences` for any script, with Russian quotation marks and dashes (issue 15)."""
    return [(a, b) for a, b in between(_ANY_SENTENCE, text) if text[a:b].strip()]


def normal(text: str) -> str:
    """Curly apostrophes as straight ones, so ``don’t`` and ``don't`` are one word."""
    return text.replace("’", "'").replace("‘", "'")


# every ASCII character that is not part of a WORD, as a space: ASCII text splits into its words
_ASCII_SPACES = str.maketrans({chr(c): " " for c in range(128) if not WORD.fullmatch(chr(c))})


def words(text: str) -> list[str]:
    """Lower-case words with quote styles and punctuation gone."""
    if text.isascii():  # most text: the same words, about twice as fast as the pattern
        return text.lower().translate(_ASCII_SPACES).split()
    return WORD.findall(normal(text).lower())


CHUNK_CHARS = 700  # passages are cut to about this length at sentence ends


def chunks(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Paragraph-sized pieces of a long text, cut at sentence ends: what a candidate search compares."""
    pieces: list[tuple[int, int]] = []
    start = end = None
    for a, b in sentences(text):
        if start is None:
            start = a
        elif b - start > size:
            pieces.append((start, end))  # type: ignore[arg-type]
            start = a
        end = b
    if start is not None:
        pieces.append((start, end))  # type: ignore[arg-type]
    return pieces
