"""Trace speed: index every transcript of a corpus, then trace articles against all of them.

    python benchmarks/bench_trace.py [--corpus ../shared/data/trump-campaign/text]

The articles are the 62 reported sentences of tests/analyse/data/trace.yaml (built from the corpus
at run time), each traced against the whole corpus (985 transcripts) rather than only the files
the cases point into. Reports the index build time and the per-article time (median, p95, max).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from onrecord.analyse.embed import embedder
from onrecord.analyse.trace import PrimaryIndex, Tracer
from onrecord.errors import InputError
from onrecord.evaluate import read_trace_cases
from onrecord.ingest import from_text
from onrecord.pipeline import process, read_paths

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared/data/trump-campaign/text"))
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        sys.exit(f"{corpus}: not found; pass --corpus")
    cases, _ = read_trace_cases(ROOT / "tests/analyse/data/trace.yaml", corpus)
    articles = list(process(from_text(c.article, date=c.date) for c in cases))
    embedder()  # the model load is not part of a trace

    started = time.perf_counter()
    documents = [d for d in read_paths([str(corpus)]) if not isinstance(d, InputError)]
    read = time.perf_counter() - started
    index = PrimaryIndex.from_documents(documents)
    built = time.perf_counter() - started - read
    tracer = Tracer(index)

    times, right = [], 0
    for case, item in zip(cases, articles, strict=True):
        begin = time.perf_counter()
        traces = tracer.trace(item.document, item.statements)
        times.append(time.perf_counter() - begin)
        right += bool(traces) and traces[0].verdict == case.expect
    times.sort()
    print("| transcripts | passages | read | index | per article: median / p95 / max | verdicts as labelled |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {len(documents)} | {len(index):,} | {read:.1f} s | {built:.1f} s | "
        f"{statistics.median(times) * 1000:.0f} / {times[int(len(times) * 0.95) - 1] * 1000:.0f} / "
        f"{times[-1] * 1000:.0f} ms | {right}/{len(cases)} |"
    )


if __name__ == "__main__":
    main()
