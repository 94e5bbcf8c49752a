"""Keep the record current: fetch URLs, poll a watchlist's sources, raise and deliver alerts.

Sits above the layers, like :mod:`onrecord.pipeline`: it composes ``ingest.fetch`` (the network),
the pipeline (extract, resolve), the store, ``analyse`` (syndication, alerts) and
:mod:`onrecord.deliver` (webhook, e-mail digest); the CLI's ``fetch`` and ``watch`` are thin shells
over :class:`Watcher`. A round of a watch, in order:

1. each source is polled on its own: an error (timeout, 4xx/5xx, not a feed, undecodable) is
   recorded for that source and the others go on;
2. a feed's items are recorded as pending in the store *before* any is fetched, then each is
   fetched, stored and marked done; the feed's validators are saved only once all its items are
   handled, so a watch killed mid-round finds the same items again (pending, or in the refetched
   feed) and loses none, while content hashes keep a document stored before the kill from being
   stored twice;
3. the stored statements get what they need (speaker links, topics, syndicated copies:
   ``analyse.refresh``);
4. alerts are looked for in every document stored since the last round that did so (a checkpoint
   in the store, moved only after the alerts are stored), and stored under unique keys;
5. alerts waiting for the webhook are delivered (signed, retried with back-off); a daily digest
   goes by e-mail when one is configured and due.
"""

from __future__ import annotations

import os
import re
import smtplib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from onrecord import deliver, safe_yaml
from onrecord.analyse import alerts as alerting
from onrecord.analyse import refresh
from onrecord.errors import FetchError, InputError, OnrecordError
from onrecord.extract import Extractor
from onrecord.ingest.fetch import Entry, Fetched, Fetcher, documents_of, feed_entries, is_feed
from onrecord.model import DEFAULT_ACTS, Document, FetchRecord, SourceStatus
from onrecord.pipeline import default_extractor, extractor_version, process
from onrecord.store import Store

__all__ = ["RoundReport", "Source", "Watcher", "Watchlist", "load_watchlist", "parse_every", "status"]

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, None: 60}


def parse_every(value: str) -> float:
    """``15m``, ``1h``, ``30s``, ``2d`` (a bare number is minutes) in seconds; ValueError otherwise."""
    found = _EVERY.match(str(value))
    if not found or float(found[1]) <= 0:
        raise ValueError("must be a duration such as 30s, 15m, 1h or 1d")
    return float(found[1]) * _UNITS[found[2]]


@dataclass(frozen=True, slots=True)
class Source:
    url: str
    kind: str = "auto"  # feed | page | auto (decided by what the server sends)


@dataclass(frozen=True, slots=True)
class Watchlist:
    """A watchlist file, checked: what to poll, whom to follow, where alerts go."""

    path: str
    sources: tuple[Source, ...]
    follow: alerting.Follow = field(default_factory=alerting.Follow)
    webhook: deliver.Webhook | None = None
    digest: deliver.Digest | None = None
    site: str = "http://127.0.0.1:8000"  # links in alerts point here (the web UI)
    every: float | None = None  # seconds, when the file says


_TOP = {"sources", "follow", "alert_on", "webhook", "digest", "site", "every"}


