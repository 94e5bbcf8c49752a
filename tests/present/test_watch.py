"""`onrecord fetch` and `onrecord watch` (issue 16), end to end against a local server the suite
starts: the demo loop (watch -> alerts in the Atom feed, the web page and a signed webhook),
resuming a killed watch, errors per source, syndicated copies, webhook retries, the SMTP digest."""

from __future__ import annotations

import json
import shutil
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from werkzeug import Request, Response

from onrecord import deliver
from onrecord.cli import app
from onrecord.ingest.fetch import Fetcher, Guard
from onrecord.model import Alert, Evidence
from onrecord.store import Query, open_store
from onrecord.watch import Watcher, load_watchlist, parse_every
from onrecord.web import create_app

runner = CliRunner()
SITE = Path(__file__).resolve().parents[2] / "examples" / "watch" / "site"
ATOM = "{http://www.w3.org/2005/Atom}"
SECRET = "s3cret-for-tests"
ALLOW = ["--allow-net", "127.0.0.1/32", "--per-host", "0"]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, demo_dir, extractor) -> Path:
    """The demo corpus with its registry and topics, built once; each test works on a copy."""
    from onrecord.analyse import identities, topics
    from onrecord.pipeline import process, read_paths

    path = tmp_path_factory.mktemp("watch") / "demo.db"
    store = open_store(f"sqlite:///{path}")
    documents = [d for d in read_paths([str(demo_dir)]) if not isinstance(d, Exception)]
    for item in process(documents, extractor):
        store.add(item.document, item.statements, extractor.version)
    identities.import_registry(store, demo_dir.parent / "registry.yaml")
    topics.apply(store)
    store.close()
    return path


@pytest.fixture()
def db(demo_db, tmp_path) -> str:
    copy = tmp_path / "demo.db"
    shutil.copy(demo_db, copy)
    return f"sqlite:///{copy}"


class Site:
    """The example site (examples/watch/site) on the test server, a webhook receiver beside it,
    and a log of what was asked."""

    def __init__(self, server) -> None:
        self.server = server
        self.hooks: list[tuple[dict, bytes]] = []
        self.asked: list[tuple[str, dict]] = []
        self.hook_status: list[int] = []  # answers to give the webhook, in turn (then 204)
        for path in sorted(SITE.iterdir()):
            kind = "application/rss+xml" if path.suffix == ".xml" else "text/html; charset=utf-8"
            server.expect_request(f"/{path.name}").respond_with_handler(self._file(path, kind))
        server.expect_request("/hook", method="POST").respond_with_handler(self._hook)

    def url(self, name: str) -> str:
        return self.server.url_for(f"/{name}")

    def _file(self, path: Path, kind: str):
        def answer(request: Request) -> Response:
            self.asked.append((request.path, dict(request.headers)))
            etag = f'"{path.stat().st_mtime_ns}"'
            if request.headers.get("If-None-Match") == etag:
                return Response(status=304, headers={"ETag": etag})
            return Response(path.read_bytes(), content_type=kind, headers={"ETag": etag})

        return answer

    def _hook(self, request: Request) -> Response:
        self.hooks.append((dict(request.headers), request.get_data()))
        return Response(status=self.hook_status.pop(0) if self.hook_status else 204)


@pytest.fixture()
def site(web_server) -> Site:
    return Site(web_server)


def watchlist(tmp_path: Path, site: Site, sources: list[str] | None = None, extra: str = "") -> Path:
    path = tmp_path / "watchlist.yaml"
    listed = "\n".join(f"  - {s}" for s in (sources or [site.url("feed.xml")]))
    path.write_text(
        f"sources:\n{listed}\nfollow:\n  speakers: [Anna Petrova]\nalert_on: [statement, shift, trace]\n"
        f"webhook:\n  url: {site.url('hook')}\n  secret_env: TEST_HOOK_SECRET\nsite: http://onrecord.test\n{extra}"
    )
    return path


def watch(path: Path, db: str, *extra: str):
    return runner.invoke(
        app, ["watch", str(path), "--once", *ALLOW, "--db", db, *extra], env={"TEST_HOOK_SECRET": SECRET}
    )


