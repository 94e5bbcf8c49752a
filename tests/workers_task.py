"""A worker task for tests/test_workers.py, importable by a spawned worker process."""

from __future__ import annotations

import os

from onrecord.model import Document
from onrecord.pipeline import Outcome, _process_batch


def die_on_marker(batch: list[Document], budget: float | None, sign: bool = False) -> list[Outcome]:
    """Extract like a worker does, except that a batch holding a document whose text starts with
    "DIE" kills its worker process, as running out of memory would."""
    if any(d.text.startswith("DIE") for d in batch):
        os._exit(1)
    return _process_batch(batch, budget, sign)
