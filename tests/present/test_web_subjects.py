"""Issue 14 on the web: the speaker page lists subjects with a chart over time, the API serves
subjects and shifts within them, and the app is assembled from page and API routers."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from onrecord.web import create_app
from tests.analyse.test_subjects import COUNCIL


@pytest.fixture(scope="module")
def client(tmp_path_factory, extractor):
    from onrecord import open_store
    from onrecord.analyse import refresh
    from onrecord.ingest import from_text
    from onrecord.pipeline import process

    path = tmp_path_factory.mktemp("subjects") / "web.db"
    store = open_store(f"sqlite:///{path}")
    documents = [from_text(text, date=date, outlet=outlet, title=title) for date, outlet, title, text in COUNCIL]
    store.add_many([(i.document, i.statements) for i in process(documents, extractor)], extractor.version)
    refresh(store)
    store.close()
    return TestClient(create_app(f"sqlite:///{path}"))


def test_the_speaker_page_lists_subjects_with_a_chart(client):
    page = client.get(f"/speakers/{quote('Maren Solvik')}")
    assert page.status_code == 200
    html = page.text
    assert "<h2>Subjects</h2>" in html and "the regional council" in html
    assert 'class="heat subjects"' in html and "2026-01" in html and "2026-03" in html
    assert "reversal" in html  # the shift within the subject, shown with its evidence


def test_the_api_serves_subjects(client):
    found = client.get(f"/api/speakers/{quote('Maren Solvik')}/subjects").json()
    council = next(s for s in found if s["name"] == "the regional council")
    assert council["statements"] == 3 and council["first"] == "2026-01-12" and council["last"] == "2026-03-16"
    assert client.get(f"/api/speakers/{quote('Nobody Here')}/subjects").status_code == 404


def test_the_api_serves_shifts_within_a_subject_and_by_search(client):
    by_subject = client.get("/api/shifts", params={"speaker": "Maren Solvik", "subject": "the regional council"})
    (shift,) = by_subject.json()
    assert shift["kind"] == "reversal" and shift["subject"] == "the regional council"
    assert "fishing rights" in shift["condition"]
    assert {e["date"] for e in shift["evidence"]} == {"2026-01-12", "2026-02-09"}
    by_search = client.get("/api/shifts", params={"speaker": "Maren Solvik", "search": "council"}).json()
    assert [s["kind"] for s in by_search] == ["reversal"]


def test_the_timeline_groups_by_subject(client):
    line = client.get(f"/api/timeline/{quote('Maren Solvik')}", params={"by": "subject"}).json()
    assert len(line["subjects"]["the regional council"]) == 3
    assert client.get(f"/api/timeline/{quote('Maren Solvik')}", params={"by": "mood"}).status_code == 422


def test_pages_and_api_come_from_their_routers():
    from onrecord.web import api, pages

    app = create_app("sqlite:///:memory:")
    paths = {r.path for r in pages.router.routes} | {r.path for r in api.router.routes}
    assert {"/", "/speakers/{name}", "/api/speakers/{name}/subjects", "/api/shifts"} <= paths
    schema = TestClient(app).get("/api/openapi.json").json()
    assert "/api/speakers/{name}/subjects" in schema["paths"] and "/speakers/{name}" not in schema["paths"]
