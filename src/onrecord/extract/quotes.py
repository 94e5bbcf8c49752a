"""Quotation marks -> quoted spans, on the raw text and before any parsing.

Handles curly and straight double marks, and quotes running over several paragraphs
(no closing mark at a paragraph's end, an opening mark at the next one's start).
An opening mark that is never closed is dropped, so unbalanced input yields no span.
"""

from __future__ import annotations

from onrecord.model import Span

OPENERS = '“„«"'
CLOSERS = '”“»"'


def find_quotes(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Quoted spans in ``text[start:end]``, each including its quotation marks."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    open_at: int | None = None
    pos = start
    while pos < end:
        ch = text[pos]
        if ch == "\n" and open_at is not None:
            # A quote may run on into the next paragraph only if that one opens with a mark.
            nxt = pos
            while nxt < end and text[nxt] in " \t\r\n\u00a0":
                nxt += 1
            if nxt < end and text[nxt] in '“"':
                pos = nxt + 1
                continue
            open_at = None
        elif open_at is None:
            if ch in OPENERS and ch != "”":
                open_at = pos
        elif ch in '”"»':
            if pos - open_at > 1:
                spans.append(Span(open_at, pos + 1))
            open_at = None
        elif ch == "“":  # a new opening mark: the previous one was never closed
            open_at = pos
        pos += 1
    return spans


def inner(span: Span, text: str) -> Span:
    """The span without its quotation marks."""
    start, end = span.start, span.end
    if end - start >= 2 and text[start] in OPENERS:
        start += 1
    if end > start and text[end - 1] in CLOSERS:
        end -= 1
    return Span(start, end)
