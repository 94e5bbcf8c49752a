"""Ingest with worker processes: `onrecord ingest` of a corpus with --workers 1 and 2.

    python benchmarks/bench_workers.py [--corpus ../shared/data/trump-campaign/text] [--limit N]

Each run ingests into a fresh SQLite database (`--no-topics`: topic scoring runs once after the
documents and is the same for both), timed from the command's start to its exit. Reports
documents/s for each worker count, the speed-up over one process, the peak memory of the
whole run (the command and its workers, sampled every 0.2 s), and the CPU seconds per document of
the main process alone (reading, storing, comparing signatures, linking; with one worker, parsing
too): unlike the time, that figure barely moves when other work shares the machine. With
`--timeline`, each run with workers also prints (stderr) where its time went: each worker's batches,
busy and CPU seconds, and its idle time before the first batch, between batches and at the end
(`worker_timeline.py`), and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_batch import PeakMemory, load_average  # the same sampler (this folder is on sys.path when run)
from worker_timeline import ENV as TIMELINE_ENV
from worker_timeline import summary

# `onrecord` run in this interpreter, saying at exit the CPU seconds of its own process (not its workers')
ONRECORD_WITH_CPU = (
    "import atexit, resource, sys\n"
    "def said():\n"
    "    usage = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    print(f'main-process-cpu {usage.ru_utime + usage.ru_stime:.3f}', file=sys.stderr)\n"
    "atexit.register(said)\n"
    "from onrecord.cli import main\n"
    "sys.argv[0] = 'onrecord'\n"
    "main()\n"
)
# the same, with the pool's task timed (worker_timeline.py, found on this folder's path)
ONRECORD_WITH_TIMELINE = ONRECORD_WITH_CPU.replace(
    "from onrecord.cli import main\n", f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
).replace("sys.argv[0] = 'onrecord'\nmain()\n", "from worker_timeline import patched_main\npatched_main()\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", default=str(Path(__file__).resolve().parents[2] / "shared/data/trump-campaign/text")
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N files (for a quick run)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--timeline", action="store_true", help="print where each run's time went (stderr)")
    args = parser.parse_args()
    files = sorted(Path(args.corpus).glob("*.txt"))[: args.limit]
    if not files:
        sys.exit(f"no .txt files in {args.corpus}; pass --corpus")
    rates: dict[int, float] = {}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for path in files:  # links, not copies: the data stays where it is
            (corpus / path.name).symlink_to(path.resolve())
        for workers in args.workers:
            db = f"sqlite:///{Path(tmp) / f'w{workers}.db'}"
            ingest = ["ingest", str(corpus), "--db", db, "--no-topics", "--workers", str(workers)]
            timed = args.timeline and workers > 1
            command = [sys.executable, "-c", ONRECORD_WITH_TIMELINE if timed else ONRECORD_WITH_CPU, *ingest]
            env = {**os.environ, TIMELINE_ENV: str(Path(tmp) / f"timeline-{workers}")} if timed else None
            before = load_average()
            with PeakMemory() as memory:
                began = time.perf_counter()
                done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
                seconds = time.perf_counter() - began
            if args.timeline:
                print(f"{workers} worker(s): load average before {before}, after {load_average()}", file=sys.stderr)
                if timed:
                    print(summary(env[TIMELINE_ENV]), file=sys.stderr, flush=True)
            main_cpu = float(done.stderr.rsplit("main-process-cpu ", 1)[1].split()[0])
            rates[workers] = len(files) / seconds
            rows.append((workers, seconds, rates[workers], memory.peak, main_cpu))
    print(f"{len(files)} documents from {args.corpus}")
    print(
        "| workers | seconds | documents/s | speed-up | peak memory (all processes) | main process CPU per document |"
    )
    print("|---|---|---|---|---|---|")
    for workers, seconds, rate, peak, main_cpu in rows:
        speedup = rate / rates[args.workers[0]]
        print(
            f"| {workers} | {seconds:.1f} | {rate:.2f} | {speedup:.2f}× | {peak / 2**20:,.0f} MB "
            f"| {1000 * main_cpu / len(files):.0f} ms |"
        )


if __name__ == "__main__":
    main()
