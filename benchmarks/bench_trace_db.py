"""Trace over a database: an article traced against the store's transcripts, as the web UI does it.

    python benchmarks/bench_trace_db.py --db sqlite:///trump.db [--article FILE] [--runs 5]

The database should hold the trump-campaign corpus (985 transcripts, `onrecord ingest`, linked).
Opening it migrates it when it is older (schema 8 cuts its transcript turns into passages: timed
here as "open"). The article (by default a short fictional one, below, that quotes Donald Trump's
words of October 2016 verbatim, trimmed, altered, reported and invented) is ingested once, then:

- ``trace_stored`` cold (what the web page calls): the first call in this process (models loaded before, as a server has them);
  the sentence vectors it needs are computed into the store's cache if they are not there yet
  (the first run on a database), else read from it;
- ``trace_stored`` warm: the median of ``--runs`` more calls;
- the web page ``/documents/{id}/trace`` and ``/api/documents/{id}/trace`` through FastAPI's
  TestClient, each in a new app (so the page cache is empty): median of ``--runs``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from onrecord import open_store
from onrecord.analyse import trace as tracing
from onrecord.analyse.embed import embedder, multilingual_embedder

BIN = Path(sys.executable).parent
ARTICLE = """---
title: Trump in Ohio, promises and pledges
date: 2016-10-28
outlet: The Lakeside Ledger
---
Donald Trump told a crowd in Delaware, Ohio that "I will totally accept the results of this great and historic \
presidential election."

"We are actually up substantially in Ohio," Trump said in an interview that week.

Asked about his economic plan, Trump said: "My plan is the largest tax cut since Ronald Reagan."

Trump said the experts "have been wrong so many times over the years."

Trump also said that businesses are leaving for Mexico because taxes are so high.

He said that he would cut taxes for every family in the state by half before Christmas.

"The businesses now are leaving, they are going to Mexico," Trump added.

Donald Trump claimed the polls in Ohio were rigged against him by the pollsters.
"""


def vectors_kept(store) -> int:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM embeddings")).scalar_one()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the database URL (a copy: the article is ingested into it)")
    parser.add_argument("--article", help="an article file to trace (default: the fictional one above)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    store = open_store(args.db)
    print(f"open (with any migration): {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(args.article) if args.article else Path(tmp) / "ohio-2016-10-28.md"
        if not args.article:
            article.write_text(ARTICLE)
        # stored once (a second ingest of the same text is a no-op); topics are not what is measured
        ingest = [str(BIN / "onrecord"), "ingest", str(article), "--db", args.db, "--no-topics"]
        subprocess.run(ingest, check=True, capture_output=True)
    if args.article:
        doc_id = store.document(str(article))[1].id
    else:
        doc_id = next(d.id for d in store.documents() if d.title == "Trump in Ohio, promises and pledges")
    embedder(), multilingual_embedder()  # loading the models is not part of a trace

    before = vectors_kept(store)
    started = time.perf_counter()
    _, _, traces = tracing.trace_stored(store, doc_id)
    cold = time.perf_counter() - started
    computed = vectors_kept(store) - before
    warm = []
    for _ in range(args.runs):
        started = time.perf_counter()
        tracing.trace_stored(store, doc_id)
        warm.append(time.perf_counter() - started)
    for t in traces:
        print(f"  {t.verdict:<12} {t.score:.2f}  {t.statement.content[:70]}")
    print(f"trace_stored, cold: {cold * 1000:.0f} ms ({computed} sentence vectors computed into the cache)")
    print(f"trace_stored, warm: median {statistics.median(warm) * 1000:.0f} ms of {args.runs}")

    from fastapi.testclient import TestClient

    from onrecord.web.app import create_app

    for path in (f"/documents/{doc_id}/trace", f"/api/documents/{doc_id}/trace"):
        times = []
        for _ in range(args.runs):
            client = TestClient(create_app(args.db))  # a new app: an empty page cache
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text[:300]
        print(f"GET {path}: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
