"""Counting work instead of timing it: tests of linear cost that no busy machine can skew."""

from __future__ import annotations

import sys
from collections.abc import Callable


def calls_in_onrecord(work: Callable[[], object]) -> int:
    """How many Python functions of onrecord ``work`` calls (spaCy's own work is not counted)."""
    count = 0

    def profile(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal count
        if event == "call" and "onrecord" in frame.f_code.co_filename:
            count += 1

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count
