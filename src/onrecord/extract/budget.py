"""A per-document time budget, checked cooperatively between units of work.

The extractor checks it between parsed sections and sentences, the resolver between
statements; going over raises :class:`OverBudget`. Unlike an alarm signal this works in any
thread (the web server extracts in a worker thread) and leaves no half-done state behind.
"""

from __future__ import annotations

import time


def clock() -> float:
    """Seconds on a clock that only moves forward (a module function, so tests can replace it)."""
    return time.monotonic()


class OverBudget(Exception):
    """A document took longer than its budget; the message says what to do."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"extraction took longer than {seconds:g} s (the --doc-timeout budget); split the document "
            "into smaller files, or raise --doc-timeout"
        )


class Deadline:
    """``seconds`` from :meth:`start` on; None never runs out."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._end: float | None = None

    def start(self) -> None:
        """Start the clock, once: later calls keep the first start."""
        if self.seconds is not None and self._end is None:
            self._end = clock() + self.seconds

    def check(self) -> None:
        """Raise :class:`OverBudget` when the budget is spent (a budget of 0 is spent at once)."""
        if self._end is not None and clock() >= self._end:
            raise OverBudget(self.seconds or 0)
