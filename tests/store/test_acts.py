"""Acts in the store: kept, read back, filtered in SQL (the writer's own voice always kept), and
added to a database of schema 3 with every old statement taken for speech."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from onrecord import Query, open_store
from onrecord.ingest import from_text
from onrecord.model import Span, Statement
from onrecord.store.schema import LATEST, MIGRATIONS, schema_version

TEXT = "Anna Petrova said talks stalled. She hopes they resume. I believe she is right."


def statements() -> list[Statement]:
    return [
        Statement(0, "indirect", "talks stalled", Span(18, 31), speaker="Anna Petrova", cue="said"),
        Statement(1, "indirect", "they resume", Span(43, 54), speaker="Anna Petrova", cue="hopes", act="think"),
        Statement(2, "author", "she is right", Span(67, 79), cue="believe", act="think"),
    ]


def test_acts_are_stored_and_filtered(store):
    doc_id = store.add(from_text(TEXT), statements(), "test")
    assert [s.act for s in store.document(doc_id)[2]] == ["say", "think", "think"]

    def indices(acts):
        return [r.statement.index for r in store.statements(Query(acts=acts))]

    assert indices(None) == [0, 1, 2]
    assert indices(("say",)) == [0, 2]  # the writer's own voice stays
    assert indices(("think",)) == [1, 2]
    assert indices(("intend", "show")) == [2]
    assert [r.statement.index for r in store.statements(Query(acts=("say",), kind="indirect"))] == [0]


def test_schema_3_gains_act_say(tmp_path, request):
    for url in (f"sqlite:///{tmp_path / 'v3.db'}", request.getfixturevalue("pg_url")):
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as conn:  # a database as onrecord with schema 3 left it
            schema_version.create(conn)
            conn.execute(schema_version.insert().values(version=3))
            for migration in MIGRATIONS[:3]:
                migration(conn)
            conn.execute(text("ALTER TABLE statements DROP COLUMN act"))
            doc_id = conn.execute(
                text(
                    "INSERT INTO documents (content_hash, source, format, meta, text, extractor, ingested_at)"
                    " VALUES ('h', 'old.txt', 'text', '{}', :t, 'old', '2026-01-01') RETURNING id"
                ),
                {"t": TEXT},
            ).scalar()
            conn.execute(
                text(
                    "INSERT INTO statements (document_id, idx, kind, speaker, content, content_start, content_end,"
                    " quotes, confidence) VALUES (:d, 0, 'indirect', 'Anna Petrova', 'talks stalled', 18, 31, '[]', 0.8)"
                ),
                {"d": doc_id},
            )
        engine.dispose()
        store = open_store(url)
        try:
            (record,) = store.statements(Query(acts=("say",)))
            assert (record.statement.content, record.statement.act) == ("talks stalled", "say")
            with store.engine.connect() as conn:
                assert conn.execute(text("SELECT version FROM schema_version")).scalar() == LATEST
            store.add(from_text("Jonas Kallas hopes for calm."), [statements()[1]], "test")  # new rows keep theirs
            assert [r.statement.act for r in store.statements()] == ["say", "think"]
        finally:
            store.close()
