"""The store's part of watching sources: fetch validators, watched sources and their items,
alerts, and syndicated copies (MinHash signatures and LSH bands). Mixed into
:class:`~onrecord.store.Store`; like the rest of the store, the only place these tables are
written, always with bound parameters."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, case, func, insert, select, update

from onrecord.model import Alert, DocumentInfo, Evidence, FetchRecord, SourceStatus, WatchItem
from onrecord.store.schema import (
    alerts,
    document_copies,
    document_minhash,
    documents,
    fetched_urls,
    minhash_bands,
    pending_minhash,
    statements,
    store_state,
    watch_items,
    watch_sources,
)

_ALERTED = "watch:alerted_through"  # store_state key: alerts were looked for up to this document id
MAX_ITEM_ATTEMPTS = 3  # an item that failed this often is left failed (shown by watch --status)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class WatchRecords:
    """Methods over the schema-5 tables; needs ``engine``, ``_upsert`` and ``_changed`` of the Store."""

    engine: Engine

    # -- fetches --------------------------------------------------------------------------------
    def fetch_record(self, url: str) -> FetchRecord | None:
        """The last fetch of ``url``, or None when it was never fetched."""
        with self.engine.connect() as conn:
            row = conn.execute(select(fetched_urls).where(fetched_urls.c.url == url)).mappings().first()
        if row is None:
            return None
        return FetchRecord(
            row["url"],
            row["status"],
            row["etag"],
            row["last_modified"],
            row["content_hash"],
            row["document_id"],
            row["fetched_at"],
        )

    def save_fetch(self, record: FetchRecord) -> None:
        """Remember a fetch of ``record.url`` (replacing the previous one's validators)."""
        values = {
            "url": record.url,
            "status": record.status,
            "etag": record.etag,
            "last_modified": record.last_modified,
            "content_hash": record.content_hash,
            "document_id": record.document_id,
            "fetched_at": _now(),
        }
        upsert = self._upsert(fetched_urls).values(**values)  # type: ignore[attr-defined]
        with self.engine.begin() as conn:
            conn.execute(upsert.on_conflict_do_update(index_elements=["url"], set_={k: values[k] for k in values}))

    def document_id_of(self, content_hash: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).where(documents.c.content_hash == content_hash)).scalar()

    # -- watched sources and their items --------------------------------------------------------
    def watch(self, sources: Sequence[tuple[str, str]]) -> None:
        """Make sure each (url, kind) is a watched source (a known one keeps its history)."""
        if not sources:
            return
        rows = [{"url": u, "kind": k, "failures": 0, "documents": 0} for u, k in sources]
        upsert = self._upsert(watch_sources)  # type: ignore[attr-defined]
        with self.engine.begin() as conn:
            conn.execute(
                upsert.on_conflict_do_update(index_elements=["url"], set_={"kind": upsert.excluded.kind}), rows
            )

    def polled(self, url: str, error: str | None = None, added: int = 0) -> None:
        """Record the outcome of polling source ``url``: an error, or success and how many documents it added."""
        now = _now()
        values: dict[str, object] = {"polled_at": now, "documents": watch_sources.c.documents + added}
        if error is None:
            values.update(ok_at=now, error=None, error_at=None, failures=0)
        else:
            values.update(error=error, error_at=now, failures=watch_sources.c.failures + 1)
        with self.engine.begin() as conn:
            conn.execute(update(watch_sources).where(watch_sources.c.url == url).values(**values))

    def sources(self, urls: Sequence[str] | None = None) -> list[SourceStatus]:
        """Watched sources (only ``urls`` when given) with their last poll and pending items."""
        pending = (
            select(func.count())
            .where(watch_items.c.source == watch_sources.c.url, watch_items.c.state == "pending")
            .scalar_subquery()
        )
        query = select(watch_sources, pending.label("pending")).order_by(watch_sources.c.url)
        if urls is not None:
            query = query.where(watch_sources.c.url.in_(list(urls)))
        with self.engine.connect() as conn:
            return [
                SourceStatus(
                    r["url"],
                    r["kind"],
                    r["polled_at"],
                    r["ok_at"],
                    r["error"],
                    r["error_at"],
                    r["failures"],
                    r["documents"],
                    r["pending"],
                )
                for r in conn.execute(query).mappings()
            ]

    def add_items(self, source: str, items: Sequence[tuple[str, str | None]]) -> int:
        """Record the (item, link) pairs a feed lists as pending, in one transaction; items already
        known keep their state. Returns how many were new."""
        if not items:
            return 0
        now = _now()
        rows = [
            {"source": source, "item": item, "link": link, "state": "pending", "attempts": 0, "seen_at": now}
            for item, link in dict(items).items()
        ]
        with self.engine.begin() as conn:
            before = conn.execute(select(func.count()).where(watch_items.c.source == source)).scalar_one()
            conn.execute(
                self._upsert(watch_items).on_conflict_do_nothing(index_elements=["source", "item"]),  # type: ignore[attr-defined]
                rows,
            )
            after = conn.execute(select(func.count()).where(watch_items.c.source == source)).scalar_one()
        return after - before

    def pending_items(self, source: str) -> list[WatchItem]:
        """Items of ``source`` still to fetch: pending ones, and failed ones with attempts left, oldest first."""
        query = (
            select(watch_items)
            .where(
                watch_items.c.source == source,
                (watch_items.c.state == "pending")
                | ((watch_items.c.state == "failed") & (watch_items.c.attempts < MAX_ITEM_ATTEMPTS)),
            )
            .order_by(watch_items.c.seen_at, watch_items.c.item)
        )
        with self.engine.connect() as conn:
            return [_item(r) for r in conn.execute(query).mappings()]

    def items(self, source: str) -> list[WatchItem]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(watch_items).where(watch_items.c.source == source).order_by(watch_items.c.item)
            ).mappings()
            return [_item(r) for r in rows]

    def item_done(self, source: str, item: str, document_id: int | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(watch_items)
                .where(watch_items.c.source == source, watch_items.c.item == item)
                .values(state="done", error=None, document_id=document_id, attempts=watch_items.c.attempts + 1)
            )

    def item_failed(self, source: str, item: str, error: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(watch_items)
                .where(watch_items.c.source == source, watch_items.c.item == item)
                .values(state="failed", error=error, attempts=watch_items.c.attempts + 1)
            )

    # -- alerts ---------------------------------------------------------------------------------
    def add_alerts(self, found: Sequence[Alert], webhook: bool = False) -> list[int]:
        """Store alerts not raised before (by ``key``); returns the new ones' ids. With ``webhook``,
        each new alert is marked for delivery in the same transaction."""
        new: list[int] = []
        with self.engine.begin() as conn:
            for alert in found:
                statement = (
                    self._upsert(alerts)  # type: ignore[attr-defined]
                    .values(
                        key=alert.key,
                        kind=alert.kind,
                        created_at=_now(),
                        date=alert.date,
                        speaker=alert.speaker,
                        title=alert.title,
                        summary=alert.summary,
                        statement_id=alert.statement_id,
                        document_id=alert.document_id,
                        evidence=json.dumps([asdict(e) for e in alert.evidence]),
                        webhook_state="pending" if webhook else "none",
                        webhook_attempts=0,
                    )
                    .on_conflict_do_nothing(index_elements=["key"])
                )
                if (alert_id := conn.execute(statement.returning(alerts.c.id)).scalar()) is not None:
                    new.append(alert_id)
            if new:
                self._changed(conn)  # type: ignore[attr-defined]
        return new

    def alerts(
        self, limit: int | None = 100, ids: Sequence[int] | None = None, webhook_state: str | None = None
    ) -> list[Alert]:
        """Alerts, newest first (only ``ids``, or only those in ``webhook_state``, when given)."""
        query = (
            select(alerts, statements.c.idx.label("statement_index"))
            .outerjoin(statements, statements.c.id == alerts.c.statement_id)
            .order_by(alerts.c.id.desc())
            .limit(limit)
        )
        if ids is not None:
            query = query.where(alerts.c.id.in_(list(ids)))
        if webhook_state is not None:
            query = query.where(alerts.c.webhook_state == webhook_state)
        with self.engine.connect() as conn:
            return [_alert(r) for r in conn.execute(query).mappings()]

    def undigested_alerts(self) -> list[Alert]:
        """Alerts no digest has carried yet, oldest first."""
        query = (
            select(alerts, statements.c.idx.label("statement_index"))
            .outerjoin(statements, statements.c.id == alerts.c.statement_id)
            .where(alerts.c.digested_at.is_(None))
            .order_by(alerts.c.id)
        )
        with self.engine.connect() as conn:
            return [_alert(r) for r in conn.execute(query).mappings()]

    def digested(self, ids: Sequence[int]) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(alerts).where(alerts.c.id.in_(list(ids))).values(digested_at=_now()))

    def last_digest(self) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(func.max(alerts.c.digested_at))).scalar()

    def webhook_rounds(self, alert_id: int) -> int:
        """How many rounds tried to deliver alert ``alert_id`` so far."""
        with self.engine.connect() as conn:
            return conn.execute(select(alerts.c.webhook_attempts).where(alerts.c.id == alert_id)).scalar() or 0

    def webhook_result(self, alert_id: int, sent: bool, error: str | None = None, give_up: bool = False) -> None:
        """Record one round of delivery attempts of alert ``alert_id``; a failed one stays pending unless ``give_up``."""
        state = "sent" if sent else "failed" if give_up else "pending"
        with self.engine.begin() as conn:
            conn.execute(
                update(alerts)
                .where(alerts.c.id == alert_id)
                .values(webhook_state=state, webhook_error=error, webhook_attempts=alerts.c.webhook_attempts + 1)
            )

    # -- what alerts have been looked for ---------------------------------------------------------
    def alerted_through(self) -> int | None:
        """The last document id a watch looked for alerts in (None before the first watch)."""
        with self.engine.connect() as conn:
            return conn.execute(select(store_state.c.value).where(store_state.c.key == _ALERTED)).scalar()

    def set_alerted_through(self, doc_id: int) -> None:
        upsert = self._upsert(store_state).values(key=_ALERTED, value=doc_id)  # type: ignore[attr-defined]
        with self.engine.begin() as conn:
            conn.execute(upsert.on_conflict_do_update(index_elements=["key"], set_={"value": doc_id}))

    def documents_after(self, doc_id: int) -> list[int]:
        """Ids of the documents stored after ``doc_id``, in order."""
        with self.engine.connect() as conn:
            return list(
                conn.execute(select(documents.c.id).where(documents.c.id > doc_id).order_by(documents.c.id)).scalars()
            )

    def last_document_id(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.coalesce(func.max(documents.c.id), 0))).scalar_one()

    # -- syndicated copies -----------------------------------------------------------------------
    def unsigned_documents(self, limit: int = 200) -> list[tuple[int, str | None, bytes | None]]:
        """(id, text, signature) of documents not compared for syndication yet, oldest first: the
        signature stored with the document (``add(…, signature=…)``) and no text, or no signature
        and the text to sign."""
        query = (
            select(
                documents.c.id,
                case((pending_minhash.c.signature.is_(None), documents.c.text)),
                pending_minhash.c.signature,
            )
            .select_from(documents.outerjoin(pending_minhash, pending_minhash.c.document_id == documents.c.id))
            .where(~documents.c.id.in_(select(document_minhash.c.document_id)))
            .order_by(documents.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [(i, t, None if s is None else bytes(s)) for i, t, s in conn.execute(query)]

    @contextmanager
    def signing(self) -> Iterator[Connection]:
        """One transaction for comparing a run of documents (``analyse.syndication.mark_copies``), to
        pass as ``conn`` to ``band_candidates``, ``save_signature`` and ``story_of``: one commit for
        the run instead of one a document (on the whole trump corpus, 2.3 s of the 7.9 the
        comparison took after an ingest's workers had finished; issue 17). What it saved is derived
        data: on an error none of the run stays, and the next refresh compares those documents again."""
        with self.engine.begin() as conn:
            yield conn

    def _within(self, conn: Connection | None, write: bool = False) -> AbstractContextManager[Connection]:
        """``conn`` as it is (the caller's transaction), else a connection (a transaction to ``write``)."""
        if conn is not None:
            return nullcontext(conn)
        return self.engine.begin() if write else self.engine.connect()

    def band_candidates(self, bands: Sequence[str], conn: Connection | None = None) -> list[tuple[int, bytes]]:
        """(id, signature) of signed documents sharing at least one LSH band."""
        if not bands:
            return []
        ids = select(minhash_bands.c.document_id).where(minhash_bands.c.band.in_(list(bands))).distinct()
        query = (
            select(document_minhash.c.document_id, document_minhash.c.signature)
            .where(document_minhash.c.document_id.in_(ids))
            .order_by(document_minhash.c.document_id)
        )
        with self._within(conn) as conn:
            return [(i, bytes(s)) for i, s in conn.execute(query)]

    def save_signature(
        self,
        doc_id: int,
        signature: bytes,
        bands: Sequence[str],
        copy_of: tuple[int, float] | None = None,
        conn: Connection | None = None,
    ) -> None:
        """Keep a document's signature and bands (in place of the one stored with it, if any), and
        (``copy_of``: story id, similarity) mark it a copy; in ``conn``'s transaction when given."""
        with self._within(conn, write=True) as conn:
            conn.execute(pending_minhash.delete().where(pending_minhash.c.document_id == doc_id))
            inserted = conn.execute(
                self._upsert(document_minhash)  # type: ignore[attr-defined]
                .values(document_id=doc_id, signature=signature)
                .on_conflict_do_nothing(index_elements=["document_id"])
                .returning(document_minhash.c.document_id)
            ).scalar()
            if inserted is None:  # another process signed it first
                return
            if bands:
                conn.execute(insert(minhash_bands), [{"band": b, "document_id": doc_id} for b in bands])
            if copy_of is not None:
                story, similarity = copy_of
                story = (
                    conn.execute(
                        select(document_copies.c.story_id).where(document_copies.c.document_id == story)
                    ).scalar()
                    or story
                )  # a copy of a copy belongs to the first story
                conn.execute(insert(document_copies).values(document_id=doc_id, story_id=story, similarity=similarity))
                self._changed(conn)  # type: ignore[attr-defined]

    def story_of(self, doc_id: int, conn: Connection | None = None) -> int:
        """The story a document belongs to: the first document of its text (itself when it is no copy)."""
        with self._within(conn) as conn:
            story = conn.execute(
                select(document_copies.c.story_id).where(document_copies.c.document_id == doc_id)
            ).scalar()
        return story if story is not None else doc_id

    def appearances(self, doc_id: int) -> list[DocumentInfo]:
        """Every document of the story ``doc_id`` belongs to (the first, then its copies), when
        there is more than one; an empty list for a text that appeared once."""
        from onrecord.store.store import _DOC_INFO

        story = self.story_of(doc_id)
        members = select(document_copies.c.document_id).where(document_copies.c.story_id == story)
        query = (
            select(*_DOC_INFO)
            .where((documents.c.id == story) | documents.c.id.in_(members))
            .order_by(documents.c.date, documents.c.id)
        )
        with self.engine.connect() as conn:
            found = [DocumentInfo(*row) for row in conn.execute(query)]
        return found if len(found) > 1 else []


def _item(r) -> WatchItem:  # type: ignore[no-untyped-def]
    return WatchItem(r["source"], r["item"], r["link"], r["state"], r["attempts"], r["error"])


def _alert(r) -> Alert:  # type: ignore[no-untyped-def]
    evidence = tuple(Evidence(**e) for e in json.loads(r["evidence"] or "[]"))
    return Alert(
        key=r["key"],
        kind=r["kind"],
        title=r["title"],
        summary=r["summary"],
        speaker=r["speaker"],
        date=r["date"],
        statement_id=r["statement_id"],
        document_id=r["document_id"],
        statement_index=r["statement_index"],
        evidence=evidence,
        id=r["id"],
        created_at=r["created_at"],
        webhook_state=r["webhook_state"],
    )
