"""Quotation marks -> quoted spans, on the raw text and before any parsing.

Handles curly (“ ”), straight (") and doubled-apostrophe ('') marks, guillemets («ёлочки», with
„лапки“ or other marks inside them read as part of the quotation), German and Russian „…“, and quotes
running over several paragraphs (no closing mark at a paragraph's end, an opening mark at
the next one's start). An opening mark that is never closed is dropped, so unbalanced input
yields no span.
"""

from __future__ import annotations

import bisect
import re

from onrecord.model import Span

_OPEN_ONLY = "“„«"
_CLOSE_ONLY = "”»"
_EITHER = ('"', "''")  # straight marks open or close depending on state
_MARK_OR_BREAK = re.compile("[\n\"“„«”»]|''")


def _mark(text: str, pos: int) -> tuple[str, int] | None:
    """The quotation mark at ``pos``: ("open" | "close" | "either", width), or None."""
    if text.startswith("''", pos):
        return "either", 2
    ch = text[pos]
    if ch in _OPEN_ONLY:
        return "open", 1
    if ch in _CLOSE_ONLY:
        return "close", 1
    if ch == '"':
        return "either", 1
    return None


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
            mark = _mark(text, nxt) if nxt < end else None
            if mark and mark[0] != "close":
                pos = nxt + mark[1]
                continue
            open_at = None
            pos += 1
            continue
        mark = _mark(text, pos)
        if mark is None:  # on to the next character that can matter
            found = _MARK_OR_BREAK.search(text, pos + 1, min(len(text), end + 1))
            pos = found.start() if found else end
            continue
        kind, width = mark
        if open_at is not None and text[open_at] == "«" and ch in '„“”"':
            # «… „…“ …»: quotation marks inside guillemets are a quotation within the quotation
            pos += width
            continue
        if open_at is not None and text[open_at] == "„" and ch == "“":
            kind = "close"  # „лапки“: the low opening mark closes with the high one
        if open_at is None:
            if kind != "close":
                open_at = pos
        elif kind in {"close", "either"}:
            if pos - open_at > 1:
                spans.append(Span(open_at, pos + width))
            open_at = None
        else:  # a new opening mark: the previous one was never closed
            open_at = pos
        pos += width
    return _split_inner_frames(text, spans)


# «Мы готовы, — сказал Соколов, — но не на любых условиях»: a frame between dashes inside guillemets
# splits the quotation in two, as "A," he said, "B." does in English (issue 15)
_INNER_FRAME = re.compile(r"(?<=[,.!?…])[ \t]+[—–][ \t]+[^«»—–\n]{1,80}?[,.:][ \t]+(?=[—–][ \t])")


def _split_inner_frames(text: str, spans: list[Span]) -> list[Span]:
    out = []
    for span in spans:
        if text[span.start] != "«":
            out.append(span)
            continue
        start = span.start
        for frame in _INNER_FRAME.finditer(text, span.start + 1, span.end - 1):
            out.append(Span(start, frame.start()))
            start = frame.end()
        out.append(Span(start, span.end))
    return out


def inner(span: Span, text: str) -> Span:
    """The span without its quotation marks."""
    start, end = span.start, span.end
    opening = _mark(text, start) if end - start >= 2 else None
    if opening and opening[0] != "close":
        start += opening[1]
    if end - 2 >= start and text.startswith("''", end - 2):
        end -= 2
    elif end > start and (text[end - 1] in _CLOSE_ONLY or text[end - 1] == '"'):
        end -= 1
    return Span(start, end)


def outer(span: Span, text: str) -> Span:
    """The span with the quotation marks :func:`inner` took off."""
    start, end = span.start, span.end
    if start >= 2 and text.startswith("''", start - 2):
        start -= 2
    elif start >= 1 and (text[start - 1] in _OPEN_ONLY or text[start - 1] == '"'):
        start -= 1
    if text.startswith("''", end):
        end += 2
    elif end < len(text) and (text[end] in _CLOSE_ONLY or text[end] == '"'):
        end += 1
    return Span(start, end)


_SMALL_WORDS = {"a", "an", "the", "of", "in", "on", "and", "or", "for", "to", "at", "by", "with", "from"}


def looks_like_title(span: Span, text: str) -> bool:
    """A short quotation in title case — a show, book or slogan (``"This Week,"``), not speech."""
    words = [w.strip(",.;:!?'\"“”‘’") for w in inner(span, text).of(text).split()]
    words = [w for w in words if w]
    return 0 < len(words) <= 5 and all(w[0].isupper() or w.lower() in _SMALL_WORDS or not w[0].isalpha() for w in words)


class QuoteIndex:
    """Quotations in order, found near a span by bisection rather than a scan of them all.

    :func:`find_quotes` yields quotations in order and never overlapping, so their starts and
    ends are both sorted; for a list that is not (never seen), every lookup falls back to all.
    """

    def __init__(self, quotes: list[Span]) -> None:
        self.quotes = quotes
        self.starts = [q.start for q in quotes]
        self.ends = [q.end for q in quotes]
        self.ordered = all(a.end <= b.start for a, b in zip(quotes, quotes[1:], strict=False))

    def touching(self, span: Span) -> list[Span]:
        """Every quotation that overlaps ``span``, holds it or lies in it (a superset: filter it)."""
        if not self.ordered:
            return self.quotes
        return self.quotes[bisect.bisect_left(self.ends, span.start) : bisect.bisect_right(self.starts, span.end)]

    def ending_in(self, low: int, high: int) -> list[Span]:
        """Quotations whose end lies in ``[low, high]``, in order."""
        if not self.ordered:
            return [q for q in self.quotes if low <= q.end <= high]
        return self.quotes[bisect.bisect_left(self.ends, low) : bisect.bisect_right(self.ends, high)]

    def starting_in(self, low: int, high: int) -> list[Span]:
        """Quotations whose start lies in ``[low, high]``, in order."""
        if not self.ordered:
            return [q for q in self.quotes if low <= q.start <= high]
        return self.quotes[bisect.bisect_left(self.starts, low) : bisect.bisect_right(self.starts, high)]

    def first_from(self, at: int) -> Span | None:
        """The first quotation (in order) that starts at or after ``at``."""
        if not self.ordered:
            return next((q for q in self.quotes if q.start >= at), None)
        i = bisect.bisect_left(self.starts, at)
        return self.quotes[i] if i < len(self.quotes) else None
