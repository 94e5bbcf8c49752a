"""Passages ranked by FTS5 ``bm25()`` from each word's counts, read once and kept (SQLite).

An OR query over a statement's words scores every passage holding any of them, row by row, and "great"
alone is in 6,918 of the trump database's 64,091 passages: most of a trace's time went there, again for
every article. ``bm25()`` sums, phrase by phrase in the query's order, what each phrase adds to a row
(its idf times a term-frequency part), and what a phrase adds to a row is the same in any query that
holds it: the score of the one-phrase query. A query's scores are the sums of those parts, added in the
order FTS5 adds them (:func:`ranked`): the very scores, to the last bit, of the OR query.

A phrase of one term (nearly all: the tokenizer is asked, in a temp table) adds, to each row holding it,
a part computed from what no other row's change moves — the term's occurrences in the row and the row's
length — and from the table's totals (rows, tokens) and the term's row count, which every row written or
removed moves. So what is kept (:class:`Postings`: in the process, and written down in the database,
schema 12) is the former: each term's rows and occurrences (counted in the index through ``fts5vocab``,
not scored row by row) and the rows' lengths (their docsize records), each under the store's
``passages_version`` it holds at; the parts are computed in numpy from them and the current totals, step
by step as ``fts5Bm25Function`` does (:func:`bm25_parts`): the same doubles. When passages are written or
removed, counts of an earlier version are brought up to date from the log of changed passages (the
store's triggers keep it): the terms of the few passages written since are counted in a temp table with
the same tokenizer, so a transcript stored costs its own passages, not every word's thousands. Other
phrases (several terms, or none) are scored by ``bm25()`` row by row and kept for one version only.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection, bindparam, text
from sqlalchemy.exc import OperationalError

KEPT_POSTINGS = 3_000_000  # (passage, count) pairs kept at most, about 60 MB; least recently used go first
FIRST_BATCH = 3  # the best ``FIRST_BATCH * limit`` passages are filtered first; most searches stop there
# Counts brought up to date through fewer changed rows (and fewer rows' lengths read) than this are not
# written down again: the next process does the same cheaply, and a search skips a commit (tens of ms).
WRITE_AFTER = 500


def phrases(words: Sequence[str]) -> list[str]:
    """Query words -> the phrases of an FTS5 query (no syntax leaks in). A phrase two words share
    ("s" of "it's" and "he's") is there twice, and counts twice in the scores, as it always has."""
    return sorted(w for word in words for w in re.findall(r"\w+", word))


def match(phrases: Sequence[str], operator: str = " OR ") -> str:
    return operator.join('"' + p.replace('"', '""') + '"' for p in phrases)


Posting = tuple[np.ndarray, np.ndarray]  # a phrase's passage ids (ascending) and what it adds to their scores


@dataclass(frozen=True, slots=True)
class Written:
    """The tables where :class:`Postings` writes its counts down for later processes, and the log of changed
    rows it brings them up to date with (schema 12), and the FTS5 table's content table (id, text)."""

    terms: str  # (term, version, ids, freqs)
    lengths: str  # (id, version, sizes): one row
    changes: str  # (version, passage_id): each row written or removed, by the version it moved the count to
    content: str  # the external content table: its rows' texts, to count the terms of rows changed
    column: str = "text"


@dataclass(slots=True)
class _Kept:
    """A term's rows (ascending) and occurrences in each, counted at ``version``, with what it adds to their
    ``bm25()`` at that version (None until computed); for a phrase scored row by row, ``freqs`` is None."""

    version: int
    ids: np.ndarray
    freqs: np.ndarray | None
    parts: np.ndarray | None


@dataclass(frozen=True, slots=True)
class _Changes:
    """The rows written or removed between two versions, and the terms of those held at the later one."""

    touched: np.ndarray  # ascending
    terms: dict[str, tuple[np.ndarray, np.ndarray]]  # term -> (rows among ``touched``, occurrences)


