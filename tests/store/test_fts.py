"""Trace's full-text search on SQLite (``store/fts.py``): each word's scores read from FTS5 once and
kept, and brought up to date from the passages changed (schema 12 logs them). The answer must be the one
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
from onrecord.store.schema import PASSAGES_TOKENIZE, PASSAGES_VERSION

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
    """The terms counted in FTS5's index, and the phrases scored by ``bm25()``, from now on (by any store)."""
    count, read_one, reads = fts.Postings._count, fts.Postings._read_one, []

    def counted(self, conn, terms):  # type: ignore[no-untyped-def]
        reads.extend(terms)
        return count(self, conn, terms)

    def scored(self, conn, phrase):  # type: ignore[no-untyped-def]
        reads.append(phrase)
        return read_one(self, conn, phrase)

    monkeypatch.setattr(fts.Postings, "_count", counted)
    monkeypatch.setattr(fts.Postings, "_read_one", scored)
    return reads


def terms_of(store, words) -> list[str]:
    with store.engine.connect() as conn:
        return sorted(set(fts._terms(conn, PASSAGES_TOKENIZE, sorted(set(fts.phrases(words)))).values()))


def test_writes_without_passages_keep_what_was_read(store, monkeypatch):
    matches = fts5_reads(monkeypatch)
    words = ["inspectors", "great", "satellite"]
    first = store.passage_ranking(words, None)
    read = len(matches)
    assert sorted(matches) == terms_of(store, words)  # each word counted once
    before = passages_version(store)
    store.add(from_text('Anna Petrova said "the talks are great".', date="2026-03-09"), [], "t")  # an article
    assert passages_version(store) == before
    assert store.passage_ranking(words, None) == first
    assert len(matches) == read  # nothing read again


def test_a_write_between_reading_the_version_twice_is_read_again(store):
    versions = iter([1, 2, 2, 2])  # a write lands while the words are read
    postings = fts.Postings("passages_fts", lambda conn: next(versions))
    first = postings.read(store.engine.connect, ["great"])
    assert postings._at == 2 and postings._kept[("p", "great")].version == 2  # kept under the version read at
    fresh = fts.Postings("passages_fts", lambda conn: 7).read(store.engine.connect, ["great"])
    assert all((a == b).all() for a, b in zip(first["great"], fresh["great"], strict=True))


def test_at_most_so_many_scores_are_kept_the_least_recent_going_first(store):
    postings = fts.Postings("passages_fts", lambda conn: 1, kept=200, tokenize=PASSAGES_TOKENIZE)
    sizes = {}
    for word in ["talks", "inspectors", "border", "satellite"]:
        sizes[word] = len(postings.read(store.engine.connect, [word])[word][0])
        assert postings._size == sum(len(k.ids) for k in postings._kept.values()) <= 200
    assert ("t", "satellit") in postings._kept and sizes["talks"] > 0
    if sizes["talks"] > 200:
        assert ("t", "talk") not in postings._kept  # larger than all that may be kept: read each time


# -- schema 12: each word's counts written down, for the next process, kept across passage changes -------
def written_down(store) -> dict[str, int]:
    with store.engine.connect() as conn:
        return dict(conn.execute(text("SELECT term, version FROM passage_terms")).all())


