"""Batch scaling: `onrecord batch` on a corpus with 1 and with 2 workers on a local Dask cluster.

    python benchmarks/bench_batch.py [--corpus ../shared/data/trump-campaign/text] [--limit N]

Reports documents/s for each worker count, the speed-up and the efficiency (speed-up / workers),
and the peak memory of the whole run (client, scheduler and workers, sampled every 0.2 s). After
each run, a timeline on stderr shows where the wall-clock time went: starting and closing the
cluster, each worker's shards (busy, CPU, loading the extractor), and each worker's idle time at
the start, between shards and at the end (waiting for the other's last shard). The load average
is printed too: on a shared machine wall-clock figures are noisy, the idle gaps are not.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from onrecord.batch import run_batch


class PeakMemory:
    """The largest total RSS of this process and all its children while running."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a process may end between listing and reading
                    total += process.memory_info().rss
            self.peak = max(self.peak, total)
            time.sleep(0.2)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def timeline(summary, width: int = 72) -> str:  # type: ignore[no-untyped-def]
    """Where a run's wall-clock time went, one line per worker and a bar of its shards."""
    results = summary.shard_results
    if not results:
        return "no shards ran"
    began, total = summary.began, summary.seconds
    first = min(r.started for r in results) - began
    last = max(r.ended for r in results) - began
    lines = [
        f"cluster start {summary.cluster_start_seconds:.1f} s; first shard began at {first:.1f} s, "
        f"last ended at {last:.1f} s; cluster close {summary.cluster_close_seconds:.1f} s; total {total:.1f} s"
    ]
    by_worker: dict[int, list] = {}
    for result in sorted(results, key=lambda r: r.started):
        by_worker.setdefault(result.pid, []).append(result)
    for number, (pid, shards) in enumerate(sorted(by_worker.items())):
        busy = sum(r.ended - r.started for r in shards)
        cpu = sum(r.cpu_seconds for r in shards)
        load = sum(r.load_seconds for r in shards)
        start_idle = shards[0].started - began - summary.cluster_start_seconds
        gaps = sum(b.started - a.ended for a, b in zip(shards, shards[1:], strict=False))
        end_idle = last - (shards[-1].ended - began)
        lines.append(
            f"worker {number} (pid {pid}): {len(shards)} shards, {sum(r.chars for r in shards):,} chars, "
            f"busy {busy:.1f} s (CPU {cpu:.1f} s, extractor load {load:.1f} s); idle: before first shard "
            f"{start_idle:.1f} s, between shards {gaps:.1f} s, waiting at the end {end_idle:.1f} s"
        )
        bar = [" "] * width
        for index, result in enumerate(shards):
            a = int((result.started - began) / total * width)
            b = max(a + 1, int((result.ended - began) / total * width))
            for column in range(a, min(b, width)):
                bar[column] = "#="[index % 2]
        lines.append(f"  |{''.join(bar)}|")
    lines.append(f"  (bar: 0 to {total:.0f} s; shards alternate # and =)")
    return "\n".join(lines)


def output_digest(out: Path) -> str:
    """A hash of a run's documents and statements, whatever shard wrote them: equal hashes, equal output."""
    import hashlib
    import json

    import pyarrow.parquet as pq

    total = hashlib.sha256()
    for kind in ("documents", "statements"):
        if (out / kind).exists():
            rows = pq.read_table(out / kind).to_pylist()
            for line in sorted(json.dumps(row, sort_keys=True, default=str) for row in rows):
                total.update(line.encode() + b"\n")
    return total.hexdigest()[:16]


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", default=str(Path(__file__).resolve().parents[2] / "shared/data/trump-campaign/text")
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N files (for a quick run)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--keep", default=None, help="keep each run's output in KEEP/workers-N (to compare them)")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        sys.exit(f"{corpus}: not found; pass --corpus")
    files = sorted(str(p) for p in corpus.iterdir() if p.is_file())[: args.limit]
    rows = []
    for workers in args.workers:
        out = Path(args.keep) / f"workers-{workers}" if args.keep else Path(tempfile.mkdtemp(prefix="onrecord-batch-"))
        if args.keep:
            shutil.rmtree(out, ignore_errors=True)
        try:
            print(f"load average before {workers} worker(s): {load_average()}", file=sys.stderr, flush=True)
            client_cpu = time.process_time()
            with PeakMemory() as memory:
                summary = run_batch(files, out, workers=workers)
            client_cpu = time.process_time() - client_cpu
            rows.append((workers, summary, memory.peak, output_digest(out)))
            print(
                f"{workers} worker(s): {summary.documents} documents in {summary.seconds:.0f} s, "
                f"{summary.documents_per_second:.2f}/s, peak {memory.peak / 2**20:,.0f} MiB; "
                f"client and scheduler CPU {client_cpu:.1f} s; load average after: {load_average()}\n"
                f"{timeline(summary)}\n",
                file=sys.stderr,
                flush=True,
            )
        finally:
            if not args.keep:
                shutil.rmtree(out, ignore_errors=True)
    digests = {digest for *_, digest in rows}
    same = "the same for every worker count" if len(digests) == 1 else "DIFFERENT between worker counts"
    base = rows[0][1].documents_per_second
    print(f"\n{os.cpu_count()} cores; {len(files)} files; output (hash {', '.join(sorted(digests))}) {same}\n")
    print("| workers | documents | time | documents/s | speed-up | efficiency | peak memory (all processes) |")
    print("|---|---|---|---|---|---|---|")
    for workers, summary, peak, _ in rows:
        speedup = summary.documents_per_second / base if base else 0
        print(
            f"| {workers} | {summary.documents} | {summary.seconds:.0f} s | {summary.documents_per_second:.2f} | "
            f"{speedup:.2f} | {speedup / workers * rows[0][0]:.2f} | {peak / 2**20:,.0f} MiB |"
        )


if __name__ == "__main__":
    main()
