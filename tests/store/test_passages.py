"""Transcript turns kept as passages (issue 15, schema 8): written with their statements, replaced
and removed with them, searched by full text with the speaker and date filters in SQL, and cut from
the turns of a database made before them when it is opened."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from onrecord import open_store
from onrecord.ingest import from_text
from onrecord.model import Span, Statement
from onrecord.store.schema import LATEST, MIGRATIONS, documents, schema_version, statements

QUESTION = "Will you leave the talks?"
ANSWER = "We will not leave the talks. The inspectors can come tomorrow."
TRANSCRIPT = f"HOST: {QUESTION}\n\nANNA PETROVA: {ANSWER}\n"


def turns(text_: str = TRANSCRIPT) -> list[Statement]:
    """The two turns of ``TRANSCRIPT``: the host's (no known speaker) and Anna Petrova's."""
    q = text_.index(QUESTION)
    a = text_.index(ANSWER)
    return [
        Statement(0, "turn", QUESTION, Span(q, q + len(QUESTION)), None, "HOST", Span(0, 4)),
        Statement(1, "turn", ANSWER, Span(a, a + len(ANSWER)), "Anna Petrova", "ANNA PETROVA", Span(a - 14, a - 2)),
    ]


def add(store, date: str = "2026-03-08") -> int:
    return store.add(from_text(TRANSCRIPT, date=date, source="interview.txt"), turns(), "t")


def count(store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM passages")).scalar_one()


def test_a_turn_is_kept_as_a_passage_with_its_question(store):
    add(store)
    (passage,) = store.speaker_passages(["Anna Petrova"])
    assert passage.text == ANSWER == TRANSCRIPT[passage.span.start : passage.span.end]
    assert (passage.speaker, passage.date, passage.source, passage.question) == (
        "Anna Petrova",
        "2026-03-08",
        "interview.txt",
        QUESTION,
    )
    assert count(store) == 2  # the host's turn is kept too: linking may still give it a speaker


def test_the_search_ranks_by_words_and_filters_speaker_and_date(store):
    add(store)
    found = store.passage_search(["inspectors", "tomorrow"], ["Anna Petrova"], "2026-01-01", "2026-12-31")
    assert [p.text for p in found] == [ANSWER]
    assert store.passage_search(["inspectors"], ["Jonas Kallas"]) == []
    assert store.passage_search(["inspectors"], ["Anna Petrova"], since="2026-03-09") == []  # dated before
    assert store.passage_search(["inspectors"], ["Anna Petrova"], until="2026-03-07") == []
    assert store.passage_search(["missiles"], ["Anna Petrova"]) == []
    assert [p.text for p in store.passage_search(["leave", "tomorrow"], None)] == [ANSWER, QUESTION]  # more words first
    assert store.passage_count(["Anna Petrova"], "2026-01-01", "2026-12-31") == 1
    assert store.passage_count(["Anna Petrova"], since="2027-01-01") == 0


@pytest.mark.parametrize(
    "words",
    [
        ['inspectors" OR "talks'],
        ["inspectors", "NEAR(talks", "*", "-", "^", ":"],
        ["inspectors)", "AND", "NOT", "'", '"'],
        ["inspectors", "text:talks", "!", "&", "|", "<->"],
    ],
)
def test_search_words_are_words_never_syntax(store, words):
    add(store)
    assert [p.text for p in store.passage_search(words, ["Anna Petrova"])] == [ANSWER]
    assert store.passage_search(['"', "*", "()"], ["Anna Petrova"]) == []  # nothing to look for


def test_passages_are_replaced_and_removed_with_their_statements(store):
    doc_id = add(store)
    store.replace_statements(doc_id, turns()[:1], "t2")  # an extractor that finds only the host's turn
    assert store.speaker_passages(["Anna Petrova"]) == [] and count(store) == 1
    assert store.passage_search(["inspectors"], None) == []  # the full-text index forgot it too
    store.replace_statements(doc_id, turns(), "t3")
    store.replace_statements(doc_id, turns(), "t3")  # again: the same passages, not twice as many
    assert count(store) == 2 and [p.text for p in store.passage_search(["inspectors"], None)] == [ANSWER]
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM documents WHERE id = :id"), {"id": doc_id})
    assert count(store) == 0 and store.passage_search(["inspectors", "talks"], None) == []
    if store.is_sqlite:
        with store.engine.connect() as conn:
            assert (
                conn.execute(text("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH 'talks'")).scalar() == 0
            )


def test_the_same_text_twice_keeps_one_set_of_passages(store):
    assert add(store) is not None and add(store) is None
    assert count(store) == 2


def test_a_long_turn_is_cut_at_sentence_ends(store):
    answer = "The talks will go on. " * 100
    body = f"ANNA PETROVA: {answer}"
    start = body.index(answer)
    statement = Statement(0, "turn", answer, Span(start, len(body)), "Anna Petrova", "ANNA PETROVA", Span(0, 12))
    store.add(from_text(body, date="2026-03-08", source="long.txt"), [statement], "t")
    found = store.speaker_passages(["Anna Petrova"])
    assert len(found) > 2 and all(len(p.text) <= 900 for p in found)
    assert all(body[p.span.start : p.span.end] == p.text for p in found)
    assert [p.question for p in found] == [None] * len(found)


def test_a_database_from_before_passages_gets_them_when_opened(tmp_path, request):
    before = next(i for i, m in enumerate(MIGRATIONS) if m.__name__ == "_v8")
    for url in (f"sqlite:///{tmp_path / 'old.db'}", request.getfixturevalue("pg_url")):
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as conn:  # a database as onrecord left it just before passages, with a transcript
            schema_version.create(conn)
            conn.execute(schema_version.insert().values(version=before))
            for migration in MIGRATIONS[:before]:
                migration(conn)
            doc_id = conn.execute(
                documents.insert()
                .values(content_hash="h", source="old.txt", format="text", date="2026-03-08", meta="{}",
                        text=TRANSCRIPT, extractor="old", ingested_at="2026-01-01", lang="en")
                .returning(documents.c.id)
            ).scalar_one()  # fmt: skip
            conn.execute(
                statements.insert(),
                [
                    {"document_id": doc_id, "idx": s.index, "kind": s.kind, "speaker": s.speaker, "content": s.content,
                     "content_start": s.content_span.start, "content_end": s.content_span.end, "quotes": "[]",
                     "confidence": 1.0}
                    for s in turns()
                ],
            )  # fmt: skip
        engine.dispose()
        store = open_store(url)
        try:
            with store.engine.connect() as conn:
                assert conn.execute(text("SELECT version FROM schema_version")).scalar() == LATEST
            (passage,) = store.passage_search(["inspectors"], ["Anna Petrova"])
            assert (passage.text, passage.question) == (ANSWER, QUESTION)
            assert count(store) == 2
            store.close()
            store = open_store(url)  # opened again: nothing is cut twice
            assert count(store) == 2
        finally:
            store.close()
