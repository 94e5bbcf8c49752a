"""Watching sources: pages fetched, extracted and stored per second from a local server, and the
time from a new feed item to its alert (stored, and delivered to a webhook).

    python benchmarks/bench_watch.py [--shared ../shared/data] [--pages 100] [--items 5]

Pages are PolNeAR news articles (``polnear/train/text``) wrapped in HTML, else the demo corpus;
a feed lists them. Everything is served by a threaded stdlib HTTP server on 127.0.0.1 in this
process, and the per-host rate limit is lifted (``per_host_seconds=0``), so the figures are
onrecord's own work: fetch, trafilatura, extraction with speaker resolution, storing, then linking
speakers, topics and syndication (``analyse.refresh``). Nothing leaves the machine.

Latency: on the demo database with its registry, a watch round is run once (nothing new), then,
``--items`` times, one new item by a followed speaker is added to the feed and a round is timed
until its alert is stored and the webhook (a local receiver) has it. In real use the poll interval
(``--every``) comes on top: on average half of it.
"""

from __future__ import annotations

import argparse
import html
import shutil
import statistics
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from onrecord import open_store  # noqa: E402
from onrecord.ingest.fetch import Fetcher, Guard, documents_of  # noqa: E402
from onrecord.pipeline import default_extractor, process, read_paths  # noqa: E402
from onrecord.watch import Source, Watcher, Watchlist  # noqa: E402


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def page(title: str, body: str, date: str = "2026-05-04") -> str:
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n\n") if p.strip())
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<meta property="article:published_time" content="{date}T08:00:00Z"></head>'
        f"<body><nav>Home</nav><article><h1>{html.escape(title)}</h1>{paragraphs}</article><footer>©</footer></body></html>"
    )


def feed(names: list[str]) -> str:
    items = "".join(
        f'<item><title>{n}</title><link>{n}</link><guid isPermaLink="false">{n}</guid></item>' for n in names
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>bench</title>{items}</channel></rss>'
    )


def texts(shared: Path, count: int) -> list[tuple[str, str]]:
    folder = shared / "polnear" / "train" / "text"
    if folder.is_dir():
        files = sorted(folder.glob("*.txt"))[:count]
        print(f"pages: {len(files)} PolNeAR articles from {folder}")
        found = []
        for f in files:
            text = f.read_text(encoding="utf-8")
            title, _, body = text.partition("\n")
            found.append((title.strip()[:200] or f.stem, body))
        return found
    print(f"{folder} not found: the demo corpus instead")
    docs = [d for d in read_paths([str(ROOT / "examples" / "demo")]) if not isinstance(d, Exception)]
    return [(d.title or d.source, d.text) for d in docs][:count]


def throughput(shared: Path, count: int, work: Path) -> None:
    site = work / "site"
    site.mkdir()
    names = []
    for n, (title, body) in enumerate(texts(shared, count)):
        name = f"page-{n:04d}.html"
        (site / name).write_text(page(title, body), encoding="utf-8")
        names.append(name)
    (site / "feed.xml").write_text(feed(names), encoding="utf-8")
    server, base = serve(site)
    extractor = default_extractor()
    list(process(read_paths([str(ROOT / "examples" / "demo" / "2026-03-14-harbour-times-sanctions.md")]), extractor))
    try:
        with Fetcher(guard=Guard.of(allow=["127.0.0.1/32"]), per_host_seconds=0) as fetcher:
            started = time.perf_counter()
            answers = [fetcher.fetch(f"{base}/{name}") for name in names]
            fetch_only = time.perf_counter() - started
        started = time.perf_counter()
        documents = [d for a in answers for d in documents_of(a)]
        read_only = time.perf_counter() - started
        started = time.perf_counter()
        list(process(documents, extractor))
        extract_only = time.perf_counter() - started
        store = open_store(f"sqlite:///{work / 'throughput.db'}")
        with Fetcher(guard=Guard.of(allow=["127.0.0.1/32"]), per_host_seconds=0) as fetcher:
            started = time.perf_counter()
            report = Watcher(store, fetcher, extractor, with_topics=False).fetch_urls([f"{base}/feed.xml"])
            stored = time.perf_counter() - started
            again = time.perf_counter()
            second = Watcher(store, fetcher, extractor, with_topics=False).fetch_urls([f"{base}/feed.xml"])
            unchanged = time.perf_counter() - again
        store.close()
    finally:
        server.shutdown()
    size = sum((site / n).stat().st_size for n in names) / 1e6
    print(f"\n{len(names)} pages ({size:.1f} MB of HTML), per-host limit lifted:")
    print(f"  fetch only:                           {fetch_only:6.2f} s  {len(names) / fetch_only:7.1f} pages/s")
    print(f"  main text and metadata (trafilatura): {read_only:6.2f} s  {len(names) / read_only:7.1f} pages/s")
    print(f"  extraction alone (spaCy + rules):     {extract_only:6.2f} s  {len(names) / extract_only:7.1f} pages/s")
    print(
        f"  fetch + extract + store + refresh:    {stored:6.2f} s  {len(names) / stored:7.1f} pages/s "
        f"({report.added} documents, {report.statements} statements, {len(report.failures)} failed); "
        f"{stored / extract_only:.2f}x extraction alone"
    )
    print(f"  the same feed again (304, nothing fetched): {unchanged:.3f} s ({second.added} added)")


