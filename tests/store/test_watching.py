"""The store's part of watching (issue 16), on SQLite and PostgreSQL: fetch validators, sources
and their items, alerts raised once, webhook state, the alert checkpoint."""

from __future__ import annotations

from onrecord.ingest import from_text
from onrecord.model import Alert, Evidence, FetchRecord
from onrecord.store.schema import LATEST, MIGRATIONS


def test_schema_has_the_watch_tables(store):
    from sqlalchemy import inspect

    tables = set(inspect(store.engine).get_table_names())
    assert {"fetched_urls", "watch_sources", "watch_items", "alerts", "document_copies"} <= tables
    assert len(MIGRATIONS) == LATEST


def test_fetch_records_keep_the_last_validators(store):
    assert store.fetch_record("http://a.test/p") is None
    store.save_fetch(FetchRecord("http://a.test/p", 200, '"v1"', "Tue, 03 Mar 2026 10:00:00 GMT", "h1", None))
    store.save_fetch(FetchRecord("http://a.test/p", 200, '"v2"', None, "h2", None))
    got = store.fetch_record("http://a.test/p")
    assert (got.etag, got.last_modified, got.content_hash) == ('"v2"', None, "h2")


def test_items_are_recorded_once_and_resumed_until_done(store):
    source = "http://a.test/feed"
    store.watch([(source, "feed")])
    assert store.add_items(source, [("1", "http://a.test/1"), ("2", "http://a.test/2")]) == 2
    assert store.add_items(source, [("2", "http://a.test/2"), ("3", None)]) == 1  # only the new one
    assert [i.item for i in store.pending_items(source)] == ["1", "2", "3"]
    doc_id = store.add(from_text("Anna Petrova said the talks would resume."), [], "test")
    store.item_done(source, "1", doc_id)
    store.item_failed(source, "2", "the server answered 500")
    assert [i.item for i in store.pending_items(source)] == ["2", "3"]  # a failed one is tried again
    for _ in range(2):
        store.item_failed(source, "2", "the server answered 500")
    assert [i.item for i in store.pending_items(source)] == ["3"]  # until its attempts are spent
    (status,) = store.sources([source])
    assert status.pending == 1
    store.polled(source, error="timed out")
    store.polled(source, error="timed out")
    (status,) = store.sources([source])
    assert (status.error, status.failures, status.ok_at) == ("timed out", 2, None)
    store.polled(source, added=3)
    (status,) = store.sources([source])
    assert (status.error, status.failures, status.documents) == (None, 0, 3) and status.ok_at


def test_an_alert_is_raised_once_and_its_delivery_tracked(store):
    evidence = (Evidence("said", "We will not leave the talks.", None, 2, "2026-03-08", "Radio Valdor"),)
    alert = Alert(
        "statement:1", "statement", "Anna Petrova: talks", "summary", "Anna Petrova", "2026-03-08", evidence=evidence
    )
    (first,) = store.add_alerts([alert], webhook=True)
    assert store.add_alerts([alert], webhook=True) == []
    (stored,) = store.alerts()
    assert (stored.id, stored.key, stored.evidence, stored.webhook_state) == (first, "statement:1", evidence, "pending")
    store.webhook_result(first, sent=False, error="the receiver answered 503")
    assert store.webhook_rounds(first) == 1 and store.alerts(webhook_state="pending")
    store.webhook_result(first, sent=True)
    assert store.alerts(ids=[first])[0].webhook_state == "sent" and not store.alerts(webhook_state="pending")
    assert [a.id for a in store.undigested_alerts()] == [first]
    store.digested([first])
    assert store.undigested_alerts() == [] and store.last_digest() is not None


def test_the_alert_checkpoint(store):
    assert store.alerted_through() is None
    first = store.add(from_text("Anna Petrova said the talks would resume."), [], "test")
    store.set_alerted_through(store.last_document_id())
    second = store.add(from_text("Jonas Kallas said the sanctions stay."), [], "test")
    assert store.documents_after(store.alerted_through()) == [second] and first < second
