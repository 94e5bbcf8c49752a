"""Tables, and the migrations that build them. The schema version lives in the database."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable

from sqlalchemy import (
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    insert,
    inspect,
    select,
    text,
)

from onrecord.text import chunks

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("key", Text),
    Column("format", String(20), nullable=False),
    Column("title", Text),
    Column("date", String(10), index=True),
    Column("outlet", Text),
    Column("author", Text),
    Column("url", Text),
    Column("genre", Text),
    Column("lang", String(8)),  # "en", "ru" (issue 15); documents stored before it are "en"
    Column("meta", Text, nullable=False, default="{}"),
    Column("text", Text, nullable=False),
    Column("extractor", String(40), nullable=False),
    Column("ingested_at", String(32), nullable=False),
)

speakers = Table(
    "speakers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
)

speaker_mentions = Table(
    "speaker_mentions",
    metadata,
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="CASCADE"), nullable=False),
    Column("mention", Text, nullable=False),
    Column("count", Integer, nullable=False, default=0),
    UniqueConstraint("speaker_id", "mention"),
)

statements = Table(
    "statements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="SET NULL")),
    Column("speaker", Text),
    Column("speaker_mention", Text),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("cue", Text),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("content", Text, nullable=False),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("nested_in", Integer),
    Column("quotes", Text, nullable=False, default="[]"),
    Column("confidence", Float, nullable=False),
    # the speaker across documents, set by linking (schema 2)
    Column("identity_id", Integer, ForeignKey("identities.id", ondelete="SET NULL")),
    Column("topics_version", String(16)),  # the taxonomy its topics came from (schema 2)
    # what the cue reports: say | think | intend | show (schema 4); users see ``say`` by default. No
    # index: most statements are ``say``, so the default filter keeps most rows and a scan is cheaper.
    Column("act", String(8), nullable=False, server_default="say"),
    UniqueConstraint("document_id", "idx"),
    Index("ix_statements_speaker", "speaker_id"),
    Index("ix_statements_kind", "kind"),
)

# -- schema 2: identities across documents, topics, embeddings -------------------------------
identities = Table(
    "identities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("kind", String(20), nullable=False, default="person"),
)

# How each document-level speaker name was linked; ambiguous names keep their candidates.
identity_links = Table(
    "identity_links",
    metadata,
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True),
    Column("identity_id", Integer, ForeignKey("identities.id", ondelete="SET NULL")),
    Column("topics_version", String(16)),  # the taxonomy its topics came from (schema 2)
    Column("how", String(20), nullable=False),
    Column("candidates", Text, nullable=False, default="[]"),
)

# Registries as imported (YAML or CSV text), re-read at every linking; a re-import replaces.
registry_files = Table(
    "registry_files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False, unique=True),
    Column("format", String(10), nullable=False),
    Column("text", Text, nullable=False),
    Column("imported_at", String(32), nullable=False),
)

# Users' merges and aliases; undoing one deletes its row, so nothing is ever lost.
speaker_edits = Table(
    "speaker_edits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    UniqueConstraint("name"),
)

embeddings = Table(
    "embeddings",
    metadata,
    Column("key", String(40), primary_key=True),  # sha1 of model id + text
    Column("vector", LargeBinary, nullable=False),  # float32, little-endian
)

statement_topics = Table(
    "statement_topics",
    metadata,
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("topic", String(80), primary_key=True),
    Column("score", Float, nullable=False),
    Index("ix_statement_topics_topic", "topic", "statement_id"),  # covering: a topic's statements without table lookups
)

# -- schema 3: what changed, and the work stored statements still need ------------------------
# ``data_version`` counts committed writes, so a reader (the web cache) can tell cheaply whether
# anything changed. A ``pending:<task>`` row (task: link, topics) is written in the same transaction
# as the statements that need the task, with the data version it was marked at; the task deletes it
# when it finishes, so work a killed process left undone is found and finished by the next one.
store_state = Table(
    "store_state",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Integer, nullable=False),
)

# -- schema 5: watching sources, alerts, syndicated copies ---------------------------------------
# The last fetch of each URL: its validators (ETag, Last-Modified) make the next one conditional,
# its content hash says whether a 200 brought anything new.
fetched_urls = Table(
    "fetched_urls",
    metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("content_hash", String(64)),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("status", Integer, nullable=False),
    Column("fetched_at", String(32), nullable=False),
)

# The sources a watch polls, with the outcome of the last poll: one failing source never stops the others.
watch_sources = Table(
    "watch_sources",
    metadata,
    Column("url", Text, primary_key=True),
    Column("kind", String(10), nullable=False),  # feed | page
    Column("polled_at", String(32)),
    Column("ok_at", String(32)),
    Column("error", Text),
    Column("error_at", String(32)),
    Column("failures", Integer, nullable=False, default=0),  # in a row
    Column("documents", Integer, nullable=False, default=0),  # added from it, all told
)

# Every item a feed listed, recorded (as ``pending``) before it is fetched and marked ``done`` (or
# ``failed``) after: a watch killed mid-round finds its pending items and loses none; the content
# hash keeps a document that was stored just before the kill from being stored twice.
watch_items = Table(
    "watch_items",
    metadata,
    Column("source", Text, nullable=False),
    Column("item", Text, nullable=False),  # the entry's id, else its link
    Column("link", Text),
    Column("state", String(10), nullable=False),  # pending | done | failed
    Column("error", Text),
    Column("attempts", Integer, nullable=False, default=0),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("seen_at", String(32), nullable=False),
    UniqueConstraint("source", "item"),
    Index("ix_watch_items_state", "state"),
)

# What a watch found worth telling; ``key`` (kind + statement) makes raising one twice a no-op.
alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(120), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),  # statement | shift | trace
    Column("created_at", String(32), nullable=False),
    Column("date", String(10)),
    Column("speaker", Text),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="SET NULL")),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("evidence", Text, nullable=False, default="[]"),  # JSON: [{label, document_id, statement_id, text}]
    Column("webhook_state", String(10), nullable=False, server_default="none"),  # none | pending | sent | failed
    Column("webhook_attempts", Integer, nullable=False, server_default="0"),
    Column("webhook_error", Text),
    Column("digested_at", String(32)),
)

# Syndication: a MinHash signature per document, its LSH bands (to find candidates by index), and
# each copy's story (the first document of the text it repeats).
document_minhash = Table(
    "document_minhash",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),
)
minhash_bands = Table(
    "minhash_bands",
    metadata,
    Column("band", String(40), nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Index("ix_minhash_bands_band", "band"),
)
document_copies = Table(
    "document_copies",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("similarity", Float, nullable=False),
)
# -- schema 9: a document's signature, computed where it was parsed (issue 17) -----------------
# Written in the document's own transaction by ``onrecord ingest`` (the worker processes sign the
# text beside extracting it), and moved to ``document_minhash`` when refresh compares the document
# (``mark_copies``); the same bytes as there, empty for a text too short to judge. A document
# without a row here is signed from its text at that point.
pending_minhash = Table(
    "pending_minhash",
    metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),
)


# -- schema 6: subjects, open-vocabulary groups of one speaker's statements -------------------
# A subject belongs to one speaker (an identity, by name). ``centroid`` and ``phrases`` are what new
# statements are compared with when they are placed (analyse.subjects); the counts and dates shown
# are read from the statements themselves. A ``statement_subjects`` row marks a statement as placed,
# under the identity it had then (a relink that changes it places it again); ``subject_id`` NULL:
# the statement names nothing to group it by.
subjects = Table(
    "subjects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("speaker", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("centroid", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False, default=0),
    Column("phrases", Text, nullable=False, default="{}"),
    Index("ix_subjects_speaker", "speaker"),
)

statement_subjects = Table(
    "statement_subjects",
    metadata,
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    Column("subject_id", Integer, ForeignKey("subjects.id", ondelete="CASCADE")),
    Column("identity_id", Integer),
    Index("ix_statement_subjects_subject", "subject_id", "statement_id"),
)


# -- schema 8: transcript turns as passages, searchable by their words (issue 15) -------------------
# A turn cut to paragraph size (``text.chunks``): what trace searches for a speaker's own words. Written
# with the turn (so replaced and removed with it); searched through FTS5 ``bm25()`` on SQLite and a
# generated tsvector with ``ts_rank`` on PostgreSQL. Who said it and when come from the turn's statement
# and document at query time, so a relink moves passages with their statements.
passages = Table(
    "passages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("content_start", Integer, nullable=False),  # into the document's text
    Column("content_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    # the speaker filter reads no table rows: statements by identity (or name), then their passages
    Index("ix_passages_statement", "statement_id", "document_id"),
)


def passage_rows(turns: Iterable[tuple[int, int, str, int]]) -> list[dict[str, object]]:
    """Rows of ``passages`` for turn statements given as (statement id, document id, content, start)."""
    return [
        {
            "statement_id": statement_id,
            "document_id": document_id,
            "content_start": start + a,
            "content_end": start + b,
            "text": content[a:b],
        }
        for statement_id, document_id, content, start in turns
        for a, b in chunks(content)
    ]


PASSAGES_TOKENIZE = "porter unicode61"  # the FTS5 tokenizer of ``passages_fts`` (``fts.Postings`` tokenizes with it)


def passages_search(conn: Connection) -> None:
    """The full-text side of ``passages``: an FTS5 table kept by triggers (so rows that go with a
    deleted statement or document leave it too), or a generated tsvector with a GIN index."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5("
                f"text, content='passages', content_rowid='id', tokenize='{PASSAGES_TOKENIZE}')"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER IF NOT EXISTS passages_added AFTER INSERT ON passages BEGIN "
                "INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text); END"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER IF NOT EXISTS passages_removed AFTER DELETE ON passages BEGIN "
                "INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text); END"
            )
        )
    else:
        conn.execute(
            text(
                "ALTER TABLE passages ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
                "(to_tsvector('english', text)) STORED"
            )
        )
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_passages_search ON passages USING GIN (search_vector)"))


