"""Passages ranked by FTS5 ``bm25()`` from each word's scores, read once and kept (SQLite).

An OR query over a statement's words scores every passage holding any of them, row by row, and "great"
alone is in 6,918 of the trump database's 64,091 passages: most of a trace's time went there, again for
every article. ``bm25()`` sums, phrase by phrase in the query's order, what each phrase adds to a row
(its idf times a term-frequency part), and what a phrase adds to a row is the same in any query that
holds it: the score of the one-phrase query. So each phrase's passages and those scores are read once
(:class:`Postings`), kept while the passages stay as they are (the store's ``passages_version``, which
triggers move with every passage written or removed), and a query's scores are their sums, added in the
order FTS5 adds them: the very scores, to the last bit, of the OR query with its phrases in that order.
The words every article shares are then read once, and an article's own rare words cost little.

What is read is also written down (schema 11: ``passage_postings``, each phrase's ids and parts as bytes,
under the version they were read at, emptied by triggers whenever a passage is written or removed), so a
process that starts, or a store opened again, reads a few kilobytes per phrase instead of scoring its
passages row by row; after a passage is added or removed, the first search reads from FTS5 again.

Reading from FTS5 does not ask ``bm25()`` row by row either (for each row it looks up the row's length and
decodes its positions): a phrase of one term (nearly all: the tokenizer is asked, in a temp table) is
counted in the index through ``fts5vocab``, and its parts computed in numpy from those counts, the rows'
lengths (the docsize records of the rows it is in) and the table's totals, step by step as
``fts5Bm25Function`` does (:func:`bm25_parts`): the same doubles. Other phrases are scored as before.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence

import numpy as np
from sqlalchemy import Connection, bindparam, text
from sqlalchemy.exc import OperationalError

KEPT_POSTINGS = 3_000_000  # (passage, score) pairs kept at most, 48 MB; least recently used go first
FIRST_BATCH = 3  # the best ``FIRST_BATCH * limit`` passages are filtered first; most searches stop there


def phrases(words: Sequence[str]) -> list[str]:
    """Query words -> the phrases of an FTS5 query (no syntax leaks in). A phrase two words share
    ("s" of "it's" and "he's") is there twice, and counts twice in the scores, as it always has."""
    return sorted(w for word in words for w in re.findall(r"\w+", word))


def match(phrases: Sequence[str], operator: str = " OR ") -> str:
    return operator.join('"' + p.replace('"', '""') + '"' for p in phrases)


Posting = tuple[np.ndarray, np.ndarray]  # a phrase's passage ids (ascending) and what it adds to their scores


class Postings:
    """Each phrase's passages in the FTS5 ``table`` with what the phrase adds to their ``bm25()``, kept
    for as long as the number ``version`` reads stays the same (any change of the table's rows must move
    it), at most :data:`KEPT_POSTINGS` pairs. Safe to share between threads. ``stored``: a table (phrase,
    version, ids, parts) where what is read is written down for later processes, or None."""

    def __init__(
        self,
        table: str,
        version: Callable[[Connection], int],
        kept: int = KEPT_POSTINGS,
        stored: str | None = None,
        tokenize: str | None = None,
    ) -> None:
        self.table = table
        self.version = version
        self.kept = kept
        self.stored = stored
        self.tokenize = tokenize  # the table's tokenizer: words are then counted rather than scored (``_count``)
        self._lock = threading.Lock()
        self._writing = threading.Lock()  # one write at a time from this process: none fails for another's
        self._reading: dict[str, threading.Event] = {}  # phrases a search is reading now, set when done
        self._at: int | None = None  # the version what is kept was read at
        self._phrases: OrderedDict[str, Posting] = OrderedDict()
        self._size = 0
        # of version ``_at``: the table's rows and tokens, and each row's tokens by rowid (0: not read yet)
        self._lengths: tuple[int, int, np.ndarray] | None = None

    def read(self, connect: Callable[[], Connection], wanted: Sequence[str]) -> dict[str, Posting]:
        """The postings of the ``wanted`` phrases, all of one version of the table: those kept, those
        written down at that version, and the others read from FTS5 (between two readings of the version
        that agree, so no write came in between) and written down. A phrase another search is reading is
        waited for, not read twice: an article's searches run side by side and share their common words."""
        while True:
            with connect() as conn:
                at = self.version(conn)
                with self._lock:
                    if at != self._at:
                        self._forget(at)
                    found = {p: self._phrases[p] for p in set(wanted) if p in self._phrases}
                    for p in found:
                        self._phrases.move_to_end(p)
                    missing = sorted(set(wanted) - found.keys())
                    others = {self._reading[p] for p in missing if p in self._reading}
                    claim = threading.Event()
                    if not others:
                        self._reading.update(dict.fromkeys(missing, claim))
                if others:  # then taken from what was kept (or read here, if it could not be kept)
                    for event in others:
                        event.wait()
                    continue
                try:
                    # written down at this version (its rows say so): as good as read now
                    written = self._read_stored(conn, at, missing) if self.stored and missing else {}
                    unread = [p for p in missing if p not in written]
                    fresh = self._read_fresh(conn, at, unread) if unread else {}
                    done = not fresh or self.version(conn) == at
                    with self._lock:
                        if done and self._at == at:
                            for p, posting in (written | fresh).items():
                                self._keep(p, posting)
                finally:
                    with self._lock:
                        for p in missing:
                            if self._reading.get(p) is claim:
                                del self._reading[p]
                    claim.set()
                if done:
                    break
        if fresh and self.stored:
            self._write_stored(connect, at, fresh)
        return found | written | fresh

    def _read_fresh(self, conn: Connection, at: int, phrases: Sequence[str]) -> dict[str, Posting]:
        """Phrases read from FTS5: a phrase of one term counted (:meth:`_count`), others scored row by row."""
        terms = _terms(conn, self.tokenize, phrases) if self.tokenize and phrases else {}
        counted = self._count(conn, at, terms) if terms else {}
        return counted | {p: self._read_one(conn, p) for p in phrases if p not in counted}

    def _count(self, conn: Connection, at: int, terms: dict[str, str]) -> dict[str, Posting]:
        """What each phrase of one term adds to ``bm25()`` (:func:`bm25_parts`) from the term's occurrences in
        the index (``fts5vocab``) and the rows' lengths: no row looked up one by one, as ``bm25()`` does."""
        instances = _instances(conn, self.table)
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        counted = {}
        try:
            for phrase, term in terms.items():
                cursor.execute(f"SELECT doc FROM temp.{instances} WHERE term = ?", (term,))
                counted[phrase] = np.unique(np.array(cursor.fetchall(), dtype=np.int64).reshape(-1), return_counts=True)
        finally:
            cursor.close()
        rows, tokens, sizes = self._lengths_of(conn, at, np.concatenate([ids for ids, _ in counted.values()]))
        return {
            phrase: (ids, bm25_parts(counts.astype(np.float64), sizes[ids], len(ids), rows, tokens))
            for phrase, (ids, counts) in counted.items()
            if sizes[ids].all()  # else a row without its length (never seen): scored row by row, as ever
        }

    def _lengths_of(self, conn: Connection, at: int, ids: np.ndarray) -> tuple[int, int, np.ndarray]:
        """The table's rows and tokens, and its rows' lengths by rowid, known for ``ids`` at least: those
        not read before at version ``at`` read now (a few rare words need few), and kept with the rest."""
        with self._lock:
            rows, tokens, sizes = self._lengths if self._lengths is not None and self._at == at else (0, 0, None)
        if sizes is None:
            rows, tokens = _totals(conn, self.table)
            sizes = np.zeros(0)
        known = ids[ids < len(sizes)]
        unknown = np.unique(np.concatenate([ids[ids >= len(sizes)], known[sizes[known] == 0]]))
        if len(unknown):
            grown = np.zeros(max(len(sizes), int(unknown[-1]) + 1))
            grown[: len(sizes)] = sizes
            held, lengths = _row_lengths(conn, self.table, unknown)
            grown[held] = lengths
            sizes = grown
            with self._lock:
                if self._at == at:
                    self._lengths = rows, tokens, sizes
        return rows, tokens, sizes

    def _read_stored(self, conn: Connection, at: int, phrases: Sequence[str]) -> dict[str, Posting]:
        rows = conn.execute(
            text(f"SELECT phrase, ids, parts FROM {self.stored} WHERE version = :at AND phrase IN :phrases").bindparams(
                bindparam("phrases", expanding=True)
            ),
            {"at": at, "phrases": list(phrases)},
        )
        return {p: (np.frombuffer(ids, "<i8").copy(), np.frombuffer(parts, "<f8").copy()) for p, ids, parts in rows}

    def _write_stored(self, connect: Callable[[], Connection], at: int, fresh: dict[str, Posting]) -> None:
        """Write down what was read at version ``at``, unless the passages changed since. Not waiting for
        another writer (an ingest): a search must not stall on it, and the next process needing these words
        reads and writes them again."""
        rows = [
            {"phrase": p, "at": at, "ids": ids.astype("<i8").tobytes(), "parts": parts.astype("<f8").tobytes()}
            for p, (ids, parts) in fresh.items()
        ]
        sql = text(
            f"INSERT OR REPLACE INTO {self.stored} (phrase, version, ids, parts) VALUES (:phrase, :at, :ids, :parts)"
        )
        with self._writing, connect() as conn:
            driver = conn.connection.driver_connection
            waits = driver.execute("PRAGMA busy_timeout").fetchone()[0]  # type: ignore[union-attr]
            driver.execute("PRAGMA busy_timeout = 0")  # type: ignore[union-attr]
            try:
                conn.execute(sql, rows)
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

    def _forget(self, at: int) -> None:
        self._at, self._phrases, self._size, self._lengths = at, OrderedDict(), 0, None

    def _keep(self, phrase: str, posting: Posting) -> None:
        if phrase in self._phrases or len(posting[0]) > self.kept:
            return
        self._phrases[phrase] = posting
        self._size += len(posting[0])
        while self._size > self.kept:
            _, dropped = self._phrases.popitem(last=False)
            self._size -= len(dropped[0])


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


def _terms(conn: Connection, tokenize: str, phrases: Sequence[str]) -> dict[str, str]:
    """The phrases that are one term to the ``tokenize`` tokenizer, with that term (stemmed: "because" is
    "becaus"), through an FTS5 table of this connection's temp schema, filled and emptied."""
    driver = conn.connection.driver_connection
    name = "phrase_terms_" + re.sub(r"\W", "_", tokenize)
    driver.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5(phrase, tokenize={tokenize!r})")  # type: ignore[union-attr]
    driver.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name}_v USING fts5vocab(temp, {name}, 'instance')")  # type: ignore[union-attr]
    cursor = driver.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f"INSERT INTO temp.{name} (rowid, phrase) VALUES (?, ?)", list(enumerate(phrases)))
        held: dict[int, list[str]] = {}
        for doc, term in cursor.execute(f"SELECT doc, term FROM temp.{name}_v"):
            held.setdefault(doc, []).append(term)
    finally:
        cursor.execute(f"DELETE FROM temp.{name}")
        cursor.close()
    return {phrases[doc]: terms[0] for doc, terms in held.items() if len(terms) == 1}


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
