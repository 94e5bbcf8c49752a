"""A per-document time budget, checked cooperatively between units of work.

The extractor checks it between parsed sections and sentences, the resolver between
statements; going over raises :class:`OverBudget`. Unlike an alarm signal this works in any
thread (the web server extracts in a worker thread) and leaves no half-done state behind.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


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
    """``seconds`` of work on one document; None never runs out.

    Only time spent on this document counts: a batch parse is shared out by characters
    (:meth:`charge`), and the rest is counted while the work runs (:meth:`running`), so a slow
    neighbour in the same batch does not use up this document's budget.
    """

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.spent = 0.0
        self._since: float | None = None

    def charge(self, seconds: float) -> None:
        """Count ``seconds`` of shared work against this document."""
        self.spent += seconds

    @contextmanager
    def running(self) -> Iterator[None]:
        """Count the time spent inside the block."""
        self._since = clock()
        try:
            yield
        finally:
            self.spent += clock() - self._since
            self._since = None

    def check(self) -> None:
        """Raise :class:`OverBudget` when the budget is spent (a budget of 0 is spent at once)."""
        if self.seconds is None:
            return
        spent = self.spent + (clock() - self._since if self._since is not None else 0.0)
        if spent >= self.seconds:
            raise OverBudget(self.seconds)
