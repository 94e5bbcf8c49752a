"""Syndication (issue 16): the same wire story on several sites is one story, its statements
counted once; the document lists where it appeared. On SQLite and PostgreSQL."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from onrecord.analyse import refresh, syndication
from onrecord.analyse import timeline as timelines
from onrecord.ingest import from_text
from onrecord.model import Span, Statement
from onrecord.store import Query

STORY = (
    "Ruritania is not ready to resume talks on the Lake Treaty, Anna Petrova said on Monday, after Nordmark's "
    "navy held exercises near the northern shore over the weekend. Nobody negotiates while warships sail past "
    "their villages, she told reporters in Valdor, and when the exercises stop the two sides can talk again. "
    "Jonas Kallas said the exercises had been planned for months and were no threat to anyone. The two "
    "ministers had agreed in April to meet in May, and diplomats said no date had been set for the meeting."
)
OTHER = (
    "Grain prices rose in June as the harvest in the south came in late, traders in Valdor said, and the port "
    "authority warned that queues of ships at the northern terminals could last into August. Farmers asked the "
    "government for help with storage, while millers said the price of flour would follow the grain within weeks. "
    "The central bank expects inflation to ease in the autumn once the new harvest reaches the market."
)


def said(text: str) -> list[Statement]:
    start = text.index("Ruritania is not ready")
    end = text.index(", Anna Petrova said")
    return [Statement(0, "indirect", text[start:end], Span(start, end), speaker="Anna Petrova", cue="said")]


def add(store, text: str, **meta) -> int:
    doc = from_text(text, **meta)
    return store.add(doc, said(text) if "Anna Petrova said" in text else [], "test")


@pytest.mark.parametrize(
    "a, b, copy",
    [
        (STORY, STORY, True),
        (
            STORY,
            "LAKE TREATY TALKS ON HOLD\n\nBy Ida Brenn, Valdor Post\n\n" + STORY,
            True,
        ),  # another headline and byline
        (STORY, STORY.replace("on Monday", "on Monday morning").replace("for months", "for many months"), True),
        (STORY, OTHER, False),
        (STORY, STORY[: len(STORY) // 2] + OTHER, False),  # half the story: not a copy of it
    ],
    ids=["same", "headline", "edited", "other", "half"],
)
def test_copies_are_told_from_other_stories(a, b, copy):
    score = syndication.similarity(syndication.signature(a), syndication.signature(b))
    assert (score >= syndication.THRESHOLD) == copy


def datasketch_signature(text: str) -> bytes:
    """A signature the way onrecord computed it before issue 17: datasketch's MinHash over the
    shingles, stored as little-endian 64-bit values (empty for a text too short to judge)."""
    datasketch = pytest.importorskip("datasketch", minversion="2.0")
    words = re.findall(r"\w+", text.lower())
    found = {" ".join(words[i : i + 5]).encode() for i in range(max(0, len(words) - 4))}
    if len(found) < syndication.MIN_SHINGLES:
        return b""
    minhash = datasketch.MinHash(num_perm=128, seed=16, scheme="affine32")
    minhash.update_batch(sorted(found))
    return np.asarray(minhash.hashvalues, dtype=np.uint64).astype("<u8").tobytes()


def _random_text(words: int, seed: int) -> str:
    vocabulary = (STORY + " " + OTHER + " Москва заявила, что переговоры продолжатся в мае.").split()
    chooser = random.Random(seed)
    return " ".join(chooser.choice(vocabulary) for _ in range(words))


@pytest.mark.parametrize(
    "text",
    [
        STORY,
        OTHER,
        STORY + " " + STORY,  # every shingle twice
        _random_text(30, 1),  # just above the shortest text judged
        _random_text(20_000, 2),  # more shingles than one numpy step takes
        _random_text(400, 3).upper(),
        "Anna Petrova said the talks would resume.",  # too short
        "",
    ],
    ids=["story", "other", "repeated", "short", "long", "upper", "too-short", "empty"],
)
def test_signatures_are_the_ones_datasketch_gave(text):
    # issue 17: existing databases hold datasketch's signatures; new ones must compare with them
    assert syndication.signature_bytes(text) == datasketch_signature(text)


def test_signatures_stored_with_documents_mark_the_copies_signing_the_texts_marks(store, tmp_path):
    from onrecord import open_store

    texts = [
        STORY,
        "Lake Treaty talks on hold\n\n" + STORY,
        OTHER,
        "Headline two\n\n" + STORY + " End.",
        "Anna Petrova said the talks would resume.",
        OTHER.replace("in June", "in July"),
    ]
    signed_here = open_store(f"sqlite:///{tmp_path / 'signed-at-refresh.db'}")
    try:
        by_refresh = [signed_here.add(from_text(t), [], "test") for t in texts]
        with_signature = [store.add(from_text(t), [], "test", signature=syndication.signature_bytes(t)) for t in texts]
        assert len(store.unsigned_documents()) == len(texts)
        assert all(text is None and signature is not None for _, text, signature in store.unsigned_documents())

        found = syndication.mark_copies(store)
        assert found == syndication.mark_copies(signed_here) != []
        stories = [signed_here.story_of(i) for i in by_refresh]
        assert [by_refresh.index(s) for s in stories] == [
            with_signature.index(store.story_of(i)) for i in with_signature
        ]
        assert store.unsigned_documents() == [] and syndication.mark_copies(store) == []
    finally:
        signed_here.close()


def test_a_short_text_is_never_called_a_copy():
    assert syndication.signature("Anna Petrova said the talks would resume.") is None


def test_a_copy_is_one_story_counted_once(store):
    first = add(store, STORY, title="Petrova: not ready to resume talks", outlet="Harbour Times", date="2026-05-04")
    copy = add(
        store,
        "Lake Treaty talks on hold as navies exercise\n\n" + STORY,
        title="Lake Treaty talks on hold as navies exercise",
        outlet="Valdor Post",
        date="2026-05-04",
    )
    other = add(store, OTHER, title="Grain", outlet="Harbour Times", date="2026-06-01")
    refresh(store, with_topics=False)

    assert store.story_of(copy) == first and store.story_of(first) == first and store.story_of(other) == other
    assert [d.id for d in store.appearances(copy)] == [first, copy] == [d.id for d in store.appearances(first)]
    assert store.appearances(other) == []
    # counted once wherever statements are counted; the copy's own page still has them
    assert [r.document.id for r in store.statements(Query(speaker="Petrova"))] == [first]
    assert len(store.statements(Query(speaker="Petrova", copies=True))) == 2
    assert [r.document.id for r in store.statements(Query(document_id=copy))] == [copy]
    assert timelines.timeline(store, "Anna Petrova").statements == 1
    assert [(s.statements, s.documents) for s in store.speakers() if s.name == "Anna Petrova"] == [(1, 1)]
    # idempotent: a second refresh signs nothing again
    assert syndication.mark_copies(store) == []


def test_a_copy_of_a_copy_belongs_to_the_first_story(store):
    first = add(store, STORY, date="2026-05-04")
    second = add(store, "Headline one\n\n" + STORY, date="2026-05-04")
    third = add(store, "Headline two\n\n" + replace(from_text(STORY), text=STORY).text + " End.", date="2026-05-05")
    refresh(store, with_topics=False)
    assert store.story_of(second) == store.story_of(third) == first
    assert [d.id for d in store.appearances(third)] == [first, second, third]


def test_a_database_from_before_stored_signatures_is_compared_from_its_texts(tmp_path):
    # issue 17: schema 9 adds the signatures stored with documents; a database made before has none
    # and its documents not compared yet are signed from their texts, beside new ones signed at ingest
    from sqlalchemy import create_engine, inspect, text

    from onrecord import open_store
    from onrecord.store.schema import MIGRATIONS, schema_version

    url = f"sqlite:///{tmp_path / 'old.db'}"
    before = next(i for i, m in enumerate(MIGRATIONS) if m.__name__ == "_v9")
    engine = create_engine(url)
    with engine.begin() as conn:
        schema_version.create(conn)
        conn.execute(schema_version.insert().values(version=before))
        for migration in MIGRATIONS[:before]:
            migration(conn)
        assert "pending_minhash" not in inspect(conn).get_table_names()
    engine.dispose()
    old = open_store(url)
    try:
        first = add(old, STORY)  # stored with no signature, as every document before schema 9
        headlined = "Headline\n\n" + STORY
        copy = old.add(from_text(headlined), [], "test", signature=syndication.signature_bytes(headlined))
        with old.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pending_minhash")).scalar() == 1
        assert syndication.mark_copies(old) == [(copy, first)]
        with old.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pending_minhash")).scalar() == 0
    finally:
        old.close()


def test_ingest_stores_each_signature_with_its_document_and_marks_the_copies(tmp_path, monkeypatch):
    # issue 17: `onrecord ingest` signs each text where it parses it; refresh only compares
    from sqlalchemy import text
    from typer.testing import CliRunner

    from onrecord import open_store
    from onrecord.cli import app

    folder = tmp_path / "in"
    folder.mkdir()
    texts = {"a.txt": STORY, "b.txt": "Lake Treaty talks on hold\n\n" + STORY, "c.txt": OTHER, "d.txt": "Short."}
    for name, body in texts.items():
        (folder / name).write_text(body)
    db = f"sqlite:///{tmp_path / 'o.db'}"
    from onrecord.store import Store

    to_compare: list[tuple[int, str | None, bytes | None]] = []  # what refresh found to compare
    original = Store.unsigned_documents
    monkeypatch.setattr(
        Store, "unsigned_documents", lambda self, *a: to_compare.extend(found := original(self, *a)) or found
    )

    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", db, "--no-topics", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert len(to_compare) == len(texts) and all(text is None for _, text, _ in to_compare)  # none to sign
    store = open_store(db)
    try:
        ids = {Path(d.source).name: d.id for d in store.documents()}
        assert store.story_of(ids["b.txt"]) == ids["a.txt"]
        assert {store.story_of(ids[n]) for n in ("a.txt", "c.txt", "d.txt")} == {
            ids["a.txt"],
            ids["c.txt"],
            ids["d.txt"],
        }
        with store.engine.connect() as conn:
            stored = dict(conn.execute(text("SELECT document_id, signature FROM document_minhash")).all())
            assert conn.execute(text("SELECT count(*) FROM pending_minhash")).scalar() == 0
        assert {n: stored[i] for n, i in ids.items()} == {n: datasketch_signature(t) for n, t in texts.items()}
    finally:
        store.close()


def test_a_comparison_that_fails_keeps_nothing_of_its_batch_and_is_done_again(store, monkeypatch):
    """Issue 17: a batch of documents is compared in one transaction (one commit, not one a document);
    what it saved is derived data, so a failure keeps none of the batch and the next run redoes it."""
    first = add(store, STORY, date="2026-05-04")
    copy = add(store, "Headline\n\n" + STORY, date="2026-05-04")
    other = add(store, OTHER, date="2026-06-01")
    save = type(store).save_signature
    calls = []

    def failing_on_the_third(self, *args, **kwargs):
        calls.append(args[0])
        if len(calls) == 3:
            raise RuntimeError("disk gone")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(type(store), "save_signature", failing_on_the_third)
    with pytest.raises(RuntimeError):
        syndication.mark_copies(store)
    assert [i for i, _, _ in store.unsigned_documents()] == [first, copy, other]  # the first two were rolled back
    assert store.story_of(copy) == copy
    monkeypatch.setattr(type(store), "save_signature", save)
    assert syndication.mark_copies(store) == [(copy, first)]  # the copy found within one batch
    assert store.unsigned_documents() == [] and store.story_of(copy) == first
