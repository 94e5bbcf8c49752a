"""Trace's full-text search on SQLite (``store/fts.py``): each word's scores read from FTS5 once and
kept while the passages stay as they are (schema 10 counts their changes). The answer must be the one
OR query over every word gives, to the last bit of each score: the same passages, in the same order,
past the same speaker and date filters; also after passages are added and removed."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sqlalchemy import text

from onrecord import open_store
from onrecord.ingest import from_text
from onrecord.model import Span, Statement
from onrecord.store import fts
from onrecord.store.schema import PASSAGES_VERSION

SPEAKERS = {"ANNA PETROVA": "Anna Petrova", "JONAS KALLAS": "Jonas Kallas"}
COMMON = ["talks", "people", "country", "great", "deal", "it's", "that's"]  # in most passages
MIDDLE = ["inspectors", "border", "missiles", "tariffs", "harbour", "treaty", "budget", "ferry"]
RARE = ["satellite", "uranium", "lighthouse", "glacier", "referendum", "orchestra"]


def transcript(rng: random.Random, turns: int) -> tuple[str, list[Statement]]:
    """A transcript of ``turns`` turns of the two speakers, words drawn common, middling and rare."""
    parts, found, at = [], [], 0
    for n in range(turns):
        head = list(SPEAKERS)[n % 2]
        said = [rng.choice(COMMON) for _ in range(rng.randint(1, 6))]
        said += [rng.choice(MIDDLE) for _ in range(rng.randint(0, 3))]
        said += [rng.choice(RARE) for _ in range(rng.random() < 0.2)]
        said += ["and", "the", "we"] * rng.randint(0, 3)  # lengths vary: bm25 weighs them
        rng.shuffle(said)
        words = " ".join(said).capitalize() + "."
        line = f"{head}: {words}\n\n"
        a = at + len(head) + 2
        found.append(Statement(n, "turn", words, Span(a, a + len(words)), SPEAKERS[head], head, Span(at, a - 2)))
        parts.append(line)
        at += len(line)
    return "".join(parts), found


def add_day(store, rng: random.Random, day: int, turns: int = 30) -> int:
    body, found = transcript(rng, turns)
    return store.add(from_text(body, date=f"2026-03-{day:02d}", source=f"day{day}.txt"), found, "t")


@pytest.fixture
def store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'fts.db'}")
    rng = random.Random(15)
    for day in range(1, 9):
        add_day(store, rng, day)
    yield store
    store.close()


def everything_ranked(store, words, speakers, since, until) -> list[tuple[int, float]]:
    """(id, bm25) of the passages the one OR query over every phrase finds (the phrases held by fewest
    passages first, as searches always put them), filtered, best first."""
    found = fts.phrases(words)
    with store.engine.connect() as conn:
        held = {
            p: conn.execute(
                text("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH :m"), {"m": fts.match([p])}
            ).scalar_one()
            for p in found
        }
        ordered = [p for _, p in sorted((held[p], p) for p in found if held[p])]
        if not ordered:
            return []
        ranked = conn.execute(
            text("SELECT rowid, bm25(passages_fts) FROM passages_fts WHERE passages_fts MATCH :m"),
            {"m": fts.match(ordered)},
        ).all()
        allowed = set(
            conn.execute(
                text(
                    "SELECT passages.id FROM passages JOIN statements ON statements.id = passages.statement_id "
                    "JOIN documents ON documents.id = passages.document_id "
                    "WHERE (:who IS NULL OR statements.speaker = :who) AND documents.date BETWEEN :since AND :until"
                ),
                {"who": speakers[0] if speakers else None, "since": since or "", "until": until or "9999"},
            ).scalars()
        )
    return [(i, rank) for i, rank in sorted(ranked, key=lambda r: (r[1], r[0])) if i in allowed]


def random_search(rng: random.Random) -> tuple[list[str], list[str] | None, str | None, str | None, int]:
    words = rng.sample(COMMON, rng.randint(0, 3)) + rng.sample(MIDDLE, rng.randint(1, 3))
    words += rng.sample(RARE, rng.randint(0, 2))
    speakers = rng.choice([None, ["Anna Petrova"]])
    since, until = rng.choice([(None, None), ("2026-03-02", "2026-03-06"), ("2026-03-08", "2026-03-20")])
    return words, speakers, since, until, rng.choice([3, 10, 30])


def assert_as_one_query(store, rng: random.Random, searches: int = 40) -> None:
    for _ in range(searches):
        words, speakers, since, until, limit = random_search(rng)
        expected = everything_ranked(store, words, speakers, since, until)[:limit]
        assert [i for i, _ in store.passage_ranking(words, speakers, since, until, limit)] == [i for i, _ in expected]


@pytest.mark.parametrize("seed", [1, 2])
def test_kept_word_scores_rank_as_the_one_query_over_every_word(store, seed):
    rng = random.Random(seed)
    assert_as_one_query(store, rng)
    assert_as_one_query(store, rng)  # again, from what was kept


def test_the_scores_summed_are_fts5s_to_the_last_bit(store):
    rng = random.Random(3)
    for _ in range(20):
        words = rng.sample(COMMON + MIDDLE + RARE, rng.randint(1, 8))
        found = fts.phrases(words)
        postings = store._postings.read(store.engine.connect, found)
        scores = {}
        for _, p in sorted((len(postings[p][0]), p) for p in found if len(postings[p][0])):
            for i, part in zip(*postings[p], strict=True):
                scores[int(i)] = scores.get(int(i), 0.0) + float(part)
        expected = everything_ranked(store, words, None, None, None)
        assert [(i, -scores[i]) for i, _ in expected] == expected  # the very floats FTS5 gives
        order = [i for batch in fts.ranked(postings, found, 5) for i in batch.tolist()]
        assert order == [i for i, _ in expected]


def test_a_word_no_passage_holds_or_fts5_cannot_read_changes_nothing(store):
    found = store.passage_ranking(["satellite", "border"], None)
    assert store.passage_ranking(["satellite", "border", "zeppelin", "_", "'"], None) == found != []
    assert store.passage_ranking(["zeppelin", "_"], None) == []


def passages_version(store) -> int:
    with store.engine.connect() as conn:
        return conn.execute(
            text("SELECT value FROM store_state WHERE key = :key"), {"key": PASSAGES_VERSION}
        ).scalar_one()


def test_a_store_that_never_held_a_passage_finds_nothing(tmp_path):
    empty = open_store(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        empty.add(from_text("Anna Petrova said talks stalled.", source="article.txt"), [], "t")  # no turns
        assert empty.passage_ranking(["talks", "stalled"], None) == []
    finally:
        empty.close()


def test_what_is_kept_follows_passages_added_and_removed(store):
    rng = random.Random(4)
    assert_as_one_query(store, rng, 20)  # words read and kept
    before = passages_version(store)
    add_day(store, rng, 9, 60)  # more passages: every word's idf and the average length move
    assert passages_version(store) > before
    assert_as_one_query(store, random.Random(4), 20)  # the same searches again, on the new passages
    moved = passages_version(store)
    with store.engine.begin() as conn:  # a document removed: its passages go by cascade
        conn.execute(text("DELETE FROM documents WHERE source = 'day3.txt'"))
    assert passages_version(store) > moved
    assert_as_one_query(store, random.Random(4), 20)
    store.replace_statements(1, [], "t2")  # a re-extraction that finds no turn
    assert_as_one_query(store, random.Random(4), 20)


def fts5_reads(monkeypatch) -> list[str]:
    """The phrases read from FTS5 from now on (by any store)."""
    read_fresh, matches = fts.Postings._read_fresh, []

    def recorded(self, conn, at, phrases):  # type: ignore[no-untyped-def]
        matches.extend(phrases)
        return read_fresh(self, conn, at, phrases)

    monkeypatch.setattr(fts.Postings, "_read_fresh", recorded)
    return matches


def test_writes_without_passages_keep_what_was_read(store, monkeypatch):
    matches = fts5_reads(monkeypatch)
    words = ["inspectors", "great", "satellite"]
    first = store.passage_ranking(words, None)
    read = len(matches)
    assert sorted(matches) == sorted(words)  # each word read once
    before = passages_version(store)
    store.add(from_text('Anna Petrova said "the talks are great".', date="2026-03-09"), [], "t")  # an article
    assert passages_version(store) == before
    assert store.passage_ranking(words, None) == first
    assert len(matches) == read  # nothing read again


def test_a_write_between_reading_the_version_twice_is_read_again(store):
    versions = iter([1, 2, 2, 2])  # a write lands while the words are read
    postings = fts.Postings("passages_fts", lambda conn: next(versions))
    first = postings.read(store.engine.connect, ["great"])
    assert postings._at == 2 and "great" in postings._phrases  # kept under the version it was read at
    fresh = fts.Postings("passages_fts", lambda conn: 7).read(store.engine.connect, ["great"])
    assert all((a == b).all() for a, b in zip(first["great"], fresh["great"], strict=True))


def test_at_most_so_many_scores_are_kept_the_least_recent_going_first(store):
    postings = fts.Postings("passages_fts", lambda conn: 1, kept=200)
    sizes = {}
    for word in ["talks", "inspectors", "border", "satellite"]:
        sizes[word] = len(postings.read(store.engine.connect, [word])[word][0])
        assert postings._size == sum(len(p[0]) for p in postings._phrases.values()) <= 200
    assert "satellite" in postings._phrases and sizes["talks"] > 0
    if sizes["talks"] > 200:
        assert "talks" not in postings._phrases  # larger than all that may be kept: read each time


# -- schema 11: what was read, written down for the next process ---------------------------------------
def written_down(store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return dict(conn.execute(text("SELECT phrase, version FROM passage_postings")).all())


def test_a_new_store_reads_the_words_written_down_and_ranks_the_same(store, tmp_path, monkeypatch):
    rng = random.Random(5)
    searches = [random_search(rng) for _ in range(20)]
    first = [store.passage_ranking(*search) for search in searches]
    words = {p for search in searches for p in fts.phrases(search[0])}
    held = written_down(store)
    assert set(held) == words  # each word searched, under the version it was read at
    assert set(held.values()) == {passages_version(store)}
    matches = fts5_reads(monkeypatch)
    again = open_store(f"sqlite:///{tmp_path / 'fts.db'}")  # a process that starts: nothing in memory
    try:
        assert [again.passage_ranking(*search) for search in searches] == first
        assert matches == []  # every word from what was written down
        assert_as_one_query(again, random.Random(5), 20)
    finally:
        again.close()


def test_what_is_written_down_goes_when_passages_are_added_or_removed(store, tmp_path, monkeypatch):
    rng = random.Random(6)
    assert_as_one_query(store, rng, 10)
    assert written_down(store)
    add_day(store, rng, 9, 40)  # a transcript stored: every word's scores move
    assert written_down(store) == {}
    matches = fts5_reads(monkeypatch)
    again = open_store(f"sqlite:///{tmp_path / 'fts.db'}")
    try:
        assert_as_one_query(again, random.Random(6), 10)  # read from FTS5 again, and right
        assert matches
        assert set(written_down(store).values()) == {passages_version(store)}
        with again.engine.begin() as conn:  # a document removed: its passages go by cascade
            conn.execute(text("DELETE FROM documents WHERE source = 'day2.txt'"))
        assert written_down(store) == {}
        assert_as_one_query(again, random.Random(6), 10)
    finally:
        again.close()


def test_a_row_of_another_version_is_not_used(store, tmp_path):
    words = ["inspectors", "border"]
    expected = store.passage_ranking(words, None)
    stale = {"ids": np.array([1, 2], "<i8").tobytes(), "parts": np.array([99.0, 98.0], "<f8").tobytes()}
    with store.engine.begin() as conn:  # as a row left by a process that read before a change could be
        conn.execute(text("UPDATE passage_postings SET version = version - 1, ids = :ids, parts = :parts"), stale)
    again = open_store(f"sqlite:///{tmp_path / 'fts.db'}")
    try:
        assert again.passage_ranking(words, None) == expected
    finally:
        again.close()


def test_words_read_while_passages_change_are_not_written_down(store):
    versions = iter([1, 1, 2])  # read at 1; a transcript stored before they are written
    postings = fts.Postings("passages_fts", lambda conn: next(versions), stored="passage_postings")
    assert len(postings.read(store.engine.connect, ["great"])["great"][0])
    assert "great" not in written_down(store)


def test_a_search_while_another_process_writes_answers_and_writes_nothing(store, tmp_path):
    import sqlite3

    expected = everything_ranked(store, ["treaty", "ferry"], None, None, None)[:10]
    other = sqlite3.connect(tmp_path / "fts.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # an ingest holding the one write lock
        found = store.passage_ranking(["treaty", "ferry"], None, None, None, 10)
        assert [i for i, _ in found] == [i for i, _ in expected]
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert not {"treaty", "ferry"} & set(written_down(store))
    with store.engine.connect() as conn:  # the connection waits for writers as before
        assert conn.connection.driver_connection.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000


def test_words_counted_give_bm25s_parts_to_the_last_bit(store):
    """A phrase of one term is counted in the index (``fts5vocab``) and scored in numpy; what it gives must be
    what ``bm25()`` gives row by row, also once rows are removed (gaps in the rowids) and added."""
    phrases = fts.phrases([*COMMON, *MIDDLE, *RARE, "talking", "treaties", "zeppelin", "snake_case", "_", "2026"])

    def assert_counted_as_scored() -> None:
        postings = store._postings
        with store.engine.connect() as conn:
            at = postings.version(conn)
            counted = postings._count(conn, at, fts._terms(conn, postings.tokenize, phrases))
            assert {"talks", "talking", "treaties", "zeppelin"} <= set(counted)  # stems and absent words too
            assert "snake_case" not in counted and "_" not in counted  # two terms, none: scored row by row
            for phrase, (ids, parts) in counted.items():
                scored = postings._read_one(conn, phrase)
                assert ids.tolist() == scored[0].tolist() and parts.tolist() == scored[1].tolist(), phrase

    assert_counted_as_scored()
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM documents WHERE source IN ('day2.txt', 'day8.txt')"))
    assert_counted_as_scored()
    add_day(store, random.Random(7), 9, 50)
    assert_counted_as_scored()


def test_searches_side_by_side_read_a_shared_word_once(store, monkeypatch):
    """An article's searches run two at a time and share common words: the second waits for the first's
    reading of them rather than reading them again."""
    import threading

    moved = threading.Event()  # the second search has either read a word or begun to wait for the first
    read_fresh, reads = fts.Postings._read_fresh, []

    class Waiting(threading.Event):
        def wait(self, timeout=None):  # type: ignore[no-untyped-def]
            moved.set()
            return super().wait(timeout)

    def recorded(self, conn, at, phrases):  # type: ignore[no-untyped-def]
        reads.append((threading.current_thread().name, sorted(phrases)))
        if threading.current_thread().name == "second":
            moved.set()
        elif len(reads) == 1:  # the first search, its words claimed: the second starts on the same words
            second.start()
            assert moved.wait(30)
        return read_fresh(self, conn, at, phrases)

    monkeypatch.setattr(fts.threading, "Event", Waiting)
    monkeypatch.setattr(fts.Postings, "_read_fresh", recorded)
    words = ["talks", "border", "treaty"]
    results = {}
    second = threading.Thread(target=lambda: results.update(second=store.passage_ranking(words, None)), name="second")
    results["first"] = store.passage_ranking(words, None)
    second.join(30)
    assert reads == [("MainThread", sorted(words))]  # read once, by the first
    assert results["second"] == results["first"] != []
