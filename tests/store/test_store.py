"""The store: one transaction per document, idempotent re-ingest, filters and safe search."""

from __future__ import annotations

import pytest

from onrecord import Query, StoreError, open_store
from onrecord.ingest import from_text
from onrecord.model import Span, Statement
from onrecord.pipeline import process


def add_text(store, extractor, text, **meta):
    (item,) = process([from_text(text, **meta)], extractor)
    return store.add(item.document, item.statements, extractor.version), item


def test_add_and_read_back(store, extractor):
    doc_id, item = add_text(
        store,
        extractor,
        '"We will not back down," Anna Petrova said.',
        date="2026-03-02",
        outlet="Harbour Times",
        title="T",
    )
    assert doc_id is not None
    document, info, found = store.document(doc_id)
    assert document.text == item.document.text
    assert found == list(item.statements)
    assert (info.date, info.outlet, info.statements) == ("2026-03-02", "Harbour Times", 1)
    (speaker,) = store.speakers()
    assert (speaker.name, speaker.statements, speaker.documents, speaker.mentions) == (
        "Anna Petrova",
        1,
        1,
        (("Anna Petrova", 1),),
    )


def test_same_text_twice_is_a_no_op(store, extractor):
    first, _ = add_text(store, extractor, "Anna Petrova said talks stalled.")
    second, _ = add_text(store, extractor, "Anna Petrova said talks stalled.")
    assert first is not None and second is None
    assert len(store.documents()) == 1 and len(store.statements()) == 1


def test_statements_are_replaced_in_one_go(store, extractor):
    text = "Anna Petrova said the talks had stalled. Jonas Kallas warned of new sanctions."
    doc_id, item = add_text(store, extractor, text)
    petrova = item.statements[0]
    store.replace_statements(doc_id, [petrova], "onrecord.quotes.v0")  # what an older extractor found
    assert store.stale_documents(extractor.version) == [doc_id]
    assert store.document(doc_id)[2] == [petrova]
    assert {s.name: s.mentions for s in store.speakers()}.get("Jonas Kallas", ()) == ()
    assert store.statements(Query(search="sanctions")) == []  # the full-text index forgot the old rows
    store.replace_statements(doc_id, item.statements, extractor.version)
    assert store.document(doc_id)[2] == list(item.statements)
    assert store.stale_documents(extractor.version) == []
    assert [s.statement.speaker for s in store.statements(Query(search="sanctions"))] == ["Jonas Kallas"]
    assert {s.name: s.mentions for s in store.speakers()}["Anna Petrova"] == (("Anna Petrova", 1),)


def test_each_language_is_stale_against_its_own_rules(store):  # issue 15: reextract per language
    english = store.add(from_text("Anna Petrova said talks stalled."), [], "en.v2")
    russian = store.add(from_text("Анна Петрова заявила, что переговоры зашли в тупик."), [], "ru.v1")
    assert store.stale_documents({"en": "en.v2", "ru": "ru.v1"}) == []
    assert store.stale_documents({"en": "en.v2", "ru": "ru.v2"}) == [russian]
    assert store.stale_documents({"en": "en.v3", "ru": "ru.v1"}) == [english]
    assert store.stale_documents({"en": "en.v2"}) == [russian]  # a language without rules of its own
    assert store.stale_documents("en.v2") == [russian]  # one version for all, as before


def test_a_stored_transcript_extracts_as_it_was_read(store, extractor, demo_dir):
    from onrecord.ingest import read

    path = next(demo_dir.glob("*Lake Hour*"))
    (document,) = read(str(path))
    (item,) = process([document], extractor)
    doc_id = store.add(item.document, item.statements, extractor.version)
    stored, _, _ = store.document(doc_id)
    assert [(t.label, t.label_span, t.content_span) for t in stored.turns] == [
        (t.label, t.label_span, t.content_span) for t in document.turns if len(t.content_span)
    ]
    (again,) = process([stored], extractor)
    assert again.statements == item.statements


def test_failed_write_leaves_nothing_behind(store):
    document = from_text("Anna Petrova said talks stalled.")
    good = Statement(0, "indirect", "talks stalled", Span(19, 32), speaker="Anna Petrova")
    clash = Statement(0, "indirect", "talks", Span(19, 24))  # same index: violates (document_id, idx)
    with pytest.raises(StoreError, match="cannot store"):
        store.add(document, [good, clash], "test")
    assert store.documents() == [] and store.statements() == []
    assert not store.contains(document.content_hash)


def test_filters(store, extractor):
    add_text(store, extractor, "Anna Petrova said the talks had stalled.", date="2026-03-02", outlet="Harbour Times")
    add_text(store, extractor, "Jonas Kallas said sanctions remain possible.", date="2026-04-10", outlet="Meridian")
    assert [r.statement.speaker for r in store.statements(Query(speaker="petrova"))] == ["Anna Petrova"]
    assert [r.document.date for r in store.statements(Query(since="2026-04-01"))] == ["2026-04-10"]
    assert [r.document.date for r in store.statements(Query(until="2026-03-31"))] == ["2026-03-02"]
    assert [r.statement.speaker for r in store.statements(Query(search="sanctions"))] == ["Jonas Kallas"]
    assert [r.statement.speaker for r in store.statements(Query(search="stall"))] == ["Anna Petrova"]  # stemmed
    assert store.statements(Query(kind="direct")) == []
    assert len(store.statements(Query(outlet="meridian"))) == 1


@pytest.mark.parametrize("search", ["'; DROP TABLE statements; --", 'talks" OR "x', "NEAR(a b)", "*", "% _", "\"'\\"])
def test_search_with_sql_and_fts_metacharacters(store, extractor, search):
    add_text(store, extractor, "Anna Petrova said the talks had stalled.")
    store.statements(Query(search=search))  # must not raise
    assert len(store.statements()) == 1


def test_schema_is_versioned(tmp_path):
    from sqlalchemy import text

    url = f"sqlite:///{tmp_path / 'v.db'}"
    store = open_store(url)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version FROM schema_version")).scalar() >= 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    store.close()
    open_store(url).close()  # re-opening migrates nothing and keeps data


def test_bad_url_is_a_clear_error(tmp_path):
    from onrecord import StoreError

    with pytest.raises(StoreError, match="cannot open the database"):
        open_store(f"sqlite:///{tmp_path}/missing/dir/x.db")