class Receiver(BaseHTTPRequestHandler):
    received: list[float] = []

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Receiver.received.append(time.perf_counter())
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def latency(items: int, work: Path) -> None:
    from onrecord.analyse import identities, refresh
    from onrecord.analyse.alerts import Follow
    from onrecord.deliver import Webhook

    extractor = default_extractor()
    store = open_store(f"sqlite:///{work / 'latency.db'}")
    for item in process(
        [d for d in read_paths([str(ROOT / "examples" / "demo")]) if not isinstance(d, Exception)], extractor
    ):
        store.add(item.document, item.statements, extractor.version)
    identities.import_registry(store, ROOT / "examples" / "registry.yaml")
    refresh(store)
    site = work / "latency-site"
    site.mkdir()
    names: list[str] = []
    (site / "feed.xml").write_text(feed(names), encoding="utf-8")
    server, base = serve(site)
    hook = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    wanted = Watchlist(
        "bench",
        (Source(f"{base}/feed.xml", "feed"),),
        Follow(speakers=("Anna Petrova",)),
        Webhook(f"http://127.0.0.1:{hook.server_address[1]}/hook", "bench-secret"),
    )
    timings: list[tuple[float, float]] = []
    try:
        with Fetcher(guard=Guard.of(allow=["127.0.0.1/32"]), per_host_seconds=0) as fetcher:
            watcher = Watcher(store, fetcher, extractor)
            watcher.poll(wanted)  # the first round: nothing new
            for n in range(items):
                name = f"new-{n}.html"
                body = (
                    f"Ruritania will propose a new round of talks on the Lake Treaty in week {n + 20}, "
                    f'Anna Petrova said on Monday.\n\n"We are ready to listen to every proposal on the coast guard," '
                    f"she told reporters in Valdor on day {n}. Jonas Kallas said Nordmark would study the offer."
                )
                (site / name).write_text(
                    page(f"Petrova proposes talks {n}", body, "2026-05-1{n % 10}"), encoding="utf-8"
                )
                names.append(name)
                (site / "feed.xml").write_text(feed(names), encoding="utf-8")
                Receiver.received.clear()
                started = time.perf_counter()
                report = watcher.poll(wanted)
                stored = time.perf_counter() - started
                delivered = (Receiver.received[0] - started) if Receiver.received else float("nan")
                assert report.alerts, "no alert raised"
                timings.append((stored, delivered))
    finally:
        server.shutdown()
        hook.shutdown()
        store.close()
    rounds = [t for t, _ in timings]
    first = [d for _, d in timings]
    print(f"\nnew feed item -> alert ({items} items, one a round, webhook on 127.0.0.1):")
    print(
        f"  round with the item, alert stored and delivered: median {statistics.median(rounds):.2f} s, max {max(rounds):.2f} s"
    )
    print(
        f"  first webhook POST received after:               median {statistics.median(first):.2f} s, max {max(first):.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--items", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-watch-"))
    try:
        throughput(args.shared, args.pages, work)
        latency(args.items, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