def _v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[documents, speakers, speaker_mentions, identities, statements])
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS statements_fts USING fts5("
                "content, speaker, content='statements', content_rowid='id', tokenize='porter unicode61')"
            )
        )


def _v2(conn: Connection) -> None:
    metadata.create_all(
        conn, tables=[identities, identity_links, registry_files, speaker_edits, embeddings, statement_topics]
    )
    columns = {c["name"] for c in inspect(conn).get_columns("statements")}
    if "identity_id" not in columns:
        conn.execute(text("ALTER TABLE statements ADD COLUMN identity_id INTEGER REFERENCES identities(id)"))
    if "topics_version" not in columns:
        conn.execute(text("ALTER TABLE statements ADD COLUMN topics_version VARCHAR(16)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_statements_identity ON statements (identity_id)"))
    if conn.dialect.name == "postgresql":  # full-text search: a generated tsvector with a GIN index
        conn.execute(
            text(
                "ALTER TABLE statements ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
                "(to_tsvector('english', content || ' ' || coalesce(speaker, ''))) STORED"
            )
        )
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_statements_search ON statements USING GIN (search_vector)"))


def _v3(conn: Connection) -> None:
    metadata.create_all(conn, tables=[store_state])
    conn.execute(store_state.insert().values(key="data_version", value=0))
    # A database from before may hold statements a killed ingest never linked or scored: check once.
    if conn.execute(select(statements.c.id).limit(1)).first() is not None:
        conn.execute(store_state.insert(), [{"key": "pending:link", "value": 0}, {"key": "pending:topics", "value": 0}])


