"""What one request may cost and what every response carries: limits checked before the body is
read, the token before anything else, security headers, HEAD and 405, the page cache, the gate on
heavy work, and a server that stops on SIGTERM while work is still running."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request

import httpx
import pytest
from fastapi.testclient import TestClient

from onrecord.web import create_app
from onrecord.web.app import MAX_BODY, MAX_TEXT
from onrecord.web.cache import Busy, Gate, PageCache

TOKEN = "s3cret"
GET_PAGES = [
    "/",
    "/search?q=talks",
    "/speakers/Anna%20Petrova",
    "/speakers/Anna%20Petrova/chart.svg",
    "/topics/sanctions",
    "/documents/1",
    "/documents/1/trace",
    "/brief?speaker=Anna%20Petrova",
    "/api/documents",
    "/api/documents/1",
    "/api/documents/1/trace",
    "/api/statements?limit=5",
    "/api/search?q=talks",
    "/api/speakers",
    "/api/speakers/Anna%20Petrova",
    "/api/topics",
    "/api/timeline/Anna%20Petrova",
    "/api/shifts?speaker=Anna%20Petrova",
    "/api/openapi.json",
    "/static/style.css",
    "/trace.css",
]


@pytest.fixture(scope="module")
def client(web_db):
    return TestClient(create_app(web_db), raise_server_exceptions=False)


@pytest.fixture
def db_copy(web_db, tmp_path) -> str:
    copy = tmp_path / "copy.db"
    shutil.copy(web_db.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


async def call(app, method: str, path: str, headers: dict[str, str], chunks: list[bytes]) -> tuple[int, dict, int]:
    """One request straight through ASGI: (status, headers, how many body chunks the app read)."""
    pending = [{"type": "http.request", "body": c, "more_body": n < len(chunks) - 1} for n, c in enumerate(chunks)]
    read = 0
    answer: dict = {}

    async def receive():
        nonlocal read
        if not pending:
            await asyncio.sleep(3600)  # a client that never sends the rest
        read += 1
        return pending.pop(0)

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode().lower(): v.decode() for k, v in message["headers"]}

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 8000),
    }  # fmt: skip
    await asyncio.wait_for(app(scope, receive, send), 30)
    return answer["status"], answer["headers"], read


# -- the token first, then the size, then the body ----------------------------------------------------
def test_the_token_is_checked_before_the_body_is_read(db_copy):
    read_only, writable = create_app(db_copy), create_app(db_copy, token=TOKEN)
    garbage = [b"{not json" * 1000]
    status, _, read = asyncio.run(
        call(read_only, "POST", "/api/documents", {"content-type": "application/json"}, garbage)
    )
    assert (status, read) == (403, 0)
    for authorization in (None, TOKEN, f"Token {TOKEN}", "Bearer wrong", f"Bearer{TOKEN}", f"Basic {TOKEN}"):
        headers = {"content-type": "application/json", **({"authorization": authorization} if authorization else {})}
        status, answer, read = asyncio.run(call(writable, "POST", "/api/documents", headers, garbage))
        assert (status, read) == (401, 0), authorization
        assert answer["www-authenticate"] == "Bearer"


def test_a_bare_token_is_refused(db_copy):
    client = TestClient(create_app(db_copy, token=TOKEN))
    body = {"text": '"We will sign in June," Anna Petrova said.'}
    assert client.post("/api/documents", json=body, headers={"Authorization": TOKEN}).status_code == 401
    assert client.post("/api/documents", json=body, headers={"Authorization": f"bearer {TOKEN}"}).status_code == 201


def test_an_oversized_body_is_refused_by_its_length_before_it_is_read(db_copy):
    app = create_app(db_copy, token=TOKEN)
    headers = {"authorization": f"Bearer {TOKEN}", "content-type": "application/json"}
    status, _, read = asyncio.run(
        call(app, "POST", "/api/documents", {**headers, "content-length": str(MAX_BODY + 1)}, [b"{"])
    )
    assert (status, read) == (413, 0)
    # sent in chunks without a length: refused as soon as it grows past the limit, not at its end
    chunks = [b'{"text": "' + b"x" * 1_000_000] * (MAX_BODY // 1_000_000 + 1) + [b"never sent"] * 50
    status, _, read = asyncio.run(call(app, "POST", "/api/documents", headers, chunks))
    assert status == 413 and read == MAX_BODY // 1_000_000 + 1


def test_the_api_takes_shorter_texts_than_the_cli(db_copy):
    client = TestClient(create_app(db_copy, token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = client.post("/api/documents", json={"text": "Words. " * (MAX_TEXT // 7 + 1)}, headers=auth)
    assert response.status_code == 413
    detail = response.json()["detail"]
    assert "\n" not in detail and f"{MAX_TEXT:,}" in detail and "onrecord ingest" in detail


@pytest.mark.parametrize("text", [" ", "\n\n\t ", "\u2003\u00a0\u3000\n"])
def test_whitespace_only_text_is_refused(db_copy, text):
    client = TestClient(create_app(db_copy, token=TOKEN))
    before = len(client.get("/api/documents", params={"limit": 1000}).json())
    response = client.post("/api/documents", json={"text": text}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422 and "whitespace" in json.dumps(response.json())
    assert len(client.get("/api/documents", params={"limit": 1000}).json()) == before


def test_a_body_that_is_not_json_gets_422(db_copy):
    client = TestClient(create_app(db_copy, token=TOKEN))
    response = client.post("/api/documents", content=b"{oops", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body"]


def test_the_schema_still_documents_the_ingest_body(client):
    post = client.get("/api/openapi.json").json()["paths"]["/api/documents"]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["text"]["maxLength"] == MAX_TEXT and "text" in schema["required"]
    assert {"401", "403", "413"} <= set(post["responses"])


def test_extraction_over_http_has_a_time_budget(db_copy, monkeypatch):
    import onrecord.web.app as web
    from onrecord.pipeline import Processed

    given = []

    def over_budget(documents, extractor, *, budget=None):
        given.append(budget)
        return iter([Processed(next(iter(documents)), (), "extraction took over 60 s (the budget); skipped")])

    monkeypatch.setattr(web, "process", over_budget)
    client = TestClient(create_app(db_copy, token=TOKEN))
    response = client.post("/api/documents", json={"text": "Words."}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert given == [web.INGEST_BUDGET] and 0 < web.INGEST_BUDGET < 300
    assert response.status_code == 422 and "budget" in response.json()["detail"]


# -- extraction off the event loop, one at a time -------------------------------------------------------
def test_the_server_answers_while_a_document_is_extracted(db_copy, monkeypatch):
    import onrecord.web.app as web

    started, release = threading.Event(), threading.Event()
    real = web.process

    def slow(documents, extractor, **options):
        started.set()
        release.wait(60)
        return real(documents, extractor)

    monkeypatch.setattr(web, "process", slow)
    app = create_app(db_copy, token=TOKEN)

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            auth = {"Authorization": f"Bearer {TOKEN}"}
            body = {"text": '"We will sign in June," Anna Petrova said.'}
            first = asyncio.create_task(http.post("/api/documents", json=body, headers=auth))
            while not started.is_set():
                await asyncio.sleep(0.01)
            page = await http.get("/api/topics")  # the event loop is free
            second = asyncio.create_task(http.post("/api/documents", json={**body, "title": "x"}, headers=auth))
            await asyncio.sleep(0.3)  # in line behind the first
            app.state.ingesting.waiting = 1  # no more room in line: a third is told to come back
            third = await http.post("/api/documents", json={**body, "title": "y"}, headers=auth)
            release.set()
            return page, (await first), (await second), third

    page, first, second, third = asyncio.run(scenario())
    assert page.status_code == 200 and first.status_code == 201
    assert second.status_code == 201  # it waited its turn
    assert third.status_code == 503 and third.headers["retry-after"]


# -- headers, HEAD, 405 ---------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [*GET_PAGES, "/documents/999999", "/no/such/page", "/api/documents/999999"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"]
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src" not in policy.replace("script-src 'none'", "")
    if not url.endswith(".svg"):
        assert "default-src 'self'" in policy and "unsafe-inline" not in policy


@pytest.mark.parametrize("url", [u for u in GET_PAGES if not u.startswith(("/api/", "/static", "/trace.css"))])
def test_pages_need_no_inline_script_or_style(client, url):
    page = client.get(url).text
    if url.endswith(".svg"):  # a drawing: no script, and its policy allows only its own style
        assert "<script" not in page
        return
    assert "<script" not in page and "<style" not in page and " style=" not in page
    assert "cdn" not in page.lower() and "https://" not in page.split("</header>")[0]


def test_no_swagger_page_from_a_cdn(client):
    assert client.get("/api/docs").status_code == 404
    assert client.get("/api/openapi.json").status_code == 200


@pytest.mark.parametrize("url", GET_PAGES)
def test_head_answers_like_get_without_a_body(client, url):
    got, head = client.get(url), client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.content))


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("POST", "/", {"GET", "HEAD"}),
        ("DELETE", "/speakers/Anna%20Petrova", {"GET", "HEAD"}),
        ("PUT", "/api/documents", {"GET", "HEAD", "POST"}),
        ("DELETE", "/api/topics", {"GET", "HEAD"}),
    ],
)
def test_405_says_what_is_allowed(client, method, url, allowed):
    response = client.request(method, url)
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == allowed
    assert response.headers["x-frame-options"] == "DENY"


# -- the page cache -------------------------------------------------------------------------------------
def test_pages_are_computed_once_per_data_version(db_copy, extractor):
    from onrecord import open_store
    from onrecord.analyse import refresh
    from onrecord.ingest import from_text
    from onrecord.pipeline import process

    app = create_app(db_copy)
    app.state.cache.patience = None  # always the current page, however long it takes (see the next test)
    client = TestClient(app)
    first = client.get("/speakers/Anna%20Petrova").text
    computed = app.state.cache.computed
    assert client.get("/speakers/Anna%20Petrova").text == first
    assert app.state.cache.computed == computed  # served as kept
    # another process ingests (as `onrecord ingest` would): the next request sees it
    store = open_store(db_copy)
    news = from_text('"The corridor reopens on Monday," Anna Petrova said.', title="Corridor", date="2026-07-01")
    item = next(process([news], extractor))
    assert store.add(item.document, item.statements, extractor.version)
    refresh(store)
    store.close()
    assert "corridor reopens on Monday" in client.get("/speakers/Anna%20Petrova").text
    assert "Corridor" in client.get("/").text


def test_while_a_page_is_recomputed_slowly_readers_get_the_earlier_one():
    version = [1]
    cache = PageCache(lambda: version[0], patience=0.05)
    release = threading.Event()

    def slow() -> str:
        release.wait(30)
        return "new"

    async def scenario():
        assert await cache.get("k", lambda: "old") == "old"
        version[0] = 2  # an ingest wrote
        assert await cache.get("k", slow) == "old"  # waited its patience, then got the page as it was
        assert await cache.get("k", slow) == "old"  # at once: the recomputation goes on, not a second one
        version[0] = 3  # another write while it runs
        assert await cache.get("k", slow) == "old"  # still one recomputation, not one per write
        assert cache.computed == 2 and cache.stale == 3
        release.set()
        while cache.computing:
            await asyncio.sleep(0.01)
        cache.patience = None
        assert await cache.get("k", lambda: "newest") == "newest"  # version 3, computed in full
        assert await cache.get("k", lambda: "unused") == "newest"

    asyncio.run(scenario())


def test_while_writes_keep_coming_a_page_is_redone_at_most_every_so_often():
    version = [1]
    cache = PageCache(lambda: version[0], patience=0.05, fresh_for=3600)

    async def scenario():
        assert await cache.get("k", lambda: "first") == "first"
        for n in range(2, 6):  # four writes
            version[0] = n
            assert await cache.get("k", lambda: "again") == "first"
        assert cache.computed == 1
        cache.fresh_for = 0
        assert await cache.get("k", lambda: "later") == "later"  # older than fresh_for: redone

    asyncio.run(scenario())


def test_a_reader_does_not_wait_for_a_page_that_took_longer_than_its_patience():
    version = [1]
    cache = PageCache(lambda: version[0], patience=0.05)

    async def scenario():
        assert await cache.get("k", lambda: (time.sleep(0.2), "old")[1]) == "old"
        version[0] = 2
        return await cache.get("k", lambda: "new")  # would be ready at once, but nobody waits for it

    assert asyncio.run(scenario()) == "old"


def test_after_its_own_write_the_server_serves_nothing_older():
    version = [1]
    cache = PageCache(lambda: version[0], patience=0.05)

    async def scenario():
        assert await cache.get("k", lambda: "before") == "before"
        version[0] = 2
        cache.written(2)  # as after POST /api/documents
        done = threading.Event()
        asyncio.get_running_loop().call_later(0.3, done.set)  # the recomputation takes longer than the patience
        return await cache.get("k", lambda: (done.wait(30), "after")[1])

    assert asyncio.run(scenario()) == "after"


def test_a_missing_speaker_is_remembered_as_missing(client):
    for _ in range(2):
        response = client.get("/speakers/Nobody%20At%20All")
        assert response.status_code == 404 and "Nobody At All" in response.text


def test_concurrent_requests_for_one_cold_page_compute_it_once(db_copy, monkeypatch):
    from onrecord.analyse import trace as tracing

    calls, release = [], threading.Event()
    real = tracing.trace_document

    def counted(*args, **kwargs):
        calls.append(1)
        release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(tracing, "trace_document", counted)
    app = create_app(db_copy)

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            asks = [asyncio.create_task(http.get("/api/documents/1/trace")) for _ in range(8)]
            await asyncio.sleep(0.5)
            release.set()
            return await asyncio.gather(*asks)

    answers = asyncio.run(scenario())
    assert {a.status_code for a in answers} == {200} and len({a.content for a in answers}) == 1
    assert len(calls) == 1


def test_heavy_work_beyond_the_gate_gets_503_with_retry_after(db_copy, monkeypatch):
    from onrecord.analyse import trace as tracing

    started, release = threading.Semaphore(0), threading.Event()
    real = tracing.trace_document

    def blocked(*args, **kwargs):
        started.release()
        release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(tracing, "trace_document", blocked)
    app = create_app(db_copy)
    app.state.heavy.waiting = 0  # a full gate and no room in line

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            busy = [asyncio.create_task(http.get(f"/documents/{n}/trace")) for n in (1, 2)]
            for _ in (1, 2):
                while not started.acquire(blocking=False):
                    await asyncio.sleep(0.01)
            refused = await http.get("/api/documents/3/trace")
            # cold light pages have lines of their own: never behind heavy work
            light = [await http.get(u) for u in ("/api/statements?q=talks", "/search?q=border", "/", "/documents/4")]
            release.set()
            return refused, light, await asyncio.gather(*busy)

    refused, light, busy = asyncio.run(scenario())
    assert refused.status_code == 503 and int(refused.headers["retry-after"]) > 0
    assert "busy" in refused.json()["detail"]
    assert [r.status_code for r in light] == [200] * 4 and [b.status_code for b in busy] == [200, 200]


def test_the_gate_bounds_the_line():
    gate = Gate(1, waiting=1, wait=0.2)
    release = asyncio.Event()

    async def hold() -> str:
        await release.wait()
        return "done"

    async def scenario():
        first = asyncio.create_task(gate.run(hold))
        await asyncio.sleep(0)
        second = asyncio.create_task(gate.run(hold))  # waits in line
        await asyncio.sleep(0)
        with pytest.raises(Busy):
            await gate.run(hold)  # no room in line: at once
        with pytest.raises(Busy):
            await second  # waited its longest
        release.set()
        return await first

    assert asyncio.run(scenario()) == "done"


def test_the_cache_keeps_to_its_size_and_drops_a_stale_result():
    versions = iter([1, 1, 1, 1, 2, 2])
    cache = PageCache(lambda: next(versions), max_bytes=40)

    async def scenario():
        assert await cache.get("a", lambda: "x" * 8) == "x" * 8
        assert await cache.get("b", lambda: "y" * 8) == "y" * 8
        assert await cache.get("a", lambda: "changed") == "x" * 8  # kept
        assert await cache.get("c", lambda: "z" * 30) == "z" * 30  # too big for a quarter: not kept
        assert await cache.get("a", lambda: "new") == "new"  # version 2: recomputed
        assert await cache.get("a", lambda: "newer") == "new"

    asyncio.run(scenario())


# -- stopping -----------------------------------------------------------------------------------------
def test_sigterm_stops_the_server_while_a_document_is_still_extracted(db_copy, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    script = tmp_path / "serve.py"
    script.write_text(
        textwrap.dedent(f"""
        import time
        import onrecord.web.app as web
        from onrecord.web import create_app
        from onrecord.web.guard import run

        def runaway(documents, extractor, **options):  # extraction that would go on for ten minutes
            time.sleep(600)

        web.process = runaway
        run(create_app({db_copy!r}, token={TOKEN!r}), port={port})
        """)
    )
    server = subprocess.Popen([sys.executable, str(script)], stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/topics", timeout=5):
                    break
            except OSError:
                time.sleep(0.1)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/documents",
            data=json.dumps({"text": '"Hello," Anna Petrova said.'}).encode(),
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        )
        answers: list[int] = []
        client = threading.Thread(target=lambda: answers.append(_status(request)), daemon=True)
        client.start()
        time.sleep(1)  # the request is in the extraction now
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=30)  # not the ten minutes the work would take
        client.join(10)
        assert answers == [503]  # told in one line that the server stops
        assert "Traceback" not in stderr
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _status(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0
