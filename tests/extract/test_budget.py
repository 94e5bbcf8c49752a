"""The per-document time budget (``--doc-timeout``): one slow document fails alone, in any thread.

The clock is replaced, so nothing here depends on how fast the machine is."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from onrecord.extract import budget as budget_module
from onrecord.extract.extractor import Extractor
from onrecord.ingest import from_text
from onrecord.pipeline import process
from onrecord.resolve import document as document_module

SLOW = "Anna Petrova said the talks had stalled, SLOWLY."
FAST = "Viktor Oram said Nordmark must decide."


@pytest.fixture()
def clock(monkeypatch):
    """A clock that moves only when a test says so."""
    now = [1000.0]
    monkeypatch.setattr(budget_module, "clock", lambda: now[0])
    return now


def test_a_budget_of_nothing_fails_every_document_with_what_to_do(extractor):
    results = list(process([from_text(SLOW), from_text(FAST)], extractor, budget=0))
    assert [r.statements for r in results] == [(), ()]
    for r in results:
        assert r.error is not None and r.error.startswith("extraction took longer than 0 s (the --doc-timeout budget)")
        assert "\n" not in r.error


def test_a_document_slow_to_extract_fails_alone(extractor, clock, monkeypatch):
    read = Extractor._read

    def slow_read(self, document, *args):  # type: ignore[no-untyped-def]
        if "SLOWLY" in document.text:
            clock[0] += 100  # this document's parse takes 100 s
        return read(self, document, *args)

    monkeypatch.setattr(Extractor, "_read", slow_read)
    first, second, third = process([from_text(FAST), from_text(SLOW), from_text(FAST)], extractor, budget=10)
    assert second.statements == () and "longer than 10 s" in (second.error or "")
    assert first.error is None and [s.speaker for s in first.statements] == ["Viktor Oram"]
    assert third.error is None and [s.speaker for s in third.statements] == ["Viktor Oram"]


def test_a_document_slow_to_resolve_fails_alone(extractor, clock, monkeypatch):
    speaker = document_module.DocumentResolver._speaker

    def slow_speaker(self, *args):  # type: ignore[no-untyped-def]
        if "SLOWLY" in self.text:
            clock[0] += 100
        return speaker(self, *args)

    monkeypatch.setattr(document_module.DocumentResolver, "_speaker", slow_speaker)
    slow, fast = process([from_text(SLOW + " " + SLOW), from_text(FAST)], extractor, budget=10)
    assert slow.statements == () and "longer than 10 s" in (slow.error or "")
    assert fast.error is None and len(fast.statements) == 1


def test_the_budget_holds_off_the_main_thread(extractor):
    # the web server extracts in a worker thread, where an alarm signal cannot be used
    with ThreadPoolExecutor(1) as pool:
        (result,) = pool.submit(lambda: list(process([from_text(SLOW)], extractor, budget=0))).result()
    assert result.error is not None and "--doc-timeout" in result.error


def test_no_budget_changes_nothing(extractor):
    texts = [SLOW, FAST]
    unlimited = list(process([from_text(t) for t in texts], extractor))
    generous = list(process([from_text(t) for t in texts], extractor, budget=300))
    assert unlimited == generous and all(r.error is None for r in generous)
