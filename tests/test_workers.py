"""Parsing in worker processes (``process(..., workers=N)``, ``--workers``): the same statements
in the same order as one process, and a worker that dies fails only the documents it held."""

from __future__ import annotations

import copy
import pickle
from dataclasses import dataclass, field, replace

import pytest
from typer.testing import CliRunner

from onrecord.analyse import syndication
from onrecord.cli import app
from onrecord.ingest import from_text
from onrecord.model import Span, Statement, _pickled_by_fields
from onrecord.pipeline import _BATCH_DOCUMENTS, _process_in_workers, process, worker_count
from tests.analyse.test_syndication import STORY
from tests.workers_task import die_on_marker

NAMES = ["Anna Petrova", "Karin Solvik", "Jonas Kallas", "Lena Sorvik", "Viktor Oram"]


def _documents(count: int, die_at: int | None = None) -> list:
    documents = []
    for i in range(count):
        name = NAMES[i % len(NAMES)]
        text = (
            f'"The harbour will reopen in week {i}," {name} said on Monday. '
            f"{name.split()[-1]} added that the ferry would run twice a day. She warned of delays."
        )
        if i == die_at:
            text = "DIE " + text
        documents.append(from_text(text, source=f"doc-{i}.txt"))
    return documents


def _plain(items) -> list:
    return [(p.document.source, p.error, [s.to_dict() for s in p.statements]) for p in items]


def test_workers_give_what_one_process_gives_in_order():
    documents = _documents(40)  # enough for the workers to start
    for i in range(0, 40, 3):  # texts of every length to sign (issue 17): long, short, too short
        documents[i] = replace(documents[i], text=documents[i].text + " " + STORY)
    for i in range(1, 40, 5):
        documents[i] = replace(documents[i], text=f'"We will reopen the harbour," {NAMES[i % 5]} said.')
    alone = _plain(process(documents))
    in_workers = list(process(documents, workers=2, sign=True))
    assert _plain(in_workers) == alone
    assert [source for source, _, _ in alone] == [d.source for d in documents]
    assert all(statements for _, _, statements in alone)
    # each signed in its worker, as this process signs it (and as datasketch did: test_syndication)
    assert [p.signature for p in in_workers] == [syndication.signature_bytes(d.text) for d in documents]
    assert b"" in {p.signature for p in in_workers} and len({p.signature for p in in_workers}) > 20


def test_a_dead_worker_fails_its_batch_and_the_rest_go_on():
    documents = _documents(40, die_at=20)  # the batch holding document 20 kills its worker
    items = list(_process_in_workers(documents, 2, None, task=die_on_marker))
    assert [p.document.source for p in items] == [d.source for d in documents]
    failed = [i for i, p in enumerate(items) if p.error]
    first = 20 - 20 % _BATCH_DOCUMENTS  # the documents are short: batches of _BATCH_DOCUMENTS
    assert failed == list(range(first, first + _BATCH_DOCUMENTS))
    assert all("worker process died" in items[i].error for i in failed)
    assert all(p.statements for i, p in enumerate(items) if i not in failed)


def test_what_crosses_to_workers_pickles_to_equal_values():
    """Documents go to the workers and statements come back pickled (issue 17: by their fields)."""
    documents = [from_text("ANNA PETROVA: We reopen.\nQ: When?\nANNA PETROVA: Monday.", source="t.txt", title="T")]
    documents.append(replace(documents[0], meta={"participants": ["Anna Petrova"], "notes": ["a"]}))
    statements = [
        Statement(0, "direct", "We reopen", Span(1, 10), speaker="Anna Petrova", quotes=(Span(1, 3), Span(4, 9))),
        Statement(
            1, "indirect", "x", Span(0, 1), cue="said", cue_span=Span(2, 6), nested_in=0, confidence=0.5, act="think"
        ),
    ]
    for value in [*documents, *statements, Span(3, 7)]:
        for back in (pickle.loads(pickle.dumps(value, protocol=p)) for p in (2, pickle.HIGHEST_PROTOCOL)):
            assert back == value and type(back) is type(value)
        assert copy.deepcopy(value) == value
    assert documents[0].turns and pickle.loads(pickle.dumps(documents[0])).turns == documents[0].turns
    assert pickle.loads(pickle.dumps(documents[1])).meta == documents[1].meta  # meta does not take part in ==


def test_pickling_by_fields_refuses_a_field_init_does_not_take():
    @dataclass(frozen=True)
    class Derived:
        a: int
        b: int = field(init=False, default=0)

    with pytest.raises(TypeError, match="__init__"):
        _pickled_by_fields(Derived)


@pytest.mark.parametrize(("value", "count"), [("1", 1), (3, 3), ("2", 2)])
def test_worker_count(value, count):
    assert worker_count(value) == count
    assert worker_count(0) >= 1


@pytest.mark.parametrize("value", ["-1", "two", "1.5", ""])
def test_worker_count_refuses(value):
    with pytest.raises(ValueError, match="whole number"):
        worker_count(value)


def test_cli_refuses_a_bad_workers_value_before_any_work(tmp_path):
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "--workers", "-1"])
    assert result.exit_code == 2
    assert "--workers" in result.output and "whole number" in result.output