class Postings:
    """What each phrase of a query adds to ``bm25()`` in the FTS5 ``table``'s rows, from counts kept in the
    process (at most :data:`KEPT_POSTINGS` pairs) and, with ``stored``, written down in the database. The
    number ``version`` reads must move with every change of the table's rows. Safe to share between
    threads. ``tokenize``: the table's tokenizer; without it every phrase is scored row by row."""

    def __init__(
        self,
        table: str,
        version: Callable[[Connection], int],
        kept: int = KEPT_POSTINGS,
        stored: Written | None = None,
        tokenize: str | None = None,
    ) -> None:
        self.table = table
        self.version = version
        self.kept = kept
        self.stored = stored
        self.tokenize = tokenize  # the table's tokenizer: words are then counted rather than scored
        self._lock = threading.Lock()
        self._writing = threading.Lock()  # one write at a time from this process: none fails for another's
        self._reading: dict[tuple[str, str], threading.Event] = {}  # keys a search is reading now, set when done
        self._at: int | None = None  # the latest version seen
        # ("t", term) or ("p", phrase scored row by row) -> what is kept of it, least recently used first
        self._kept: OrderedDict[tuple[str, str], _Kept] = OrderedDict()
        self._size = 0
        self._term_of: dict[str, str | None] = {}  # phrase -> its one term (None: several, or none)
        self._changes: dict[tuple[int, int], _Changes | None] = {}  # (from, to) -> the changes, of version ``_at``
        # the table's rows and tokens at ``_at``, and each row's tokens by rowid at a version (0: not read)
        self._totals: tuple[int, int] | None = None
        self._lengths: tuple[int, np.ndarray] | None = None

    def read(self, connect: Callable[[], Connection], wanted: Sequence[str]) -> dict[str, Posting]:
        """The postings of the ``wanted`` phrases, all of one version of the table: those kept at it, the
        others brought up to it from counts kept or written down at an earlier one, or counted afresh
        (between two readings of the version that agree, so no write came in between), and written down.
        A phrase another search is reading is waited for, not read twice: an article's searches run side by
        side and share their common words."""
        wanted = sorted(set(wanted))
        while True:
            with connect() as conn:
                at = self.version(conn)
                keys = self._keys(conn, wanted)
                with self._lock:
                    if at != self._at:
                        self._at, self._totals = at, None
                        self._changes = {k: v for k, v in self._changes.items() if k[1] == at}
                    found = {}
                    for key in set(keys.values()):
                        kept = self._kept.get(key)
                        if kept is not None and kept.version == at and kept.parts is not None:
                            found[key] = kept
                            self._kept.move_to_end(key)
                    missing = sorted(set(keys.values()) - found.keys())
                    others = {self._reading[k] for k in missing if k in self._reading}
                    claim = threading.Event()
                    if not others:
                        self._reading.update(dict.fromkeys(missing, claim))
                if others:  # then taken from what was kept (or read here, if it could not be kept)
                    for event in others:
                        event.wait()
                    continue
                fresh: dict[tuple[str, str], _Kept] = {}
                changed: set[tuple[str, str]] = set()
                grown = False
                try:
                    if missing:
                        fresh, changed, grown = self._bring(conn, at, missing)
                    done = not fresh or self.version(conn) == at
                    with self._lock:
                        if done and self._at == at:
                            for key in fresh:
                                self._keep(key, fresh[key])
                finally:
                    with self._lock:
                        for k in missing:
                            if self._reading.get(k) is claim:
                                del self._reading[k]
                    claim.set()
                if done:
                    break
        if self.stored and (changed or grown):
            self._write_stored(connect, at, {k[1]: fresh[k] for k in changed})
        held = found | fresh
        return {p: (held[key].ids, held[key].parts) for p, key in keys.items()}  # type: ignore[misc]

    def _keys(self, conn: Connection, wanted: Sequence[str]) -> dict[str, tuple[str, str]]:
        """Each phrase's key: ("t", its term) for a phrase of one term, else ("p", the phrase)."""
        if self.tokenize:
            with self._lock:
                of = {p: self._term_of[p] for p in wanted if p in self._term_of}
            unknown = [p for p in wanted if p not in of]
            if unknown:
                terms = _terms(conn, self.tokenize, unknown)
                of |= {p: terms.get(p) for p in unknown}
                with self._lock:
                    if len(self._term_of) > 100_000:  # words ever searched: a bound, never reached in practice
                        self._term_of.clear()
                    self._term_of.update({p: of[p] for p in unknown})
        else:
            of = dict.fromkeys(wanted)
        return {p: ("t", term) if term is not None else ("p", p) for p, term in of.items()}

    def _bring(
        self, conn: Connection, at: int, keys: Sequence[tuple[str, str]]
    ) -> tuple[dict[tuple[str, str], _Kept], set[tuple[str, str]], bool]:
        """What ``keys`` add to ``bm25()`` at version ``at``, and which of their terms' counts and whether the
        rows' lengths are worth writing down (:data:`WRITE_AFTER`). A term's counts are those kept in the process, else
        those written down, brought up to ``at`` through the rows changed since; counted in the index when
        there are none, or when the log no longer reaches back to them."""
        terms = [k[1] for k in keys if k[0] == "t"]
        counts: dict[str, tuple[int, np.ndarray, np.ndarray]] = {}
        with self._lock:
            for term in terms:
                kept = self._kept.get(("t", term))
                if kept is not None and kept.freqs is not None:
                    counts[term] = (kept.version, kept.ids, kept.freqs)
        if self.stored:
            counts |= self._read_stored(conn, [t for t in terms if t not in counts])
        changed = set()
        for term, (version, ids, freqs) in list(counts.items()):
            if version == at:
                continue
            changes = self._changes_between(conn, version, at)
            if changes is None:
                del counts[term]
                continue
            counts[term] = (at, *_patched(ids, freqs, changes, term))
            if len(changes.touched) >= WRITE_AFTER:  # else the next process brings it up to date as cheaply
                changed.add(("t", term))
        unread = [t for t in terms if t not in counts]
        counts |= {t: (at, ids, freqs) for t, (ids, freqs) in self._count(conn, unread).items()}
        changed |= {("t", t) for t in unread}
        rows, tokens = self._totals_at(conn, at)
        sizes, grown = self._lengths_of(
            conn, at, np.concatenate([c[1] for c in counts.values()] or [np.zeros(0, np.int64)])
        )
        brought: dict[tuple[str, str], _Kept] = {}
        for term, (_, ids, freqs) in counts.items():
            if sizes[ids].all():  # else a row without its length (never seen): scored row by row, as ever
                parts = bm25_parts(freqs.astype(np.float64), sizes[ids].astype(np.float64), len(ids), rows, tokens)
                brought[("t", term)] = _Kept(at, ids, freqs, parts)
        with self._lock:
            phrase_of = {t: p for p, t in self._term_of.items() if t is not None and ("t", t) not in brought}
        for key in keys:
            if key not in brought:  # a phrase of several terms or none, or a term whose rows lack lengths
                ids, parts = self._read_one(conn, key[1] if key[0] == "p" else phrase_of.get(key[1], key[1]))
                brought[key] = _Kept(at, ids, None, parts)
                changed.discard(key)
        return brought, changed, grown

    def _changes_between(self, conn: Connection, since: int, at: int) -> _Changes | None:
        """The rows written or removed after version ``since`` up to ``at``, with the terms of those the
        table holds at ``at`` (counted in a temp table, with the table's tokenizer); None when the log
        does not reach back that far (or there is none)."""
        if self.stored is None or since > at:
            return None
        with self._lock:
            if (since, at) in self._changes:
                return self._changes[(since, at)]
        changes = None
        logged = (
            conn.execute(
                text(f"SELECT passage_id FROM {self.stored.changes} WHERE version > :since AND version <= :at"),
                {"since": since, "at": at},
            )
            .scalars()
            .all()
        )
        if len(logged) == at - since:  # one row per version: every change is there
            touched = np.unique(np.array(logged, dtype=np.int64))
            sql = (
                f"SELECT id, {self.stored.column} FROM {self.stored.content} "
                "WHERE id IN (SELECT value FROM json_each(?))"
            )
            driver = conn.connection.driver_connection
            held = driver.execute(sql, (json.dumps(touched.tolist()),)).fetchall()  # type: ignore[union-attr]
            changes = _Changes(touched, _occurrences(conn, self.tokenize or "", held) if held else {})
        with self._lock:
            if self._at == at:
                self._changes[(since, at)] = changes
        return changes

    def _count(self, conn: Connection, terms: Sequence[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Each term's rows and occurrences in them, counted in the index (``fts5vocab``): no row looked up
        one by one, as ``bm25()`` does."""
        if not terms:
            return {}
        instances = _instances(conn, self.table)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        counted = {}
        try:
            for term in terms:
                cursor.execute(f"SELECT doc FROM temp.{instances} WHERE term = ?", (term,))
                ids, freqs = np.unique(np.array(cursor.fetchall(), dtype=np.int64).reshape(-1), return_counts=True)
                counted[term] = ids, freqs.astype(np.int32)
        finally:
            cursor.close()
        return counted

    def _totals_at(self, conn: Connection, at: int) -> tuple[int, int]:
        with self._lock:
            totals = self._totals if self._at == at else None
        if totals is None:
            totals = _totals(conn, self.table)
            with self._lock:
                if self._at == at:
                    self._totals = totals
        return totals

    def _lengths_of(self, conn: Connection, at: int, ids: np.ndarray) -> tuple[np.ndarray, bool]:
        """The rows' lengths by rowid at version ``at``, known for ``ids`` at least: those kept (in the
        process, else written down) for an earlier version, the rows changed since forgotten, and those
        not known read now (a few rare words need few) and kept with the rest; and whether they are worth
        writing down (:data:`WRITE_AFTER`)."""
        with self._lock:
            lengths = self._lengths
        in_memory = lengths is not None
        if lengths is None and self.stored is not None:
            row = conn.execute(text(f"SELECT version, sizes FROM {self.stored.lengths} WHERE id = 1")).first()
            lengths = (row[0], np.frombuffer(row[1], "<i4").astype(np.int64)) if row else None
        version, sizes = lengths if lengths is not None else (at, np.zeros(0, np.int64))
        moved = version != at
        worth = False  # writing down: many lengths read, or brought through many changes
        if moved:
            changes = self._changes_between(conn, version, at)
            worth = changes is None or len(changes.touched) >= WRITE_AFTER
            if changes is None:
                sizes = np.zeros(0, np.int64)
            else:
                sizes = sizes.copy()
                sizes[changes.touched[changes.touched < len(sizes)]] = 0
        known = ids[ids < len(sizes)]
        unknown = np.unique(np.concatenate([ids[ids >= len(sizes)], known[sizes[known] == 0]]))
        if len(unknown):
            grown = np.zeros(max(len(sizes), int(unknown[-1]) + 1), np.int64)
            grown[: len(sizes)] = sizes
            held, read = _row_lengths(conn, self.table, unknown)
            grown[held] = read
            sizes = grown
        if moved or len(unknown) or not in_memory:
            with self._lock:
                if self._at == at:
                    self._lengths = at, sizes
        return sizes, worth or len(unknown) >= WRITE_AFTER

    def _read_stored(self, conn: Connection, terms: Sequence[str]) -> dict[str, tuple[int, np.ndarray, np.ndarray]]:
        if not terms or self.stored is None:
            return {}
        rows = conn.execute(
            text(f"SELECT term, version, ids, freqs FROM {self.stored.terms} WHERE term IN :terms").bindparams(
                bindparam("terms", expanding=True)
            ),
            {"terms": list(terms)},
        )
        return {
            t: (version, np.frombuffer(ids, "<i8").astype(np.int64), np.frombuffer(freqs, "<i4").astype(np.int32))
            for t, version, ids, freqs in rows
        }

    def _write_stored(self, connect: Callable[[], Connection], at: int, counted: dict[str, _Kept]) -> None:
        """Write down the terms' counts brought to version ``at`` (and the rows' lengths known), unless the
        rows changed since. Not waiting for another writer (an ingest): a search must not stall on it, and
        the next process needing these words brings them up to date again."""
        assert self.stored is not None
        rows = [
            {"term": t, "at": at, "ids": k.ids.astype("<i8").tobytes(), "freqs": k.freqs.astype("<i4").tobytes()}
            for t, k in counted.items()
            if k.freqs is not None
        ]
        with self._lock:
            lengths = self._lengths if self._lengths is not None and self._lengths[0] == at else None
        with self._writing, connect() as conn:
            driver = conn.connection.driver_connection
            waits = driver.execute("PRAGMA busy_timeout").fetchone()[0]  # type: ignore[union-attr]
            driver.execute("PRAGMA busy_timeout = 0")  # type: ignore[union-attr]
            try:
                if rows:
                    conn.execute(
                        text(
                            f"INSERT OR REPLACE INTO {self.stored.terms} (term, version, ids, freqs) "
                            "VALUES (:term, :at, :ids, :freqs)"
                        ),
                        rows,
                    )
                if lengths is not None:
                    conn.execute(
                        text(
                            f"INSERT OR REPLACE INTO {self.stored.lengths} (id, version, sizes) VALUES (1, :at, :sizes)"
                        ),
                        {"at": at, "sizes": lengths[1].astype("<i4").tobytes()},
                    )
                # the write holds the database's one write lock: the version read now is the last one
                if self.version(conn) == at:
                    conn.commit()
                else:
                    conn.rollback()
            except OperationalError:  # another writer, or a read-only file: not written down, no harm
                conn.rollback()
            finally:
                driver.execute(f"PRAGMA busy_timeout = {int(waits)}")  # type: ignore[union-attr]

    def _read_one(self, conn: Connection, phrase: str) -> Posting:
        # through the driver's own cursor: plain tuples, which numpy reads at once (thousands of rows)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            sql = f"SELECT rowid, bm25({self.table}) FROM {self.table} WHERE {self.table} MATCH ?"
            rows = cursor.execute(sql, (match([phrase]),)).fetchall()
        finally:
            cursor.close()
        pairs = np.array(rows, dtype=np.float64).reshape(-1, 2)
        # bm25() is minus the score; a one-phrase score is 0.0 plus the phrase's part, so exactly that part
        return pairs[:, 0].astype(np.int64), -pairs[:, 1]

    def _keep(self, key: tuple[str, str], kept: _Kept) -> None:
        if len(kept.ids) > self.kept:
            return
        if key in self._kept:
            self._size -= len(self._kept.pop(key).ids)
        self._kept[key] = kept
        self._size += len(kept.ids)
        while self._size > self.kept:
            _, dropped = self._kept.popitem(last=False)
            self._size -= len(dropped.ids)


def _patched(ids: np.ndarray, freqs: np.ndarray, changes: _Changes, term: str) -> tuple[np.ndarray, np.ndarray]:
    """A term's rows and occurrences after ``changes``: the rows changed dropped, and those holding it now added."""
    added = changes.terms.get(term)
    if not len(ids) or changes.touched[0] > ids[-1]:  # rows added after all it held (an ingest): appended
        return (np.concatenate([ids, added[0]]), np.concatenate([freqs, added[1]])) if added else (ids, freqs)
    staying = ~np.isin(ids, changes.touched, assume_unique=True)
    added_ids, added_freqs = added or (np.zeros(0, np.int64), np.zeros(0, np.int32))
    merged = np.concatenate([ids[staying], added_ids])
    order = np.argsort(merged, kind="stable")
    return merged[order], np.concatenate([freqs[staying], added_freqs])[order]


