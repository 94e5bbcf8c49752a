"""The store: the only place that writes SQL. SQLite by default; PostgreSQL behind the same calls.

A document goes in with its statements in one transaction; its content hash makes a
second ingest of the same text a no-op, also when two processes race.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    create_engine,
    event,
    false,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from onrecord.errors import NotFoundError, StoreError
from onrecord.model import (
    Document,
    DocumentInfo,
    Link,
    Passage,
    Span,
    SpeakerInfo,
    Statement,
    StoredStatement,
    SubjectInfo,
    SubjectState,
    Turn,
)
from onrecord.store import fts
from onrecord.store.schema import (
    LATEST,
    PASSAGES_TOKENIZE,
    PASSAGES_VERSION,
    document_copies,
    documents,
    embeddings,
    identities,
    identity_links,
    migrate,
    passage_changes,
    passage_lengths,
    passage_rows,
    passage_terms,
    passages,
    pending_minhash,
    registry_files,
    speaker_edits,
    speaker_mentions,
    speakers,
    statement_subjects,
    statement_topics,
    statements,
    store_state,
    subjects,
)
from onrecord.store.watching import WatchRecords

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
    documents.c.lang,
]


@dataclass(frozen=True, slots=True)
class Query:
    """Filters for :meth:`Store.statements`; every field is optional."""

    speaker: str | None = None  # part of a name, a variant or a mention
    identity: str | None = None  # exactly one identity, as `onrecord speakers` names it
    topic: str | None = None
    since: str | None = None
    until: str | None = None
    search: str | None = None
    kind: str | None = None
    document_id: int | None = None
    outlet: str | None = None
    lang: str | None = None  # the document's language: "en", "ru"
    # what the cues report (``say``, ``think``, …); None: every act. The writer's own voice (kind
    # ``author``) is kept whatever its act, as ``model.visible`` says.
    acts: tuple[str, ...] | None = None
    # statements of documents stored as syndicated copies of another (one story, counted once) are
    # left out unless asked for; a query of one document (``document_id``) always has them
    copies: bool = False
    limit: int | None = None
    offset: int = 0


def _normalise_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if "://" not in url:  # a bare path means a SQLite file
        return "sqlite:///" + url
    return url


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite ``url`` keeps its database in (None for PostgreSQL or ``:memory:``)."""
    parsed = make_url(_normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _not_a_copy():  # type: ignore[no-untyped-def]
    """The condition that a statement's document is no syndicated copy: a story's statements count once."""
    return ~statements.c.document_id.in_(select(document_copies.c.document_id))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _fts_query(search: str) -> str:
    """User words -> an FTS5 query of quoted terms, all of which must match, so no syntax leaks in."""
    return fts.match(re.findall(r"\w+", search), " ")


@lru_cache(maxsize=32)
def _passage_ids(by_speakers: bool, since: bool, until: bool):  # type: ignore[no-untyped-def]
    """The ids of the passages by the speakers ``names`` (identity names, or names in documents not
    linked to one) in documents dated ``since``..``until``, syndicated copies left out. (Index-only on
    the statements' side: ``ix_statements_identity_speaker``, ``ix_passages_statement``.)"""
    conditions = [~passages.c.document_id.in_(select(document_copies.c.document_id))]
    if by_speakers:
        names = bindparam("names", expanding=True)
        conditions.append(
            or_(
                statements.c.identity_id.in_(select(identities.c.id).where(identities.c.name.in_(names))),
                and_(statements.c.identity_id.is_(None), statements.c.speaker.in_(names)),
            )
        )
    if since:
        conditions.append(documents.c.date >= bindparam("since"))
    if until:
        conditions.append(documents.c.date <= bindparam("until"))
    return (
        select(passages.c.id)
        .select_from(passages)
        .join(statements, statements.c.id == passages.c.statement_id)
        .join(documents, documents.c.id == passages.c.document_id)
        .where(*conditions)
    )


def _filters(
    speakers: Sequence[str] | None, since: str | None, until: str | None
) -> tuple[tuple[bool, bool, bool], dict[str, object]]:
    """Which of these filters there are (the arguments of :func:`_passage_ids`), and their values."""
    values: dict[str, object] = {}
    if speakers is not None:
        values["names"] = sorted(set(speakers))
    if since:
        values["since"] = since
    if until:
        values["until"] = until
    return (speakers is not None, bool(since), bool(until)), values


@lru_cache(maxsize=8)
def _ts_ranked(shape: tuple[bool, bool, bool], reach: int | None, limit: int):  # type: ignore[no-untyped-def]
    """(id, text, rank) of the best ``limit`` passages by the filters of ``shape`` among the best ``reach``
    by PostgreSQL's ``ts_rank`` for ``terms`` (lowest rank best)."""
    # websearch syntax reads "or" between words and never fails on what the words hold
    tsquery = func.websearch_to_tsquery(literal_column("'english'"), bindparam("terms"))
    search = literal_column("passages.search_vector")
    ranked = select(passages.c.id, (-func.ts_rank(search, tsquery)).label("rank")).where(search.op("@@")(tsquery))
    ranked = ranked.subquery()
    best = select(ranked.c.id, ranked.c.rank).order_by(ranked.c.rank, ranked.c.id).limit(reach).subquery()
    return (
        _passage_ids(*shape)
        .add_columns(passages.c.text, best.c.rank)
        .join(best, best.c.id == passages.c.id)
        .order_by(best.c.rank, passages.c.id)
        .limit(limit)
    )


@lru_cache(maxsize=8)
def _passage_texts(shape: tuple[bool, bool, bool]):  # type: ignore[no-untyped-def]
    """(id, text) of the passages of the ``ids`` (a JSON array: one parameter, however many) that pass the
    filters of ``shape`` (SQLite)."""
    ids = select(literal_column("value")).select_from(func.json_each(bindparam("ids")))
    return _passage_ids(*shape).add_columns(passages.c.text).where(passages.c.id.in_(ids))


# where trace's search writes down each word's counts, and the log it brings them up to date with (schema 12)
_WRITTEN = fts.Written(passage_terms.name, passage_lengths.name, passage_changes.name, passages.name)


def _passages_version(conn: Connection) -> int:
    """The count of passages written and removed (schema 10): what :class:`fts.Postings` kept holds at it."""
    return conn.execute(select(store_state.c.value).where(store_state.c.key == PASSAGES_VERSION)).scalar_one()


@lru_cache(maxsize=1)
def _passage_details():  # type: ignore[no-untyped-def]
    """The passages of the ``ids``, with who said them (the identity, else the name in the document),
    where, when, and the turn before (what it answers) and its speaker."""
    key = func.coalesce(identities.c.name, statements.c.speaker)
    before, before_identity = statements.alias("before"), identities.alias("before_identity")

    def previous(column):  # type: ignore[no-untyped-def]  # of the turn just before, in the same document
        return (
            select(column)
            .select_from(before.outerjoin(before_identity, before_identity.c.id == before.c.identity_id))
            .where(
                before.c.document_id == statements.c.document_id,
                before.c.kind == "turn",
                before.c.idx < statements.c.idx,
            )
            .order_by(before.c.idx.desc())
            .limit(1)
            .scalar_subquery()
        )

    return (
        select(
            passages.c.id,
            documents.c.source,
            key.label("speaker"),
            passages.c.content_start,
            passages.c.content_end,
            passages.c.text,
            documents.c.date,
            documents.c.id.label("document_id"),
            previous(before.c.content).label("before"),
            previous(func.coalesce(before_identity.c.name, before.c.speaker)).label("before_speaker"),
        )
        .select_from(passages)
        .join(statements, statements.c.id == passages.c.statement_id)
        .join(documents, documents.c.id == passages.c.document_id)
        .outerjoin(identities, identities.c.id == statements.c.identity_id)
        .where(passages.c.id.in_(bindparam("ids", expanding=True)))
    )


class Store(WatchRecords):
    """A database of documents and statements. Open with :func:`open_store`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        # what trace's searches read of the full-text index, kept while the passages stay as they are
        self._postings = (
            fts.Postings("passages_fts", _passages_version, stored=_WRITTEN, tokenize=PASSAGES_TOKENIZE)
            if self.is_sqlite
            else None
        )

    # -- writing -------------------------------------------------------------------------
    def contains(self, content_hash: str) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(select(documents.c.id).where(documents.c.content_hash == content_hash)).first()
        return found is not None

    def add(
        self, document: Document, found: Sequence[Statement], extractor: str, signature: bytes | None = None
    ) -> int | None:
        """Store a document with its statements; returns its id, or None when it was already there.
        ``signature``: its syndication signature, computed where it was parsed (``analyse.syndication``;
        empty for a text too short to judge), stored with it so refresh need not sign the text."""
        return self.add_many([(document, found)], extractor, None if signature is None else [signature])[0]

    def add_many(
        self,
        items: Sequence[tuple[Document, Sequence[Statement]]],
        extractor: str,
        signatures: Sequence[bytes | None] | None = None,
    ) -> list[int | None]:
        """Store documents with their statements (and each one's signature, when given: see ``add``) in
        one transaction (COPY on PostgreSQL, executemany on SQLite); returns each one's id, or None
        for a text already stored (here or by another process at the same moment). On an error
        nothing of the batch stays."""
        try:
            with self.engine.begin() as conn:
                ids = [self._insert_document(conn, document, extractor) for document, _ in items]
                fresh = [(doc_id, found) for doc_id, (_, found) in zip(ids, items, strict=True) if doc_id is not None]
                self._write_statements(conn, fresh)
                if signatures is not None:
                    signed = [
                        {"document_id": doc_id, "signature": signature}
                        for doc_id, signature in zip(ids, signatures, strict=True)
                        if doc_id is not None and signature is not None
                    ]
                    if signed:
                        conn.execute(insert(pending_minhash), signed)
                if fresh:
                    self._changed(conn, "link", "topics", "subjects")
                return ids
        except IntegrityError as exc:
            source = items[0][0].source if len(items) == 1 else f"{len(items)} documents"
            raise StoreError(f"{source}: cannot store its statements ({exc.orig})") from exc
        except OperationalError as exc:
            raise StoreError(f"cannot write to the database: {exc.orig}") from exc

    def replace_statements(self, doc_id: int, found: Sequence[Statement], extractor: str) -> None:
        """Put ``found`` in place of document ``doc_id``'s statements, in one transaction: what a newer
        extractor finds in a stored text. Their topics go with them; mention counts are taken back."""
        try:
            with self.engine.begin() as conn:
                old = conn.execute(
                    select(
                        statements.c.id,
                        statements.c.speaker_id,
                        statements.c.speaker_mention,
                        statements.c.content,
                        statements.c.speaker,
                    ).where(statements.c.document_id == doc_id)
                ).all()
                self._count_mentions(conn, [(r.speaker_id, r.speaker_mention) for r in old], taken_back=True)
                if self.is_sqlite and old:  # an external-content FTS5 table forgets rows by their old values
                    conn.execute(
                        text(
                            "INSERT INTO statements_fts(statements_fts, rowid, content, speaker) "
                            "VALUES ('delete', :id, :content, :speaker)"
                        ),
                        [{"id": r.id, "content": r.content, "speaker": r.speaker or ""} for r in old],
                    )
                for chunk in _chunks([r.id for r in old]):
                    conn.execute(statement_topics.delete().where(statement_topics.c.statement_id.in_(chunk)))
                    conn.execute(statement_subjects.delete().where(statement_subjects.c.statement_id.in_(chunk)))
                conn.execute(statements.delete().where(statements.c.document_id == doc_id))
                self._write_statements(conn, [(doc_id, found)])
                conn.execute(update(documents).where(documents.c.id == doc_id).values(extractor=extractor))
                self._changed(conn, "link", "topics", "subjects")
        except (IntegrityError, OperationalError) as exc:
            raise StoreError(f"document {doc_id}: cannot replace its statements ({exc.orig})") from exc

    def stale_documents(self, extractor: str | Mapping[str, str]) -> list[int]:
        """Ids of the documents whose statements another extractor version found: another than
        ``extractor``, or than the one for the document's language (``{"en": …, "ru": …}``; a
        language the mapping does not name is always stale)."""
        if isinstance(extractor, str):
            current = documents.c.extractor == extractor
        else:
            current = or_(
                false(), *((documents.c.lang == lang) & (documents.c.extractor == v) for lang, v in extractor.items())
            )
        query = select(documents.c.id).where(~current).order_by(documents.c.id)
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def _upsert(self, table):  # type: ignore[no-untyped-def]
        """An INSERT that can say ON CONFLICT on SQLite and PostgreSQL."""
        if self.is_sqlite:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        else:
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        return dialect_insert(table)

    def _insert_document(self, conn, document: Document, extractor: str) -> int | None:  # type: ignore[no-untyped-def]
        values = {**document.record(), "extractor": extractor, "ingested_at": _now()}
        # A text stored already, or by a concurrent writer, is skipped rather than an error.
        statement = self._upsert(documents).values(**values).on_conflict_do_nothing(index_elements=["content_hash"])
        return conn.execute(statement.returning(documents.c.id)).scalar()

    def _insert_statements(self, conn, rows: list[dict[str, object]]) -> list[int] | None:  # type: ignore[no-untyped-def]
        """Write statement rows; returns their ids in order, or None where COPY gives none (PostgreSQL)."""
        if not rows:
            return []
        if not self.is_sqlite:
            columns = list(rows[0])
            import psycopg

            cursor = conn.connection.driver_connection.cursor()
            try:
                with cursor.copy(f"COPY statements ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([row[c] for c in columns])
            except psycopg.errors.IntegrityError as exc:  # the driver's own error: give it SQLAlchemy's shape
                raise IntegrityError("COPY statements", None, exc) from exc
            return None
        # one executemany, then the ids by (document, index): RETURNING in parameter order would make
        # SQLAlchemy insert one row per statement
        conn.execute(insert(statements), rows)
        written: dict[tuple[int, int], int] = {}
        for chunk in _chunks(sorted({r["document_id"] for r in rows})):  # type: ignore[type-var]
            query = select(statements.c.document_id, statements.c.idx, statements.c.id)
            written.update(((d, i), n) for d, i, n in conn.execute(query.where(statements.c.document_id.in_(chunk))))
        ids = [written[(r["document_id"], r["idx"])] for r in rows]  # type: ignore[index]
        conn.execute(
            text("INSERT INTO statements_fts(rowid, content, speaker) VALUES (:id, :content, :speaker)"),
            [{"id": i, "content": r["content"], "speaker": r["speaker"] or ""} for i, r in zip(ids, rows, strict=True)],
        )
        return ids

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
            "act": s.act,
        }

    def _speaker_ids(self, conn, names: set[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
        if not names:
            return {}
        ordered = sorted(names)  # one lock order for concurrent writers
        conn.execute(
            self._upsert(speakers).on_conflict_do_nothing(index_elements=["name"]), [{"name": n} for n in ordered]
        )
        ids: dict[str, int] = {}
        for chunk in _chunks(ordered):
            ids.update(conn.execute(select(speakers.c.name, speakers.c.id).where(speakers.c.name.in_(chunk))).all())
        return ids

    def _write_statements(self, conn, fresh: Sequence[tuple[int, Sequence[Statement]]]) -> None:  # type: ignore[no-untyped-def]
        """Statements of stored documents, with their speakers and mention counts."""
        speaker_ids = self._speaker_ids(conn, {s.speaker for _, found in fresh for s in found if s.speaker})
        rows = [self._row(doc_id, s, speaker_ids) for doc_id, found in fresh for s in found]
        ids = self._insert_statements(conn, rows)
        self._count_mentions(
            conn, [(speaker_ids[s.speaker], s.speaker_mention) for _, found in fresh for s in found if s.speaker]
        )
        if ids is not None:  # the turns as written, with their ids: nothing to read back
            written = [
                (i, r["document_id"], r["content"], r["content_start"])
                for i, r in zip(ids, rows, strict=True)
                if r["kind"] == "turn"
            ]
            self._insert_passages(conn, written)
            return
        self._write_passages(conn, [doc_id for doc_id, found in fresh if any(s.kind == "turn" for s in found)])

    def _insert_passages(self, conn, turns: Sequence[tuple[int, int, str, int]]) -> None:  # type: ignore[no-untyped-def]
        """The passages of turn statements given as (statement id, document id, content, start)."""
        rows = passage_rows(turns)
        if rows:
            conn.execute(insert(passages), rows)

    def _write_passages(self, conn, doc_ids: Sequence[int]) -> None:  # type: ignore[no-untyped-def]
        """The passages of these documents' turn statements (just written: read back for their ids,
        which COPY does not return)."""
        for chunk in _chunks(list(doc_ids)):
            turns = conn.execute(
                select(statements.c.id, statements.c.document_id, statements.c.content, statements.c.content_start)
                .where(statements.c.document_id.in_(chunk), statements.c.kind == "turn")
                .order_by(statements.c.id)
            ).all()
            self._insert_passages(conn, [tuple(r) for r in turns])  # type: ignore[misc]

    def _count_mentions(self, conn, pairs: Sequence[tuple[int | None, str | None]], taken_back: bool = False) -> None:  # type: ignore[no-untyped-def]
        """Add (or, for replaced statements, take back) how often each speaker went by each mention."""
        counts: dict[tuple[int, str], int] = {}
        for speaker_id, mention in pairs:
            if speaker_id is not None and mention:
                counts[(speaker_id, mention)] = counts.get((speaker_id, mention), 0) + 1
        if not counts:
            return
        sign = -1 if taken_back else 1
        upsert = self._upsert(speaker_mentions)
        conn.execute(
            upsert.on_conflict_do_update(
                index_elements=["speaker_id", "mention"],
                set_={"count": speaker_mentions.c.count + upsert.excluded.count},
            ),
            [{"speaker_id": i, "mention": m, "count": sign * n} for (i, m), n in sorted(counts.items())],
        )
        if taken_back:
            conn.execute(speaker_mentions.delete().where(speaker_mentions.c.count <= 0))

    # -- reading -------------------------------------------------------------------------
    def documents(self, limit: int | None = None, newest_first: bool = False) -> list[DocumentInfo]:
        count = select(func.count(statements.c.id)).where(statements.c.document_id == documents.c.id).scalar_subquery()
        order = (documents.c.date.desc(), documents.c.id.desc()) if newest_first else (documents.c.date, documents.c.id)
        query = select(*_DOC_INFO, count).order_by(*order).limit(limit)
        with self.engine.connect() as conn:
            return [DocumentInfo(*row) for row in conn.execute(query)]

    def document(self, ref: str | int) -> tuple[Document, DocumentInfo, list[Statement]]:
        """A document by id, source path, own key or content-hash prefix (at least 8 characters)."""
        ref = str(ref)
        conditions = [documents.c.source == ref, documents.c.key == ref]
        if ref.isdigit() and len(ref) < 19:  # beyond that, no database integer
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
            lang=row["lang"],
            # a transcript's turns are its turn statements: label, content and who the label names
            turns=tuple(
                Turn(s.speaker_mention or "", s.speaker_span, s.content_span, s.speaker)
                for s in found
                if s.kind == "turn" and s.speaker_span is not None
            ),
            meta=json.loads(row["meta"] or "{}"),
        )
        info = DocumentInfo(*(row[c.name] for c in _DOC_INFO), statements=len(found))
        return doc, info, found

    def statements(self, query: Query = Query()) -> list[StoredStatement]:
        return list(self.iter_statements(query))

    def iter_statements(self, query: Query = Query()) -> Iterator[StoredStatement]:
        stmt = (
            select(statements, identities.c.name.label("identity"), *[c.label(f"doc_{c.name}") for c in _DOC_INFO])
            .join(documents, documents.c.id == statements.c.document_id)
            .outerjoin(identities, identities.c.id == statements.c.identity_id)
        )
        conditions = []
        if query.speaker:
            like = f"%{query.speaker}%"
            conditions.append(
                or_(
                    statements.c.speaker.ilike(like),
                    statements.c.speaker_mention.ilike(like),
                    identities.c.name.ilike(like),
                )
            )
        if query.identity:
            conditions.append(identities.c.name == query.identity)
        if query.topic:
            conditions.append(
                statements.c.id.in_(
                    select(statement_topics.c.statement_id).where(statement_topics.c.topic == query.topic)
                )
            )
        if query.since:
            conditions.append(documents.c.date >= query.since)
        if query.until:
            conditions.append(documents.c.date <= query.until)
        if query.kind:
            conditions.append(statements.c.kind == query.kind)
        if query.acts is not None:  # the SQL form of model.visible: author rows stay whatever their act
            conditions.append(or_(statements.c.act.in_(list(query.acts)), statements.c.kind == "author"))
        if query.document_id is not None:
            conditions.append(statements.c.document_id == query.document_id)
        elif not query.copies:
            conditions.append(_not_a_copy())
        if query.outlet:
            conditions.append(documents.c.outlet.ilike(f"%{query.outlet}%"))
        if query.lang:
            conditions.append(documents.c.lang == query.lang)
        if query.search:
            match = _fts_query(query.search)
            if not match:
                return
            if self.is_sqlite:
                ids = text("SELECT rowid FROM statements_fts WHERE statements_fts MATCH :q").bindparams(q=match)
                conditions.append(statements.c.id.in_(ids))
            else:  # PostgreSQL: the generated tsvector column and its GIN index
                words = " ".join(re.findall(r"\w+", query.search))
                conditions.append(
                    text("statements.search_vector @@ plainto_tsquery('english', :q)").bindparams(q=words)
                )
        stmt = stmt.where(and_(true(), *conditions)).order_by(documents.c.date, documents.c.id, statements.c.idx)
        stmt = stmt.limit(query.limit).offset(query.offset or None)
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).mappings()
                while chunk := rows.fetchmany(500):
                    topics = self._topics_of(conn, [row["id"] for row in chunk])
                    for row in chunk:
                        info = DocumentInfo(*(row[f"doc_{c.name}"] for c in _DOC_INFO))
                        yield StoredStatement(
                            row["id"], info, self._statement(row), row["identity"], topics.get(row["id"], ())
                        )
        except OperationalError as exc:
            raise StoreError(f"query failed: {exc.orig}") from exc

    @staticmethod
    def _topics_of(conn, ids: list[int]) -> dict[int, tuple[tuple[str, float], ...]]:  # type: ignore[no-untyped-def]
        found: dict[int, list[tuple[str, float]]] = {}
        for statement_id, topic, score in conn.execute(
            select(statement_topics.c.statement_id, statement_topics.c.topic, statement_topics.c.score)
            .where(statement_topics.c.statement_id.in_(ids))
            .order_by(statement_topics.c.score.desc())
        ):
            found.setdefault(statement_id, []).append((topic, score))
        return {i: tuple(t) for i, t in found.items()}

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
            act=row["act"],
        )

    def speakers(self, limit: int | None = None, name: str | None = None) -> list[SpeakerInfo]:
        """Speakers across documents (one per identity; names not linked yet stand alone), with
        statement and document counts, the names documents use and the mentions, most active first."""
        key = func.coalesce(identities.c.name, statements.c.speaker).label("key")
        query = (
            select(
                key,
                func.max(identities.c.kind).label("kind"),
                func.count().label("n"),
                func.count(func.distinct(statements.c.document_id)).label("docs"),
            )
            .select_from(statements.outerjoin(identities, identities.c.id == statements.c.identity_id))
            .where(key.is_not(None), _not_a_copy())
            .group_by(key)
            .order_by(func.count().desc(), key)
            .limit(limit)
        )
        if name is not None:
            query = query.having(key == name)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            keys = [row.key for row in rows]
            variants: dict[str, set[str]] = {}
            mentions: dict[str, dict[str, int]] = {}
            if keys:
                speaker_key = func.coalesce(identities.c.name, speakers.c.name)
                linked = (
                    select(speaker_key, speakers.c.name, speaker_mentions.c.mention, speaker_mentions.c.count)
                    .select_from(
                        speakers.outerjoin(identity_links, identity_links.c.speaker_id == speakers.c.id)
                        .outerjoin(identities, identities.c.id == identity_links.c.identity_id)
                        .outerjoin(speaker_mentions, speaker_mentions.c.speaker_id == speakers.c.id)
                    )
                    .where(speaker_key.in_(keys))
                )
                for owner, variant, mention, n in conn.execute(linked):
                    variants.setdefault(owner, set()).add(variant)
                    if mention:
                        counts = mentions.setdefault(owner, {})
                        counts[mention] = counts.get(mention, 0) + n
        return [
            SpeakerInfo(
                row.key,
                row.n,
                row.docs,
                tuple(sorted(mentions.get(row.key, {}).items(), key=lambda m: (-m[1], m[0]))),
                tuple(sorted(variants.get(row.key, set()) - {row.key})),
                row.kind or "person",
            )
            for row in rows
        ]

    # -- identities across documents -----------------------------------------------------
    def speaker_names(self) -> dict[str, int]:
        """Every document-level speaker name with its number of statements."""
        query = (
            select(speakers.c.name, func.count(statements.c.id))
            .outerjoin(statements, statements.c.speaker_id == speakers.c.id)
            .group_by(speakers.c.name)
        )
        with self.engine.connect() as conn:
            return {name: n for name, n in conn.execute(query)}

    def dated_mentions(self, names: Sequence[str] = ()) -> list[tuple[int, str | None, str | None, str | None]]:
        """(statement id, speaker, mention, date) of statements with no speaker name but a mention,
        and of those by ``names`` (offices, whose holder depends on the date)."""
        condition = and_(statements.c.speaker.is_(None), statements.c.speaker_mention.is_not(None))
        if names:
            condition = or_(condition, statements.c.speaker.in_(list(names)))
        query = select(statements.c.id, statements.c.speaker, statements.c.speaker_mention, documents.c.date).join(
            documents, documents.c.id == statements.c.document_id
        )
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query.where(condition))]  # type: ignore[misc]

    def save_links(self, by_name: dict[str, Link], by_statement: dict[int, Link], kinds: dict[str, str]) -> None:
        """Record what each speaker name (and each dated mention) links to, in one transaction."""
        wanted = {link.identity for link in (*by_name.values(), *by_statement.values()) if link.identity}
        with self.engine.begin() as conn:
            known = dict(conn.execute(select(identities.c.name, identities.c.id)).all())
            missing = sorted(wanted - known.keys())
            if missing:
                conn.execute(
                    self._upsert(identities).on_conflict_do_nothing(index_elements=["name"]),
                    [{"name": n, "kind": kinds.get(n, "person")} for n in missing],
                )
                known = dict(conn.execute(select(identities.c.name, identities.c.id)).all())
            kind_rows = [{"iid": known[n], "new_kind": kinds.get(n, "person")} for n in sorted(wanted & known.keys())]
            if kind_rows:
                conn.execute(
                    identities.update().where(identities.c.id == bindparam("iid")).values(kind=bindparam("new_kind")),
                    kind_rows,
                )
            speaker_ids = dict(conn.execute(select(speakers.c.name, speakers.c.id)).all())
            conn.execute(identity_links.delete())
            link_rows = [
                {
                    "speaker_id": speaker_ids[name],
                    "identity_id": known.get(link.identity) if link.identity else None,
                    "how": link.how,
                    "candidates": json.dumps(list(link.candidates)),
                }
                for name, link in by_name.items()
                if name in speaker_ids
            ]
            if link_rows:
                conn.execute(insert(identity_links), link_rows)
            # one pass: a statement without a speaker name finds no link and gets NULL
            conn.execute(
                text(
                    "UPDATE statements SET identity_id = (SELECT identity_id FROM identity_links"
                    " WHERE identity_links.speaker_id = statements.speaker_id)"
                )
            )
            dated = [{"sid": sid, "iid": known[link.identity]} for sid, link in by_statement.items() if link.identity]
            if dated:
                conn.execute(
                    statements.update().where(statements.c.id == bindparam("sid")).values(identity_id=bindparam("iid")),
                    dated,
                )
            unused = select(identities.c.id).where(
                ~identities.c.id.in_(select(statements.c.identity_id).where(statements.c.identity_id.is_not(None))),
                ~identities.c.id.in_(
                    select(identity_links.c.identity_id).where(identity_links.c.identity_id.is_not(None))
                ),
            )
            conn.execute(identities.delete().where(identities.c.id.in_(unused)))
            self._changed(conn, "subjects")  # a statement whose speaker changed is placed again

    def ambiguous_names(self) -> list[tuple[str, int, tuple[str, ...]]]:
        """Speaker names that could be several people: (name, statements, candidates)."""
        query = (
            select(speakers.c.name, func.count(statements.c.id), identity_links.c.candidates)
            .join(identity_links, identity_links.c.speaker_id == speakers.c.id)
            .outerjoin(statements, statements.c.speaker_id == speakers.c.id)
            .where(identity_links.c.how == "ambiguous")
            .group_by(speakers.c.name, identity_links.c.candidates)
            .order_by(func.count(statements.c.id).desc(), speakers.c.name)
        )
        with self.engine.connect() as conn:
            return [(name, n, tuple(json.loads(c))) for name, n, c in conn.execute(query)]

    def registries(self) -> list[tuple[str, str, str, str]]:
        """Imported registries as (source, format, text, imported_at), in import order."""
        query = select(
            registry_files.c.source, registry_files.c.format, registry_files.c.text, registry_files.c.imported_at
        ).order_by(registry_files.c.id)
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]

    def save_registry(self, source: str, format: str, content: str) -> None:
        """Keep a registry's text; importing the same source again replaces it."""
        with self.engine.begin() as conn:
            conn.execute(registry_files.delete().where(registry_files.c.source == source))
            conn.execute(insert(registry_files).values(source=source, format=format, text=content, imported_at=_now()))
            self._changed(conn, "link")

    def remove_registry(self, source: str) -> bool:
        """Forget an imported registry; False when no registry came from ``source``."""
        with self.engine.begin() as conn:
            removed = bool(conn.execute(registry_files.delete().where(registry_files.c.source == source)).rowcount)
            if removed:
                self._changed(conn, "link")
            return removed

    def edits(self) -> dict[str, str]:
        """Users' merges and aliases: name -> the identity it belongs to."""
        with self.engine.connect() as conn:
            return dict(conn.execute(select(speaker_edits.c.name, speaker_edits.c.target)).all())

    def save_edit(self, name: str, target: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(speaker_edits.delete().where(speaker_edits.c.name == name))
            conn.execute(insert(speaker_edits).values(name=name, target=target, created_at=_now()))
            self._changed(conn, "link")

    def remove_edit(self, name: str) -> bool:
        with self.engine.begin() as conn:
            removed = bool(conn.execute(speaker_edits.delete().where(speaker_edits.c.name == name)).rowcount)
            if removed:
                self._changed(conn, "link")
            return removed

    # -- passages: the speakers' own words, for trace (schema 8) ---------------------------
    def passage_search(
        self,
        words: Sequence[str],
        speakers: Sequence[str] | None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 100,
    ) -> list[Passage]:
        """Passages (transcript turns cut to paragraph size) sharing any of ``words``, most alike first
        (:meth:`passage_ranking`, then :meth:`passages`)."""
        return self.passages([i for i, _ in self.passage_ranking(words, speakers, since, until, limit)])

    def passage_ranking(
        self,
        words: Sequence[str],
        speakers: Sequence[str] | None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 100,
    ) -> list[tuple[int, str]]:
        """(id, text) of the passages sharing any of ``words``, most alike first: FTS5 ``bm25()`` on
        SQLite (from each word's scores, kept: ``fts.Postings``), ``ts_rank`` on PostgreSQL. Only passages
        by ``speakers`` (identities, or speaker names not linked to one; None: anyone) in documents dated
        ``since``..``until``."""
        if not self.is_sqlite:
            return self._ts_ranking(words, speakers, since, until, limit)
        found = fts.phrases(words)
        if not found or self._postings is None:
            return []
        postings = self._postings.read(self.engine.connect, found)
        shape, filters = _filters(speakers, since, until)
        ranked: list[tuple[int, str]] = []
        with self.engine.connect() as conn:
            for n, batch in enumerate(fts.ranked(postings, found, fts.FIRST_BATCH * limit)):
                if n:  # few of the best pass the filters (a speaker with little on record): all that pass
                    allowed = np.fromiter(conn.execute(_passage_ids(*shape), filters).scalars(), np.int64)
                    batch = batch[np.isin(batch, allowed)][: limit - len(ranked)]
                ids = batch.tolist()
                texts = dict(conn.execute(_passage_texts(shape), {**filters, "ids": json.dumps(ids)}).all())
                ranked += [(i, texts[i]) for i in ids if i in texts]
                if len(ranked) >= limit:
                    break
        return ranked[:limit]

    def _ts_ranking(
        self, words: Sequence[str], speakers: Sequence[str] | None, since: str | None, until: str | None, limit: int
    ) -> list[tuple[int, str]]:
        """:meth:`passage_ranking` on PostgreSQL: the best matches of anyone first, then the filters on those
        alone (joining every match, tens of thousands for a common word, costs more than ranking them); when
        too few of them pass (a speaker with little on record), the filters over every match."""
        terms = [w for word in words for w in re.findall(r"\w+", word)]
        if not terms:
            return []
        shape, filters = _filters(speakers, since, until)
        found: list[tuple[int, str]] = []
        for reach in (3 * limit, None):
            with self.engine.connect() as conn:
                rows = conn.execute(_ts_ranked(shape, reach, limit), {"terms": " or ".join(terms), **filters})
                found = [(i, t) for i, t, _ in rows]
            if len(found) == limit:
                break
        return found

    def speaker_passages(
        self,
        speakers: Sequence[str] | None,
        since: str | None = None,
        until: str | None = None,
        langs: Sequence[str] | None = None,
        other_langs: bool = False,
    ) -> list[Passage]:
        """Every passage by ``speakers`` in the date range, in documents of ``langs`` (or, with
        ``other_langs``, of any language but those), in the order they were said."""
        shape, filters = _filters(speakers, since, until)
        query = _passage_ids(*shape)
        if langs is not None:
            chosen = documents.c.lang.in_(list(langs))
            documents_of = select(documents.c.id).where(
                or_(~chosen, documents.c.lang.is_(None)) if other_langs else chosen
            )
            with self.engine.connect() as conn:  # most stores hold one language: nothing to look through
                if conn.execute(documents_of.limit(1)).first() is None:
                    return []
            query = query.where(passages.c.document_id.in_(documents_of))
        with self.engine.connect() as conn:
            ids = list(
                conn.execute(
                    query.order_by(documents.c.date, documents.c.id, passages.c.content_start), filters
                ).scalars()
            )
        return self.passages(ids)

    def passage_count(self, speakers: Sequence[str] | None, since: str | None = None, until: str | None = None) -> int:
        """How many passages by ``speakers`` in the date range there are to search."""
        shape, filters = _filters(speakers, since, until)
        with self.engine.connect() as conn:
            return conn.execute(_passage_ids(*shape).with_only_columns(func.count()), filters).scalar_one()

    def passages(self, ids: Sequence[int]) -> list[Passage]:
        """The passages of these ids, in their order, with who said them (the identity, else the
        name in the document), where, when, and the turn before when someone else spoke it (the
        question). Ranked and limited first, then read: the details cost per passage read."""
        try:
            with self.engine.connect() as conn:
                rows = {}
                for chunk in _chunks(ids):
                    rows.update({r.id: r for r in conn.execute(_passage_details(), {"ids": list(chunk)})})
        except OperationalError as exc:
            raise StoreError(f"passage query failed: {exc.orig}") from exc
        return [
            Passage(
                r.source,
                r.speaker,
                Span(r.content_start, r.content_end),
                r.text,
                r.date,
                r.document_id,
                r.before if r.before is not None and r.before_speaker != r.speaker else None,
            )
            for r in map(rows.__getitem__, ids)
        ]

    # -- topics and embeddings -------------------------------------------------------------
    def vectors(self, keys: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(keys):
                found.update(
                    conn.execute(select(embeddings.c.key, embeddings.c.vector).where(embeddings.c.key.in_(chunk))).all()
                )
        return found

    def save_vectors(self, vectors: dict[str, bytes]) -> None:
        if not vectors:
            return
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    self._upsert(embeddings).on_conflict_do_nothing(index_elements=["key"]),
                    [{"key": k, "vector": v} for k, v in sorted(vectors.items())],
                )
        except OperationalError as exc:  # a read-only file, a full disk, a locked database
            raise StoreError(f"cannot write to the database: {exc.orig}") from exc

    def statements_for_topics(self, version: str) -> list[tuple[int, str]]:
        """(id, content) of statements whose topics did not come from taxonomy ``version``."""
        query = (
            select(statements.c.id, statements.c.content)
            .where(or_(statements.c.topics_version.is_(None), statements.c.topics_version != version))
            .order_by(statements.c.id)
        )
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]

    def save_topics(self, topics: dict[int, list[tuple[str, float]]], version: str) -> None:
        """Replace the topics of these statements (id -> [(topic, score)]) and mark them done by ``version``."""
        ids = list(topics)
        with self.engine.begin() as conn:
            for chunk in _chunks(ids):
                conn.execute(statement_topics.delete().where(statement_topics.c.statement_id.in_(chunk)))
                conn.execute(statements.update().where(statements.c.id.in_(chunk)).values(topics_version=version))
            rows = [
                {"statement_id": i, "topic": t, "score": score} for i, found in topics.items() for t, score in found
            ]
            if rows:
                upsert = self._upsert(statement_topics)
                conn.execute(
                    upsert.on_conflict_do_update(
                        index_elements=["statement_id", "topic"], set_={"score": upsert.excluded.score}
                    ),
                    rows,
                )
            self._changed(conn)

    def topic_counts(self) -> list[tuple[str, int, int]]:
        """(topic, statements, speakers) for every assigned topic, most used first."""
        query = (
            select(
                statement_topics.c.topic,
                func.count(),
                func.count(func.distinct(statements.c.identity_id)),
            )
            .join(statements, statements.c.id == statement_topics.c.statement_id)
            .where(_not_a_copy())
            .group_by(statement_topics.c.topic)
            .order_by(func.count().desc(), statement_topics.c.topic)
        )
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]

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

    # -- subjects ---------------------------------------------------------------------------------
    def statements_for_subjects(
        self, identity: int | None = None
    ) -> list[tuple[int, int, str, str, str | None, int, str | None]]:
        """(statement id, identity id, identity name, content, date, document id, document language) of
        the statements with a speaker identity that are not placed in a subject yet, or were placed
        under another identity; in the order they were said. With ``identity``: all of that identity's
        statements, placed or not (its subjects are being built again)."""
        placed = select(statement_subjects.c.statement_id).where(
            statement_subjects.c.statement_id == statements.c.id,
            statement_subjects.c.identity_id == statements.c.identity_id,
        )
        query = (
            select(
                statements.c.id,
                statements.c.identity_id,
                identities.c.name,
                statements.c.content,
                documents.c.date,
                documents.c.id,
                documents.c.lang,
            )
            .join(identities, identities.c.id == statements.c.identity_id)
            .join(documents, documents.c.id == statements.c.document_id)
            .where(~placed.exists() if identity is None else statements.c.identity_id == identity)
            .order_by(identities.c.name, documents.c.date, documents.c.id, statements.c.idx)
        )
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]

    def holds_language(self, langs: Sequence[str]) -> bool:
        """Whether any stored document is in one of ``langs``."""
        query = select(documents.c.id).where(documents.c.lang.in_(list(langs))).limit(1)
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def placed_languages(self, identity_ids: Sequence[int]) -> dict[int, set[str]]:
        """Identity id -> the languages of the documents its statements placed in subjects come from
        (statements placed under it, in a subject or in none)."""
        found: dict[int, set[str]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(set(identity_ids))):
                query = (
                    select(statement_subjects.c.identity_id, documents.c.lang)
                    .join(statements, statements.c.id == statement_subjects.c.statement_id)
                    .join(documents, documents.c.id == statements.c.document_id)
                    .where(statement_subjects.c.identity_id.in_(chunk))
                    .distinct()
                )
                for identity, lang in conn.execute(query):
                    found.setdefault(identity, set()).add(lang or "en")
        return found

    def subject_states(self, speaker: str) -> list[SubjectState]:
        """A speaker's subjects as the placing of new statements needs them."""
        query = select(subjects).where(subjects.c.speaker == speaker).order_by(subjects.c.id)
        with self.engine.connect() as conn:
            return [
                SubjectState(
                    row.id, row.speaker, row.name, row.centroid, row.size, tuple(json.loads(row.phrases).items())
                )
                for row in conn.execute(query)
            ]

    def save_subjects(
        self,
        states: Sequence[SubjectState],
        placed: Sequence[tuple[int, int, int | None]],
        *,
        replacing: str | None = None,
    ) -> None:
        """Store subjects (insert those without an id, update the others) and place statements in
        them, in one transaction: ``placed`` holds (statement id, identity id, index into ``states``
        or None for a statement about nothing in particular). ``replacing``: a speaker whose stored
        subjects these replace (deleted first, with their placings)."""
        try:
            with self.engine.begin() as conn:
                if replacing is not None:
                    gone = select(subjects.c.id).where(subjects.c.speaker == replacing)
                    conn.execute(statement_subjects.delete().where(statement_subjects.c.subject_id.in_(gone)))
                    conn.execute(subjects.delete().where(subjects.c.speaker == replacing))
                ids: list[int] = []
                for state in states:
                    values = {
                        "speaker": state.speaker,
                        "name": state.name,
                        "centroid": state.centroid,
                        "size": state.size,
                        "phrases": json.dumps(dict(state.phrases)),
                    }
                    if state.id is None:
                        ids.append(
                            conn.execute(subjects.insert().values(**values).returning(subjects.c.id)).scalar_one()
                        )
                    else:
                        conn.execute(subjects.update().where(subjects.c.id == state.id).values(**values))
                        ids.append(state.id)
                for chunk in _chunks([p[0] for p in placed]):
                    conn.execute(statement_subjects.delete().where(statement_subjects.c.statement_id.in_(chunk)))
                rows = [
                    {"statement_id": sid, "identity_id": iid, "subject_id": None if k is None else ids[k]}
                    for sid, iid, k in placed
                ]
                if rows:
                    conn.execute(insert(statement_subjects), rows)
                self._changed(conn)
        except (IntegrityError, OperationalError) as exc:
            raise StoreError(f"cannot store subjects: {exc.orig}") from exc

    def subjects(
        self, speaker: str, *, since: str | None = None, acts: tuple[str, ...] | None = None
    ) -> list[SubjectInfo]:
        """A speaker's subjects with their statements (of ``acts``; None: all) from ``since`` on,
        first and last dates and topics; the busiest first."""
        conditions = [subjects.c.speaker == speaker]
        if since:
            conditions.append(documents.c.date >= since)
        if acts is not None:
            conditions.append(or_(statements.c.act.in_(list(acts)), statements.c.kind == "author"))
        base = (
            select(subjects.c.id)
            .join(statement_subjects, statement_subjects.c.subject_id == subjects.c.id)
            .join(statements, statements.c.id == statement_subjects.c.statement_id)
            .join(documents, documents.c.id == statements.c.document_id)
            .where(*conditions)
        )
        counts = base.with_only_columns(
            subjects.c.id,
            subjects.c.name,
            subjects.c.phrases,
            func.count(),
            func.min(documents.c.date),
            func.max(documents.c.date),
        ).group_by(subjects.c.id, subjects.c.name, subjects.c.phrases)
        topics = (
            base.with_only_columns(subjects.c.id, statement_topics.c.topic, func.count())
            .join(statement_topics, statement_topics.c.statement_id == statements.c.id)
            .group_by(subjects.c.id, statement_topics.c.topic)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(counts).all()
            by_subject: dict[int, list[tuple[str, int]]] = {}
            for sid, topic, n in conn.execute(topics):
                by_subject.setdefault(sid, []).append((topic, n))
        found = []
        for sid, name, phrases, n, first, last in rows:
            ranked = sorted(json.loads(phrases).items(), key=lambda p: (-p[1], p[0]))
            found.append(
                SubjectInfo(
                    sid,
                    speaker,
                    name,
                    n,
                    first,
                    last,
                    tuple(sorted(by_subject.get(sid, []), key=lambda t: (-t[1], t[0]))),
                    tuple(dict.fromkeys([name, *(p for p, _ in ranked[:5])])),
                )
            )
        return sorted(found, key=lambda s: (-s.statements, s.name, s.id))

    def subject_months(self, speaker: str, acts: tuple[str, ...] | None = None) -> list[tuple[int, str, int]]:
        """(subject id, month YYYY-MM, statements) of a speaker's dated statements (of ``acts``; None: all)."""
        # literal bounds: the same expression in SELECT and GROUP BY (bound parameters would differ on PostgreSQL)
        month = func.substr(documents.c.date, literal_column("1"), literal_column("7"))
        conditions = [subjects.c.speaker == speaker, documents.c.date.is_not(None)]
        if acts is not None:
            conditions.append(or_(statements.c.act.in_(list(acts)), statements.c.kind == "author"))
        query = (
            select(subjects.c.id, month, func.count())
            .join(statement_subjects, statement_subjects.c.subject_id == subjects.c.id)
            .join(statements, statements.c.id == statement_subjects.c.statement_id)
            .join(documents, documents.c.id == statements.c.document_id)
            .where(*conditions)
            .group_by(subjects.c.id, month)
        )
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query)]  # type: ignore[misc]

    def subject_of(self, ids: Sequence[int]) -> dict[int, tuple[int, str]]:
        """Statement id -> (subject id, subject name), for the statements placed in a subject."""
        found: dict[int, tuple[int, str]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(list(ids)):
                query = (
                    select(statement_subjects.c.statement_id, subjects.c.id, subjects.c.name)
                    .join(subjects, subjects.c.id == statement_subjects.c.subject_id)
                    .where(statement_subjects.c.statement_id.in_(chunk))
                )
                found.update({sid: (subject, name) for sid, subject, name in conn.execute(query)})
        return found

    # -- what changed, and the work left to do ----------------------------------------------
    def data_version(self) -> int:
        """A number that grows with every committed write; a cached view is stale when it moved."""
        with self.engine.connect() as conn:
            return conn.execute(select(store_state.c.value).where(store_state.c.key == "data_version")).scalar_one()

    def pending(self) -> frozenset[str]:
        """Tasks (``link``, ``topics``) that stored statements still need, e.g. after a killed ingest."""
        with self.engine.connect() as conn:
            keys = conn.execute(select(store_state.c.key).where(store_state.c.key.startswith("pending:"))).scalars()
            return frozenset(key.removeprefix("pending:") for key in keys)

    @contextmanager
    def exclusive(self, task: str) -> Iterator[None]:
        """Run the block as the only process doing ``task`` on this database: a PostgreSQL advisory
        lock, waited for. Two ingests that both place the new statements in subjects would otherwise
        each write the same rows. SQLite's writers are serialised by its file lock already."""
        if self.is_sqlite:
            yield
            return
        key = TASK_LOCKS[task]
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)").bindparams(key=key))
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)").bindparams(key=key))

    def finished(self, task: str, as_of: int) -> None:
        """Clear ``task``'s pending mark, unless a write after data version ``as_of`` (which the task
        did not see) set it again."""
        with self.engine.begin() as conn:
            conn.execute(
                store_state.delete().where(store_state.c.key == f"pending:{task}", store_state.c.value <= as_of)
            )

    def _changed(self, conn, *tasks: str) -> None:  # type: ignore[no-untyped-def]
        """Count a write, and mark ``tasks`` pending, inside the writer's transaction (last, so the
        row lock on the counter is held only until the commit that follows)."""
        version = conn.execute(
            update(store_state)
            .where(store_state.c.key == "data_version")
            .values(value=store_state.c.value + 1)
            .returning(store_state.c.value)
        ).scalar_one()
        if tasks:  # one statement for all of them, in one lock order
            upsert = self._upsert(store_state)
            conn.execute(
                upsert.on_conflict_do_update(index_elements=["key"], set_={"value": upsert.excluded.value}),
                [{"key": f"pending:{task}", "value": version} for task in sorted(tasks)],
            )

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str = "sqlite:///onrecord.db") -> Store:
    """Open (creating and migrating as needed) the database at a SQLAlchemy ``url``."""
    url = _normalise_url(url)
    try:
        engine = create_engine(url, future=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        previous = _migrate(engine)
    except (SQLAlchemyError, ModuleNotFoundError) as exc:
        raise StoreError(f"cannot open the database {url!r}: {exc}; check the --db URL") from exc
    if previous > LATEST:
        raise StoreError(f"the database {url!r} was made by a newer onrecord (schema {previous}); upgrade onrecord")
    return Store(engine)


MIGRATION_LOCK = 7_355_608  # a PostgreSQL advisory lock key: one process migrates at a time
TASK_LOCKS = {"subjects": 7_355_609}  # and the tasks one process at a time does (Store.exclusive)


def _migrate(engine: Engine) -> int:
    """Migrate, one process at a time: PostgreSQL waits on an advisory lock; SQLite writers are
    serialised by the file lock, and a process that lost the race to create a table tries again."""
    for attempt in range(5):
        try:
            with engine.begin() as conn:
                if engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=MIGRATION_LOCK))
                return migrate(conn)
        except (OperationalError, IntegrityError):
            if attempt == 4 or engine.dialect.name == "postgresql":
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _chunks(values: Sequence, size: int = 500) -> Iterator[list]:  # type: ignore[type-arg]
    """``values`` in lists short enough for one ``IN (…)`` (SQLite limits bound parameters)."""
    for start in range(0, len(values), size):
        yield list(values[start : start + size])
