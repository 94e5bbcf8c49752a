"""Subjects and shifts on a stored corpus: placing, `onrecord shifts --speaker` over all subjects and
topics (embeddings cached), and the web speaker page.

    python benchmarks/bench_subjects.py --db sqlite:///trump.db [--speaker "Donald Trump"]

The database is one `onrecord ingest ../shared/data/trump-campaign/text` made (ingest places the
statements in subjects). The first shift run fills the embedding cache (sentences of long statements,
statements without their subject's phrases); the timed runs read it. Targets (issue 14): shifts
under 30 s, a speaker page under 1 s.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from urllib.parse import quote

from onrecord import open_store
from onrecord.analyse import refresh, subjects
from onrecord.analyse.embed import embedder
from onrecord.analyse.shifts import speaker_shifts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--speaker", default="Donald Trump")
    args = parser.parse_args()
    store = open_store(args.db)
    embedder()  # the model load is not part of the figures

    started = time.perf_counter()
    ran = refresh(store)  # whatever the ingest left: placing in subjects if not done yet
    placing = time.perf_counter() - started
    found = subjects.speaker_subjects(store, args.speaker)

    started = time.perf_counter()
    speaker_shifts(store, args.speaker)
    first = time.perf_counter() - started
    started = time.perf_counter()
    shifts = speaker_shifts(store, args.speaker)
    cached = time.perf_counter() - started
    kinds = Counter(s.kind for s in shifts)

    from fastapi.testclient import TestClient

    from onrecord.web import create_app

    client = TestClient(create_app(args.db))
    started = time.perf_counter()
    status = client.get(f"/speakers/{quote(args.speaker)}").status_code
    page_cold = time.perf_counter() - started
    started = time.perf_counter()
    client.get(f"/speakers/{quote(args.speaker)}")
    page_warm = time.perf_counter() - started

    print("| speaker | subjects | placing (refresh) | shifts: first run / embeddings cached | shifts found "
          "| speaker page: first / again |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    print(
        f"| {args.speaker} | {len(found):,} ({sum(s.statements > 1 for s in found):,} with 2+ statements) | "
        f"{placing:.1f} s{' (' + ', '.join(sorted(ran)) + ')' if ran else ''} | {first:.1f} s / {cached:.1f} s | "
        f"{len(shifts)}: " + ", ".join(f"{n} {k}" for k, n in kinds.most_common()) + " | "
        f"{page_cold:.2f} s / {page_warm:.3f} s (HTTP {status}) |"
    )


if __name__ == "__main__":
    main()
