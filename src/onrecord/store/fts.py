"""Passages ranked by FTS5 ``bm25()`` without scoring every passage that shares a common word (SQLite).

An OR query over a statement's words scores every passage holding any of them, and "great" alone is in
6,918 of the trump database's 64,091 passages. ``bm25()`` is a sum over the query's phrases of the
phrase's idf times a term-frequency part that stays below k1 + 1, so a passage holding none of the
rarest phrases (the head) scores less than the common phrases' (the tail's) idf × (k1 + 1) summed.
The passages holding a phrase of the head are scored first, over every phrase of the query
(``head AND tail``, ``head NOT tail``: each phrase once and in one order, so FTS5 gives them the very
scores of the OR query in that order); when the last of the best ``limit`` of them (past the filters)
scores above the tail's bound, no other passage can be among the best, and the passages that hold only
common phrases are never scored (MaxScore: Turtle and Flood, 1995). Otherwise that last score tells
how much of the tail must join the head for a second search to settle it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, text

K1 = 1.2  # FTS5's bm25(): a term-frequency part stays below K1 + 1
IDF_FLOOR = 1e-6  # FTS5's idf of a phrase in more than half the rows
FIRST_HEAD_ROWS = 10_000  # passages the first head may hold together: the rarest phrases up to this many
_MARGIN = 1 + 1e-9  # a score must beat a bound by more than rounding to settle a search
_AVERAGES = 1  # the rowid of FTS5's record of row and token counts in its %_data table


def phrases(words: Sequence[str]) -> list[str]:
    """Query words -> the phrases of an FTS5 query (no syntax leaks in). A phrase two words share
    ("s" of "it's" and "he's") is there twice, and counts twice in the scores, as it always has."""
    return sorted(w for word in words for w in re.findall(r"\w+", word))


def match(phrases: Sequence[str], operator: str = " OR ") -> str:
    return operator.join('"' + p.replace('"', '""') + '"' for p in phrases)


def _varint(block: bytes, at: int) -> tuple[int, int]:
    """SQLite's variable-length integer at ``at`` in ``block``: (value, where the next begins)."""
    value = 0
    for n in range(8):
        byte = block[at + n]
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value, at + n + 1
    return (value << 8) | block[at + 8], at + 9


@dataclass(frozen=True)
class Plan:
    """A query's phrases, rarest first, with what a passage holding only the last of them can score."""

    phrases: tuple[str, ...]  # phrases found in some passage, fewest passages first
    rows: tuple[int, ...]  # how many passages hold each
    tails: tuple[float, ...]  # tails[j]: more than a passage holding only phrases[j:] scores; tails[-1] = 0

    @classmethod
    def read(cls, conn: Connection, table: str, words: Sequence[str]) -> Plan:
        """The plan of an OR query over ``words`` on the FTS5 ``table``, from the row counts FTS5 keeps
        (those its ``bm25()`` reads) and one count per phrase."""
        found = phrases(words)
        if not found:
            return cls((), (), (0.0,))
        each = sorted(set(found))
        counts = ", ".join(f"(SELECT count(*) FROM {table} WHERE {table} MATCH :p{n})" for n in range(len(each)))
        block, *hits = conn.execute(
            text(f"SELECT (SELECT block FROM {table}_data WHERE id = {_AVERAGES}), {counts}"),
            {f"p{n}": match([p]) for n, p in enumerate(each)},
        ).one()
        total = _varint(block, 0)[0] if block else 0
        held = dict(zip(each, hits, strict=True))
        # a phrase in no passage adds 0.0 to every score (and FTS5 cannot score a phrase with no token)
        kept = sorted((held[p], p) for p in found if held[p])
        bounds = [(K1 + 1) * max(math.log((total - h + 0.5) / (h + 0.5)), IDF_FLOOR) for h, _ in kept]
        tails = [0.0]
        for bound in reversed(bounds):
            tails.append(tails[-1] + bound)
        return cls(tuple(p for _, p in kept), tuple(h for h, _ in kept), tuple(reversed(tails)))

    def first_head(self, rows: int | None = None) -> int:
        """How many of the rarest phrases the first search starts from: those held by at most ``rows``
        (:data:`FIRST_HEAD_ROWS`) passages together, and at least one."""
        rows = FIRST_HEAD_ROWS if rows is None else rows
        head, held = 1, self.rows[0] if self.rows else 0
        while head < len(self.rows) and held + self.rows[head] <= rows:
            held += self.rows[head]
            head += 1
        return head

    def settled(self, head: int, scores: Sequence[float], limit: int) -> bool:
        """Whether the best ``scores`` (``limit`` of them at most, best first) of the passages holding
        one of the first ``head`` phrases are the best of all: every phrase is in the head, or the last
        of them beats what a passage holding only the tail can score."""
        return head >= len(self.phrases) or (len(scores) == limit and scores[-1] > self.tails[head] * _MARGIN)

    def next_head(self, scores: Sequence[float], limit: int) -> int:
        """The fewest of the rarest phrases whose tail the ``limit``-th score found so far beats (more
        passages can only raise it, so a search from that head is settled); all of them with fewer."""
        if len(scores) < limit:
            return len(self.phrases)
        return next(j for j, tail in enumerate(self.tails) if scores[-1] > tail * _MARGIN)

    def matches(self, head: int) -> list[str]:
        """FTS5 queries that together find the passages holding one of the first ``head`` phrases, each
        scored over all the phrases (the same phrases in the same order: the OR query's scores)."""
        first, rest = match(self.phrases[:head]), match(self.phrases[head:])
        if not rest:
            return [first]
        return [f"({first}) AND ({rest})", f"({first}) NOT ({rest})"]
