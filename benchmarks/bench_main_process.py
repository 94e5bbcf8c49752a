"""The main process's share of `onrecord ingest --workers N`, stage by stage, in CPU milliseconds a document.

    python benchmarks/bench_main_process.py [--corpus ../shared/data/trump-campaign/text] [--limit 60]

With workers, the main process reads every file, sends each batch of documents to a worker,
takes back their statements, stores each document and, at the end, refreshes (compares
signatures, links speakers). Whatever CPU it spends there is taken from the two cores the
workers parse on. This times each of those stages alone, in this one process, as CPU time
(which, unlike wall-clock time, barely moves when other work shares the machine): reading the
whole corpus; then, for the first ``--limit`` documents (extracted here first, untimed),
pickling the documents as they go to a worker, pickling and unpickling what comes back, storing
them in a fresh SQLite database, and the refresh.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

from onrecord.analyse import refresh
from onrecord.pipeline import extractor_version, process, read_paths
from onrecord.store import open_store


def cpu_ms(seconds: float, count: int) -> str:
    return f"{1000 * seconds / max(count, 1):.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", default=str(Path(__file__).resolve().parents[2] / "shared/data/trump-campaign/text")
    )
    parser.add_argument("--limit", type=int, default=60, help="documents extracted, then sent, stored and refreshed")
    args = parser.parse_args()
    began = time.process_time()
    documents = [d for d in read_paths([args.corpus]) if not isinstance(d, Exception)]
    read = time.process_time() - began
    if not documents:
        sys.exit(f"no documents in {args.corpus}; pass --corpus")
    sample = documents[: args.limit]
    items = list(process(sample, sign=True))  # untimed: what the workers would send back
    outcomes = [(p.statements, p.error, p.signature) for p in items]  # what pipeline._process_batch sends

    began = time.process_time()
    pickle.dumps(sample, protocol=pickle.HIGHEST_PROTOCOL)
    send = time.process_time() - began
    raw = pickle.dumps(outcomes, protocol=pickle.HIGHEST_PROTOCOL)
    began = time.process_time()
    pickle.loads(raw)
    receive = time.process_time() - began
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{os.path.join(tmp, 'main.db')}")
        began = time.process_time()
        for p in items:
            if not store.contains(p.document.content_hash) and not p.error:
                store.add(p.document, p.statements, extractor_version(p.document.lang), signature=p.signature)
        stored = time.process_time() - began
        began = time.process_time()
        refresh(store, with_topics=False)
        refreshed = time.process_time() - began
    n = len(sample)
    print(f"{len(documents)} documents read from {args.corpus}; {n} extracted, then sent, stored and refreshed")
    print("| stage (main process) | CPU per document |")
    print("|---|---|")
    print(f"| reading the files (all {len(documents)}) | {cpu_ms(read, len(documents))} |")
    print(f"| pickling the documents for the workers | {cpu_ms(send, n)} |")
    print(f"| unpickling what the workers send back ({len(raw) / n / 1000:.0f} kB a document) | {cpu_ms(receive, n)} |")
    print(f"| storing (one transaction each) | {cpu_ms(stored, n)} |")
    print(f"| refresh: signatures compared, speakers linked ({refreshed:.2f} s in all) | {cpu_ms(refreshed, n)} |")


if __name__ == "__main__":
    main()
