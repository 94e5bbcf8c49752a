"""A document's text as nested, escaped HTML marks: statements (nested ones inside their parent),
the speaker mention and the cue of each, and unmarked narration between them."""

from __future__ import annotations

import html
import zlib
from dataclasses import dataclass

from markupsafe import Markup

from onrecord.model import Span, Statement

PALETTE_SIZE = 8


def colour_of(speaker: str | None) -> int:
    """A stable palette index per speaker (the same colour on every page)."""
    return zlib.crc32((speaker or "").encode()) % PALETTE_SIZE


@dataclass(frozen=True, slots=True)
class _Mark:
    span: Span
    open_tag: str
    rank: int  # among equal spans: statements outside, then mentions and cues


def _marks(found: list[tuple[Statement, str | None]]) -> list[_Mark]:
    marks = []
    for statement, identity in found:
        who = identity or statement.speaker or statement.speaker_mention or "unattributed"
        act = "" if statement.act == "say" else f" — {statement.act}"  # a belief, plan or finding, not speech
        title = f"{who} — {statement.kind}{act}" + (f" — cue: {statement.cue}" if statement.cue else "")
        classes = f"st k-{statement.kind} c{colour_of(identity or statement.speaker)}"
        marks.append(
            _Mark(
                statement.content_span,
                f'<mark class="{classes}" id="s{statement.index}" data-speaker="{html.escape(who)}" '
                f'data-kind="{statement.kind}" data-act="{statement.act}" title="{html.escape(title)}">'
                f'<sup class="n">{statement.index}</sup>',
                0,
            )
        )
        if statement.speaker_span:
            marks.append(_Mark(statement.speaker_span, f'<span class="who" title="{html.escape(who)}">', 1))
        if statement.cue_span:
            marks.append(_Mark(statement.cue_span, '<span class="cue">', 1))
    return marks


def highlight(text: str, found: list[tuple[Statement, str | None]]) -> Markup:
    """Escaped HTML of ``text`` with every statement marked; a mark crossing an enclosing one is clipped."""
    marks = sorted(_marks(found), key=lambda m: (m.span.start, -m.span.end, m.rank))
    out: list[str] = []
    stack: list[int] = []  # ends of the open marks
    at = 0

    def close_until(position: int) -> None:
        nonlocal at
        while stack and stack[-1] <= position:
            end = stack.pop()
            out.append(html.escape(text[at:end]))
            out.append("</span>" if out_kinds.pop() == "span" else "</mark>")
            at = end

    out_kinds: list[str] = []
    for mark in marks:
        close_until(mark.span.start)
        end = min(mark.span.end, stack[-1]) if stack else mark.span.end
        if end <= mark.span.start:
            continue
        out.append(html.escape(text[at : mark.span.start]))
        at = mark.span.start
        out.append(mark.open_tag)
        out_kinds.append("span" if mark.open_tag.startswith("<span") else "mark")
        stack.append(end)
    close_until(len(text))
    out.append(html.escape(text[at:]))
    return Markup("".join(out))
