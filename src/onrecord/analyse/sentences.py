"""Sentence boundaries in stored text, without a parser: enough to cut long turns into pieces."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z])")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty sentence of ``text``."""
    spans, at = [], 0
    for m in _SENTENCE.finditer(text):
        spans.append((at, m.start()))
        at = m.end()
    spans.append((at, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]
