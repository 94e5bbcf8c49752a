"""Russian extraction speed beside English (issue 15): documents/s and tokens/s of extraction with
speaker resolution, on the texts of the two gold sets, each repeated to about the same size.

    python benchmarks/bench_russian.py [--repeat 10] [--runs 3]

The pipelines are loaded first (spaCy and natasha), so the figures are steady-state throughput in
one process; tokens are words and punctuation counted the same way for both languages (the regex
``\\w+|[^\\w\\s]``). Medians of ``--runs`` runs; the ratio is Russian tokens/s over English tokens/s.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from onrecord.evaluate import read_gold
from onrecord.ingest import from_text
from onrecord.pipeline import process

GOLD = Path(__file__).resolve().parents[1] / "tests" / "gold"
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _documents(name: str, repeat: int, variant: str) -> list:
    texts = [g.text for g in read_gold(GOLD / name)]
    # a variant line makes every copy a new text (no cache anywhere keys on the text, but be safe)
    return [from_text(f"{t}\n\n{variant} {i}.", source=f"{name}#{i}") for i in range(repeat) for t in texts]


def _rate(documents: list) -> tuple[float, float]:
    tokens = sum(len(_TOKEN.findall(d.text)) for d in documents)
    began = time.perf_counter()
    for _ in process(documents):
        pass
    seconds = time.perf_counter() - began
    return len(documents) / seconds, tokens / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sets = {"English": ("statements.yaml", "Copy"), "Russian": ("ru_statements.yaml", "Копия")}
    for name, variant in sets.values():  # load both pipelines before timing
        list(process(_documents(name, 1, variant)[:1]))
    rows = {}
    for label, (name, variant) in sets.items():
        documents = _documents(name, args.repeat, variant)
        runs = [_rate(documents) for _ in range(args.runs)]
        rows[label] = (len(documents), statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
    print("| language | documents | documents/s | tokens/s |")
    print("|---|---|---|---|")
    for label, (count, docs_s, tokens_s) in rows.items():
        print(f"| {label} | {count} | {docs_s:.1f} | {tokens_s:,.0f} |")
    print(f"Russian/English tokens/s: {rows['Russian'][2] / rows['English'][2]:.2f}")


if __name__ == "__main__":
    main()
