"""Two ingest processes on the same corpus and the same database leave each document exactly once."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text

from onrecord import open_store


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    return f"sqlite:///{tmp_path / 'race.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")


def test_two_ingests_race_on_one_database(db_url, demo_dir, demo_count):
    command = [sys.executable, "-m", "onrecord.cli", "ingest", str(demo_dir), "--db", db_url]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(120), p.stderr.read()) for p in runs]
    for p in runs:
        p.stdout.close()
        p.stderr.close()
    assert all(code == 0 for code, _ in results), results
    added = [int(err.rsplit("added ", 1)[1].split()[0]) for _, err in results]
    assert sum(added) == demo_count  # each document added by exactly one of the two
    store = open_store(db_url)
    with store.engine.connect() as conn:
        hashes = conn.execute(text("SELECT content_hash, count(*) FROM documents GROUP BY content_hash")).all()
        per_document = conn.execute(text("SELECT document_id, idx, count(*) FROM statements GROUP BY document_id, idx"))
        assert len(hashes) == demo_count and all(n == 1 for _, n in hashes)
        assert all(n == 1 for *_, n in per_document)
    assert {s.name for s in store.speakers(3)} >= {"Anna Petrova", "Jonas Kallas"}
    store.close()


def test_a_task_held_exclusive_is_held_against_every_other_connection(pg_url):
    """Placing statements in subjects is one process's at a time on PostgreSQL (two ingests racing
    wrote the same rows): while one store holds the task, no other connection can take it."""
    from onrecord.store.store import TASK_LOCKS

    store, other = open_store(pg_url), open_store(pg_url)
    key = TASK_LOCKS["subjects"]

    def free() -> bool:
        with other.engine.connect() as conn:
            taken = conn.execute(text("SELECT pg_try_advisory_lock(:k)").bindparams(k=key)).scalar_one()
            if taken:
                conn.execute(text("SELECT pg_advisory_unlock(:k)").bindparams(k=key))
            return bool(taken)

    with store.exclusive("subjects"):
        assert not free()
    assert free()
    store.close()
    other.close()