K1, B = 1.2, 0.75  # FTS5's bm25() constants


def bm25_parts(freqs: np.ndarray, lengths: np.ndarray, hits: int, rows: int, tokens: int) -> np.ndarray:
    """What a phrase adds to ``bm25()`` in rows where it occurs ``freqs`` times among ``lengths`` tokens, held by
    ``hits`` of the table's ``rows`` (``tokens`` in all): FTS5's own arithmetic (``fts5Bm25Function``), step by
    step in its order, so the very doubles it gives (IEEE operations are exact to the bit in both)."""
    if not len(freqs):
        return np.zeros(0)
    idf = math.log((rows - hits + 0.5) / (hits + 0.5))
    if idf <= 0.0:
        idf = 1e-6  # FTS5's floor
    average = float(tokens) / float(rows)
    return idf * ((freqs * (K1 + 1.0)) / (freqs + K1 * (1 - B + B * lengths / average)))


def _varints(data: bytes, count: int) -> list[int]:
    """The first ``count`` SQLite varints of ``data`` (FTS5's records: big-endian groups of 7 bits)."""
    found, at = [], 0
    for _ in range(count):
        value = 0
        for n in range(9):
            byte = data[at]
            at += 1
            if n == 8:  # the ninth byte counts all its 8 bits
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        found.append(value)
    return found


