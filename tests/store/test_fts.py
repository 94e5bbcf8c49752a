"""Trace's full-text search on SQLite in two steps (``store/fts.py``): the passages holding the
rarest of a statement's words are scored first, and the others only when those do not settle which
are best. The answer must be the one OR query over every word gives: the same passages, in the same
order, past the same speaker and date filters."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import text

from onrecord import open_store
from onrecord.ingest import from_text
from onrecord.model import Span, Statement
from onrecord.store import fts

SPEAKERS = {"ANNA PETROVA": "Anna Petrova", "JONAS KALLAS": "Jonas Kallas"}
COMMON = ["talks", "people", "country", "great", "deal", "it's", "that's"]  # in most passages
MIDDLE = ["inspectors", "border", "missiles", "tariffs", "harbour", "treaty", "budget", "ferry"]
RARE = ["satellite", "uranium", "lighthouse", "glacier", "referendum", "orchestra"]


def transcript(rng: random.Random, turns: int) -> tuple[str, list[tuple[str, int, int]]]:
    """A transcript of ``turns`` turns of the two speakers, words drawn common, middling and rare."""
    parts, spans, at = [], [], 0
    for n in range(turns):
        head = list(SPEAKERS)[n % 2]
        said = [rng.choice(COMMON) for _ in range(rng.randint(1, 6))]
        said += [rng.choice(MIDDLE) for _ in range(rng.randint(0, 3))]
        said += [rng.choice(RARE) for _ in range(rng.random() < 0.2)]
        said += ["and", "the", "we"] * rng.randint(0, 3)  # lengths vary: bm25 weighs them
        rng.shuffle(said)
        words = " ".join(said).capitalize() + "."
        line = f"{head}: {words}\n\n"
        spans.append((head, at + len(head) + 2, at + len(head) + 2 + len(words)))
        parts.append(line)
        at += len(line)
    return "".join(parts), spans


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('fts') / 'fts.db'}")
    rng = random.Random(15)
    for day in range(1, 9):
        body, spans = transcript(rng, 30)
        found = [
            Statement(n, "turn", body[a:b], Span(a, b), SPEAKERS[head], head, Span(a - len(head) - 2, a - 2))
            for n, (head, a, b) in enumerate(spans)
        ]
        store.add(from_text(body, date=f"2026-03-0{day}", source=f"day{day}.txt"), found, "t")
    return store


def everything_ranked(store, words, speakers, since, until) -> list[int]:
    """The passages the OR query over every phrase (in the plan's order) finds, filtered, best first."""
    with store.engine.connect() as conn:
        plan = fts.Plan.read(conn, "passages_fts", words)
        ranked = conn.execute(
            text("SELECT rowid, bm25(passages_fts) FROM passages_fts WHERE passages_fts MATCH :m"),
            {"m": fts.match(plan.phrases)},
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
    return [i for i, rank in sorted(ranked, key=lambda r: (r[1], r[0])) if i in allowed]


@pytest.mark.parametrize("first_rows", [1, 40, 10**9])  # a head of one phrase, of a few, of all
def test_the_rarest_words_first_give_what_every_word_gives(store, monkeypatch, first_rows):
    monkeypatch.setattr(fts, "FIRST_HEAD_ROWS", first_rows)
    settled_early = []
    settled = fts.Plan.settled
    monkeypatch.setattr(
        fts.Plan,
        "settled",
        lambda plan, head, *a: settled_early.append(head < len(plan.phrases)) or settled(plan, head, *a),
    )
    rng = random.Random(first_rows)
    for _ in range(40):
        words = rng.sample(COMMON, rng.randint(0, 3)) + rng.sample(MIDDLE, rng.randint(1, 3))
        words += rng.sample(RARE, rng.randint(0, 2))
        speakers = rng.choice([None, ["Anna Petrova"]])
        since, until = rng.choice([(None, None), ("2026-03-02", "2026-03-06")])
        limit = rng.choice([3, 10, 30])
        found = [i for i, _ in store.passage_ranking(words, speakers, since, until, limit)]
        assert found == everything_ranked(store, words, speakers, since, until)[:limit]
    if first_rows < 10**9:  # the common words' passages were left unscored at least sometimes
        assert any(settled_early)


def test_a_word_no_passage_holds_or_fts5_cannot_read_changes_nothing(store):
    found = store.passage_ranking(["satellite", "border"], None)
    assert store.passage_ranking(["satellite", "border", "zeppelin", "_", "'"], None) == found != []
    assert store.passage_ranking(["zeppelin", "_"], None) == []
