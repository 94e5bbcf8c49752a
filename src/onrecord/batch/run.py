"""Running shards on a Dask cluster, writing Parquet, and loading the result into a database."""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from onrecord.batch.shards import SHARD_BYTES, Shard, documents_of, largest_first, manifest_line, plan
from onrecord.config import setting
from onrecord.errors import InputError, OnrecordError
from onrecord.extract import VERSIONS, version_for
from onrecord.model import Document, Statement
from onrecord.pipeline import budget_seconds, default_extractor, process

MANIFEST = "manifest.jsonl"
# the rules a shard was extracted with, every language's: a shard is done again when any of them changes
RULES = "+".join(VERSIONS.values())
UNDATED = "unknown"
# Dask settings for the local cluster (issue 17). Worker saturation 1.0: a worker holds only the
# shard it runs, none queued behind it that a free worker could have taken (the default, 1.1, gives
# a one-thread worker two). The rest is Dask's own upkeep, which a batch on a few cores pays for in
# time taken from the work. Measured with tasks that sleep, on 2 cores busy with other work: with
# Dask's defaults each worker used 6-7% of a core (half of it the statistical profiler, which
# samples the running task's stack every 10 ms for a dashboard we don't start, most of the rest
# the event-loop tick every 20 ms) and the client process, which runs the scheduler and the
# nannies, 8%; with these settings 1.3% and 2.6%. Ticks and system metrics stay, less often.
LOCAL_CLUSTER = {
    "distributed.scheduler.worker-saturation": 1.0,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}


@dataclass(frozen=True, slots=True)
class ShardResult:
    shard: str
    documents: int
    statements: int
    failures: tuple[tuple[str, str], ...]  # (source, problem)
    seconds: float
    pid: int
    # where the time went, for a timeline (``BatchSummary.shard_results``): wall-clock times on the
    # worker (``time.time()``), the worker process's CPU seconds in this shard, the seconds spent
    # loading the extractor (only a worker's first shard loads it) and the characters extracted
    started: float = 0.0
    ended: float = 0.0
    cpu_seconds: float = 0.0
    load_seconds: float = 0.0
    chars: int = 0


@dataclass(slots=True)
class BatchSummary:
    shards: int = 0
    skipped: int = 0  # done by an earlier run with the same input and extractor
    done: int = 0
    failed_shards: list[tuple[str, str]] = field(default_factory=list)
    documents: int = 0
    statements: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    loaded: int | None = None  # documents added to the database, when asked
    # the timeline: when the run began (``time.time()``), how long the local cluster took to start
    # and to close, and each finished shard's result in the order they finished
    began: float = 0.0
    cluster_start_seconds: float = 0.0
    cluster_close_seconds: float = 0.0
    shard_results: list[ShardResult] = field(default_factory=list)

    @property
    def documents_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


