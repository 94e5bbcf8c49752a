"""What the pages compute, kept until the store changes; and a gate on how much heavy work runs at once.

A page of a busy speaker or a trace of a long document costs seconds of CPU; the same page asked
again costs nothing as long as the store's data version (which every committed write moves) is
the same. Misses are computed in daemon threads, so a server asked to stop need not wait for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio.to_thread

T = TypeVar("T")
REDO_FACTOR = 10  # a kept value is redone after at least ten times what it took to compute


class Busy(Exception):
    """Too much heavy work is running or waiting: the client should come back later."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("the server is busy; try again shortly")
        self.retry_after = retry_after


class Gate:
    """At most ``capacity`` heavy tasks at once, at most ``waiting`` more in line, each for at most
    ``wait`` seconds; beyond that :class:`Busy` at once, so work queued never grows without bound."""

    def __init__(self, capacity: int, waiting: int, wait: float, retry_after: int = 2) -> None:
        self.capacity, self.waiting, self.wait, self.retry_after = capacity, waiting, wait, retry_after
        self._semaphore: asyncio.Semaphore | None = None
        self._in_line = 0

    @property
    def semaphore(self) -> asyncio.Semaphore:
        if self._semaphore is None:  # made on first use, inside the server's event loop
            self._semaphore = asyncio.Semaphore(self.capacity)
        return self._semaphore

    async def run(self, work: Callable[[], Awaitable[T]]) -> T:
        semaphore = self.semaphore
        if semaphore.locked():
            if self._in_line >= self.waiting:
                raise Busy(self.retry_after)
            self._in_line += 1
            try:
                await asyncio.wait_for(semaphore.acquire(), self.wait)
            except TimeoutError:
                raise Busy(self.retry_after) from None
            finally:
                self._in_line -= 1
        else:
            await semaphore.acquire()
        try:
            return await work()
        finally:
            semaphore.release()


