"""The flow in one place: ingest -> extract -> resolve, yielding documents with statements.

Sits above the four sibling layers (they never import one another); the CLI, the store
loader and batch jobs all go through here, so the steps are composed once.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from onrecord import ingest
from onrecord.errors import ExtractionError, InputError
from onrecord.extract import Extractor, OverBudget
from onrecord.model import Document, Statement
from onrecord.resolve import resolve_document


@dataclass(frozen=True, slots=True)
class Processed:
    """A document and its resolved statements."""

    document: Document
    statements: tuple[Statement, ...]
    error: str | None = None  # set when extraction failed for this document alone


def budget_seconds(value: float | str) -> float | None:
    """The per-document budget for ``process`` from a ``--doc-timeout`` value: seconds, 0 for none.
    Raises ValueError for a value that is not a finite number of 0 or more."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError("must be a number of seconds, 0 or more (0: no limit)")
    return seconds or None


@lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    """One extractor (one loaded spaCy pipeline) per process."""
    return Extractor()


def process(
    documents: Iterable[Document], extractor: Extractor | None = None, *, budget: float | None = None
) -> Iterator[Processed]:
    """Extract and resolve the statements of each document, streaming.

    A document whose extraction and resolution take longer than ``budget`` seconds (None: no
    limit) comes back with no statements and a one-line ``error``; the others go on. The
    budget is checked between units of work, so it holds in any thread.
    """
    extractor = extractor or default_extractor()
    pending: deque[Document] = deque()

    def remember(docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            pending.append(doc)
            yield doc

    for extraction, deadline in extractor.pipe_with_deadlines(remember(documents), budget=budget):
        document = pending.popleft()
        if isinstance(extraction, ExtractionError):
            yield Processed(document, (), extraction.problem)
            continue
        try:
            with deadline.running():
                statements = tuple(resolve_document(document, extraction, check=deadline.check))
        except OverBudget as exc:
            yield Processed(document, (), str(exc))
            continue
        except Exception as exc:  # noqa: BLE001 - one document must not stop a batch
            yield Processed(
                document, (), f"speaker resolution failed ({exc.__class__.__name__}: {exc}); please report this"
            )
            continue
        yield Processed(document, statements)


def read_paths(
    paths: Iterable[str], *, date: str | None = None, outlet: str | None = None, max_bytes: int | None = None
) -> Iterator[Document | InputError]:
    """Every document in ``paths`` (files, directories, globs), or an error per bad file or record."""
    for path in ingest.expand(paths):
        if isinstance(path, InputError):
            yield path
            continue
        try:
            yield from ingest.read(path, date=date, outlet=outlet, max_bytes=max_bytes)
        except InputError as exc:
            yield exc


def extract(text: str, **meta: object) -> list[Statement]:
    """Statements attributed in ``text``; ``meta`` may give title, date, outlet, author, url.

    >>> [s.speaker for s in extract('"We will not back down," Anna Petrova said.')]
    ['Anna Petrova']
    """
    document = ingest.from_text(text, **meta)
    return list(next(process([document])).statements)
