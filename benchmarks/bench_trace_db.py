"""Trace over a database: an article traced against the store's transcripts, as the web UI does it.

    python benchmarks/bench_trace_db.py --db sqlite:///trump.db [--article FILE] [--runs 5] [--in-place]

The database should hold the trump-campaign corpus (985 transcripts, `onrecord ingest`, linked). A
SQLite file is copied to a temporary folder first (``--in-place``, and any PostgreSQL database, work on
the database itself), then, timed:

- opening it: the migrations a database of an older schema needs (schema 8 cuts its transcript turns
  into passages);
- the article (by default a short fictional one, below, quoting Donald Trump's words of October 2016
  verbatim, trimmed, altered, reported and invented) ingested, then traced with ``trace_stored`` (what
  the web page calls), models loaded before as a server has them: the first time (the sentence vectors
  it needs are computed into the store's cache, the words' scores written down), then cold (a new store
  object each time, as a process that starts: the words' scores read from what was written down; median
  of ``--runs``), then warm (the same store again, median of ``--runs``), then after a transcript is
  stored (a short fictional one, a new one before each of ``--runs`` calls: every word's scores move, so
  they are read from the full-text index again); wall and CPU time (cold, after a transcript and the
  pages: with what trace keeps in the process about the passages it read forgotten);
- ``/documents/{id}/trace`` and ``/api/documents/{id}/trace`` through FastAPI's TestClient, each in a
  new app (so the page cache is empty): median and max of ``--runs``; first with nothing kept in the
  process (a server just started), then with a transcript stored just before each request, then in a
  server that has searched before (the new app's store first runs ``--warm`` searches of other words,
  pieces of random passages, untimed, as other articles' traces would). The load average is printed
  with each figure;
- the same two requests each in a new process (a server just started: the models loaded, untimed, then
  the one request timed), with nothing changed since the last, then with a transcript stored just before
  by this process (as an ingest would): median of ``--runs``, wall and CPU.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text

from onrecord import open_store
from onrecord.analyse import trace as tracing
from onrecord.analyse.embed import embedder, multilingual_embedder
from onrecord.ingest import from_text
from onrecord.model import Span, Statement
from onrecord.store.store import sqlite_file

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
    parser.add_argument("--db", required=True, help="the database URL (the article is ingested into it, or its copy)")
    parser.add_argument("--article", help="an article file to trace (default: the fictional one above)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warm", type=int, default=100, help="searches a warmed server has run before")
    parser.add_argument("--in-place", action="store_true", help="work on a SQLite file itself, not a copy")
    parser.add_argument("--request", nargs=2, metavar=("DOC_ID", "PATH"), help=argparse.SUPPRESS)  # one, in a child
    args = parser.parse_args()
    if args.request:
        one_request(args.db, args.request[1])
        return

    with tempfile.TemporaryDirectory() as tmp:
        db, path = args.db, sqlite_file(args.db)
        if path is not None and not args.in_place:
            db = f"sqlite:///{tmp}/bench.db"
            shutil.copy(path, f"{tmp}/bench.db")
        measure(db, args, Path(tmp))


def forget_words() -> None:
    """Empty what trace keeps in the process about the passages it read (their words, stems, sentence
    ends), as for an article whose candidates were never read before."""
    for kept in vars(tracing).values():
        if hasattr(kept, "cache_clear"):
            kept.cache_clear()


def warm(store, searches: int) -> None:  # type: ignore[no-untyped-def]
    """Run ``searches`` candidate searches of other words, as a server that traced other articles has:
    twelve words of random passages (seeded), anyone's, any date (what is kept is each word's, whatever
    the filters)."""
    rng = random.Random(15)
    with store.engine.connect() as conn:
        count = conn.execute(text("SELECT max(id) FROM passages")).scalar_one() or 0
        ids = [rng.randint(1, count) for _ in range(searches)] if count else []
        found = [conn.execute(text("SELECT text FROM passages WHERE id = :id"), {"id": i}).scalar() for i in ids]
    found = [t for t in found if t]
    for passage in found:
        said = rng.sample(terms, min(12, len(terms))) if (terms := tracing._terms(passage)) else []
        store.passage_ranking(said, None, None, None, 4 * tracing.CANDIDATES)


def store_transcript(store, n: int) -> None:  # type: ignore[no-untyped-def]
    """A short fictional transcript (an interview of a made-up mayor, ``n`` making each one new) stored, as
    an ingest would: passages are written, so every word's scores move."""
    turns = [
        ("Host", f"Mayor, episode {n}: what will the city do about the harbour and the new ferry?"),
        ("Mayor Tove Lind", "We will build a great new harbour, and the ferry will run every hour, believe me."),
        ("Host", "And the taxes?"),
        ("Mayor Tove Lind", f"Taxes stay where they are. The people of this state deserve better, {n} times better."),
    ]
    body, found, at = "", [], 0
    for index, (who, said) in enumerate(turns):
        head = f"{who.upper()}: "
        found.append(Statement(index, "turn", said, Span(at + len(head), at + len(head) + len(said)), who, who))
        body += f"{head}{said}\n\n"
        at = len(body)
    store.add(from_text(body, date="2016-10-20", source=f"interview-{n}.txt", title="Mayor interview"), found, "bench")