# -- the whole loop ----------------------------------------------------------------------------------
def test_watch_stores_alerts_and_delivers_once(db, site, tmp_path):
    path = watchlist(tmp_path, site)
    result = watch(path, db)
    assert result.exit_code == 0, result.output
    assert "added 3 documents" in result.output

    store = open_store(db)
    pages = {name: site.url(name) for name in ("petrova-not-ready.html", "talks-on-hold.html", "coast-guard.html")}
    stored = {d.source: d for d in store.documents()}
    assert set(pages.values()) <= set(stored)  # each page once, its URL as its source

    alerts = store.alerts(limit=None)
    kinds = {a.kind for a in alerts}
    assert kinds == {"statement", "shift", "trace"}
    assert all(a.speaker == "Anna Petrova" for a in alerts)
    (shift,) = [a for a in alerts if a.kind == "shift"]
    assert shift.document_id == stored[pages["petrova-not-ready.html"]].id
    assert any(
        e.label == "before" and e.date == "2026-04-10" and "is ready to resume" in e.text for e in shift.evidence
    )
    altered = [a for a in alerts if a.kind == "trace" and "altered" in a.title]
    assert altered and altered[0].document_id == stored[pages["coast-guard.html"]].id
    assert any(e.label == "own words" and "tomorrow" in e.text for e in altered[0].evidence)

    # the syndicated copy is one story: no alerts of its own, its statements counted once
    copy = stored[pages["talks-on-hold.html"]]
    assert not [a for a in alerts if a.document_id == copy.id]
    assert [d.id for d in store.appearances(copy.id)] == [stored[pages["petrova-not-ready.html"]].id, copy.id]
    assert not [r for r in store.statements() if r.document.id == copy.id]
    assert store.statements(Query(document_id=copy.id))  # its own page still shows them

    # the webhook: one signed POST per alert, each linking to the statement and its evidence
    assert len(site.hooks) == len(alerts)
    for headers, body in site.hooks:
        assert deliver.verify(SECRET, body, headers.get("X-Onrecord-Signature"))
        sent = json.loads(body)["alert"]
        assert sent["url"].startswith("http://onrecord.test/documents/")
        assert all(e["url"] is None or e["url"].startswith("http://onrecord.test/documents/") for e in sent["evidence"])
    assert {json.loads(b)["alert"]["key"] for _, b in site.hooks} == {a.key for a in alerts}

    # the Atom feed and the web page
    client = TestClient(create_app(db))
    feed = client.get("/alerts.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.content).findall(f"{ATOM}entry")
    assert len(entries) == len(alerts)
    assert all("/documents/" in e.find(f"{ATOM}link").get("href") for e in entries)
    page = client.get("/alerts")
    assert page.status_code == 200 and site.url("feed.xml") in page.text and "[shift]" in page.text
    story = client.get(f"/documents/{copy.id}")
    assert "Where this story appeared" in story.text and "Harbour Times" in story.text

    # a second round: the feed answers 304, nothing is stored, raised or sent twice
    before = len(site.asked)
    again = watch(path, db)
    assert again.exit_code == 0, again.output
    assert "added 0 documents" in again.output
    assert [p for p, _ in site.asked[before:]] == ["/feed.xml"]
    assert len(store.alerts(limit=None)) == len(alerts) and len(site.hooks) == len(alerts)
    store.close()


class Killed(BaseException):
    """What SIGKILL would do to the round: it stops right there."""


@pytest.mark.parametrize("where", ["after storing, before marking the item", "while fetching the second item"])
def test_a_killed_watch_resumes_without_duplicates_or_losses(db, site, tmp_path, monkeypatch, where):
    wanted = load_watchlist(watchlist(tmp_path, site), environ={"TEST_HOOK_SECRET": SECRET})
    store = open_store(db)
    fetcher = Fetcher(guard=Guard.of(allow=["127.0.0.1/32"]), per_host_seconds=0)
    watcher = Watcher(store, fetcher)
    calls = {"n": 0}
    if where.startswith("after storing"):
        original = store.item_done

        def die(*args):
            raise Killed

        monkeypatch.setattr(store, "item_done", die)
    else:
        original = fetcher.fetch

        def die(url, *args):
            if url.endswith("talks-on-hold.html"):
                raise Killed
            return original(url, *args)

        monkeypatch.setattr(fetcher, "fetch", die)
    with pytest.raises(Killed):
        watcher.poll(wanted)
    monkeypatch.undo()
    assert calls["n"] == 0
    report = Watcher(store, fetcher).poll(wanted)
    assert not report.failures
    sources = [d.source for d in store.documents()]
    for name in ("petrova-not-ready.html", "talks-on-hold.html", "coast-guard.html"):
        assert sources.count(site.url(name)) == 1
    assert {i.state for i in store.items(site.url("feed.xml"))} == {"done"}
    alerts = store.alerts(limit=None)
    assert alerts and {"statement", "shift", "trace"} == {a.kind for a in alerts}
    assert sorted(json.loads(b)["alert"]["key"] for _, b in site.hooks) == sorted(a.key for a in alerts)
    fetcher.close()
    store.close()


def test_errors_are_recorded_per_source_and_the_others_go_on(db, site, tmp_path):
    site.server.expect_request("/down").respond_with_data("down for maintenance", status=500)
    undecodable = b"<html><body><p>Caf\xe9 \xff\xfe talks</p></body></html>"  # not the UTF-8 it claims
    site.server.expect_request("/garbage").respond_with_data(undecodable, content_type="text/html; charset=utf-8")
    listed = [
        site.url("down"),
        f"{{url: {site.url('petrova-not-ready.html')}, kind: feed}}",
        site.url("garbage"),
        site.url("coast-guard.html"),
    ]
    path = watchlist(tmp_path, site, listed)
    result = watch(path, db)
    assert result.exit_code == 1
    assert f"failed: {site.url('down')}: the server answered 500" in result.output
    store = open_store(db)
    assert site.url("coast-guard.html") in {d.source for d in store.documents()}
    status = {s.url: s for s in store.sources()}
    assert "answered 500" in status[site.url("down")].error
    assert "not a feed" in status[site.url("petrova-not-ready.html")].error
    assert "utf-8" in status[site.url("garbage")].error.lower()
    assert status[site.url("coast-guard.html")].error is None and status[site.url("coast-guard.html")].documents == 1
    shown = runner.invoke(app, ["watch", str(path), "--status", "--db", db], env={"COLUMNS": "400"})
    assert shown.exit_code == 0 and "answered 500" in shown.output and "never" not in shown.output
    page = TestClient(create_app(db)).get("/alerts")
    assert "answered 500" in page.text and "not a feed" in page.text
    store.close()


# -- fetch -----------------------------------------------------------------------------------------------
def test_fetch_stores_a_page_once_and_again_only_when_it_changed(db, web_server, tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes((SITE / "coast-guard.html").read_bytes())
    served = Site.__new__(Site)
    served.asked, served.server = [], web_server
    web_server.expect_request("/page").respond_with_handler(Site._file(served, page, "text/html"))
    url = web_server.url_for("/page")

    first = runner.invoke(app, ["fetch", url, *ALLOW, "--db", db])
    assert first.exit_code == 0, first.output
    assert "added 1 documents" in first.output
    store = open_store(db)
    (doc,) = [d for d in store.documents() if d.source == url]
    assert (doc.title, doc.outlet, doc.date, doc.url) == (
        "Coast guards and the treaty",
        "Northern Review",
        "2026-05-05",
        url,
    )

    second = runner.invoke(app, ["fetch", url, *ALLOW, "--db", db])
    assert "added 0 documents" in second.output and "unchanged 1" in second.output
    assert served.asked[-1][1].get("If-None-Match")  # asked conditionally: 304, nothing read

    page.write_text(page.read_text().replace("any treaty would", "a treaty would"))
    third = runner.invoke(app, ["fetch", url, *ALLOW, "--db", db])
    assert "added 1 documents" in third.output
    assert len([d for d in store.documents() if d.source == url]) == 2
    store.close()


def test_fetch_refuses_a_private_address_with_one_line(db, web_server):
    url = web_server.url_for("/page")
    result = runner.invoke(app, ["fetch", url, "--db", db])
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if line.startswith("failed:")]
    assert line.startswith(f"failed: {url}: refused: 127.0.0.1 resolves to a loopback address")
    assert "--allow-private" in line


def test_fetch_a_feed_brings_every_item(db, site):
    result = runner.invoke(app, ["fetch", site.url("feed.xml"), *ALLOW, "--db", db])
    assert result.exit_code == 0, result.output
    assert "added 3 documents" in result.output
    sources = {d.source for d in open_store(db).documents()}
    assert {site.url(n) for n in ("petrova-not-ready.html", "talks-on-hold.html", "coast-guard.html")} <= sources


# -- delivery ---------------------------------------------------------------------------------------------
def test_webhook_retries_with_back_off_then_gives_up_on_a_refusal(web_server):
    answers = [500, 503, 200, 400]
    web_server.expect_request("/hook", method="POST").respond_with_handler(lambda r: Response(status=answers.pop(0)))
    hook = deliver.Webhook(web_server.url_for("/hook"), SECRET, attempts=4)
    slept: list[float] = []
    import httpx

    with httpx.Client() as client:
        assert deliver.post(hook, b"{}", client, slept.append) == (True, None, False)
        assert slept == [1.0, 2.0]
        slept.clear()
        assert deliver.post(hook, b"{}", client, slept.append) == (False, "the receiver answered 400", False)
        assert slept == []


def test_undelivered_alerts_stay_pending_then_are_given_up(db, web_server):
    web_server.expect_request("/hook", method="POST").respond_with_data("busy", status=503)
    store = open_store(db)
    (alert_id,) = store.add_alerts([Alert("statement:test", "statement", "t", "s")], webhook=True)
    hook = deliver.Webhook(web_server.url_for("/hook"), SECRET, attempts=2)
    for _ in range(deliver.MAX_ROUNDS - 1):
        assert deliver.deliver_pending(store, hook, "http://x", sleep=lambda s: None) == 0
        assert store.alerts(ids=[alert_id])[0].webhook_state == "pending"
    deliver.deliver_pending(store, hook, "http://x", sleep=lambda s: None)
    assert store.alerts(ids=[alert_id])[0].webhook_state == "failed"
    store.close()


def test_the_daily_digest_goes_by_smtp(db):
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:  # aiosmtpd needs a port number: a free one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        store = open_store(db)
        evidence = (Evidence("said", "We will not leave the talks.", 3, 4, "2026-03-08", "Radio Valdor"),)
        store.add_alerts(
            [
                Alert(
                    "statement:d1",
                    "statement",
                    "Anna Petrova: talks",
                    "summary",
                    "Anna Petrova",
                    "2026-03-08",
                    None,
                    3,
                    4,
                    evidence,
                )
            ]
        )
        digest = deliver.Digest("127.0.0.1", port, "onrecord@localhost", ("analyst@example.org",))
        assert deliver.send_digest_if_due(store, digest, "http://onrecord.test")
        assert not deliver.send_digest_if_due(store, digest, "http://onrecord.test")  # not a day yet
        (mail,) = received
        body = mail.content.decode()
        assert mail.rcpt_tos == ["analyst@example.org"]
        assert "Anna Petrova: talks" in body and "http://onrecord.test/documents/3#s4" in body
        assert store.undigested_alerts() == []
        store.close()
    finally:
        controller.stop()


# -- what is shown is escaped -----------------------------------------------------------------------------
def test_alerts_are_escaped_in_the_feed_and_the_page(db):
    store = open_store(db)
    hostile = "<script>alert('x')</script> & \x07bell"
    store.add_alerts(
        [
            Alert(
                "statement:x",
                "statement",
                hostile,
                hostile,
                "Anna Petrova",
                "2026-05-01",
                None,
                1,
                0,
                (Evidence("said", hostile, 1, 0),),
            )
        ]
    )
    client = TestClient(create_app(db))
    feed = ET.fromstring(client.get("/alerts.atom").content)
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == hostile.replace("\x07", "")
    assert "<script>" not in entry.find(f"{ATOM}content").text  # escaped HTML inside the text
    page = client.get("/alerts").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert client.get("/api/alerts").json()[0]["title"] == hostile
    store.close()


# -- input -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, problem",
    [
        ("sources: [", "not valid YAML"),
        ("- a list", "a watchlist is a YAML mapping"),
        ("sources: []", "sources: must list at least one"),
        ("sources: [ftp://example.org/feed]", "is not an http(s) URL"),
        ("sources: [http://a.test/f]\nfolow: {}", "unknown field 'folow'"),
        ("sources: [http://a.test/f]\nalert_on: [everything]", "alert_on: unknown kind 'everything'"),
        (
            "sources: [http://a.test/f]\nwebhook: {url: 'http://h.test/', secret_env: NOT_SET_ANYWHERE}",
            "NOT_SET_ANYWHERE is not set",
        ),
        ("x: &a [1]\ny: *a", "aliases"),
        ("sources: [http://a.test/f]\nevery: soon", "every: must be a duration"),
    ],
)
def test_a_bad_watchlist_is_one_line_naming_the_file(tmp_path, db, text, problem):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["watch", str(path), "--once", "--db", db])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {path}: ") and problem in lines[0], result.output


