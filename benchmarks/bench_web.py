"""Web load: `onrecord serve` on 127.0.0.1 under 20 concurrent clients, also while an ingest writes.

    python benchmarks/bench_web.py [--corpus ../shared/data/trump-campaign/text] [--requests 2000] [--via-run]

(--via-run starts the server through onrecord.web.run, with the bounded uvicorn settings, as
`onrecord serve` does once it calls that.)

The database holds the demo corpus with its registry plus the first 200 transcripts of the
corpus (built once, cached under build/bench-web/; without the corpus, the demo alone, said so).
The clients mix the home page, search pages, API statements, speaker pages and document pages
in a fixed, seeded order, and send a fixed number of requests. The load generator runs in its
own process, on plain asyncio sockets with keep-alive (much lighter than an HTTP library), so
that it is not the bottleneck; it still shares the machine's cores with the server, so the
figures are those of server and clients together. Prints requests/s, p50, p95, max and errors,
overall and per kind of page, for a first pass on a still database (every page cold), the same
requests again (pages kept), and a run during an ingest (every write makes the kept pages stale).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ONRECORD = str(BIN / "onrecord")
SEARCH_WORDS = [
    "border", "jobs", "trade", "wall", "china", "taxes", "talks", "sanctions", "treaty", "military",
    "immigration", "great", "deal", "media", "economy", "isis", "mexico", "veterans", "energy", "election",
]  # fmt: skip


# -- the database ---------------------------------------------------------------------------------
def build_database(corpus: Path | None, transcripts: int, cache: Path) -> tuple[Path, list[Path]]:
    """The cached database (demo + registry + the first ``transcripts`` of the corpus), and the
    next transcripts (for the run during an ingest). Built into a temporary name, renamed when done."""
    files = sorted(corpus.glob("*.txt")) if corpus else []
    chosen, spare = files[:transcripts], files[transcripts : transcripts + 40]
    name = f"web-{len(chosen)}.db"
    target = cache / name
    if target.exists():
        return target, spare
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f"partial-{name}"
    for leftover in cache.glob(f"partial-{name}*"):
        leftover.unlink()
    url = f"sqlite:///{partial}"
    print(f"building {target} (demo + {len(chosen)} transcripts; minutes, once) ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    run([ONRECORD, "ingest", str(ROOT / "examples/demo"), "--db", url])
    run([ONRECORD, "speakers", "import", str(ROOT / "examples/registry.yaml"), "--db", url])
    if chosen:
        with tempfile.TemporaryDirectory() as tmp:  # one directory argument rather than 200 paths
            for path in chosen:
                os.symlink(path.resolve(), Path(tmp) / path.name)
            run([ONRECORD, "ingest", tmp, "--db", url])
    checkpoint(partial)
    partial.rename(target)
    for leftover in cache.glob(f"partial-{name}*"):  # the emptied -wal and -shm
        leftover.unlink()
    print(f"built in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return target, spare


def run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[:3])} failed: {done.stderr.strip()[-500:]}")


def checkpoint(path: Path) -> None:
    """Fold the WAL into the file, so that a copy of the one file is the whole database."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# -- the server -----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, extra: list[str], via_run: bool) -> subprocess.Popen[bytes]:
    command = [ONRECORD, "serve", "--db", f"sqlite:///{db}", "--port", str(port), *extra]
    if via_run:  # what `serve` runs once it calls onrecord.web.run (its bounded uvicorn settings)
        code = f"from onrecord.web import create_app, run; run(create_app('sqlite:///{db}'), port={port})"
        command = [sys.executable, "-c", code]
    server = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/topics", timeout=5):
                return server
        except OSError:
            if server.poll() is not None:
                sys.exit("the server did not start")
            time.sleep(0.3)
    server.kill()
    sys.exit("the server did not answer within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> float:
    """SIGTERM, and how long the server took to exit (killed after 30 s)."""
    started = time.perf_counter()
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        return float("inf")
    return time.perf_counter() - started


def get_json(port: int, path: str) -> object:
    import json

    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as response:
        return json.load(response)


def stored(port: int) -> int:
    return len(get_json(port, "/api/documents?limit=1000"))  # type: ignore[arg-type]


def request_mix(port: int, count: int, seed: int = 12) -> list[tuple[str, str]]:
    """(kind, path) in a fixed order: what 20 readers of the site would ask for."""
    documents = [d["id"] for d in get_json(port, "/api/documents?limit=1000")]  # type: ignore[union-attr,index]
    speakers = [s["name"] for s in get_json(port, "/api/speakers?limit=30")]  # type: ignore[union-attr,index]
    rng = random.Random(seed)
    kinds = ["home", "search", "api statements", "speaker", "document"]
    mix = []
    for _ in range(count):
        kind = rng.choice(kinds)
        if kind == "home":
            path = "/"
        elif kind == "search":
            path = "/search?" + urlencode({"q": rng.choice(SEARCH_WORDS)})
        elif kind == "api statements":
            query = {"q": rng.choice(SEARCH_WORDS)} if rng.random() < 0.5 else {"speaker": rng.choice(speakers)}
            path = "/api/statements?" + urlencode({**query, "limit": 20})
        elif kind == "speaker":
            path = "/speakers/" + quote(rng.choice(speakers[:15]), safe="")
        else:
            path = f"/documents/{rng.choice(documents)}"
        mix.append((kind, path))
    return mix


# -- the load generator (its own process) -----------------------------------------------------------
async def _client(port: int, jobs: asyncio.Queue, results: list) -> None:  # type: ignore[type-arg]
    reader = writer = None
    while True:
        try:
            kind, path = jobs.get_nowait()
        except asyncio.QueueEmpty:
            break
        started = time.perf_counter()
        status = 0
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n".encode())
            status, keep = await asyncio.wait_for(_read_response(reader), timeout=60)  # type: ignore[arg-type]
            if not keep:
                writer.close()
                reader = writer = None
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            if writer is not None:
                writer.close()
            reader = writer = None
        results.append((kind, time.perf_counter() - started, status))
    if writer is not None:
        writer.close()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection", "").lower() != "close"


def _load(port: int, mix: list[tuple[str, str]], clients: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    async def main() -> tuple[float, list[tuple[str, float, int]]]:
        jobs: asyncio.Queue = asyncio.Queue()  # type: ignore[type-arg]
        for job in mix:
            jobs.put_nowait(job)
        results: list[tuple[str, float, int]] = []
        started = time.perf_counter()
        await asyncio.gather(*(_client(port, jobs, results) for _ in range(clients)))
        return time.perf_counter() - started, results

    out.put(asyncio.run(main()))


def load(port: int, mix: list[tuple[str, str]], clients: int) -> tuple[float, list[tuple[str, float, int]]]:
    out: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    process = multiprocessing.Process(target=_load, args=(port, mix, clients, out))
    process.start()
    elapsed, results = out.get()
    process.join()
    return elapsed, results


# -- figures --------------------------------------------------------------------------------------
def _row(label: str, elapsed: float | None, results: list[tuple[str, float, int]]) -> str:
    times = sorted(t for _, t, _ in results)
    errors = sum(status != 200 for _, _, status in results)
    rate = f"{len(results) / elapsed:.0f}" if elapsed else "–"
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return (
        f"| {label} | {len(results)} | {rate} | {statistics.median(times) * 1000:.0f} ms | {p95 * 1000:.0f} ms | "
        f"{times[-1] * 1000:.0f} ms | {errors} |"
    )


def report(title: str, elapsed: float, results: list[tuple[str, float, int]]) -> None:
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{title} (load average after: {load})\n")
    print("| requests | n | requests/s | p50 | p95 | max | errors |")
    print("|---|---|---|---|---|---|---|")
    print(_row("all", elapsed, results))
    by_kind: dict[str, list[tuple[str, float, int]]] = defaultdict(list)
    for result in results:
        by_kind[result[0]].append(result)
    for kind in sorted(by_kind):
        print(_row(kind, None, by_kind[kind]))
    statuses = sorted({status for _, _, status in results if status != 200})
    if statuses:
        print(f"\nnon-200 statuses: {statuses} (0 = no answer)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared/data/trump-campaign/text"))
    parser.add_argument("--transcripts", type=int, default=200)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--cache", default=str(ROOT / "build/bench-web"))
    parser.add_argument("--no-ingest", action="store_true", help="skip the run during an ingest")
    parser.add_argument("--serve-option", action="append", default=[], help="passed on to `onrecord serve`")
    parser.add_argument("--via-run", action="store_true", help="start the server through onrecord.web.run")
    args = parser.parse_args()
    corpus: Path | None = Path(args.corpus)
    if not corpus.is_dir():  # type: ignore[union-attr]
        print(f"{corpus}: not found; the demo corpus alone (pass --corpus for the transcripts)", file=sys.stderr)
        corpus = None
    cached, spare = build_database(corpus, args.transcripts, Path(args.cache))
    print(f"cores: {os.cpu_count()}; load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (shared machine)")

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "web.db"
        shutil.copy(cached, db)  # the cache stays as built; the ingest run writes to this copy
        port = free_port()
        server = start_server(db, port, args.serve_option, args.via_run)
        try:
            mix = request_mix(port, args.requests)
            distinct = len({path for _, path in mix})
            elapsed, results = load(port, mix, args.clients)
            report(
                f"Still database, first pass (cold: {distinct} distinct pages): {args.clients} clients, "
                f"{len(mix)} requests",
                elapsed,
                results,
            )
            elapsed, results = load(port, mix, args.clients)
            report(f"Still database, the same requests again: {args.clients} clients", elapsed, results)
            if not args.no_ingest and spare:
                fresh = Path(tmp) / "fresh"
                fresh.mkdir()
                for path in spare:
                    os.symlink(path.resolve(), fresh / path.name)
                ingest = subprocess.Popen(
                    [ONRECORD, "ingest", str(fresh), "--db", f"sqlite:///{db}"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                before = stored(port)
                deadline = time.monotonic() + 300
                while stored(port) == before and ingest.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.5)  # past the model load: the ingest is writing when the clients start
                writing = stored(port)
                elapsed, results = load(port, request_mix(port, args.requests, seed=13), args.clients)
                during = stored(port) - writing
                still_running = ingest.poll() is None
                if still_running:  # what it stored so far is committed; the rest would only take time
                    ingest.terminate()
                _, stderr = ingest.communicate()
                report(
                    f"During an ingest of {len(spare)} transcripts ({during} stored while the clients ran; "
                    f"{'still writing' if still_running else 'done'} when they finished)",
                    elapsed,
                    results,
                )
                if ingest.returncode != 0 and not still_running:
                    print(f"the ingest failed: {stderr.strip()[-300:]}")
        finally:
            print(f"\nSIGTERM to exit: {stop_server(server):.1f} s")


if __name__ == "__main__":
    main()