def load_watchlist(path: str | Path, environ: Mapping[str, str] | None = None, secrets: bool = True) -> Watchlist:
    """Read and check a watchlist (YAML, no aliases). InputError names the file and the problem.
    Without ``secrets`` (for ``watch --status``) the webhook's secret need not be set."""
    where = str(path)
    env: Mapping[str, str] = os.environ if environ is None else environ
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(where, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(where, f"cannot be read ({exc})") from None
    try:
        data = safe_yaml.load(raw)
    except safe_yaml.AliasRefused as exc:
        raise InputError(where, str(exc)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(where, f"not valid YAML{line}") from None
    if not isinstance(data, dict):
        raise InputError(where, "a watchlist is a YAML mapping with sources:, follow:, alert_on:, webhook:, digest:")
    unknown = sorted(str(k) for k in data if k not in _TOP)
    if unknown:
        raise InputError(where, f"unknown field {unknown[0]!r}; expected {', '.join(sorted(_TOP))}")
    sources = _sources(where, data.get("sources"))
    follow = _follow(where, data.get("follow"), data.get("alert_on"))
    webhook = _webhook(where, data.get("webhook"), env, secrets)
    digest = _digest(where, data.get("digest"))
    site = data.get("site", "http://127.0.0.1:8000")
    if not isinstance(site, str) or not site.startswith(("http://", "https://")):
        raise InputError(where, "site: must be the web UI's address, such as http://127.0.0.1:8000")
    every = None
    if data.get("every") is not None:
        try:
            every = parse_every(str(data["every"]))
        except ValueError as exc:
            raise InputError(where, f"every: {exc}") from None
    return Watchlist(where, sources, follow, webhook, digest, site.rstrip("/"), every)


def _strings(where: str, name: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(where, f"{name}: must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _sources(where: str, value: object) -> tuple[Source, ...]:
    if not isinstance(value, list) or not value:
        raise InputError(where, "sources: must list at least one feed or page URL")
    found = []
    for n, item in enumerate(value, start=1):
        if isinstance(item, str):
            url, kind = item.strip(), "auto"
        elif isinstance(item, dict) and isinstance(item.get("url"), str):
            url, kind = item["url"].strip(), str(item.get("kind", "auto"))
        else:
            raise InputError(where, f"sources: item {n} must be a URL or a mapping with url: (and kind:)")
        if not url.startswith(("http://", "https://")):
            raise InputError(where, f"sources: item {n} ({url[:80]!r}) is not an http(s) URL")
        if kind not in {"auto", "feed", "page"}:
            raise InputError(where, f"sources: item {n} has kind {kind!r}; use feed, page or auto")
        found.append(Source(url, kind))
    return tuple(dict.fromkeys(found))


def _follow(where: str, value: object, alert_on: object) -> alerting.Follow:
    if value is not None and not isinstance(value, dict):
        raise InputError(where, "follow: must be a mapping with speakers:, subjects:, topics:")
    value = value or {}
    unknown = sorted(str(k) for k in value if k not in {"speakers", "subjects", "topics"})
    if unknown:
        raise InputError(where, f"follow: unknown field {unknown[0]!r}; expected speakers, subjects, topics")
    on = _strings(where, "alert_on", alert_on) or alerting.KINDS
    if bad := [k for k in on if k not in alerting.KINDS]:
        raise InputError(where, f"alert_on: unknown kind {bad[0]!r}; choose from {', '.join(alerting.KINDS)}")
    return alerting.Follow(
        _strings(where, "follow.speakers", value.get("speakers")),
        _strings(where, "follow.subjects", value.get("subjects")),
        _strings(where, "follow.topics", value.get("topics")),
        frozenset(on),
    )


def _webhook(where: str, value: object, env: Mapping[str, str], secrets: bool) -> deliver.Webhook | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("url"), str):
        raise InputError(where, "webhook: must be a mapping with url: and secret_env: (or secret:)")
    url = value["url"]
    if not url.startswith(("http://", "https://")):
        raise InputError(where, "webhook.url: must be an http(s) URL")
    secret = value.get("secret")
    if name := value.get("secret_env"):
        secret = env.get(str(name)) or (None if secrets else "(not needed)")
        if not secret:
            raise InputError(where, f"webhook.secret_env: the environment variable {name} is not set")
    if not isinstance(secret, str) or not secret:
        raise InputError(where, "webhook: needs a shared secret (secret_env: NAME of an environment variable)")
    attempts = value.get("attempts", deliver.ATTEMPTS)
    if not isinstance(attempts, int) or attempts < 1:
        raise InputError(where, "webhook.attempts: must be a whole number, 1 or more")
    return deliver.Webhook(url, secret, attempts)


def _digest(where: str, value: object) -> deliver.Digest | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InputError(where, "digest: must be a mapping with smtp: host:port, from:, to:")
    smtp = value.get("smtp", "")
    host, _, port = str(smtp).rpartition(":")
    if not host or not port.isdigit():
        raise InputError(where, "digest.smtp: must be host:port, such as 127.0.0.1:25")
    sender = value.get("from")
    if not isinstance(sender, str) or "@" not in sender:
        raise InputError(where, "digest.from: must be an e-mail address")
    to = _strings(where, "digest.to", value.get("to"))
    if not to or not all("@" in t for t in to):
        raise InputError(where, "digest.to: must list at least one e-mail address")
    return deliver.Digest(host, int(port), sender, to)


@dataclass
class RoundReport:
    """What one ``fetch`` or one round of a watch did."""

    fetched: int = 0  # answers with a body
    unchanged: int = 0  # 304, or a body already stored
    added: int = 0  # documents
    statements: int = 0
    failures: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    alerts: list[int] = field(default_factory=list)  # ids of alerts raised
    delivered: int = 0  # webhook deliveries that succeeded
    digest_sent: bool = False
    finished: frozenset[str] = frozenset()  # refresh tasks that ran

    def line(self) -> str:
        return (
            f"fetched {self.fetched}, unchanged {self.unchanged}, added {self.added} documents "
            f"({self.statements} statements), failed {len(self.failures)}"
            + (f", {len(self.alerts)} alerts" if self.alerts else "")
        )


def status(store: Store, watchlist: Watchlist) -> list[SourceStatus]:
    """The watchlist's sources as the store knows them (a source never polled shows as such)."""
    known = {s.url: s for s in store.sources([s.url for s in watchlist.sources])}
    return [known.get(s.url) or SourceStatus(s.url, s.kind) for s in watchlist.sources]


class Watcher:
    """Fetches into a store; one object per command. ``extractor`` and ``budget`` go to the pipeline."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        extractor: Extractor | None = None,
        *,
        budget: float | None = None,
        with_topics: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.fetcher = fetcher
        self._extractor = extractor
        self.budget = budget
        self.with_topics = with_topics
        self.sleep = sleep

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            self._extractor = default_extractor()
        return self._extractor

    # -- onrecord fetch ----------------------------------------------------------------------------
    def fetch_urls(self, urls: Sequence[str]) -> RoundReport:
        """Fetch pages and feeds (every item of a feed), store what is new, then link speakers,
        score topics and mark syndicated copies. A URL stored before is asked for conditionally."""
        report = RoundReport()
        for url in dict.fromkeys(urls):
            try:
                self._fetch_source(url, "auto", report, items=None)
            except InputError as exc:
                report.failures.append(exc)
        report.finished = refresh(self.store, self.with_topics)
        return report

    # -- onrecord watch ----------------------------------------------------------------------------
    def poll(self, watchlist: Watchlist, progress: Callable[[str], None] | None = None) -> RoundReport:
        """One round over ``watchlist`` (see the module docstring for its stages)."""
        report = RoundReport()
        store = self.store
        if store.alerted_through() is None:  # the first watch on this database: alert on what comes next
            store.set_alerted_through(store.last_document_id())
        store.watch([(s.url, s.kind) for s in watchlist.sources])
        for source in watchlist.sources:
            if progress is not None:
                progress(source.url)
            before = report.added
            try:
                self._fetch_source(source.url, source.kind, report, items=source.url)
            except InputError as exc:
                report.failures.append(exc)
                store.polled(source.url, error=exc.problem, added=report.added - before)
            else:
                store.polled(source.url, added=report.added - before)
        report.finished = refresh(store, self.with_topics)
        self._alerts(watchlist, report)
        if watchlist.webhook is not None:
            report.delivered = deliver.deliver_pending(store, watchlist.webhook, watchlist.site, sleep=self.sleep)
        if watchlist.digest is not None:
            try:
                report.digest_sent = deliver.send_digest_if_due(store, watchlist.digest, watchlist.site)
            except (OSError, smtplib.SMTPException) as exc:  # the alerts stay undigested for the next round
                where = f"smtp://{watchlist.digest.host}:{watchlist.digest.port}"
                report.failures.append(
                    InputError(where, f"the digest could not be sent ({exc}); it is tried again next round")
                )
        return report

    def status(self, watchlist: Watchlist) -> list[SourceStatus]:
        return status(self.store, watchlist)

    def _alerts(self, watchlist: Watchlist, report: RoundReport) -> None:
        checked = self.store.alerted_through() or 0
        new_docs = self.store.documents_after(checked)
        if not new_docs:
            return
        found = alerting.find_alerts(self.store, new_docs, watchlist.follow, DEFAULT_ACTS)
        report.alerts = self.store.add_alerts(found, webhook=watchlist.webhook is not None)
        self.store.set_alerted_through(new_docs[-1])

    # -- one source --------------------------------------------------------------------------------
    def _fetch_source(self, url: str, kind: str, report: RoundReport, items: str | None) -> None:
        """Fetch ``url``; a page is stored, a feed's items each fetched and stored. With ``items``
        (the watched source), the feed's items are recorded in the store and only new or pending
        ones are fetched; without, every item is asked for (conditionally, when fetched before)."""
        record = self.store.fetch_record(url)
        fetched = self.fetcher.fetch(url, *_validators(record))
        if fetched.unchanged:
            report.unchanged += 1
            if items is not None and kind != "page":
                self._items(url, {}, report)  # items a killed round left pending still need their pages
            return
        report.fetched += 1
        feed = kind == "feed" or (kind == "auto" and is_feed(fetched))
        if not feed:
            self._store_page(fetched, report)
            return
        entries = feed_entries(fetched)
        if items is None:
            for entry in entries:
                self._entry(entry, report)
        else:
            self.store.add_items(url, [(e.key, e.link) for e in entries])
            self._items(url, {e.key: e for e in entries}, report)
        # only now: a feed whose items were not all handled is fetched whole again next time
        self.store.save_fetch(FetchRecord(url, 200, fetched.etag, fetched.last_modified))

    def _items(self, source: str, entries: dict[str, Entry], report: RoundReport) -> None:
        for item in self.store.pending_items(source):
            entry = entries.get(item.item)
            try:
                if item.link:
                    doc_id = self._fetch_page(item.link, report, _date_of(entry))
                elif entry is not None:
                    doc_id = self._entry_itself(entry, report)
                else:
                    raise InputError(f"{source} ({item.item})", "the item left the feed before it was read")
            except InputError as exc:  # tried again next round, up to its attempts
                report.failures.append(exc)
                self.store.item_failed(source, item.item, exc.problem)
                continue
            self.store.item_done(source, item.item, doc_id)

    def _entry(self, entry: Entry, report: RoundReport) -> int | None:
        """One feed item for ``fetch``: its page, else itself; a failure is reported and the next goes on."""
        try:
            if entry.link:
                return self._fetch_page(entry.link, report, _date_of(entry))
            return self._entry_itself(entry, report)
        except InputError as exc:
            report.failures.append(exc)
            return None

    def _entry_itself(self, entry: Entry, report: RoundReport) -> int | None:
        if isinstance(entry.document, InputError):
            raise entry.document
        return self._store_one(entry.document, report)

    def _fetch_page(self, url: str, report: RoundReport, date: str | None = None) -> int | None:
        """Fetch and store one page; ``date`` (the feed item's) serves when the page states none."""
        record = self.store.fetch_record(url)
        fetched = self.fetcher.fetch(url, *_validators(record))
        if fetched.unchanged:
            report.unchanged += 1
            return record.document_id if record else None
        report.fetched += 1
        return self._store_page(fetched, report, date)

    def _store_page(self, fetched: Fetched, report: RoundReport, date: str | None = None) -> int | None:
        """Store what a page holds (one document, or several for a JSONL or a feed fetched as a page);
        FetchError when its one document could not be stored, so a watched item is tried again."""
        documents = list(_documents(fetched, report, date))
        doc_id = None
        for document in documents:
            try:
                doc_id = self._store_one(document, report)
            except FetchError as exc:
                if len(documents) == 1:
                    raise
                report.failures.append(exc)
        content_hash = documents[0].content_hash if len(documents) == 1 else None
        for url in {fetched.url, fetched.requested}:
            self.store.save_fetch(FetchRecord(url, 200, fetched.etag, fetched.last_modified, content_hash, doc_id))
        return doc_id

    def _store_one(self, document: Document, report: RoundReport) -> int:
        """Store ``document`` unless its text is stored already; its id. FetchError when extraction
        failed (over its time budget) or the store refused it."""
        if (known := self.store.document_id_of(document.content_hash)) is not None:
            report.unchanged += 1
            return known
        item = next(process([document], self.extractor, budget=self.budget))
        if item.error:
            raise FetchError(document.source, item.error)
        try:
            doc_id = self.store.add(item.document, item.statements, extractor_version(item.document.lang))
        except OnrecordError as exc:
            raise FetchError(document.source, str(exc)) from None
        if doc_id is None:  # stored by another process meanwhile
            report.unchanged += 1
            known = self.store.document_id_of(document.content_hash)
            assert known is not None
            return known
        report.added += 1
        report.statements += len(item.statements)
        report.document_ids.append(doc_id)
        return doc_id


def _validators(record: FetchRecord | None) -> tuple[str | None, str | None]:
    # validators only help when what they validate was stored
    if record is None or (record.document_id is None and record.content_hash is not None):
        return None, None
    return record.etag, record.last_modified


def _date_of(entry: Entry | None) -> str | None:
    return entry.date if entry is not None else None


def _documents(fetched: Fetched, report: RoundReport, date: str | None = None) -> Iterator[Document]:
    from onrecord.ingest import NOTES

    for result in documents_of(fetched, date):
        if isinstance(result, InputError):
            report.failures.append(result)
            continue
        for note in result.meta.get(NOTES) or ():
            report.notes.append(f"{result.source}: {note}")
        yield result
