"""The CLI: each command on real files, its output, and its exit status."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from onrecord.cli import app

runner = CliRunner()
COMMANDS = [
    "extract",
    "ingest",
    "reextract",
    "statements",
    "documents",
    "speakers",
    "speakers merge",
    "speakers alias",
    "speakers unmerge",
    "speakers import",
    "speakers registries",
    "topics apply",
    "topics list",
    "timeline",
    "subjects",
    "shifts",
    "brief",
    "trace",
    "batch",
    "serve",
    "show",
    "export",
    "eval",
    "fetch",
    "watch",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_help(command):
    result = runner.invoke(app, [*command.split(), "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_every_command_is_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for command in COMMANDS:
        assert f"onrecord {command}" in readme, command


def test_extract_jsonl_contract(demo_dir):
    path = str(demo_dir / "2026-03-14-harbour-times-sanctions.md")
    result = runner.invoke(app, ["extract", path, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(r["source"] == path for r in rows)
    assert [r["index"] for r in rows] == list(range(len(rows)))
    text = runner.invoke(app, ["extract", path, "--show-text"]).stdout
    for r in rows:
        a, b = r["content_span"]
        assert text[a:b] == r["content"]


def test_extract_keeps_going_past_a_bad_file(tmp_path, demo_dir):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    good = str(demo_dir / "2026-04-10-meridian-petrova-ready.md")
    result = runner.invoke(app, ["extract", str(bad), good, str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert "bad.txt: this is a binary file" in result.stderr
    assert "missing.txt: no such file" in result.stderr
    assert any(json.loads(line)["source"] == good for line in result.stdout.splitlines())


def test_ingest_is_idempotent_and_reports(tmp_path, demo_dir, demo_count):
    db = f"sqlite:///{tmp_path / 'o.db'}"
    first = runner.invoke(app, ["ingest", str(demo_dir), "--db", db])
    assert first.exit_code == 0, first.output
    assert f"added {demo_count} documents" in first.stderr and "failed 0" in first.stderr
    again = runner.invoke(app, ["ingest", str(demo_dir), "--db", db])
    assert "added 0 documents" in again.stderr and f"skipped {demo_count} already present" in again.stderr


def test_reextract_replaces_what_an_older_extractor_stored(tmp_path, demo_dir, demo_count):
    from onrecord import Query, open_store

    db = f"sqlite:///{tmp_path / 'o.db'}"
    runner.invoke(app, ["ingest", str(demo_dir), "--db", db, "--no-topics"])
    store = open_store(db)
    before = {(s.document.id, s.statement) for s in store.statements(Query(limit=1000))}
    first, second = (d.id for d in store.documents()[:2])
    store.replace_statements(first, [], "onrecord.quotes.v0")  # as if an older extractor found nothing
    store.replace_statements(second, [], "onrecord.quotes.v0")
    result = runner.invoke(app, ["reextract", "--db", db, "--no-topics"])
    assert result.exit_code == 0, result.output
    assert "extracted 2 documents again" in result.stderr and "failed 0" in result.stderr
    assert {(s.document.id, s.statement) for s in store.statements(Query(limit=1000))} == before
    assert "extracted 0 documents again" in runner.invoke(app, ["reextract", "--db", db, "--no-topics"]).stderr
    assert (
        f"extracted {demo_count} documents again"
        in runner.invoke(app, ["reextract", "--db", db, "--all", "--no-topics"]).stderr
    )
    store.close()


def test_russian_documents_record_and_are_reextracted_by_their_own_rules(tmp_path, demo_dir):  # issue 15
    from onrecord import open_store
    from onrecord.extract import RUSSIAN_VERSION, VERSION, VERSIONS

    db = f"sqlite:///{tmp_path / 'o.db'}"
    runner.invoke(app, ["ingest", str(demo_dir), "--db", db, "--no-topics"])
    store = open_store(db)
    langs = {d.id: d.lang for d in store.documents()}
    (russian, *_) = [doc_id for doc_id, lang in langs.items() if lang == "ru"]
    assert store.stale_documents(VERSIONS) == []
    assert store.stale_documents({**VERSIONS, "ru": "onrecord.quotes-ru.v0"}) == [russian]  # Russian rules changed
    assert store.stale_documents(VERSION) == [russian]  # it recorded the Russian rules, not the English
    assert RUSSIAN_VERSION != VERSION
    document, _, found = store.document(russian)
    store.replace_statements(russian, found, VERSION)  # as the previous version stored it: the English rules' name
    result = runner.invoke(app, ["reextract", "--db", db, "--no-topics"])
    assert "extracted 1 documents again" in result.stderr and RUSSIAN_VERSION in result.stderr
    assert store.document(russian)[2] == found and store.stale_documents(VERSIONS) == []
    store.close()


def test_ingest_bad_files_fail_loudly_and_lose_nothing(tmp_path, demo_dir):
    db = f"sqlite:///{tmp_path / 'o.db'}"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "lines.jsonl").write_text('{"text": "Anna Petrova said talks stalled."}\n{oops\n')
    (tmp_path / "in" / "unbalanced.txt").write_text('Kallas said "the drills go ahead.\n\nNothing else.')
    result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", db])
    assert result.exit_code == 1
    assert "empty.txt: the file is empty" in result.stderr
    assert "lines.jsonl:2: not valid JSON" in result.stderr
    assert "added 2 documents" in result.stderr


def test_statements_documents_show_export(tmp_path, demo_dir):
    db = f"sqlite:///{tmp_path / 'o.db'}"
    runner.invoke(app, ["ingest", str(demo_dir), "--db", db])
    listed = runner.invoke(app, ["statements", "--db", db, "--speaker", "Petrova", "--format", "jsonl"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    # the filter matches the speaker across documents too: her Russian turns ("Анна Петрова") are hers
    assert rows and all("Petrova" in (r["identity"] or r["speaker"] or r["speaker_mention"]) for r in rows)
    assert runner.invoke(app, ["statements", "--db", db, "--kind", "bogus"]).exit_code == 2
    table = runner.invoke(app, ["statements", "--db", db, "--by-speaker"], terminal_width=200)
    assert "Anna Petrova" in table.stdout and "Jonas Kallas" in table.stdout
    listed_speakers = runner.invoke(app, ["speakers", "--db", db, "--format", "jsonl"])
    rows = [json.loads(line) for line in listed_speakers.stdout.splitlines()]
    petrova = next(r for r in rows if r["name"] == "Anna Petrova")
    assert petrova["statements"] >= 10 and petrova["documents"] >= 5
    assert {"She", "Petrova"} <= {m["mention"] for m in petrova["mentions"]}
    assert any(r["name"] is None and r["mention"] == "officials" for r in rows)
    docs = runner.invoke(app, ["documents", "--db", db], terminal_width=200)
    assert "Harbour Times" in docs.stdout
    shown = runner.invoke(app, ["show", "1", "--db", db], terminal_width=200)
    assert shown.exit_code == 0 and "[0 " in shown.stdout
    assert runner.invoke(app, ["show", "999", "--db", db]).exit_code == 1
    for fmt in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"out.{fmt}"
        result = runner.invoke(app, ["export", str(out), "--format", fmt, "--db", db])
        assert result.exit_code == 0 and out.stat().st_size > 0
    with (tmp_path / "out.csv").open() as fh:
        csv_rows = len(list(csv.DictReader(fh)))
    assert csv_rows == len((tmp_path / "out.jsonl").read_text().splitlines())
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "out.parquet").num_rows == csv_rows


def test_bad_dates_are_refused(tmp_path, demo_dir):
    db = f"sqlite:///{tmp_path / 'o.db'}"
    result = runner.invoke(app, ["statements", "--db", db, "--since", "yesterdayish"])
    assert result.exit_code == 2 and "--since 'yesterdayish' is not a date" in result.stderr
    result = runner.invoke(app, ["ingest", str(demo_dir), "--db", db, "--date", "soon"])
    assert result.exit_code == 2 and "--date 'soon' is not a date" in result.stderr
    assert not (tmp_path / "o.db").exists()  # refused before anything was opened or written


def test_every_setting_is_in_the_readme():
    from pathlib import Path

    from onrecord.config import SETTINGS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for setting in SETTINGS.values():
        assert setting.env in readme, setting.env


def test_the_record_commands_on_the_demo(demo_dir, tmp_path):
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    assert runner.invoke(app, ["ingest", str(demo_dir), "--db", db]).exit_code == 0
    registry = str(demo_dir.parent / "registry.yaml")
    imported = runner.invoke(app, ["speakers", "import", registry, "--db", db])
    assert imported.exit_code == 0 and "imported 10 identities" in imported.output
    rows = [
        json.loads(line) for line in runner.invoke(app, ["speakers", "--db", db, "-f", "jsonl"]).stdout.splitlines()
    ]
    petrova = next(r for r in rows if r["name"] == "Anna Petrova")
    assert "Petrova" in petrova["variants"] and petrova["roles"][0]["of"] == "Ruritania"

    merged = runner.invoke(app, ["speakers", "merge", "Anna Petrova", "Marta Ilves", "--db", db])
    assert merged.exit_code == 0 and "unmerge" in merged.output
    assert runner.invoke(app, ["speakers", "unmerge", "Marta Ilves", "--db", db]).exit_code == 0

    listed = runner.invoke(app, ["topics", "list", "--db", db])
    assert listed.exit_code == 0 and "sanctions" in listed.stdout
    plot = tmp_path / "petrova.svg"
    line = runner.invoke(app, ["timeline", "Anna Petrova", "--db", db, "--plot", str(plot)])
    assert line.exit_code == 0 and "peace negotiations" in line.stdout and plot.read_text().startswith("<?xml")
    found = runner.invoke(app, ["shifts", "--speaker", "Anna Petrova", "--db", db, "-f", "jsonl"])
    kinds = [json.loads(x)["kind"] for x in found.stdout.splitlines()]
    assert found.exit_code == 0 and "reversal" in kinds
    made = runner.invoke(app, ["brief", "--speaker", "Anna Petrova", "--db", db])
    assert made.exit_code == 0 and made.stdout.startswith("# Brief: Anna Petrova")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["timeline", "Nobody"], "no statements by 'Nobody'"),
        (["timeline", "Anna Petrova", "--plot", "x.gif"], ".svg or .png"),
        (["brief", "--format", "pdf"], "choose md or html"),
        (["brief", "--doc", "nope"], "no document 'nope'"),
        (["speakers", "merge", "A", "B"], "no speaker 'A'"),
        (["speakers", "import", "missing.yaml"], "missing.yaml"),
    ],
)
def test_record_commands_fail_cleanly(tmp_path, args, message):
    result = runner.invoke(app, [*args, "--db", f"sqlite:///{tmp_path / 'empty.db'}"])
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output


def test_subjects_command(tmp_path, extractor):
    """Issue 14: `onrecord subjects SPEAKER [--since]` lists subjects with counts, dates and topics."""
    from onrecord import open_store
    from onrecord.analyse import refresh
    from onrecord.ingest import from_text
    from onrecord.pipeline import process
    from tests.analyse.test_subjects import COUNCIL

    db = f"sqlite:///{tmp_path / 'council.db'}"
    store = open_store(db)
    documents = [from_text(text, date=date, outlet=outlet, title=title) for date, outlet, title, text in COUNCIL]
    store.add_many([(i.document, i.statements) for i in process(documents, extractor)], extractor.version)
    refresh(store)
    store.close()
    rows = [
        json.loads(line)
        for line in runner.invoke(app, ["subjects", "Maren Solvik", "--db", db, "-f", "jsonl"]).stdout.splitlines()
    ]
    council = next(r for r in rows if r["name"] == "the regional council")
    assert (council["statements"], council["first"], council["last"]) == (3, "2026-01-12", "2026-03-16")
    later = runner.invoke(app, ["subjects", "Maren Solvik", "--db", db, "--since", "2026-03-01", "-f", "jsonl"])
    assert [json.loads(line)["statements"] for line in later.stdout.splitlines()] == [1]
    missing = runner.invoke(app, ["subjects", "Nobody", "--db", db])
    assert missing.exit_code == 1 and "onrecord speakers" in missing.output
    table = runner.invoke(app, ["timeline", "Maren Solvik", "--db", db, "--by", "subject"])
    assert table.exit_code == 0 and "the regional council" in table.output
