"""Words counted in FTS5's index against ``bm25()`` row by row, on a database's passages (SQLite).

    python benchmarks/bench_fts_counted.py --db sqlite:///trump.db [--passages 400] [--seed 1] [--through-store]

Trace reads each word's parts of ``bm25()`` (``store/fts.py``): computed in numpy from each term's rows and
occurrences and the rows' lengths, or, for a phrase of several terms, scored by ``bm25()`` row by row. This
takes the words of ``--passages`` random passages (and a few awkward ones), reads every one both ways, says
how many parts differ in the last bit (there should be none) and how long each way took (CPU). By default
the counts are taken afresh from the index (``fts5vocab``) and nothing is written; with ``--through-store``
they come as a search gets them: from what is written down in the database (schema 12), brought up to date
through the passages changed since, else counted, and written down (so a run after a transcript is stored
checks counts brought up to date).
"""

from __future__ import annotations

import argparse
import os
import random
import time

import numpy as np
from sqlalchemy import text

from onrecord import open_store
from onrecord.analyse import trace as tracing
from onrecord.store import fts

AWKWARD = ["because", "great", "it", "s", "_", "snake_case", "don", "t", "1", "2016", "naïve", "mr", "zzzzqx"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--passages", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--through-store", action="store_true", help="counts as a search gets them, written down")
    args = parser.parse_args()
    store = open_store(args.db)
    with store.engine.connect() as conn:
        texts = conn.execute(text("SELECT text FROM passages")).scalars().all()
    chosen = random.Random(args.seed).sample(texts, min(args.passages, len(texts)))
    phrases = sorted({p for t in chosen for p in fts.phrases(tracing._terms(t))} | set(AWKWARD))
    kept = store._postings
    assert kept is not None, "a SQLite database"
    # a new reader each time: nothing kept in the process; writing down only with --through-store
    postings = fts.Postings(
        kept.table, kept.version, stored=kept.stored if args.through_store else None, tokenize=kept.tokenize
    )
    started = time.process_time()
    counted = postings.read(store.engine.connect, phrases)
    middle = time.process_time()
    with store.engine.connect() as conn:
        scored = {p: postings._read_one(conn, p) for p in phrases}
    ended = time.process_time()
    differ = [
        p
        for p in phrases
        if not (np.array_equal(counted[p][0], scored[p][0]) and np.array_equal(counted[p][1], scored[p][1]))
    ]
    print(
        f"{len(phrases):,} words of {len(chosen)} passages, {sum(len(s[0]) for s in scored.values()):,} parts; "
        f"differing: {len(differ)} {differ[:10]}"
    )
    print(
        f"{'through the store' if args.through_store else 'counted'} {(middle - started) * 1000:.0f} ms, scored row by row {(ended - middle) * 1000:.0f} ms (CPU), "
        f"load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
