"""The flow in one place: ingest -> extract -> resolve, yielding documents with statements.

Sits above the four sibling layers (they never import one another); the CLI, the store
loader and batch jobs all go through here, so the steps are composed once.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing.context import BaseContext

from onrecord import ingest
from onrecord.config import setting
from onrecord.errors import ExtractionError, InputError
from onrecord.extract import VERSIONS, Extractor, OverBudget, batched, parse_mode, version_for
from onrecord.model import Document, Statement
from onrecord.resolve import resolve_document

# what stored statements record as their extractor, known without loading the spaCy pipeline: the
# English rules' version, and each language's (a document records the one for its language)
EXTRACTOR_VERSION = Extractor.version
EXTRACTOR_VERSIONS = VERSIONS
extractor_version = version_for


@dataclass(frozen=True, slots=True)
class Processed:
    """A document and its resolved statements."""

    document: Document
    statements: tuple[Statement, ...]
    error: str | None = None  # set when extraction failed for this document alone
    # the text's syndication signature when asked for (``process(sign=True)``), for ``Store.add``:
    # computed where the text was parsed, so a worker process does it, not the one that stores
    signature: bytes | None = None


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


def worker_count(value: int | str) -> int:
    """The worker processes for ``process`` from a ``--workers`` value: 0 is one per core (at most
    4: each holds its own spaCy pipeline), 1 parses in this process. Raises ValueError for a value
    that is not a whole number of 0 or more."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        raise ValueError("must be a whole number of worker processes, 0 or more (0: one per core)")
    return int(text) or min(4, os.cpu_count() or 1)


def default_extractor() -> Extractor:
    """One extractor (one loaded spaCy pipeline) per process and parse setting."""
    return _extractor(parse_mode(setting("parse")))


@lru_cache(maxsize=2)
def _extractor(selective: bool) -> Extractor:
    return Extractor(selective=selective)


def process(
    documents: Iterable[Document],
    extractor: Extractor | None = None,
    *,
    budget: float | None = None,
    workers: int = 1,
    sign: bool = False,
) -> Iterator[Processed]:
    """Extract and resolve the statements of each document, streaming, in input order.

    A document whose extraction and resolution take longer than ``budget`` seconds (None: no
    limit) comes back with no statements and a one-line ``error``; the others go on. The
    budget is checked between units of work, so it holds in any thread.

    With ``workers`` > 1 (and the default extractor), documents are parsed in that many worker
    processes, each loading the spaCy pipeline once, a few batches ahead of the caller, who
    still receives them one at a time and in order (so a store writes each in its own
    transaction). A worker that dies fails the documents it held, with one line each; the
    others go on in a new pool. Fewer than about 16 documents stay in this process.

    ``sign``: each extracted document also carries its syndication signature (``Processed.signature``),
    computed beside its extraction (in the workers, with ``workers`` > 1).
    """
    if workers > 1 and extractor is None:
        yield from _process_in_workers(documents, workers, budget, sign=sign)
        return
    extractor = extractor or default_extractor()
    pending: deque[Document] = deque()
    if sign:  # here, not at the top: `import onrecord` need not load the analyse layer
        from onrecord.analyse.syndication import signature_bytes

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
        yield Processed(document, statements, signature=signature_bytes(document.text) if sign else None)


# A worker's share of the work: small (issue 17), so that when the input ends no worker is left with
# a large share to parse while the other waits (a share of 200,000 characters, the size before, is
# about 10 s of one core for campaign transcripts). Parsing
# costs the same per character in batches of 2, 4 or 16 documents (measured: 32 transcripts, 21.4,
# 22.3 and 22.9 CPU s).
_BATCH_DOCUMENTS = 4
_BATCH_CHARS = 50_000
_IN_PROCESS_BATCHES = 4  # fewer batches than this (16 documents or 200,000 characters) stay in this process


# what a worker sends back for each document of a batch: ``Processed`` without the document
Outcome = tuple[tuple[Statement, ...], str | None, bytes | None]
# a worker's task: (batch, budget, sign) -> each document's outcome, in order
Task = Callable[[list[Document], float | None, bool], list[Outcome]]


def _process_batch(batch: list[Document], budget: float | None, sign: bool = False) -> list[Outcome]:
    """In a worker: one batch, with the worker's own extractor (loaded on its first batch). Each
    document comes back as its outcome alone: the caller holds the documents, and sending each text
    back would double what the main process unpickles (issue 17)."""
    return [(p.statements, p.error, p.signature) for p in process(batch, budget=budget, sign=sign)]


def _process_in_workers(
    documents: Iterable[Document],
    workers: int,
    budget: float | None,
    task: Task = _process_batch,
    *,
    sign: bool = False,
) -> Iterator[Processed]:
    batches = batched(documents, _BATCH_DOCUMENTS, _BATCH_CHARS)
    head = list(itertools.islice(batches, _IN_PROCESS_BATCHES))
    if len(head) < _IN_PROCESS_BATCHES:  # too little work: starting workers would cost more than it saves
        yield from process([document for batch in head for document in batch], budget=budget, sign=sign)
        return
    # "spawn": a fresh interpreter per worker, inheriting no threads or locks from this process
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context)
    pending = itertools.chain(head, batches)
    window: deque[tuple[list[Document], Future[list[Outcome]]]] = deque()
    try:
        while True:
            # a few batches ahead of the caller, so no worker waits and memory stays bounded
            while len(window) < 4 * workers and (batch := next(pending, None)) is not None:
                window.append((batch, pool.submit(task, batch, budget, sign)))
            if not window:
                return
            batch, future = window.popleft()
            try:
                outcomes = future.result()
            except BrokenProcessPool:
                # a worker died (killed, out of memory) and the pool failed every batch it held:
                # this one is tried again alone, the rest go to a new pool
                pool.shutdown(cancel_futures=True)
                outcomes = _alone(batch, task, budget, sign, context)
                pool = ProcessPoolExecutor(workers, mp_context=context)
                window = deque((b, pool.submit(task, b, budget, sign)) for b, _ in window)
            for document, (statements, error, signature) in zip(batch, outcomes, strict=True):
                yield Processed(document, statements, error, signature)
    finally:
        pool.shutdown(cancel_futures=True)


def _alone(batch: list[Document], task: Task, budget: float | None, sign: bool, context: BaseContext) -> list[Outcome]:
    """A batch whose pool broke, run in a worker of its own: it fails only if it kills that one too."""
    with ProcessPoolExecutor(1, mp_context=context) as single:
        try:
            return single.submit(task, batch, budget, sign).result()
        except BrokenProcessPool:
            return [((), "a worker process died while extracting it", None) for _ in batch]


def read_paths(
    paths: Iterable[str],
    *,
    date: str | None = None,
    outlet: str | None = None,
    max_bytes: int | None = None,
    lang: str | None = None,
) -> Iterator[Document | InputError]:
    """Every document in ``paths`` (files, directories, globs), or an error per bad file or record;
    ``lang`` names their language instead of telling it from each one's script."""
    for path in ingest.expand(paths):
        if isinstance(path, InputError):
            yield path
            continue
        try:
            yield from ingest.read(path, date=date, outlet=outlet, max_bytes=max_bytes, lang=lang)
        except InputError as exc:
            yield exc


def extract(text: str, **meta: object) -> list[Statement]:
    """Statements attributed in ``text``; ``meta`` may give title, date, outlet, author, url.

    >>> [s.speaker for s in extract('"We will not back down," Anna Petrova said.')]
    ['Anna Petrova']
    """
    document = ingest.from_text(text, **meta)
    return list(next(process([document])).statements)
