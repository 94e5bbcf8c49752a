"""The store: the only place that writes SQL. SQLite by default; PostgreSQL behind the same calls.

A document goes in with its statements in one transaction; its content hash makes a
second ingest of the same text a no-op, also when two processes race.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, and_, create_engine, event, func, insert, or_, select, text, true
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from onrecord.errors import NotFoundError, StoreError
from onrecord.model import Document, DocumentInfo, Span, SpeakerInfo, Statement, StoredStatement
from onrecord.store.schema import LATEST, documents, migrate, speaker_mentions, speakers, statements

_DOC_INFO = [
    documents.c.id,
    documents.c.source,
    documents.c.format,
    documents.c.title,
    documents.c.date,
    documents.c.outlet,
    documents.c.author,
    documents.c.url,
    documents.c.genre,
    documents.c.key,
    documents.c.content_hash,
]


@dataclass(frozen=True, slots=True)
class Query:
    """Filters for :meth:`Store.statements`; every field is optional."""

    speaker: str | None = None
    since: str | None = None
    until: str | None = None
    search: str | None = None
    kind: str | None = None
    document_id: int | None = None
    outlet: str | None = None
    limit: int | None = None
    offset: int = 0


def _normalise_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if "://" not in url:  # a bare path means a SQLite file
        return "sqlite:///" + url
    return url


def _fts_query(search: str) -> str:
    """User words -> an FTS5 query of quoted terms (all must match), so no syntax leaks in."""
    words = re.findall(r"\w+", search)
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


class Store:
    """A database of documents and statements. Open with :func:`open_store`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"

    # -- writing -------------------------------------------------------------------------
    def contains(self, content_hash: str) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(select(documents.c.id).where(documents.c.content_hash == content_hash)).first()
        return found is not None

    def add(self, document: Document, found: Sequence[Statement], extractor: str) -> int | None:
        """Store a document with its statements; returns its id, or None when it was already there."""
        try:
            with self.engine.begin() as conn:
                doc_id = conn.execute(
                    insert(documents).values(
                        content_hash=document.content_hash,
                        source=document.source,
                        key=document.key,
                        format=document.format,
                        title=document.title,
                        date=document.date,
                        outlet=document.outlet,
                        author=document.author,
                        url=document.url,
                        genre=document.genre,
                        meta=json.dumps(document.meta, default=str),
                        text=document.text,
                        extractor=extractor,
                        ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
                    )
                ).inserted_primary_key[0]
                speaker_ids = self._speaker_ids(conn, {s.speaker for s in found if s.speaker})
                rows = [self._row(doc_id, s, speaker_ids) for s in found]
                if rows:
                    ids = (
                        conn.execute(insert(statements).returning(statements.c.id, sort_by_parameter_order=True), rows)
                        .scalars()
                        .all()
                    )
                    if self.is_sqlite:
                        conn.execute(
                            text(
                                "INSERT INTO statements_fts(rowid, content, speaker) VALUES (:id, :content, :speaker)"
                            ),
                            [
                                {"id": i, "content": r["content"], "speaker": r["speaker"] or ""}
                                for i, r in zip(ids, rows, strict=True)
                            ],
                        )
                self._count_mentions(conn, found, speaker_ids)
                return int(doc_id)
        except IntegrityError as exc:
            if self.contains(document.content_hash):
                return None  # another process stored the same text first
            raise StoreError(f"{document.source}: cannot store its statements ({exc.orig})") from exc
        except OperationalError as exc:
            raise StoreError(f"cannot write to the database: {exc.orig}") from exc

    @staticmethod
    def _row(doc_id: int, s: Statement, speaker_ids: dict[str, int]) -> dict[str, object]:
        return {
            "document_id": doc_id,
            "idx": s.index,
            "kind": s.kind,
            "speaker_id": speaker_ids.get(s.speaker) if s.speaker else None,
            "speaker": s.speaker,
            "speaker_mention": s.speaker_mention,
            "speaker_start": s.speaker_span.start if s.speaker_span else None,
            "speaker_end": s.speaker_span.end if s.speaker_span else None,
            "cue": s.cue,
            "cue_start": s.cue_span.start if s.cue_span else None,
            "cue_end": s.cue_span.end if s.cue_span else None,
            "content": s.content,
            "content_start": s.content_span.start,
            "content_end": s.content_span.end,
            "nested_in": s.nested_in,
            "quotes": json.dumps([q.as_list() for q in s.quotes]),
            "confidence": s.confidence,
        }

    def _speaker_ids(self, conn, names: set[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
        ids: dict[str, int] = {}
        for name in sorted(names):
            row = conn.execute(select(speakers.c.id).where(speakers.c.name == name)).first()
            ids[name] = row[0] if row else conn.execute(insert(speakers).values(name=name)).inserted_primary_key[0]
        return ids

    @staticmethod
    def _count_mentions(conn, found: Sequence[Statement], speaker_ids: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
        counts: dict[tuple[int, str], int] = {}
        for s in found:
            if s.speaker and s.speaker_mention:
                key = (speaker_ids[s.speaker], s.speaker_mention)
                counts[key] = counts.get(key, 0) + 1
        for (speaker_id, mention), n in counts.items():
            updated = conn.execute(
                speaker_mentions.update()
                .where(and_(speaker_mentions.c.speaker_id == speaker_id, speaker_mentions.c.mention == mention))
                .values(count=speaker_mentions.c.count + n)
            ).rowcount
            if not updated:
                conn.execute(insert(speaker_mentions).values(speaker_id=speaker_id, mention=mention, count=n))

    # -- reading -------------------------------------------------------------------------
    def documents(self, limit: int | None = None) -> list[DocumentInfo]:
        count = select(func.count(statements.c.id)).where(statements.c.document_id == documents.c.id).scalar_subquery()
        query = select(*_DOC_INFO, count).order_by(documents.c.date, documents.c.id).limit(limit)
        with self.engine.connect() as conn:
            return [DocumentInfo(*row) for row in conn.execute(query)]

    def document(self, ref: str | int) -> tuple[Document, DocumentInfo, list[Statement]]:
        """A document by id, source path, own key or content-hash prefix (at least 8 characters)."""
        ref = str(ref)
        conditions = [documents.c.source == ref, documents.c.key == ref]
        if ref.isdigit():
            conditions.append(documents.c.id == int(ref))
        if len(ref) >= 8 and re.fullmatch(r"[0-9a-f]+", ref):
            conditions.append(documents.c.content_hash.startswith(ref))
        with self.engine.connect() as conn:
            row = conn.execute(select(documents).where(or_(*conditions)).order_by(documents.c.id)).mappings().first()
            if row is None:
                raise NotFoundError(f"no document {ref!r} in the store; `onrecord documents` lists them")
            found = [
                self._statement(r)
                for r in conn.execute(
                    select(statements).where(statements.c.document_id == row["id"]).order_by(statements.c.idx)
                ).mappings()
            ]
        doc = Document(
            text=row["text"],
            source=row["source"],
            format=row["format"],
            title=row["title"],
            date=row["date"],
            outlet=row["outlet"],
            author=row["author"],
            url=row["url"],
            genre=row["genre"],
            key=row["key"],
            meta=json.loads(row["meta"] or "{}"),
        )
        info = DocumentInfo(*(row[c.name] for c in _DOC_INFO), statements=len(found))
        return doc, info, found

    def statements(self, query: Query = Query()) -> list[StoredStatement]:
        return list(self.iter_statements(query))

    def iter_statements(self, query: Query = Query()) -> Iterator[StoredStatement]:
        stmt = select(statements, *[c.label(f"doc_{c.name}") for c in _DOC_INFO]).join(
            documents, documents.c.id == statements.c.document_id
        )
        conditions = []
        if query.speaker:
            like = f"%{query.speaker}%"
            conditions.append(or_(statements.c.speaker.ilike(like), statements.c.speaker_mention.ilike(like)))
        if query.since:
            conditions.append(documents.c.date >= query.since)
        if query.until:
            conditions.append(documents.c.date <= query.until)
        if query.kind:
            conditions.append(statements.c.kind == query.kind)
        if query.document_id is not None:
            conditions.append(statements.c.document_id == query.document_id)
        if query.outlet:
            conditions.append(documents.c.outlet.ilike(f"%{query.outlet}%"))
        if query.search:
            if self.is_sqlite:
                match = _fts_query(query.search)
                if not match:
                    return
                ids = text("SELECT rowid FROM statements_fts WHERE statements_fts MATCH :q").bindparams(q=match)
                conditions.append(statements.c.id.in_(ids))
            else:
                conditions.append(statements.c.content.ilike(f"%{query.search}%"))
        stmt = stmt.where(and_(true(), *conditions)).order_by(documents.c.date, documents.c.id, statements.c.idx)
        stmt = stmt.limit(query.limit).offset(query.offset or None)
        try:
            with self.engine.connect() as conn:
                for row in conn.execute(stmt).mappings():
                    info = DocumentInfo(*(row[f"doc_{c.name}"] for c in _DOC_INFO))
                    yield StoredStatement(row["id"], info, self._statement(row))
        except OperationalError as exc:
            raise StoreError(f"query failed: {exc.orig}") from exc

    @staticmethod
    def _statement(row) -> Statement:  # type: ignore[no-untyped-def]
        def span(start: int | None, end: int | None) -> Span | None:
            return Span(start, end) if start is not None and end is not None else None

        return Statement(
            index=row["idx"],
            kind=row["kind"],
            content=row["content"],
            content_span=Span(row["content_start"], row["content_end"]),
            speaker=row["speaker"],
            speaker_mention=row["speaker_mention"],
            speaker_span=span(row["speaker_start"], row["speaker_end"]),
            cue=row["cue"],
            cue_span=span(row["cue_start"], row["cue_end"]),
            nested_in=row["nested_in"],
            quotes=tuple(Span(a, b) for a, b in json.loads(row["quotes"])),
            confidence=row["confidence"],
        )

    def speakers(self, limit: int | None = None) -> list[SpeakerInfo]:
        """Speakers with their statement and document counts and mentions, most active first."""
        counts = (
            select(
                statements.c.speaker_id,
                func.count().label("n"),
                func.count(func.distinct(statements.c.document_id)).label("docs"),
            )
            .where(statements.c.speaker_id.is_not(None))
            .group_by(statements.c.speaker_id)
            .subquery()
        )
        query = (
            select(speakers.c.id, speakers.c.name, counts.c.n, counts.c.docs)
            .join(counts, counts.c.speaker_id == speakers.c.id)
            .order_by(counts.c.n.desc(), speakers.c.name)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            mentions: dict[int, list[tuple[str, int]]] = {}
            ids = [row.id for row in rows]
            if ids:
                for speaker_id, mention, n in conn.execute(
                    select(speaker_mentions.c.speaker_id, speaker_mentions.c.mention, speaker_mentions.c.count)
                    .where(speaker_mentions.c.speaker_id.in_(ids))
                    .order_by(speaker_mentions.c.count.desc(), speaker_mentions.c.mention)
                ):
                    mentions.setdefault(speaker_id, []).append((mention, n))
        return [SpeakerInfo(row.name, row.n, row.docs, tuple(mentions.get(row.id, ()))) for row in rows]

    def unresolved_mentions(self, limit: int | None = None) -> list[tuple[str, int]]:
        """Mentions of speakers that could not be resolved to a name ("officials", "a source")."""
        query = (
            select(statements.c.speaker_mention, func.count().label("n"))
            .where(statements.c.speaker.is_(None), statements.c.speaker_mention.is_not(None))
            .group_by(statements.c.speaker_mention)
            .order_by(func.count().desc(), statements.c.speaker_mention)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(mention, n) for mention, n in conn.execute(query)]

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str = "sqlite:///onrecord.db") -> Store:
    """Open (creating and migrating as needed) the database at a SQLAlchemy ``url``."""
    url = _normalise_url(url)
    try:
        engine = create_engine(url, future=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        with engine.begin() as conn:
            previous = migrate(conn)
    except (SQLAlchemyError, ModuleNotFoundError) as exc:
        raise StoreError(f"cannot open the database {url!r}: {exc}; check the --db URL") from exc
    if previous > LATEST:
        raise StoreError(f"the database {url!r} was made by a newer onrecord (schema {previous}); upgrade onrecord")
    return Store(engine)


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
