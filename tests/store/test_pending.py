"""Issue 12: work the stored statements need (linking, topics) is recorded in the database with
them, so a process killed before it finished leaves a mark the next one finds and finishes."""

from __future__ import annotations

from onrecord.analyse import identities, refresh
from onrecord.ingest import from_text
from onrecord.pipeline import process
from onrecord.store import Query


def _add(store, extractor, text):
    (item,) = process([from_text(text, date="2026-03-01")], extractor)
    return store.add(item.document, item.statements, extractor.version)


def test_a_stored_document_leaves_its_linking_and_topics_pending(store, extractor):
    assert store.pending() == frozenset()
    before = store.data_version()
    _add(store, extractor, "Anna Petrova said the talks had stalled.")
    assert store.pending() == {"link", "topics", "subjects"}
    assert store.data_version() > before
    # killed here: nothing linked yet. The next refresh finds the marks and does the work.
    assert {r.identity for r in store.statements(Query())} == {None}
    assert refresh(store, with_topics=False) == {"link"}
    assert store.pending() == {"topics", "subjects"}
    assert {r.identity for r in store.statements(Query())} == {"Anna Petrova"}


def test_a_write_during_the_work_keeps_its_mark(store, extractor):
    _add(store, extractor, "Anna Petrova said the talks had stalled.")
    as_of = store.data_version()
    _add(store, extractor, "Jonas Kallas said the border was calm.")  # arrives while linking runs
    store.finished("link", as_of)
    assert "link" in store.pending()  # the later document still needs linking
    identities.relink(store)
    assert "link" not in store.pending()


def test_a_same_text_again_changes_nothing(store, extractor):
    _add(store, extractor, "Anna Petrova said the talks had stalled.")
    refresh(store, with_topics=False)
    version = store.data_version()
    assert _add(store, extractor, "Anna Petrova said the talks had stalled.") is None
    assert store.data_version() == version and "link" not in store.pending()


def test_speaker_edits_and_registries_mark_linking(store, extractor):
    _add(store, extractor, "Anna Petrova said the talks had stalled.")
    refresh(store, with_topics=False)
    store.save_edit("Petrova", "Anna Petrova")
    assert "link" in store.pending()
    identities.relink(store)
    store.save_registry("/r.yaml", "yaml", "people: []\n")
    assert "link" in store.pending()
