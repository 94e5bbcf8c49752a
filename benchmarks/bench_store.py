"""Store at scale: load N synthetic statements, then time the queries the web pages make.

    python benchmarks/bench_store.py [--statements 1000000] [--db sqlite|postgresql|both]

Synthetic but realistic: 5,000 speakers, 50 topics, 10 years, 10 statements of 8-40 words per
document, 200 outlets. Reports load time, database size, and p50/p95 latency of: a speaker's
timeline, full-text search with a filter (first page), a topic's statements in a date range
(first page). Deterministic (seeded).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

from onrecord.analyse import identities
from onrecord.model import Document, Span, Statement
from onrecord.store import Query, Store, open_store

WORDS = (
    "talks treaty sanctions missile border minister government allies pipeline energy election trade tariff "
    "agreement ceasefire troops patrols negotiations summit inspectors grain exports security alliance "
    "defence economy jobs taxes deficit refugees war peace oil gas coast navy drills weapons nuclear vote "
    "campaign poll budget growth bank court law reform crisis people country week month year plan deal "
    "we will not never must should can ready intention continue stop support reject accept demand want"
).split()
FILLER = "the a of to in and that is on for with this our their it be as at by".split()
FIRST = "Anna Jonas Viktor Marta Paul Ruslan Karin Edgar Ivo Lena Sergei Maria Olga Tomas Eva Peter Nina Omar Li Ana".split()


def _sentence(rng: random.Random) -> str:
    n = rng.randint(8, 40)
    words = [rng.choice(WORDS) if rng.random() < 0.45 else rng.choice(FILLER) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _speakers(count: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        surname = "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))
        names.add(f"{rng.choice(FIRST)} {surname.capitalize()}")
    return sorted(names)


def synthetic(total: int, speakers: list[str], topics: int, years: int, rng: random.Random):  # type: ignore[no-untyped-def]
    """(document, statements, topic lists) triples, ten statements a document."""
    start = date(2016, 1, 1)
    days = 365 * years
    for n in range(total // 10):
        parts, found, topic_lists = [], [], []
        at = 0
        for index in range(10):
            speaker = rng.choice(speakers)
            content = _sentence(rng)
            frame = f"{speaker} said that "
            parts.append(frame + content + " ")
            found.append(
                Statement(
                    index=index,
                    kind="indirect",
                    content=content,
                    content_span=Span(at + len(frame), at + len(frame) + len(content)),
                    speaker=speaker,
                    speaker_mention=speaker,
                    speaker_span=Span(at, at + len(speaker)),
                    cue="said",
                    cue_span=Span(at + len(speaker) + 1, at + len(speaker) + 5),
                    confidence=0.75,
                )
            )
            at += len(frame) + len(content) + 1
            chosen = rng.sample(range(topics), rng.choice((1, 1, 2)))
            topic_lists.append([(f"topic {t:02d}", round(rng.uniform(0.4, 0.9), 3)) for t in chosen])
        when = (start + timedelta(days=rng.randrange(days))).isoformat()
        document = Document(
            text="".join(parts), source=f"synthetic/{n}", format="text", date=when, outlet=f"Outlet {n % 200}"
        )
        yield document, found, topic_lists


def load(store: Store, total: int, seed: int = 7) -> dict[str, float]:
    rng = random.Random(seed)
    speakers = _speakers(5000, rng)
    started = time.perf_counter()
    batch: list = []
    pending_topics: list[list[list[tuple[str, float]]]] = []

    def flush() -> None:
        ids = store.add_many([(d, s) for d, s, _ in batch], "bench")
        with store.engine.connect() as conn:
            stored = conn.execute(
                text("SELECT id, document_id, idx FROM statements WHERE document_id BETWEEN :a AND :b"),
                {"a": min(i for i in ids if i), "b": max(i for i in ids if i)},
            ).all()
        by_key = {(doc, idx): sid for sid, doc, idx in stored}
        topic_map = {
            by_key[(doc_id, idx)]: lists[idx]
            for doc_id, lists in zip(ids, pending_topics, strict=True)
            for idx in range(len(lists))
        }
        store.save_topics(topic_map, "bench")
        batch.clear()
        pending_topics.clear()

    for document, found, topic_lists in synthetic(total, speakers, 50, 10, rng):
        batch.append((document, found, topic_lists))
        pending_topics.append(topic_lists)
        if len(batch) == 1000:
            flush()
    if batch:
        flush()
    loaded = time.perf_counter() - started
    linked_at = time.perf_counter()
    identities.relink(store)
    return {"load_s": loaded, "link_s": time.perf_counter() - linked_at, "speakers": speakers}  # type: ignore[dict-item]


def _timed(calls) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for call in calls:
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def measure(store: Store, speakers: list[str], rng: random.Random) -> dict[str, tuple[float, float]]:
    names = rng.sample(speakers, 100)
    words = rng.sample([w for w in WORDS if len(w) > 4], 40)
    results = {
        "speaker timeline": _timed(lambda n=n: store.statements(Query(identity=n)) for n in names),
        "search + topic filter, first page": _timed(
            (lambda w=w, t=t: store.statements(Query(search=w, topic=f"topic {t:02d}", limit=50)))
            for w in words
            for t in [rng.randrange(50)]
        ),
        "topic in a date range, first page": _timed(
            (
                lambda t=t, y=y: store.statements(
                    Query(topic=f"topic {t:02d}", since=f"{y}-03-01", until=f"{y}-06-30", limit=100)
                )
            )
            for t, y in [(rng.randrange(50), rng.randrange(2016, 2026)) for _ in range(60)]
        ),
    }
    return results


def _size(store: Store, url: str) -> float:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT pg_database_size(current_database())")).scalar() / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    rows = []
    with ExitStack() as stack:
        urls = []
        if args.db in {"sqlite", "both"}:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="onrecord-bench-"))
            urls.append(f"sqlite:///{folder}/bench.db")
        if args.db in {"postgresql", "both"}:
            from onrecord.store.pgtemp import temporary_server

            urls.append(os.environ.get("ONRECORD_BENCH_PG") or stack.enter_context(temporary_server()))
        for url in urls:
            store = open_store(url)
            print(f"loading {args.statements:,} statements into {url.split(':')[0]} …", file=sys.stderr, flush=True)
            loaded = load(store, args.statements)
            if not url.startswith("sqlite"):
                with store.engine.connect() as conn:
                    conn.execute(text("ANALYZE"))
            latencies = measure(store, loaded["speakers"], random.Random(11))  # type: ignore[arg-type]
            rows.append((url.split(":")[0], loaded, _size(store, url), latencies))
            store.close()
    print(
        f"| database | statements | load | link speakers | size | {' | '.join(f'{q} p50 / p95' for q in rows[0][3])} |"
    )
    print("|" + "---|" * (5 + len(rows[0][3])))
    for name, loaded, size, latencies in rows:
        cells = " | ".join(f"{p50:.1f} / {p95:.1f} ms" for p50, p95 in latencies.values())
        print(
            f"| {name} | {args.statements:,} | {loaded['load_s']:.0f} s | {loaded['link_s']:.0f} s | {size:,.0f} MB | {cells} |"
        )


if __name__ == "__main__":
    main()