def assert_written_down_as_counted(store) -> None:
    """Every term written down, brought up to the passages now through the passages changed since (when it
    was written down before a few changes: :data:`fts.WRITE_AFTER`), holds the rows and occurrences the
    index counts now, and every passage length written down and not changed since is its docsize."""
    postings = store._postings
    with store.engine.connect() as conn:
        at = postings.version(conn)
        conn.execute(
            text("CREATE VIRTUAL TABLE IF NOT EXISTS temp.check_v USING fts5vocab(main, passages_fts, 'instance')")
        )
        written = conn.execute(text("SELECT term, version, ids, freqs FROM passage_terms")).all()
        assert written
        for term, version, ids, freqs in written:
            ids, freqs = np.frombuffer(ids, "<i8"), np.frombuffer(freqs, "<i4")
            if version != at:
                changes = postings._changes_between(conn, version, at)
                assert changes is not None and len(changes.touched) < fts.WRITE_AFTER, term
                ids, freqs = fts._patched(ids, freqs, changes, term)
            expected = conn.execute(
                text("SELECT doc, count(*) FROM temp.check_v WHERE term = :term GROUP BY doc ORDER BY doc"),
                {"term": term},
            ).all()
            assert ids.tolist() == [i for i, _ in expected], term
            assert freqs.tolist() == [n for _, n in expected], term
        version, sizes = conn.execute(text("SELECT version, sizes FROM passage_lengths")).one()
        sizes = np.frombuffer(sizes, "<i4").copy()
        if version != at:
            touched = postings._changes_between(conn, version, at).touched
            sizes[touched[touched < len(sizes)]] = 0
        known = np.flatnonzero(sizes)
        assert len(known)
        held, lengths = fts._row_lengths(conn, "passages_fts", known)
        assert held.tolist() == known.tolist() and lengths.tolist() == sizes[known].tolist()


def test_a_new_store_reads_the_words_written_down_and_ranks_the_same(store, tmp_path, monkeypatch):
    rng = random.Random(5)
    searches = [random_search(rng) for _ in range(20)]
    first = [store.passage_ranking(*search) for search in searches]
    held = written_down(store)
    assert sorted(held) == terms_of(store, {w for search in searches for w in search[0]})  # each word searched
    assert set(held.values()) == {passages_version(store)}  # under the version it was read at
    assert_written_down_as_counted(store)
    matches = fts5_reads(monkeypatch)
    again = open_store(f"sqlite:///{tmp_path / 'fts.db'}")  # a process that starts: nothing in memory
    try:
        assert [again.passage_ranking(*search) for search in searches] == first
        assert matches == []  # every word from what was written down
        assert_as_one_query(again, random.Random(5), 20)
    finally:
        again.close()


@pytest.mark.parametrize("write_after", [1, fts.WRITE_AFTER])  # written down again after any change, or few
def test_counts_written_down_follow_passages_added_removed_and_replaced(store, tmp_path, monkeypatch, write_after):
    """A transcript stored, a document removed (its passages by cascade), a re-extraction, and passages
    taking the ids of removed ones: the counts written down are brought up to date from the passages
    changed, never counted in the index again, and rank as the one query does."""
    monkeypatch.setattr(fts, "WRITE_AFTER", write_after)
    rng = random.Random(6)
    assert_as_one_query(store, rng, 10)
    before = written_down(store)
    matches = fts5_reads(monkeypatch)

    def changed(change) -> None:  # type: ignore[no-untyped-def]
        change()
        again = open_store(f"sqlite:///{tmp_path / 'fts.db'}")  # a process that starts after the change
        try:
            assert_as_one_query(again, random.Random(6), 10)  # the same words, from what was written down
            assert_as_one_query(store, random.Random(6), 10)  # and from what the first store kept
        finally:
            again.close()
        assert matches == []
        assert set(written_down(store)) == set(before)
        assert_written_down_as_counted(store)

    changed(lambda: add_day(store, rng, 9, 40))  # a transcript stored: every word's parts move

    def removed() -> None:
        with store.engine.begin() as conn:  # a document removed: its passages go by cascade
            conn.execute(text("DELETE FROM documents WHERE source = 'day2.txt'"))

    changed(removed)
    body, found = transcript(rng, 25)
    changed(lambda: store.replace_statements(3, found, "t2"))  # re-extracted: passages removed and written

    def reused() -> None:  # the last passages removed, and their ids taken by new ones
        with store.engine.begin() as conn:
            conn.execute(text("DELETE FROM documents WHERE source = 'day9.txt'"))
        add_day(store, rng, 10, 40)

    with store.engine.connect() as conn:
        last = conn.execute(text("SELECT max(id) FROM passages")).scalar_one()
    changed(reused)
    with store.engine.connect() as conn:
        assert conn.execute(
            text("SELECT count(*) FROM passages WHERE id <= :last AND id > :last - 40"), {"last": last}
        ).scalar_one()