# -- on a worker --------------------------------------------------------------------------------
def process_shard(shard: Shard, out: str) -> ShardResult:
    """Extract one shard and write its Parquet files. Runs on a worker; the spaCy pipeline is
    loaded once per worker process (:func:`default_extractor` is cached)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    started, wall, cpu = time.perf_counter(), time.time(), time.process_time()
    extractor = default_extractor()
    loaded = time.perf_counter()
    failures: list[tuple[str, str]] = []
    documents: list[dict[str, object]] = []
    by_month: dict[str, list[dict[str, object]]] = defaultdict(list)
    chars = 0

    def readable():  # type: ignore[no-untyped-def]
        for item in documents_of(shard):
            if isinstance(item, InputError):
                failures.append((item.path, item.problem))
            else:
                yield item

    for item in process(readable(), extractor, budget=budget_seconds(setting("doc_timeout"))):
        if item.error:
            failures.append((item.document.source, item.error))
            continue
        documents.append(item.document.record())
        chars += len(item.document.text)
        month = item.document.date[:7] if item.document.date else UNDATED
        by_month[month] += [_statement_row(item.document, s) for s in item.statements]
    root = Path(out)
    for old in root.glob(f"*/**/shard-{shard.id}.parquet"):  # what an interrupted run left
        old.unlink()
    _write(root / "documents" / f"shard-{shard.id}.parquet", documents, pa, pq)
    for month, rows in by_month.items():
        _write(root / "statements" / f"month={month}" / f"shard-{shard.id}.parquet", rows, pa, pq)
    return ShardResult(
        shard.id,
        len(documents),
        sum(len(r) for r in by_month.values()),
        tuple(failures),
        time.perf_counter() - started,
        os.getpid(),
        started=wall,
        ended=time.time(),
        cpu_seconds=time.process_time() - cpu,
        load_seconds=loaded - started,
        chars=chars,
    )


def _schema(kind: str):  # type: ignore[no-untyped-def]
    """Fixed column types, so shards where a column is all empty still read as one dataset."""
    import pyarrow as pa

    text, span = pa.string(), pa.list_(pa.int64())
    if kind == "documents":
        return pa.schema([(name, text) for name in Document(text="", source="", format="text").record()])
    return pa.schema(
        [("content_hash", text), ("date", text), ("index", pa.int64()), ("speaker", text), ("speaker_mention", text),
         ("speaker_span", span), ("cue", text), ("cue_span", span), ("content", text), ("content_span", span),
         ("kind", text), ("nested_in", pa.int64()), ("quotes", text), ("confidence", pa.float64()),
         ("act", text)]
    )  # fmt: skip


def _write(path: Path, rows: list[dict[str, object]], pa, pq) -> None:  # type: ignore[no-untyped-def]
    if not rows:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    kind = "documents" if path.parent.name == "documents" else "statements"
    pq.write_table(pa.Table.from_pylist(rows, schema=_schema(kind)), partial, compression="zstd")
    partial.replace(path)  # readers never see half a file


def _statement_row(document: Document, statement: Statement) -> dict[str, object]:
    row = statement.to_dict()
    row["quotes"] = json.dumps(row["quotes"])
    return {"content_hash": document.content_hash, "date": document.date, **row}


# -- on the client --------------------------------------------------------------------------------
def _manifest(out: Path) -> dict[str, dict[str, object]]:
    path = out / MANIFEST
    if not path.exists():
        return {}
    done: dict[str, dict[str, object]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            done[entry["id"]] = entry
    return done


def run_batch(
    inputs: Sequence[str],
    out: str | Path,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    shard_bytes: int = SHARD_BYTES,
    progress: Callable[[BatchSummary, int], None] | None = None,
) -> BatchSummary:
    """Process ``inputs`` into Parquet under ``out`` on a Dask cluster: a local one with ``workers``
    processes, or the one at ``scheduler`` (``tcp://host:8786``). Resumes from ``out``'s manifest.

    The input is cut into shards of about ``shard_bytes`` (:func:`plan`), many more than workers,
    and they run largest first; a local cluster hands a worker its next shard only when it is
    free, so when the work runs out each worker has at most one small shard left."""
    import dask
    from dask.distributed import Client, LocalCluster, as_completed

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    shards, problems = plan(inputs, shard_bytes)
    previous = _manifest(out)
    todo = [
        s
        for s in shards
        if not (
            (entry := previous.get(s.id))
            and entry.get("digest") == s.digest
            and entry.get("extractor") == RULES
            and entry.get("status") == "done"
        )
    ]
    todo = largest_first(todo)
    summary = BatchSummary(shards=len(shards), skipped=len(shards) - len(todo))
    summary.failures += [(p.path, p.problem) for p in problems]
    started = time.perf_counter()
    summary.began = time.time()
    if todo:
        cluster = None
        if scheduler is None:
            with dask.config.set(LOCAL_CLUSTER):  # no dashboard: nothing shows its address
                cluster = LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
                )
        summary.cluster_start_seconds = time.perf_counter() - started
        try:
            with Client(scheduler or cluster) as client, (out / MANIFEST).open("a", encoding="utf-8") as manifest:
                # the priority keeps the largest-first order (Dask runs higher priorities first)
                futures = [
                    client.submit(process_shard, shard, str(out), pure=False, priority=len(todo) - rank)
                    for rank, shard in enumerate(todo)
                ]
                by_key = {f.key: s for f, s in zip(futures, todo, strict=True)}
                for future in as_completed(futures):
                    shard = by_key[future.key]
                    try:
                        result: ShardResult = future.result()
                    except Exception as exc:  # noqa: BLE001 - a crashed shard is recorded, the batch goes on
                        summary.failed_shards.append((shard.id, f"{exc.__class__.__name__}: {exc}"))
                        manifest.write(manifest_line(shard, RULES, status="failed", error=str(exc)) + "\n")
                    else:
                        summary.done += 1
                        summary.documents += result.documents
                        summary.statements += result.statements
                        summary.failures += list(result.failures)
                        summary.shard_results.append(result)
                        manifest.write(
                            manifest_line(
                                shard, RULES, status="done", documents=result.documents,
                                statements=result.statements, failures=[list(f) for f in result.failures],
                                seconds=round(result.seconds, 2), worker_pid=result.pid,
                            ) + "\n"
                        )  # fmt: skip
                    manifest.flush()
                    summary.seconds = time.perf_counter() - started
                    if progress:
                        progress(summary, len(todo))
        finally:
            if cluster is not None:
                closing = time.perf_counter()
                cluster.close()
                summary.cluster_close_seconds = time.perf_counter() - closing
    summary.seconds = time.perf_counter() - started
    return summary


def load_into(out: str | Path, db: str, batch: int = 200) -> int:
    """Load a batch's Parquet output into the database (in bulk; documents already there are
    skipped), then link speakers and score topics. Returns the number of documents added."""
    import pyarrow.parquet as pq

    from onrecord.analyse import refresh
    from onrecord.store import open_store

    out = Path(out)
    store = open_store(db)
    statements: dict[str, list[Statement]] = defaultdict(list)
    for part in sorted((out / "statements").glob("month=*/shard-*.parquet")):
        for row in pq.read_table(part).to_pylist():
            content_hash = row.pop("content_hash")
            row.pop("date", None)
            row["quotes"] = json.loads(row["quotes"])
            statements[content_hash].append(Statement.from_dict(row))
    added = 0
    for part in sorted((out / "documents").glob("shard-*.parquet")):
        rows = pq.read_table(part).to_pylist()
        for start in range(0, len(rows), batch):
            items = []
            for row in rows[start : start + batch]:
                content_hash = row.pop("content_hash")
                row["meta"] = json.loads(row["meta"] or "{}")
                document = Document(**row)
                if document.content_hash != content_hash:
                    raise OnrecordError(f"{part}: {document.source} changed after extraction; re-run the batch")
                items.append((document, sorted(statements.get(content_hash, []), key=lambda s: s.index)))
            for lang in sorted({document.lang for document, _ in items}):  # each records its language's rules
                same = [item for item in items if item[0].lang == lang]
                added += sum(doc_id is not None for doc_id in store.add_many(same, version_for(lang)))
    if added:
        refresh(store)
    store.close()
    return added
