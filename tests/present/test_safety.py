"""Issue 12 through the CLI: export never harms the database, a killed ingest is finished by the
next run, registries are listed and removed, merges cannot loop."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from onrecord import Query, open_store
from onrecord.cli import app

runner = CliRunner()


@pytest.fixture
def db(tmp_path, demo_dir):
    path = tmp_path / "onrecord.db"
    result = runner.invoke(app, ["ingest", str(demo_dir), "--db", str(path), "--no-topics"])
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize("target", ["same", "relative", "symlink", "hardlink", "wal"])
def test_export_refuses_the_database_itself(db, tmp_path, monkeypatch, target):
    size, stored = db.stat().st_size, len(open_store(f"sqlite:///{db}").statements())
    out = {
        "same": db,
        "relative": "onrecord.db",
        "symlink": tmp_path / "link.db",
        "hardlink": tmp_path / "hard.db",
        "wal": tmp_path / "onrecord.db-wal",
    }[target]
    if target == "symlink":
        os.symlink(db, out)
    elif target == "hardlink":
        os.link(db, out)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["export", str(out), "--db", str(db), "--force"])
    assert result.exit_code == 1
    assert "is the database" in result.output and "Traceback" not in result.output
    # not truncated (a WAL checkpoint of an earlier connection may still grow it)
    assert db.stat().st_size >= size > 0
    assert len(open_store(f"sqlite:///{db}").statements()) == stored


def test_export_with_the_default_database_next_to_it(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ONRECORD_DB", raising=False)
    result = runner.invoke(app, ["export", "onrecord.db"])
    assert result.exit_code == 1 and "is the database" in result.output
    assert db.stat().st_size > 0


def test_export_overwrites_only_with_force(db, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("keep me\n")
    result = runner.invoke(app, ["export", str(out), "--db", str(db)])
    assert result.exit_code == 1 and "--force" in result.output
    assert out.read_text() == "keep me\n"
    result = runner.invoke(app, ["export", str(out), "--db", str(db), "--force", "--acts", "all"])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == len(open_store(f"sqlite:///{db}").statements()) > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_a_failed_export_leaves_the_old_file_and_no_partial(db, tmp_path, monkeypatch):
    from onrecord import export as exporting

    out = tmp_path / "out.csv"
    out.write_text("old\n")

    def broken(records, path, fmt):
        path.write_text("half")
        raise OSError("disk full")

    monkeypatch.setattr(exporting, "_write", broken)
    result = runner.invoke(app, ["export", str(out), "--db", str(db), "--format", "csv", "--force"])
    assert result.exit_code == 1 and "disk full" in result.output
    assert out.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_an_ingest_killed_before_linking_is_finished_by_the_next_run(tmp_path, demo_dir, monkeypatch, demo_count):
    from onrecord.analyse import identities

    path = tmp_path / "killed.db"

    def killed(store):
        raise KeyboardInterrupt  # the process dies after the documents are stored

    with monkeypatch.context() as patch:
        patch.setattr(identities, "relink", killed)
        runner.invoke(app, ["ingest", str(demo_dir), "--db", str(path), "--no-topics"])
    again = runner.invoke(app, ["ingest", str(demo_dir), "--db", str(path), "--no-topics"])
    assert again.exit_code == 0, again.output
    assert f"skipped {demo_count}" in again.output
    assert "finished what an interrupted run left undone: linking speakers" in again.output
    store = open_store(f"sqlite:///{path}")
    assert store.pending() == {"topics", "subjects"}  # --no-topics: left for a run that scores topics
    linked = [r for r in store.statements(Query()) if r.statement.speaker == "Anna Petrova"]
    assert linked and {r.identity for r in linked} == {"Anna Petrova"}


def test_registries_list_and_remove(db, tmp_path, demo_dir):
    registry = demo_dir.parent / "registry.yaml"
    assert runner.invoke(app, ["speakers", "import", str(registry), "--db", str(db)]).exit_code == 0
    listed = runner.invoke(app, ["speakers", "registries", "--db", str(db), "--format", "jsonl"])
    assert str(registry.resolve()) in listed.output and '"identities": 10' in listed.output
    removed = runner.invoke(app, ["speakers", "registries", "--db", str(db), "--remove", str(registry)])
    assert removed.exit_code == 0, removed.output
    empty = runner.invoke(app, ["speakers", "registries", "--db", str(db)])
    assert "no registries imported" in empty.output
    missing = runner.invoke(app, ["speakers", "registries", "--db", str(db), "--remove", "nope.yaml"])
    assert missing.exit_code == 1 and missing.output.startswith("error: no registry")


def test_merge_loops_and_self_aliases_are_one_line_errors(db):
    assert runner.invoke(app, ["speakers", "merge", "Anna Petrova", "Edgar Lund", "--db", str(db)]).exit_code == 0
    back = runner.invoke(app, ["speakers", "merge", "Edgar Lund", "Anna Petrova", "--db", str(db)])
    assert back.exit_code == 1 and len(back.output.strip().splitlines()) == 1
    same = runner.invoke(app, ["speakers", "alias", "Anna Petrova", "anna petrova", "--db", str(db)])
    assert same.exit_code == 1 and "already the same speaker" in same.output


def test_a_document_over_its_budget_fails_alone_and_nothing_half_stored(tmp_path, demo_dir, demo_count):
    path = tmp_path / "budget.db"
    result = runner.invoke(app, ["ingest", str(demo_dir), "--db", str(path), "--doc-timeout", "1e-9"])
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if line.startswith("failed:")]
    assert len(failed) == demo_count and all("--doc-timeout" in line for line in failed)
    assert "added 0 documents" in result.output
    assert open_store(f"sqlite:///{path}").documents() == []
    again = runner.invoke(app, ["ingest", str(demo_dir), "--db", str(path), "--no-topics"])
    assert again.exit_code == 0 and f"added {demo_count} documents" in again.output


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "soon"])
def test_a_budget_that_is_no_number_of_seconds_is_refused(tmp_path, demo_dir, value):
    result = runner.invoke(app, ["extract", str(demo_dir), "--doc-timeout", value])
    assert result.exit_code == 2 and "--doc-timeout" in result.output and "Traceback" not in result.output
