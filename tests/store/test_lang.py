"""Each document's language (issue 15): stored, read back, filtered in SQL, and added to a database
of the schema before it with every old document taken for English."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from onrecord import Query, open_store
from onrecord.ingest import from_text
from onrecord.model import Span, Statement
from onrecord.store.schema import LATEST, MIGRATIONS, schema_version

RU = "Игорь Соколов заявил, что переговоры продолжатся."
EN = "Anna Petrova said talks stalled."


def test_language_is_stored_shown_and_filtered(store):
    store.add(
        from_text(RU, source="ru.txt"), [Statement(0, "indirect", "что переговоры продолжатся", Span(21, 47))], "t"
    )
    store.add(from_text(EN, source="en.txt"), [Statement(0, "indirect", "talks stalled", Span(18, 31))], "t")
    assert {d.source: d.lang for d in store.documents()} == {"ru.txt": "ru", "en.txt": "en"}
    assert [r.document.source for r in store.statements(Query(lang="ru"))] == ["ru.txt"]
    assert [r.document.source for r in store.statements(Query(lang="en"))] == ["en.txt"]
    assert len(store.statements(Query())) == 2
    document, info, _ = store.document("ru.txt")
    assert document.lang == info.lang == "ru"
    assert store.statements(Query(lang="ru"))[0].to_dict()["lang"] == "ru"


def test_a_database_from_before_languages_reads_as_english(tmp_path, request):
    before = next(i for i, m in enumerate(MIGRATIONS) if m.__name__ == "_v7")
    for url in (f"sqlite:///{tmp_path / 'old.db'}", request.getfixturevalue("pg_url")):
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as conn:  # a database as onrecord left it just before languages
            schema_version.create(conn)
            conn.execute(schema_version.insert().values(version=before))
            for migration in MIGRATIONS[:before]:
                migration(conn)
            conn.execute(text("ALTER TABLE documents DROP COLUMN lang"))
            conn.execute(
                text(
                    "INSERT INTO documents (content_hash, source, format, meta, text, extractor, ingested_at)"
                    " VALUES ('h', 'old.txt', 'text', '{}', :t, 'old', '2026-01-01')"
                ),
                {"t": EN},
            )
        engine.dispose()
        store = open_store(url)
        try:
            assert [d.lang for d in store.documents()] == ["en"]
            with store.engine.connect() as conn:
                assert conn.execute(text("SELECT version FROM schema_version")).scalar() == LATEST
        finally:
            store.close()