async def in_daemon_thread(work: Callable[[], T]) -> T:
    """Run ``work`` in a thread of its own that does not keep the process alive once the server
    has stopped (anyio's worker threads would: the interpreter joins them at exit)."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(value: Any, error: BaseException | None) -> None:
        if not future.done():
            future.set_exception(error) if error is not None else future.set_result(value)

    def target() -> None:
        try:
            value, error = work(), None
        except BaseException as exc:  # handed to the awaiting request, which turns it into a response
            value, error = None, exc
        with contextlib.suppress(RuntimeError):  # the loop closed while we worked: nobody is waiting
            loop.call_soon_threadsafe(settle, value, error)

    threading.Thread(target=target, name="onrecord-work", daemon=True).start()
    return await future


@dataclass(slots=True)
class _Entry:
    value: Any
    size: int
    version: int  # the store's data version it was computed at
    error: str | None = None  # a kept "not found": its message
    took: float = 0.0  # seconds its computation took
    made: float = field(default_factory=time.monotonic)


class PageCache:
    """Computed values by key, each for the store's data version it was computed at, least recently
    used dropped first beyond ``max_bytes``. Concurrent requests for one key compute it once (the
    others wait for that result), so ten clients asking for the same cold page cost one computation.

    When the store has moved on, the first request for a kept value starts its recomputation and
    waits for it at most ``patience`` seconds, then gets the value of the earlier version; the
    requests that come while the recomputation runs get the earlier value at once, and no second
    recomputation starts (so while an ingest writes, a page seconds in the making neither stalls
    its readers nor is computed once per write). A value younger than ``fresh_for`` seconds is
    served without a recomputation: while an ingest writes every second, each page is redone at
    most that often. ``patience=None``: always wait for the current value."""

    def __init__(
        self,
        version: Callable[[], int],
        max_bytes: int = 64_000_000,
        kept_error: type[Exception] | None = None,
        patience: float | None = None,
        fresh_for: float = 0.0,
        refresh_gate: Gate | None = None,
    ) -> None:
        self.version = version
        self.max_bytes = max_bytes
        self.kept_error = kept_error  # kept like a value (a page of a name nobody has is asked again)
        self.patience = patience
        self.fresh_for = fresh_for
        self.refresh_gate = refresh_gate or Gate(1, waiting=0, wait=0.0)
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._bytes = 0
        self._flights: dict[tuple[int, Hashable], asyncio.Future[Any]] = {}
        self._refreshing: Counter[Hashable] = Counter()  # computations under way per key, any version
        self.computed = 0  # misses, for tests and the log
        self.stale = 0  # answers from an earlier version, for tests and the log
        self._floor = 0  # no answer from before this version

    async def current_version(self) -> int:
        return await anyio.to_thread.run_sync(self.version)  # a query: off the event loop

    @property
    def computing(self) -> int:
        """Computations under way."""
        return sum(self._refreshing.values())

    def written(self, version: int) -> None:
        """This server wrote, up to data ``version``: nothing from before is served any more, not even
        while its recomputation takes long (the client then sees what it wrote)."""
        self._floor = max(self._floor, version)
        for key in [k for k, e in self._entries.items() if e.version < version]:
            self._bytes -= self._entries.pop(key).size

    async def get(
        self,
        key: Hashable,
        compute: Callable[[], T],
        *,
        gate: Gate | None = None,
        size: Callable[[T], int] = lambda value: len(value),  # type: ignore[arg-type]
    ) -> T:
        """The value for ``key`` at the store's current data version; on a miss, ``compute()`` runs
        in a daemon thread (through ``gate`` when given: heavy work waits its turn or gets Busy)."""
        version = await self.current_version()
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            if entry.version >= version:
                return self._unwrap(entry)
        flight = self._flights.get((version, key))
        if entry is None or self.patience is None or entry.version < self._floor:
            # nothing we may serve instead: wait for the current value (shielded: a client that
            # leaves does not cancel the work others wait for)
            return await asyncio.shield(flight or self._start(version, key, compute, gate, size))  # type: ignore[no-any-return]
        redo_after = max(self.fresh_for, REDO_FACTOR * entry.took)
        if flight is not None or self._refreshing[key] or time.monotonic() - entry.made < redo_after:
            # a recomputation is under way, started by an earlier reader (not another), or the value
            # is young: while writes keep coming, a page is redone every fresh_for seconds at most,
            # and one that takes long, at most a tenth of the time
            self.stale += 1
            return self._unwrap(entry)
        # one refresh at a time (a busy refresh line means: the page as it was, and retry later),
        # so refreshes in threads never crowd out the event loop's share of the interpreter lock
        flight = self._start(version, key, compute, self.refresh_gate, size)
        if entry.took > self.patience:  # it will not be ready in time: not worth waiting for
            self.stale += 1
            return self._unwrap(entry)
        try:  # the first reader since the write waits a little for the new value
            return await asyncio.wait_for(asyncio.shield(flight), self.patience)  # type: ignore[no-any-return]
        except (TimeoutError, Busy):
            self.stale += 1
            return self._unwrap(entry)

    def _start(
        self, version: int, key: Hashable, compute: Callable[[], T], gate: Gate | None, size: Callable[[T], int]
    ) -> asyncio.Future[T]:
        flight = asyncio.ensure_future(self._compute(version, key, compute, gate, size))
        self._flights[(version, key)] = flight
        self._refreshing[key] += 1
        flight.add_done_callback(lambda done: self._landed(version, key, done))
        return flight

    def _unwrap(self, entry: _Entry) -> Any:
        if entry.error is not None and self.kept_error is not None:
            raise self.kept_error(entry.error)  # a fresh one: a kept instance would grow its traceback
        return entry.value

    def _landed(self, version: int, key: Hashable, flight: asyncio.Future[Any]) -> None:
        self._flights.pop((version, key), None)
        self._refreshing[key] -= 1
        if not self._refreshing[key]:
            del self._refreshing[key]
        if not flight.cancelled():
            flight.exception()  # retrieved here, so a failure nobody waited for is not logged as lost

    async def _compute(
        self, version: int, key: Hashable, compute: Callable[[], T], gate: Gate | None, size: Callable[[T], int]
    ) -> T:
        self.computed += 1
        took = [0.0]

        def timed() -> T:
            began = time.monotonic()
            try:
                return compute()
            finally:
                took[0] = time.monotonic() - began

        try:
            value = await (gate.run(lambda: in_daemon_thread(timed)) if gate else in_daemon_thread(timed))
        except Exception as exc:
            if self.kept_error is not None and isinstance(exc, self.kept_error):
                self._put(key, _Entry(None, 200, version, str(exc), took[0]))
            raise
        self._put(key, _Entry(value, size(value), version, took=took[0]))
        return value

    def _put(self, key: Hashable, entry: _Entry) -> None:
        old = self._entries.get(key)
        if (old is not None and old.version > entry.version) or entry.version < self._floor:
            return  # a later version landed first, or this one is from before our own write
        if old is not None:
            del self._entries[key]
            self._bytes -= old.size
        if entry.size > self.max_bytes // 4:  # one huge page would push out everything else
            return
        self._entries[key] = entry
        self._bytes += entry.size
        while self._bytes > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= dropped.size
