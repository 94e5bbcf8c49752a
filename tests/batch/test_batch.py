"""The Dask batch on a local cluster: output, failures, resume, one model load per worker, loading."""

from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from onrecord.batch import load_into, plan, run_batch


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as local, Client(local) as client:  # fmt: skip
        yield local.scheduler_address, client


@pytest.fixture()
def corpus(tmp_path, demo_dir):
    root = tmp_path / "in"
    (root / "files").mkdir(parents=True)
    for path in sorted(demo_dir.glob("*.md"))[:6]:
        shutil.copy(path, root / "files" / path.name)
    (root / "items.jsonl").write_text(
        json.dumps({"text": '"We will sign," Anna Petrova said.', "date": "2026-05-01", "id": "a"}) + "\n"
        + "{not json\n"
        + json.dumps({"text": "Jonas Kallas said the drills would go on.", "date": "2026-05-02", "id": "b"}) + "\n"
    )  # fmt: skip
    table = pa.Table.from_pylist(
        [
            {
                "text": "Marta Ilves warned that the talks were failing.",
                "date": "2026-06-01",
                "outlet": "Wire",
                "id": 1,
            },
            {"text": "", "date": "2026-06-02", "outlet": "Wire", "id": 2},
        ]
    )
    pq.write_table(table, root / "rows.parquet")
    return root


def test_batch_writes_parquet_records_failures_and_resumes(cluster, corpus, tmp_path, extractor):
    address, client = cluster
    out = tmp_path / "out"
    summary = run_batch([str(corpus)], out, scheduler=address, files_per_shard=2)
    assert summary.shards == 5 and summary.done == 5 and not summary.failed_shards
    assert summary.documents == 6 + 2 + 1
    failed = {source.rsplit("/", 1)[-1]: problem for source, problem in summary.failures}
    assert set(failed) == {"items.jsonl:2", "rows.parquet:2"}, failed

    # the spaCy pipeline was loaded once in each worker, whatever the number of tasks
    from onrecord.extract import load_nlp

    loads = client.run(lambda: load_nlp.cache_info().misses)
    assert sorted(loads.values()) == [1, 1]

    # statements, partitioned by month, carry the CLI contract and point into their document
    statements = pq.read_table(out / "statements").to_pylist()
    assert {r["month"] for r in statements} >= {"2026-03", "2026-05", "2026-06"}
    documents = {r["content_hash"]: r for r in pq.read_table(out / "documents").to_pylist()}
    for row in statements:
        a, b = row["content_span"]
        assert documents[row["content_hash"]]["text"][a:b] == row["content"]
    assert sum(1 for r in statements if r["speaker"] == "Marta Ilves") == 1

    again = run_batch([str(corpus)], out, scheduler=address, files_per_shard=2)
    assert (again.skipped, again.done, again.documents) == (5, 0, 0)

    # a changed input re-runs its own shard only
    first = sorted((corpus / "files").iterdir())[0]
    first.write_text(first.read_text() + "\nAnna Petrova said the lake was calm.\n")
    changed = run_batch([str(corpus)], out, scheduler=address, files_per_shard=2)
    assert (changed.skipped, changed.done) == (4, 1)
    assert len(pq.read_table(out / "documents").to_pylist()) == 9  # the old shard's files were replaced


def test_load_into_a_database_in_bulk(cluster, corpus, tmp_path):
    from onrecord import open_store

    address, _ = cluster
    out = tmp_path / "out"
    run_batch([str(corpus)], out, scheduler=address)
    db = f"sqlite:///{tmp_path / 'b.db'}"
    assert load_into(out, db) == 9
    assert load_into(out, db) == 0  # idempotent
    store = open_store(db)
    assert len(store.documents()) == 9
    assert any(s.name == "Anna Petrova" for s in store.speakers())
    assert store.statements()[0].topics is not None
    store.close()


def test_plan_makes_one_shard_per_jsonl_and_parquet_file(corpus):
    shards, problems = plan([str(corpus), str(corpus / "missing")], files_per_shard=4)
    assert [s.kind for s in shards].count("files") == 2
    assert {s.kind for s in shards} == {"files", "jsonl", "parquet"}
    assert [p.problem for p in problems] == ["no such file or directory"]


def test_cli_batch_local_cluster(corpus, tmp_path):
    from typer.testing import CliRunner

    from onrecord.cli import app

    result = CliRunner().invoke(app, ["batch", str(corpus / "files"), "--out", str(tmp_path / "o"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "6 documents" in result.output and "0 failed documents" in result.output


def test_plan_takes_a_file_name_that_is_not_utf8(tmp_path):
    import os

    name = os.fsdecode(b"caf\xe9.txt")  # Latin-1 bytes: a surrogate escape in Python
    (tmp_path / name).write_text("Anna Petrova said the talks had stalled.")
    shards, failures = plan([str(tmp_path)])
    assert failures == [] and [os.path.basename(p) for p in shards[0].paths] == [name]
