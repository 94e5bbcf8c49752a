"""Acts on the web: the API and the search page show ``say`` (and the writer's own voice) unless
asked for more; the document page marks every statement, a non-say act distinctly."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from onrecord import open_store
from onrecord.analyse import refresh
from onrecord.ingest import from_text
from onrecord.model import Span, Statement
from onrecord.web import create_app

TEXT = "Anna Petrova said talks stalled. Anna Petrova hopes they resume. I believe she is right."


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('acts') / 'acts.db'}"
    store = open_store(url)
    found = [
        Statement(0, "indirect", "talks stalled", Span(18, 31), speaker="Anna Petrova", cue="said"),
        Statement(1, "indirect", "they resume", Span(52, 63), speaker="Anna Petrova", cue="hopes", act="think"),
        Statement(2, "author", "she is right", Span(75, 87), cue="believe", act="think"),
    ]
    store.add(from_text(TEXT, date="2026-03-02", title="Acts"), found, "test")
    refresh(store, with_topics=False)
    store.close()
    return TestClient(create_app(url), raise_server_exceptions=False)


def contents(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [r["content"] for r in response.json()]


def test_api_statements_and_search(client):
    assert contents(client.get("/api/statements")) == ["talks stalled", "she is right"]
    assert contents(client.get("/api/statements?acts=all")) == ["talks stalled", "they resume", "she is right"]
    assert contents(client.get("/api/statements?acts=think")) == ["they resume", "she is right"]
    assert contents(client.get("/api/search?q=resume")) == []
    assert contents(client.get("/api/search?q=resume&acts=say,think")) == ["they resume"]


def test_api_timeline(client):
    def timeline(query: str = "") -> list[str]:
        response = client.get(f"/api/timeline/Anna%20Petrova{query}")
        assert response.status_code == 200, response.text
        return [r["content"] for records in response.json()["topics"].values() for r in records]

    assert timeline() == ["talks stalled"]
    assert sorted(timeline("?acts=all")) == ["talks stalled", "they resume"]


@pytest.mark.parametrize("url", ["/api/statements?acts=speech", "/api/search?q=x&acts=say,speech", "/search?acts=x"])
def test_a_bad_act_is_a_422(client, url):
    response = client.get(url)
    assert response.status_code == 422
    assert "acts" in response.text and "say|think|intend|show" in response.text  # what would do


def test_search_page_filter(client):
    page = client.get("/search").text
    assert '<select name="acts"' in page
    assert "talks stalled" in page and "they resume" not in page and "she is right" in page
    wide = client.get("/search?acts=all").text
    assert "they resume" in wide


def test_document_page_marks_every_act(client):
    page = client.get("/documents/1").text
    assert len(re.findall(r'<mark class="st [^"]*" id="s\d+"', page)) == 3
    assert 'id="s1" data-speaker="Anna Petrova" data-kind="indirect" data-act="think"' in page
    assert 'data-act="say"' in page
    assert '<mark class="st" data-act="think">' in page  # the legend says what the dotted marks are