@pytest.mark.parametrize("text, seconds", [("30s", 30), ("15m", 900), ("1h", 3600), ("2", 120), ("1.5h", 5400)])
def test_every(text, seconds):
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["0m", "-1m", "soon", "15 minutes"])
def test_every_refuses(text):
    with pytest.raises(ValueError):
        parse_every(text)


def test_a_page_without_a_date_takes_its_feed_items(db, web_server):
    undated = (
        "<html><body><article><p>"
        + "Anna Petrova said the talks on the lake would resume in June. " * 3
        + "</p></article></body></html>"
    )
    web_server.expect_request("/undated").respond_with_data(undated, content_type="text/html")
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>t</title>'
        f"<link>{web_server.url_for('/undated')}</link><pubDate>Wed, 06 May 2026 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    web_server.expect_request("/wire.xml").respond_with_data(rss, content_type="application/rss+xml")
    result = runner.invoke(app, ["fetch", web_server.url_for("/wire.xml"), *ALLOW, "--db", db, "--no-topics"])
    assert result.exit_code == 0, result.output
    (doc,) = [d for d in open_store(db).documents() if d.source == web_server.url_for("/undated")]
    assert doc.date == "2026-05-06"


def test_a_watch_killed_with_sigkill_resumes(db, web_server, tmp_path):
    """A real kill: the watch process is SIGKILLed while it waits for the second item's page
    (the first one stored), then a new watch finishes the round, storing and sending nothing twice."""
    import os
    import signal
    import subprocess
    import sys
    import threading

    entered, release, first = threading.Event(), threading.Event(), [True]

    def held(request: Request) -> Response:
        if first[0]:
            first[0] = False
            entered.set()
            release.wait(60)
        return Response((SITE / "talks-on-hold.html").read_bytes(), content_type="text/html")

    web_server.expect_request("/talks-on-hold.html").respond_with_handler(held)  # before the site's own
    site = Site(web_server)
    path = watchlist(tmp_path, site)
    command = [str(Path(sys.executable).parent / "onrecord"), "watch", str(path), "--once", *ALLOW, "--db", db]
    process = subprocess.Popen(
        command, env={**os.environ, "TEST_HOOK_SECRET": SECRET}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        assert entered.wait(180), process.stderr.read().decode() if process.poll() is not None else "no request came"
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        release.set()
        if process.poll() is None:
            process.kill()
        process.stderr.close()
    store = open_store(db)
    assert site.url("petrova-not-ready.html") in {d.source for d in store.documents()}  # stored before the kill
    assert not site.hooks

    again = watch(path, db)
    assert again.exit_code == 0, again.output
    sources = [d.source for d in store.documents()]
    for name in ("petrova-not-ready.html", "talks-on-hold.html", "coast-guard.html"):
        assert sources.count(site.url(name)) == 1
    assert {i.state for i in store.items(site.url("feed.xml"))} == {"done"}
    alerts = store.alerts(limit=None)
    assert {"statement", "shift", "trace"} == {a.kind for a in alerts}
    assert sorted(json.loads(b)["alert"]["key"] for _, b in site.hooks) == sorted(a.key for a in alerts)
    store.close()


def test_an_item_that_fails_is_tried_again_next_round(db, site, tmp_path):
    wanted = load_watchlist(watchlist(tmp_path, site), environ={"TEST_HOOK_SECRET": SECRET})
    store = open_store(db)
    with Fetcher(guard=Guard.of(allow=["127.0.0.1/32"]), per_host_seconds=0) as fetcher:
        first = Watcher(store, fetcher, budget=1e-9).poll(wanted)  # every extraction over its budget
        assert first.added == 0 and len(first.failures) == 3
        assert {i.state for i in store.items(site.url("feed.xml"))} == {"failed"}
        second = Watcher(store, fetcher).poll(wanted)
    assert second.added == 3 and not second.failures
    assert {(i.state, i.attempts) for i in store.items(site.url("feed.xml"))} == {("done", 2)}
    store.close()


@pytest.mark.parametrize(
    "args, problem",
    [
        (
            ["fetch", "http://a.test/", "--allow-net", "localhost"],
            "--allow-net 'localhost' is not an address or network",
        ),
        (["watch", "WATCHLIST", "--once", "--every", "15m"], "--once and --every: choose one"),
        (["watch", "WATCHLIST", "--every", "soon"], "--every 'soon': must be a duration"),
    ],
)
def test_bad_flags_exit_2_with_one_line(db, tmp_path, args, problem):
    path = tmp_path / "w.yaml"
    path.write_text("sources: [http://a.test/feed]\n")
    result = runner.invoke(app, [str(path) if a == "WATCHLIST" else a for a in args] + ["--db", db])
    (line,) = result.output.strip().splitlines()
    assert result.exit_code == 2 and line.startswith("error: ") and problem in line, result.output
