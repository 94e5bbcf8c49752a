"""Where a `--workers N` run's time goes: a benchmark-only hook, never loaded by onrecord itself.

`bench_workers.py --timeline` runs `onrecord ingest` through `patched_main`, which hands the worker
pool a task that wraps the real one (`pipeline._process_batch`) and appends one line per batch to
the file named by ONRECORD_TIMELINE: worker pid, wall-clock start and end, CPU seconds, seconds
spent loading the extractor (a worker's first batch), documents and characters. The main process
adds its own start, the moment its last result arrived, and its end. `summary` turns the file into
per-worker busy and idle seconds and a bar like bench_batch's.
"""

from __future__ import annotations

import functools
import os
import time

from onrecord import pipeline
from onrecord.model import Document

ENV = "ONRECORD_TIMELINE"


def _note(line: str) -> None:
    with open(os.environ[ENV], "a", encoding="utf-8") as out:
        out.write(line + "\n")


def timed_batch(batch: list[Document], budget: float | None, sign: bool = False) -> list[pipeline.Outcome]:
    """In a worker: the real task, timed."""
    began, cpu = time.time(), time.process_time()
    load = 0.0
    if pipeline._extractor.cache_info().currsize == 0:  # the first batch of this worker loads spaCy
        pipeline.default_extractor()
        load = time.time() - began
    results = pipeline._process_batch(batch, budget, sign)
    _note(
        f"batch {os.getpid()} {began:.3f} {time.time():.3f} {time.process_time() - cpu:.3f} {load:.3f} "
        f"{len(batch)} {sum(len(d.text) for d in batch)}"
    )
    return results


def patched_main() -> None:
    """`onrecord` with the timed task in its pool, noting the main process's start, last result and end."""
    import atexit
    import sys

    _note(f"main-start {time.time():.3f}")
    original = pipeline._process_in_workers

    def noting(*args, **kwargs):  # type: ignore[no-untyped-def]
        yield from original(*args, task=timed_batch, **kwargs)
        _note(f"main-last-result {time.time():.3f}")

    pipeline._process_in_workers = functools.update_wrapper(noting, original)
    atexit.register(lambda: _note(f"main-end {time.time():.3f}"))
    from onrecord.cli import main

    sys.argv[0] = "onrecord"
    main()


def summary(path: str, width: int = 72) -> str:
    """Per worker: batches, busy, CPU, extractor load, idle before the first batch, between batches and
    at the end; and the main process's time after the last result (the refresh: linking speakers)."""
    marks: dict[str, float] = {}
    batches: list[tuple[int, float, float, float, float, int, int]] = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            kind, *fields = line.split()
            if kind == "batch":
                pid, a, b, cpu, load, docs, chars = fields
                batches.append((int(pid), float(a), float(b), float(cpu), float(load), int(docs), int(chars)))
            else:
                marks[kind] = float(fields[0])
    if not batches:
        return "no batches ran in workers"
    start = marks["main-start"]
    end = marks.get("main-end", max(b[2] for b in batches))
    last = max(b[2] for b in batches)
    total = end - start
    out = [
        f"run {total:.1f} s; first batch began at {min(b[1] for b in batches) - start:.1f} s, last ended at "
        f"{last - start:.1f} s; after the last result, the main process took {end - marks.get('main-last-result', last):.1f} s"
    ]
    by_worker: dict[int, list] = {}
    for b in sorted(batches, key=lambda b: b[1]):
        by_worker.setdefault(b[0], []).append(b)
    idle_total = 0.0
    for number, (pid, rows) in enumerate(sorted(by_worker.items())):
        busy = sum(b - a for _, a, b, *_ in rows)
        cpu = sum(r[3] for r in rows)
        load = sum(r[4] for r in rows)
        before = rows[0][1] - start
        gaps = sum(n[1] - p[2] for p, n in zip(rows, rows[1:], strict=False))
        waiting = last - rows[-1][2]
        idle_total += gaps + waiting
        out.append(
            f"worker {number} (pid {pid}): {len(rows)} batches, {sum(r[5] for r in rows)} documents, "
            f"{sum(r[6] for r in rows):,} chars; busy {busy:.1f} s (CPU {cpu:.1f} s, extractor load {load:.1f} s); "
            f"idle: before first batch {before:.1f} s, between batches {gaps:.1f} s, waiting at the end {waiting:.1f} s"
        )
        bar = [" "] * width
        for index, (_, a, b, *_rest) in enumerate(rows):
            left = int((a - start) / total * width)
            right = max(left + 1, int((b - start) / total * width))
            for column in range(left, min(right, width)):
                bar[column] = "#="[index % 2]
        out.append(f"  |{''.join(bar)}|")
    out.append(
        f"  (bar: 0 to {total:.0f} s; batches alternate # and =); idle between and at the end, all workers: {idle_total:.1f} s"
    )
    return "\n".join(out)


if __name__ == "__main__":
    import sys

    print(summary(sys.argv[1]))
