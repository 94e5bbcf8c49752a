"""Languages in the web UI and the API (issue 15): a Russian document posted, filtered with lang=,
shown with its lang attribute; an unknown language is a 422."""

from __future__ import annotations

import shutil

from fastapi.testclient import TestClient

from onrecord.web.app import create_app

RU = "«Мы не отступим», — заявил министр иностранных дел Руритании Игорь Соколов."


def test_russian_statements_in_the_api_and_pages(web_db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(web_db.removeprefix("sqlite:///"), copy)
    client = TestClient(create_app(f"sqlite:///{copy}", token="s3cret"))
    added = client.post(
        "/api/documents", json={"text": RU, "title": "Соколов"}, headers={"Authorization": "Bearer s3cret"}
    )
    assert added.status_code == 201 and added.json()["statements"] == 1
    russian = client.get("/api/statements", params={"lang": "ru", "limit": 1000}).json()
    assert russian and all(r["lang"] == "ru" for r in russian)  # the demo's Russian interview too
    rows = [r for r in russian if r["document_id"] == added.json()["id"]]
    assert [(r["speaker"], r["lang"], r["content"]) for r in rows] == [("Игорь Соколов", "ru", "«Мы не отступим»")]
    assert all(r["lang"] == "en" for r in client.get("/api/statements", params={"lang": "en"}).json())
    assert client.get("/api/statements", params={"lang": "xx"}).status_code == 422
    page = client.get(f"/documents/{rows[0]['document_id']}")
    assert page.status_code == 200 and 'lang="ru"' in page.text
    speaker = client.get("/speakers/Игорь Соколов")
    assert speaker.status_code == 200 and '<blockquote lang="ru">«Мы не отступим»</blockquote>' in speaker.text


def test_the_api_offers_the_languages_ingest_reads():
    from typing import get_args

    from onrecord.ingest import LANGUAGES
    from onrecord.web.shared import Language

    assert get_args(Language) == LANGUAGES
