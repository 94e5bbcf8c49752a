"""Tables, and the migrations that build them. The schema version lives in the database."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
    text,
)

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
    UniqueConstraint("document_id", "idx"),
    Index("ix_statements_speaker", "speaker_id"),
    Index("ix_statements_kind", "kind"),
)


def _v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[documents, speakers, speaker_mentions, statements])
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS statements_fts USING fts5("
                "content, speaker, content='statements', content_rowid='id', tokenize='porter unicode61')"
            )
        )


# Append-only: each entry moves a database from version i to i + 1.
MIGRATIONS: list[Callable[[Connection], None]] = [_v1]
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
