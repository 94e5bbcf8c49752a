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


def test_a_traced_pair_side_by_side_in_both_languages(web_db):  # issue 15
    from onrecord import open_store

    store = open_store(web_db)
    (doc,) = [d for d in store.documents() if d.title == "Petrova: talks resume in May"]
    store.close()
    page = TestClient(create_app(web_db)).get(f"/documents/{doc.id}/trace")
    assert page.status_code == 200
    rows = page.text.split("<tr>")[2:]
    altered = next(r for r in rows if "twenty" in r)
    assert 'class="v v-translated"' in altered and "<td>Anna Petrova: Ruritania would invite" in altered
    assert '<td lang="ru">' in altered and "<mark>Мы пригласим двенадцать инспекторов" in altered
    assert "⚑ numbers differ: [20] in the report, [12] in the source" in altered
    assert "&#34;twenty" in altered or "&quot;twenty" in altered  # the report's own quotation marks, escaped