def test_counts_older_than_the_log_are_counted_again(store, tmp_path):
    words = ["inspectors", "border"]
    expected = store.passage_ranking(words, None)
    add_day(store, random.Random(8), 9, 20)
    expected_after = everything_ranked(store, words, None, None, None)[:100]
    stale = {"ids": np.array([1, 2], "<i8").tobytes(), "freqs": np.array([9, 9], "<i4").tobytes()}
    with store.engine.begin() as conn:  # as a row written before the changes the log still holds
        conn.execute(text("UPDATE passage_terms SET version = version - 1, ids = :ids, freqs = :freqs"), stale)
        conn.execute(text("DELETE FROM passage_changes"))
    again = open_store(f"sqlite:///{tmp_path / 'fts.db'}")
    try:
        assert [i for i, _ in again.passage_ranking(words, None)] == [i for i, _ in expected_after]
    finally:
        again.close()
    assert expected != []


def test_the_log_keeps_the_last_changes_and_counts_older_are_counted_again(tmp_path, monkeypatch):
    from onrecord.store import schema

    monkeypatch.setattr(schema, "KEPT_CHANGES", 50)  # the triggers are made with it when the database is
    store = open_store(f"sqlite:///{tmp_path / 'short.db'}")
    try:
        rng = random.Random(11)
        add_day(store, rng, 1)
        assert_as_one_query(store, random.Random(12), 10)  # words written down under this version
        add_day(store, rng, 2, 20)  # within the log's reach: brought up to date
        matches = fts5_reads(monkeypatch)
        again = open_store(f"sqlite:///{tmp_path / 'short.db'}")
        assert_as_one_query(again, random.Random(12), 10)
        again.close()
        assert matches == []
        add_day(store, rng, 3, 60)  # more changes than the log keeps
        with store.engine.connect() as conn:
            at = passages_version(store)
            logged = conn.execute(text("SELECT min(version), max(version), count(*) FROM passage_changes")).one()
        assert tuple(logged) == (at - 49, at, 50)
        again = open_store(f"sqlite:///{tmp_path / 'short.db'}")
        assert_as_one_query(again, random.Random(12), 10)  # counted in the index again, and right
        again.close()
        assert matches
        assert_written_down_as_counted(store)
    finally:
        store.close()


def test_words_read_while_passages_change_are_not_written_down(store):
    versions = iter([1, 1, 2])  # read at 1; a transcript stored before they are written
    postings = fts.Postings(
        "passages_fts", lambda conn: next(versions), stored=store._postings.stored, tokenize=PASSAGES_TOKENIZE
    )
    assert len(postings.read(store.engine.connect, ["great"])["great"][0])
    assert written_down(store) == {}


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
    assert written_down(store) == {}
    with store.engine.connect() as conn:  # the connection waits for writers as before
        assert conn.connection.driver_connection.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000


def test_words_counted_give_bm25s_parts_to_the_last_bit(store, tmp_path):
    """A phrase of one term is counted (in the index, or brought up to date from the passages changed) and
    scored in numpy; what it gives must be what ``bm25()`` gives row by row, also once rows are removed
    (gaps in the rowids) and added: in the store that kept its counts, and in a new one reading them."""
    phrases = fts.phrases([*COMMON, *MIDDLE, *RARE, "talking", "treaties", "zeppelin", "snake_case", "_", "2026"])

    def assert_counted_as_scored() -> None:
        again = open_store(f"sqlite:///{tmp_path / 'fts.db'}")
        try:
            for postings in (store._postings, again._postings):
                found = postings.read(store.engine.connect, phrases)
                counted = {p for p, key in postings._keys(again.engine.connect(), phrases).items() if key[0] == "t"}
                assert {"talks", "talking", "treaties", "zeppelin"} <= counted  # stems and absent words too
                assert "snake_case" not in counted and "_" not in counted  # two terms, none: scored row by row
                with store.engine.connect() as conn:
                    for phrase, (ids, parts) in found.items():
                        scored = postings._read_one(conn, phrase)
                        assert ids.tolist() == scored[0].tolist() and parts.tolist() == scored[1].tolist(), phrase
        finally:
            again.close()

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
    bring, reads = fts.Postings._bring, []

    class Waiting(threading.Event):
        def wait(self, timeout=None):  # type: ignore[no-untyped-def]
            moved.set()
            return super().wait(timeout)

    def recorded(self, conn, at, keys):  # type: ignore[no-untyped-def]
        reads.append((threading.current_thread().name, sorted(keys)))
        if threading.current_thread().name == "second":
            moved.set()
        elif len(reads) == 1:  # the first search, its words claimed: the second starts on the same words
            second.start()
            assert moved.wait(30)
        return bring(self, conn, at, keys)

    monkeypatch.setattr(fts.threading, "Event", Waiting)
    monkeypatch.setattr(fts.Postings, "_bring", recorded)
    words = ["talks", "border", "treaty"]
    results = {}
    second = threading.Thread(target=lambda: results.update(second=store.passage_ranking(words, None)), name="second")
    results["first"] = store.passage_ranking(words, None)
    second.join(30)
    assert reads == [("MainThread", [("t", t) for t in terms_of(store, words)])]  # read once, by the first
    assert results["second"] == results["first"] != []


