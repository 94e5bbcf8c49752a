"""The web UI and HTTP API through FastAPI's test client."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from onrecord.web import create_app

from .conftest import XSS_OUTLET, XSS_TITLE


@pytest.fixture(scope="module")
def client(web_db):
    return TestClient(create_app(web_db), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def hostile_id(client):
    return next(d["id"] for d in client.get("/api/documents").json() if d["title"] == XSS_TITLE)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search?q=talks",
        "/search?speaker=Petrova&topic=sanctions&kind=direct&since=2026-03-01&until=2026-12-31",
        "/speakers/Anna%20Petrova",
        "/topics/sanctions",
        "/documents/1",
        "/brief?speaker=Anna%20Petrova",
        "/brief?doc=5",
    ],
)
def test_pages_render(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "<title>" in response.text


def test_document_page_highlights_every_statement(client):
    api = client.get("/api/documents/1").json()
    page = client.get("/documents/1").text
    marks = re.findall(r'<mark class="st k-(\w+) c\d" id="s(\d+)"', page)
    assert sorted(int(i) for _, i in marks) == [s["index"] for s in api["statements"]]
    assert {k for k, _ in marks} == {s["kind"] for s in api["statements"]}


def test_nested_statements_sit_inside_their_parent(client):
    doc = next(d for d in client.get("/api/documents").json() if d["title"] == "Petrova rejects treaty accusations")
    api = client.get(f"/api/documents/{doc['id']}").json()
    nested = [s for s in api["statements"] if s["nested_in"] is not None]
    assert nested
    page = client.get(f"/documents/{doc['id']}").text
    child = nested[0]
    parent_at = page.index(f'id="s{child["nested_in"]}"')
    child_at = page.index(f'id="s{child["index"]}"')
    between = page[parent_at:child_at]
    assert between.count("<mark") - 1 >= between.count("</mark>")  # the parent is still open


def test_commentary_sets_the_writers_voice_apart(client):
    page = client.get("/documents/5").text
    assert 'class="st k-author' in page and 'class="st k-indirect' in page


def test_speaker_page_shows_chart_offices_and_shifts(client):
    page = client.get("/speakers/Anna%20Petrova").text
    assert "chart.svg" in page and "foreign minister of Ruritania" in page and "reversal" in page
    chart = client.get("/speakers/Anna%20Petrova/chart.svg")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    assert "<script" not in chart.text


def test_api_statements_follow_the_cli_contract(client):
    rows = client.get("/api/statements", params={"speaker": "Petrova", "limit": 5}).json()
    assert len(rows) == 5
    for row in rows:
        assert {"content", "content_span", "speaker", "speaker_span", "cue", "kind", "identity", "topics"} <= row.keys()
    text = client.get(f"/api/documents/{rows[0]['document_id']}").json()["text"]
    a, b = rows[0]["content_span"]
    assert text[a:b] == rows[0]["content"]


def test_api_speakers_topics_timeline_shifts(client):
    speakers = client.get("/api/speakers").json()
    assert speakers[0]["name"] == "Anna Petrova"
    assert any(t["topic"] == "sanctions" and t["statements"] > 0 for t in client.get("/api/topics").json())
    line = client.get("/api/timeline/Anna%20Petrova").json()
    assert line["months"][0] == "2026-03" and "peace negotiations" in line["topics"]
    shifts = client.get("/api/shifts", params={"speaker": "Anna Petrova"}).json()
    assert any(s["kind"] == "reversal" and s["evidence"] for s in shifts)


@pytest.mark.parametrize(
    "q", ["' OR 1=1 --", '"; DROP TABLE statements; --', "talks) OR (1=1", "NEAR(a b)", "%_%", "*", "\\"]
)
def test_search_with_sql_and_fts_metacharacters(client, q):
    before = len(client.get("/api/statements", params={"limit": 1000}).json())
    for url in ("/api/search", "/search"):
        assert client.get(url, params={"q": q}).status_code == 200
    assert len(client.get("/api/statements", params={"limit": 1000}).json()) == before


def test_hostile_text_is_escaped_everywhere(client, hostile_id):
    for url in (
        f"/documents/{hostile_id}",
        "/",
        "/search?q=answer",
        "/speakers/Anna%20Petrova",
        "/brief?since=2026-05-01",
    ):
        page = client.get(url).text
        assert "<script>alert" not in page and "<img src=x" not in page and "<b onmouseover" not in page, url
    page = client.get(f"/documents/{hostile_id}").text
    assert "&lt;script&gt;alert(" in page and "&lt;b onmouseover=alert(2)&gt;" in page
    assert 'href="javascript:' not in page and "javascript:alert" in page  # shown, never linked
    assert XSS_OUTLET not in page


def test_bad_requests_get_clear_4xx_without_traces(client):
    cases = {
        "/documents/999999": 404,
        "/documents/abc": 422,
        "/speakers/Nobody%20At%20All": 404,
        "/topics/" + quote("no such topic"): 404,
        "/api/documents/999999": 404,
        "/api/statements?limit=0": 422,
        "/api/statements?limit=100000": 422,
        "/search?page=0": 422,
        "/api/search": 422,
        "/search?q=" + "x" * 600: 422,
    }
    for url, status in cases.items():
        response = client.get(url)
        assert response.status_code == status, url
        assert "Traceback" not in response.text and 'File "' not in response.text
    assert client.get("/api/documents/999999").json()["detail"].startswith("no document")


def test_the_app_reads_the_dictionaries_while_it_starts(web_db, tmp_path, monkeypatch):
    from onrecord.analyse import bilingual

    started = []
    monkeypatch.setattr(bilingual, "warm", lambda: started.append(True))
    create_app(web_db)  # the demo holds a Russian interview
    assert started == [True]  # a first cross-language trace does not wait for them
    create_app(f"sqlite:///{tmp_path / 'empty.db'}")
    assert started == [True]  # nothing in Cyrillic to trace against: no thread holding the first requests


def test_read_only_without_a_token(client):
    response = client.post("/api/documents", json={"text": '"Hello," Anna Petrova said.'})
    assert response.status_code == 403 and "read-only" in response.json()["detail"]


def test_ingest_over_http_with_a_token(web_db, tmp_path):
    import shutil

    copy = tmp_path / "copy.db"
    shutil.copy(web_db.removeprefix("sqlite:///"), copy)
    client = TestClient(create_app(f"sqlite:///{copy}", token="s3cret"))
    body = {"text": '"We will sign in June," Anna Petrova said.', "title": "June", "date": "2026-06-02"}
    assert client.post("/api/documents", json=body).status_code == 401
    assert client.post("/api/documents", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    added = client.post("/api/documents", json=body, headers={"Authorization": "Bearer s3cret"})
    assert added.status_code == 201 and added.json()["added"] and added.json()["statements"] == 1
    again = client.post("/api/documents", json=body, headers={"Authorization": "Bearer s3cret"}).json()
    assert again["added"] is False  # idempotent
    rows = client.get("/api/statements", params={"since": "2026-06-01", "speaker": "Petrova"}).json()
    assert rows[0]["identity"] == "Anna Petrova" and rows[0]["topics"]
    assert (
        client.post("/api/documents", json={"text": ""}, headers={"Authorization": "Bearer s3cret"}).status_code == 422
    )


def test_openapi_schema_lists_the_api(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/documents", "/api/statements", "/api/speakers", "/api/topics", "/api/shifts", "/api/search"} <= set(
        paths
    )
    assert not any(p.startswith("/speakers") or p == "/" for p in paths)  # pages stay out of the API schema


def test_pages_work_while_an_ingest_writes_to_the_same_database(web_db, tmp_path, demo_dir, demo_count):
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "live.db"
    shutil.copy(web_db.removeprefix("sqlite:///"), copy)
    url = f"sqlite:///{copy}"
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for n, path in enumerate(sorted(demo_dir.glob("*.md"))):
        (fresh / path.name).write_text(path.read_text() + f"\nAnna Petrova said the talks would resume in round {n}.\n")
    client = TestClient(create_app(url))
    ingest = subprocess.Popen(
        [sys.executable, "-m", "onrecord.cli", "ingest", str(fresh), "--db", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    statuses = []
    while ingest.poll() is None:
        for page in ("/search?q=talks", "/api/statements?limit=20", "/speakers/Anna%20Petrova"):
            statuses.append(client.get(page).status_code)
    _, stderr = ingest.communicate()
    assert ingest.returncode == 0, stderr
    assert statuses and set(statuses) == {200}
    # the demo, the hostile document, and the fresh ones
    assert len(client.get("/api/documents", params={"limit": 1000}).json()) == demo_count + 1 + len(
        list(fresh.iterdir())
    )
