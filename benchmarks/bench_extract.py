"""Extraction speed: onrecord's extractor against plain spaCy ``nlp.pipe`` on the same texts.

    python benchmarks/bench_extract.py --shared ../shared/data [--articles 200] [--runs 3] [--quick]

Reports the median over runs of: plain parse time, extraction time (parse + rules + resolution),
their ratio (the overhead target is <= 1.15), documents/s and tokens/s. Unless ``--quick``, it
then runs ``onrecord extract`` over the whole trump-campaign corpus in a child process and
reports its documents/s and peak memory (extraction streams, so memory must not grow with
the corpus).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from onrecord.ingest import from_text
from onrecord.pipeline import default_extractor, process


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the whole-corpus memory run")
    args = parser.parse_args()
    folder = args.shared / "polnear" / "train" / "text"
    if not folder.is_dir():
        print(f"PolNeAR not found at {folder}; pass --shared", file=sys.stderr)
        return 1
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))[: args.articles]]
    extractor = default_extractor()
    nlp = extractor.nlp
    tokens = sum(len(d) for d in nlp.tokenizer.pipe(texts))
    docs = [from_text(t) for t in texts]
    list(process(docs[:5], extractor))  # warm up
    parse, extract = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32):
            pass
        parse.append(time.perf_counter() - start)
        start = time.perf_counter()
        for _ in process(docs, extractor):
            pass
        extract.append(time.perf_counter() - start)
    p, e = statistics.median(parse), statistics.median(extract)
    ratios = [b / a for a, b in zip(parse, extract, strict=True)]
    print(f"{len(texts)} PolNeAR articles, {tokens} tokens, {args.runs} runs (medians)")
    print("| measure | value |\n|---|---|")
    print(f"| spaCy nlp.pipe | {p:.2f} s |")
    print(f"| onrecord extract | {e:.2f} s |")
    print(f"| overhead ratio (extract / parse, same run) | {statistics.median(ratios):.3f} |")
    print(f"| documents/s | {len(texts) / e:.1f} |")
    print(f"| tokens/s | {tokens / e:,.0f} |")
    corpus = args.shared / "trump-campaign" / "text"
    if not args.quick and corpus.is_dir():
        files = sorted(corpus.glob("*.txt"))
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "onrecord.cli", "extract", str(corpus), "--format", "jsonl"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        statements = done.stdout.count(b"\n")
        print(
            f"| trump-campaign: {len(files)} transcripts, {statements} statements | {seconds:.0f} s, "
            f"{len(files) / seconds:.2f} documents/s |"
        )
        print(f"| trump-campaign: peak memory of `onrecord extract` | {peak:.0f} MiB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
