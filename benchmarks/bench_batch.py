"""Batch scaling: `onrecord batch` on a corpus with 1 and with 2 workers on a local Dask cluster.

    python benchmarks/bench_batch.py [--corpus ../shared/data/trump-campaign/text] [--limit N]

Reports documents/s for each worker count, the speed-up and the efficiency (speed-up / workers),
and the peak memory of the whole run (client, scheduler and workers, sampled every 0.2 s).
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", default=str(Path(__file__).resolve().parents[2] / "shared/data/trump-campaign/text")
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N files (for a quick run)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        sys.exit(f"{corpus}: not found; pass --corpus")
    files = sorted(str(p) for p in corpus.iterdir() if p.is_file())[: args.limit]
    rows = []
    for workers in args.workers:
        out = Path(tempfile.mkdtemp(prefix="onrecord-batch-"))
        try:
            with PeakMemory() as memory:
                summary = run_batch(files, out, workers=workers, files_per_shard=10)
            rows.append((workers, summary, memory.peak))
            print(
                f"{workers} worker(s): {summary.documents} documents in {summary.seconds:.0f} s, "
                f"{summary.documents_per_second:.2f}/s, peak {memory.peak / 2**20:,.0f} MiB",
                file=sys.stderr,
                flush=True,
            )
        finally:
            shutil.rmtree(out, ignore_errors=True)
    base = rows[0][1].documents_per_second
    print(f"\n{os.cpu_count()} cores; {len(files)} files\n")
    print("| workers | documents | time | documents/s | speed-up | efficiency | peak memory (all processes) |")
    print("|---|---|---|---|---|---|---|")
    for workers, summary, peak in rows:
        speedup = summary.documents_per_second / base if base else 0
        print(
            f"| {workers} | {summary.documents} | {summary.seconds:.0f} s | {summary.documents_per_second:.2f} | "
            f"{speedup:.2f} | {speedup / workers * rows[0][0]:.2f} | {peak / 2**20:,.0f} MiB |"
        )


if __name__ == "__main__":
    main()