def _v4(conn: Connection) -> None:
    # Statements stored before acts were told apart were all taken for speech: they keep ``say``
    # until ``reextract`` finds their acts. A fresh database made by _v1 has the column already.
    columns = {c["name"] for c in inspect(conn).get_columns("statements")}
    if "act" not in columns:
        conn.execute(text("ALTER TABLE statements ADD COLUMN act VARCHAR(8) NOT NULL DEFAULT 'say'"))


def _v5(conn: Connection) -> None:
    metadata.create_all(
        conn,
        tables=[
            fetched_urls,
            watch_sources,
            watch_items,
            alerts,
            document_minhash,
            minhash_bands,
            document_copies,
        ],
    )


def _v6(conn: Connection) -> None:
    metadata.create_all(conn, tables=[subjects, statement_subjects])
    # statements stored before subjects existed are placed by the next ``refresh``
    if conn.execute(select(statements.c.id).limit(1)).first() is not None:
        existing = conn.execute(select(store_state.c.key).where(store_state.c.key == "pending:subjects")).first()
        if existing is None:
            conn.execute(store_state.insert().values(key="pending:subjects", value=0))


def _v7(conn: Connection) -> None:
    # issue 15: each document's language. Documents stored before were all read as English: they
    # get ``en``. A fresh database made by _v1 has the column already.
    columns = {c["name"] for c in inspect(conn).get_columns("documents")}
    if "lang" not in columns:
        conn.execute(text("ALTER TABLE documents ADD COLUMN lang VARCHAR(8)"))
        conn.execute(documents.update().where(documents.c.lang.is_(None)).values(lang="en"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_documents_lang ON documents (lang)"))


BACKFILL_BATCH = 2_000  # turns cut and written at a time


def _v8(conn: Connection) -> None:
    # issue 15: passages for trace, cut from the transcript turns already stored
    metadata.create_all(conn, tables=[passages])
    passages_search(conn)
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_statements_identity_speaker ON statements (identity_id, speaker)"))
    turns = select(statements.c.id, statements.c.document_id, statements.c.content, statements.c.content_start).where(
        statements.c.kind == "turn"
    )
    total = conn.execute(select(func.count()).select_from(turns.subquery())).scalar_one()
    if not total:
        return
    # a one-off wait on a large database (about 10 s for 50,000 turns): say what it is
    started, done = time.monotonic(), 0
    if total > 10 * BACKFILL_BATCH:
        print(f"onrecord: schema 8: cutting {total:,} transcript turns into passages …", file=sys.stderr)
    last = 0
    while True:  # by id, so memory holds one batch whatever the database's size
        batch = conn.execute(turns.where(statements.c.id > last).order_by(statements.c.id).limit(BACKFILL_BATCH)).all()
        if not batch:
            break
        rows = passage_rows((r.id, r.document_id, r.content, r.content_start) for r in batch)
        if rows:
            conn.execute(insert(passages), rows)
        last, done = batch[-1].id, done + len(batch)
    if total > 10 * BACKFILL_BATCH:
        print(f"onrecord: schema 8: {done:,} turns in {time.monotonic() - started:.1f} s", file=sys.stderr)


def _v9(conn: Connection) -> None:
    # issue 17: signatures computed at ingest, waiting to be compared (none yet in a database made before)
    metadata.create_all(conn, tables=[pending_minhash])


# -- schema 10: a count of the passages' changes, so trace keeps their scores (issue 15) ----------------
# ``passages_version`` in ``store_state`` moves with every passage written or removed (by triggers, so
# a passage a cascade removes counts too); while it stands still, what trace's search read from the
# full-text index (``fts.Postings``) still holds. Writes that touch no passage (an article, a link)
# leave it, and what was read, alone. SQLite only: PostgreSQL's search keeps nothing.
PASSAGES_VERSION = "passages_version"


def passages_counted(conn: Connection) -> None:
    """The triggers that move ``passages_version`` with every passage added or removed (SQLite)."""
    for name, event in (("passages_counted_added", "INSERT"), ("passages_counted_removed", "DELETE")):
        conn.execute(
            text(
                f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON passages BEGIN "
                f"UPDATE store_state SET value = value + 1 WHERE key = '{PASSAGES_VERSION}'; END"
            )
        )


def _v10(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    existing = conn.execute(select(store_state.c.key).where(store_state.c.key == PASSAGES_VERSION)).first()
    if existing is None:
        conn.execute(store_state.insert().values(key=PASSAGES_VERSION, value=0))
    passages_counted(conn)


# -- schema 11: each word's scores written down, for the next process (issue 15) -------------------------
# What ``fts.Postings`` read of a phrase (its passages' ids and what it adds to their ``bm25()``, as bytes:
# little-endian int64 and float64), under the ``passages_version`` it was read at, so a process that starts
# reads a few kilobytes per word rather than scoring thousands of rows. Derived: triggers empty it whenever
# a passage is written or removed (every score moves then), and a row of another version is never used.
# SQLite only, as the count is. Dropped by schema 12.
passage_postings = Table(
    "passage_postings",
    metadata,
    Column("phrase", Text, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("ids", LargeBinary, nullable=False),
    Column("parts", LargeBinary, nullable=False),
)


def postings_emptied(conn: Connection) -> None:
    """The triggers that empty ``passage_postings`` when a passage is added or removed (SQLite)."""
    for name, event in (("passage_postings_added", "INSERT"), ("passage_postings_removed", "DELETE")):
        conn.execute(
            text(
                f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON passages BEGIN DELETE FROM passage_postings; END"
            )
        )


def _v11(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    metadata.create_all(conn, tables=[passage_postings])
    postings_emptied(conn)


# -- schema 12: each word's passages counted, kept across passage changes (issue 15) --------------------
# Schema 11 kept each word's ``bm25()`` parts, which every passage written or removed moves (the passage
# count, the average length and the word's passage count change), so one transcript stored emptied them
# all. What a passage change does not move is kept instead: each term's passages and its occurrences in
# each (``passage_terms``), each passage's length in tokens (``passage_lengths``), both under the
# ``passages_version`` they were counted at; the parts are computed from them and the table's totals when
# searched (``fts.Postings``). Triggers log every passage written or removed (``passage_changes``: the
# version it moved the count to, and the passage), so counts of an older version are brought up to date
# by counting the few passages changed since, not the word's thousands. The log keeps the last
# :data:`KEPT_CHANGES` changes; a count older than that is counted again from the index. SQLite only.
passage_terms = Table(
    "passage_terms",
    metadata,
    Column("term", Text, primary_key=True),  # as the tokenizer gives it (stemmed)
    Column("version", Integer, nullable=False),
    Column("ids", LargeBinary, nullable=False),  # the passages holding it, ascending: little-endian int64
    Column("freqs", LargeBinary, nullable=False),  # its occurrences in each: little-endian int32
)

passage_lengths = Table(
    "passage_lengths",
    metadata,
    Column("id", Integer, primary_key=True),  # one row
    Column("version", Integer, nullable=False),
    Column("sizes", LargeBinary, nullable=False),  # tokens of each passage by id, little-endian int32; 0: not read
)

passage_changes = Table(
    "passage_changes",
    metadata,
    Column("version", Integer, primary_key=True),  # the ``passages_version`` the change moved it to
    Column("passage_id", Integer, nullable=False),
)

KEPT_CHANGES = 20_000  # passage changes logged at most (about 300 transcripts of the trump corpus)


def passages_logged(conn: Connection) -> None:
    """The triggers that move ``passages_version`` and log the passage with every passage added or
    removed, in the passage's own transaction (SQLite)."""
    version = f"(SELECT value FROM store_state WHERE key = '{PASSAGES_VERSION}')"
    for name, event, row in (("passages_logged_added", "INSERT", "new"), ("passages_logged_removed", "DELETE", "old")):
        conn.execute(
            text(
                f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON passages BEGIN "
                f"UPDATE store_state SET value = value + 1 WHERE key = '{PASSAGES_VERSION}'; "
                f"INSERT INTO passage_changes (version, passage_id) VALUES ({version}, {row}.id); "
                f"DELETE FROM passage_changes WHERE version <= {version} - {KEPT_CHANGES}; END"
            )
        )


def _v12(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    # schema 10's count and schema 11's emptying give way to the triggers that count and log
    for trigger in (
        "passages_counted_added",
        "passages_counted_removed",
        "passage_postings_added",
        "passage_postings_removed",
    ):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
    conn.execute(text("DROP TABLE IF EXISTS passage_postings"))
    metadata.create_all(conn, tables=[passage_terms, passage_lengths, passage_changes])
    passages_logged(conn)


# Append-only: each entry moves a database from version i to i + 1.
MIGRATIONS: list[Callable[[Connection], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8, _v9, _v10, _v11, _v12]
LATEST = len(MIGRATIONS)


def migrate(conn: Connection) -> int:
    """Bring the database to the latest schema; returns the version it was at."""
    schema_version.create(conn, checkfirst=True)
    current = conn.execute(select(schema_version.c.version)).scalar()
    if current is None:
        conn.execute(schema_version.insert().values(version=0))
        current = 0
    for version in range(current, LATEST):
        MIGRATIONS[version](conn)
        conn.execute(schema_version.update().values(version=version + 1))
    return current