def _totals(conn: Connection, table: str) -> tuple[int, int]:
    """The FTS5 table's rows and tokens, from its averages record, as ``bm25()`` reads them."""
    averages = conn.connection.driver_connection.execute(  # type: ignore[union-attr]
        f"SELECT block FROM {table}_data WHERE id = 1"
    ).fetchone()
    # a table that has never held a row has an empty record (the averages are written with the first row)
    rows, tokens = _varints(averages[0], 2) if averages and averages[0] else (0, 0)
    return rows, tokens


def _row_lengths(conn: Connection, table: str, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rowids of these rows of the FTS5 table that it holds, and their tokens (its docsize records: one
    column, so one varint each, decoded all at once)."""
    sql = f"SELECT id, sz FROM {table}_docsize WHERE id IN (SELECT value FROM json_each(?))"
    found = conn.connection.driver_connection.execute(sql, (json.dumps(ids.tolist()),)).fetchall()  # type: ignore[union-attr]
    held = np.fromiter((i for i, _ in found), np.int64, len(found))
    return held, _first_varints([sz for _, sz in found])


def _first_varints(records: Sequence[bytes]) -> np.ndarray:
    """The first SQLite varint of each record, as :func:`_varints` reads it, for many records at once."""
    data = np.frombuffer(b"".join(records), np.uint8).astype(np.int64)
    starts = np.zeros(len(records), np.int64)
    np.cumsum(np.fromiter(map(len, records), np.int64, len(records))[:-1], out=starts[1:])
    values = np.zeros(len(records), np.int64)
    going = np.ones(len(records), bool)  # still reading: the byte before had its high bit set
    for n in range(9):
        at = starts[going] + n
        byte = data[at]
        if n == 8:  # the ninth byte counts all its 8 bits
            values[going] = (values[going] << 8) | byte
            break
        values[going] = (values[going] << 7) | (byte & 0x7F)
        going[np.flatnonzero(going)[(byte & 0x80) == 0]] = False
        if not going.any():
            break
    return values


def _instances(conn: Connection, table: str) -> str:
    """A ``fts5vocab`` table (in this connection's temp schema) of the occurrences of each term in ``table``."""
    name = f"{table}_instances"
    conn.connection.driver_connection.execute(  # type: ignore[union-attr]
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5vocab(main, {table}, 'instance')"
    )
    return name


def _tokens(conn: Connection, tokenize: str, rows: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """(row, term) for each token of each text of ``rows`` (row, text) to the ``tokenize`` tokenizer (stemmed:
    "because" is "becaus"), through an FTS5 table of this connection's temp schema, filled and emptied."""
    driver = conn.connection.driver_connection
    name = "phrase_terms_" + re.sub(r"\W", "_", tokenize)
    driver.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5(phrase, tokenize={tokenize!r})")  # type: ignore[union-attr]
    driver.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name}_v USING fts5vocab(temp, {name}, 'instance')")  # type: ignore[union-attr]
    cursor = driver.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f"INSERT INTO temp.{name} (rowid, phrase) VALUES (?, ?)", rows)
        return cursor.execute(f"SELECT doc, term FROM temp.{name}_v").fetchall()
    finally:
        cursor.execute(f"DELETE FROM temp.{name}")
        cursor.close()


def _terms(conn: Connection, tokenize: str, phrases: Sequence[str]) -> dict[str, str]:
    """The phrases that are one term to the ``tokenize`` tokenizer, with that term."""
    held: dict[int, list[str]] = {}
    for doc, term in _tokens(conn, tokenize, list(enumerate(phrases))):
        held.setdefault(doc, []).append(term)
    return {phrases[doc]: terms[0] for doc, terms in held.items() if len(terms) == 1}


def _occurrences(
    conn: Connection, tokenize: str, rows: Sequence[tuple[int, str]]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each term of the texts of ``rows`` (row, text): the rows holding it (ascending) and how often (int32),
    as the table's index counts them (the same tokenizer)."""
    if not rows:
        return {}
    found: dict[str, dict[int, int]] = {}
    for doc, term in _tokens(conn, tokenize, rows):
        held = found.setdefault(term, {})
        held[doc] = held.get(doc, 0) + 1
    occurrences = {}
    for term, held in found.items():
        ids = np.fromiter(sorted(held), np.int64, len(held))
        occurrences[term] = ids, np.fromiter((held[i] for i in ids.tolist()), np.int32, len(ids))
    return occurrences


def ranked(postings: dict[str, Posting], found: Sequence[str], first: int) -> Iterator[np.ndarray]:
    """The ids of the passages holding any of the phrases ``found`` (each as often as it is there), best
    first as the OR query's ``ORDER BY bm25(), rowid`` would give them, in batches: the best ``first``
    (more when scores tie at the last), then the rest. The phrases are summed in the order the queries
    of earlier versions put them (fewest passages first), so each score is FTS5's to the last bit."""
    order = sorted((len(postings[p][0]), p) for p in found if len(postings[p][0]))
    if not order:
        return
    size = max(int(postings[p][0][-1]) for _, p in order) + 1
    scores = np.zeros(size)
    for _, p in order:
        ids, parts = postings[p]
        scores[ids] += parts  # a phrase's ids are distinct: one addition each, as in FTS5's loop
    held = np.flatnonzero(scores)  # every part is above zero (FTS5's idf has a floor), so: every passage held
    minus = -scores[held]
    if len(held) > first:
        last = np.partition(minus, first - 1)[first - 1]
        top = minus <= last
        chosen, rest = held[top], held[~top]
        yield chosen[np.lexsort((chosen, -scores[chosen]))]
        held = rest
        minus = -scores[held]
    yield held[np.lexsort((held, minus))]