def test_a_database_of_schema_11_migrates_and_counts_each_passage_change_once(tmp_path):
    from sqlalchemy import create_engine

    from onrecord.store.schema import MIGRATIONS, passage_rows, schema_version

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:  # a database as schema 11 left it, with a transcript and a word written down
        schema_version.create(conn)
        conn.execute(schema_version.insert().values(version=11))
        for migration in MIGRATIONS[:11]:
            migration(conn)
        body, found = transcript(random.Random(9), 12)
        doc_id = conn.execute(
            text(
                "INSERT INTO documents (content_hash, source, format, date, meta, text, extractor, ingested_at, lang) "
                "VALUES ('h', 'old.txt', 'text', '2026-03-01', '{}', :body, 'old', '2026-01-01', 'en') RETURNING id"
            ),
            {"body": body},
        ).scalar_one()
        for s in found:
            statement_id = conn.execute(
                text(
                    "INSERT INTO statements (document_id, idx, kind, speaker, content, content_start, content_end, "
                    "quotes, confidence) VALUES (:doc, :idx, 'turn', :speaker, :content, :start, :end, '[]', 1.0) "
                    "RETURNING id"
                ),
                {"doc": doc_id, "idx": s.index, "speaker": s.speaker, "content": s.content,
                 "start": s.content_span.start, "end": s.content_span.end},
            ).scalar_one()  # fmt: skip
            for row in passage_rows([(statement_id, doc_id, s.content, s.content_span.start)]):
                conn.execute(
                    text(
                        "INSERT INTO passages (statement_id, document_id, content_start, content_end, text) "
                        "VALUES (:statement_id, :document_id, :content_start, :content_end, :text)"
                    ),
                    row,
                )
        conn.execute(text("INSERT INTO passage_postings VALUES ('great', 12, x'', x'')"))
    engine.dispose()
    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            tables = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars())
            triggers = set(
                conn.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'passages'")
                ).scalars()
            )
        assert "passage_postings" not in tables and {"passage_terms", "passage_lengths", "passage_changes"} <= tables
        assert triggers == {"passages_added", "passages_removed", "passages_logged_added", "passages_logged_removed"}
        before = passages_version(store)
        assert before == 12  # the passages written under schema 11 were counted by its trigger
        assert_as_one_query(store, random.Random(9), 10)
        add_day(store, random.Random(10), 2, 15)
        with store.engine.connect() as conn:
            written = conn.execute(text("SELECT count(*) FROM passages WHERE document_id != :doc"), {"doc": doc_id})
            added = written.scalar_one()
            logged = conn.execute(text("SELECT version FROM passage_changes ORDER BY version")).scalars().all()
        assert passages_version(store) == before + added  # one move per passage, not two
        assert logged == list(range(before + 1, before + added + 1))
        assert_as_one_query(store, random.Random(9), 10)
        assert_written_down_as_counted(store)
    finally:
        store.close()
