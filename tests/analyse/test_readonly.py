"""Issue 12: reading never needs to write. A database opened read-only still answers the pages
that compute embeddings (they are a cache, kept when the store can be written)."""

from __future__ import annotations

import shutil
import sqlite3

from onrecord import open_store
from onrecord.analyse import shifts, trace
from onrecord.analyse.embed import embed_cached


def test_a_read_only_database_answers_what_needs_new_embeddings(demo_db, tmp_path):
    copy = tmp_path / "ro.db"
    shutil.copy(demo_db, copy)
    sqlite3.connect(copy).execute("PRAGMA wal_checkpoint(TRUNCATE)").connection.close()
    store = open_store(f"sqlite:///file:{copy}?mode=ro&uri=true")
    assert embed_cached(store, ["a sentence nobody has embedded before"]).shape == (1, 384)
    assert shifts.speaker_shifts(store, "Anna Petrova") is not None
    commentary = next(d for d in store.documents() if d.author == "Edgar Lund").id  # sentence vectors to compute
    assert {t.verdict for t in trace.trace_stored(store, commentary)[2]} >= {"verbatim", "altered"}
