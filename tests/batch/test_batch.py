"""The Dask batch on a local cluster: output, failures, resume, one model load per worker, loading;
shards sized by bytes and run largest first (issue 17)."""

from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from onrecord.batch import load_into, plan, run_batch
from onrecord.batch.shards import largest_first


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
    summary = run_batch([str(corpus)], out, scheduler=address, shard_bytes=1)  # a shard for each file
    assert summary.shards == 8 and summary.done == 8 and not summary.failed_shards
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

    # the timeline: one result per shard, and together they extracted every document's text
    assert len(summary.shard_results) == 8
    assert sum(r.chars for r in summary.shard_results) == sum(len(d["text"]) for d in documents.values())
    assert all(summary.began <= r.started <= r.ended for r in summary.shard_results)

    again = run_batch([str(corpus)], out, scheduler=address, shard_bytes=1)
    assert (again.skipped, again.done, again.documents) == (8, 0, 0)

    # a changed input re-runs its own shard only
    first = sorted((corpus / "files").iterdir())[0]
    first.write_text(first.read_text() + "\nAnna Petrova said the lake was calm.\n")
    changed = run_batch([str(corpus)], out, scheduler=address, shard_bytes=1)
    assert (changed.skipped, changed.done) == (7, 1)
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


def test_the_output_does_not_depend_on_how_the_input_is_sharded(cluster, corpus, tmp_path):
    address, _ = cluster
    outputs = []
    for shard_bytes in (1, 10**9):  # a shard for each file; all the files in one shard
        out = tmp_path / f"out-{shard_bytes}"
        run_batch([str(corpus)], out, scheduler=address, shard_bytes=shard_bytes)
        documents = pq.read_table(out / "documents").to_pylist()
        statements = pq.read_table(out / "statements").to_pylist()
        outputs.append((documents, statements))
    (one, one_statements), (all_, all_statements) = outputs
    hashes = [d["content_hash"] for d in one]
    assert len(hashes) == len(set(hashes)) == 9  # every document exactly once

    def rows(table):  # type: ignore[no-untyped-def]
        return sorted(json.dumps(row, sort_keys=True, default=str) for row in table)

    assert rows(one) == rows(all_) and rows(one_statements) == rows(all_statements)


def _files(root, sizes):  # type: ignore[no-untyped-def]
    for number, size in enumerate(sizes):
        (root / f"{number:03d}.txt").write_text("x" * size)
    return sorted(str(p) for p in root.iterdir())


@pytest.mark.parametrize(
    "sizes",
    [
        [300, 700, 100, 100, 950, 2500, 40, 40, 40, 600, 1],  # a file bigger than a shard among small ones
        [999, 1, 1000, 1000, 500, 501],  # sizes just at and over the limit
        [10] * 250,  # many small files
    ],
)
def test_plan_fills_shards_up_to_the_byte_size_in_path_order(tmp_path, sizes):
    files = _files(tmp_path, sizes)
    size = dict(zip(files, sizes, strict=True))
    shards, problems = plan([str(tmp_path)], shard_bytes=1000)
    assert problems == []
    # every file exactly once, in path order
    assert [path for shard in shards for path in shard.paths] == files
    for shard, following in zip(shards, [*shards[1:], None], strict=True):
        assert shard.size == sum(size[p] for p in shard.paths)
        # no shard of several files goes past the size; one closes only when its next file would
        assert shard.size <= 1000 or len(shard.paths) == 1
        if following is not None:
            assert shard.size + size[following.paths[0]] > 1000
    # so no two neighbouring shards would fit in one: the plan makes at most twice the minimum
    assert len(shards) <= 2 * -(-sum(sizes) // 1000)


def test_run_order_is_largest_first_keeping_the_plan_order_on_ties(tmp_path):
    files = _files(tmp_path, [5, 30, 10, 30, 20])
    shards, _ = plan([str(tmp_path)], shard_bytes=1)
    ordered = largest_first(shards)
    assert [s.size for s in ordered] == [30, 30, 20, 10, 5]
    assert [s.paths[0] for s in ordered][:2] == [files[1], files[3]]


def test_plan_makes_one_shard_per_jsonl_and_parquet_file(corpus):
    shards, problems = plan([str(corpus), str(corpus / "missing")], shard_bytes=1)
    assert [s.kind for s in shards].count("files") == 6
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