def report(what: str, runs: list[tuple[float, float]]) -> None:
    """The median wall and CPU time of ``runs`` (wall, CPU seconds), with the load average."""
    wall, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
    print(f"{what}: median {wall * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms, of {len(runs)}, {load()}")


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def timed(call):  # type: ignore[no-untyped-def]
    """(result, wall seconds, CPU seconds) of ``call()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def measure(db: str, args: argparse.Namespace, tmp: Path) -> None:
    store, wall, _ = timed(lambda: open_store(db))
    print(f"open (with any migration): {wall:.1f} s")
    article = Path(args.article) if args.article else tmp / "ohio-2016-10-28.md"
    if not args.article:
        article.write_text(ARTICLE)
    # stored once (a second ingest of the same text is a no-op); topics are not what is measured
    subprocess.run(
        [str(BIN / "onrecord"), "ingest", str(article), "--db", db, "--no-topics"], check=True, capture_output=True
    )
    if args.article:
        doc_id = store.document(str(article))[1].id
    else:  # stored before, maybe from another temporary folder
        doc_id = next(d.id for d in store.documents() if d.title == "Trump in Ohio, promises and pledges")
    embedder(), multilingual_embedder()  # loading the models is not part of a trace

    before = vectors_kept(store)
    (_, _, traces), wall, cpu = timed(lambda: tracing.trace_stored(store, doc_id))
    computed = vectors_kept(store) - before
    for t in traces:
        print(f"  {t.verdict:<12} {t.score_text():<28}  {t.statement.content[:70]}")
    print(f"trace_stored, first: {wall * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms ({computed} sentence vectors computed)")

    def cold(change=lambda: None):  # type: ignore[no-untyped-def]
        change()
        forget_words()
        fresh = open_store(db)  # nothing kept in this process but the models
        return timed(lambda: tracing.trace_stored(fresh, doc_id))[1:]

    report("trace_stored, cold (a new store: nothing kept in the process)", [cold() for _ in range(args.runs)])
    fresh = open_store(db)
    tracing.trace_stored(fresh, doc_id)
    report(
        "trace_stored, warm (the same store again)",
        [timed(lambda: tracing.trace_stored(fresh, doc_id))[1:] for _ in range(args.runs)],
    )
    stored = iter(range(args.runs * 6))
    report(
        "trace_stored, a transcript stored just before (a new store)",
        [cold(lambda: store_transcript(store, next(stored))) for _ in range(args.runs)],
    )

    from fastapi.testclient import TestClient

    from onrecord.web.app import create_app

    for searches, change in ((0, False), (0, True), (args.warm, False)):
        for path in (f"/documents/{doc_id}/trace", f"/api/documents/{doc_id}/trace"):
            times, cpus = [], []
            for _ in range(args.runs):
                if change:
                    store_transcript(store, next(stored))
                forget_words()
                app = create_app(db)  # a new app: an empty page cache, nothing kept
                warm(app.state.store, searches)
                client = TestClient(app)
                started, cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                times.append(time.perf_counter() - started)
                cpus.append(time.process_time() - cpu)
                assert response.status_code == 200, response.text[:300]
            server = f"after {searches} other searches" if searches else "nothing kept"
            server = "a transcript stored just before" if change else server
            print(
                f"GET {path}, {server}: median {statistics.median(times) * 1000:.0f} ms "
                f"(CPU {statistics.median(cpus) * 1000:.0f} ms), max {max(times) * 1000:.0f} ms, {load()}"
            )
    in_new_processes(db, doc_id, args, stored, store)


def one_request(db: str, path: str) -> None:
    """A server just started: the models loaded, then one request; prints its wall and CPU seconds."""
    from fastapi.testclient import TestClient

    from onrecord.web.app import create_app

    embedder(), multilingual_embedder()
    client = TestClient(create_app(db))
    (response, wall, cpu) = timed(lambda: client.get(path))
    assert response.status_code == 200, response.text[:300]
    print(f"{wall} {cpu}")


def in_new_processes(db: str, doc_id: int, args: argparse.Namespace, stored: Iterator[int], store) -> None:  # type: ignore[no-untyped-def]
    for change in (False, True):
        for path in (f"/documents/{doc_id}/trace", f"/api/documents/{doc_id}/trace"):
            runs = []
            for _ in range(args.runs):
                if change:
                    store_transcript(store, next(stored))
                command = [sys.executable, __file__, "--db", db, "--request", str(doc_id), path]
                out = subprocess.run(command, check=True, capture_output=True, text=True).stdout.split()
                runs.append((float(out[-2]), float(out[-1])))
            server = "a transcript stored just before" if change else "nothing changed"
            report(f"GET {path}, a new process, {server}", runs)


if __name__ == "__main__":
    main()
