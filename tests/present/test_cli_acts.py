"""--acts on the commands that show statements: ``say`` by default, wider on request, the writer's
own voice always; a bad value is a one-line error with exit status 2."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from onrecord import open_store
from onrecord.analyse import refresh
from onrecord.cli import app
from onrecord.ingest import from_text
from onrecord.model import Span, Statement

runner = CliRunner()
TEXT = "Anna Petrova said talks stalled. Anna Petrova hopes they resume. I believe she is right."


@pytest.fixture()
def db(tmp_path) -> str:
    """One document: a say, a think and the writer's own (think) voice, built directly (the
    extractor does not tell acts apart yet)."""
    url = f"sqlite:///{tmp_path / 'acts.db'}"
    store = open_store(url)
    found = [
        Statement(0, "indirect", "talks stalled", Span(18, 31), speaker="Anna Petrova", cue="said"),
        Statement(1, "indirect", "they resume", Span(52, 63), speaker="Anna Petrova", cue="hopes", act="think"),
        Statement(2, "author", "she is right", Span(75, 87), cue="believe", act="think"),
    ]
    assert [s.content_span.of(TEXT) for s in found] == [s.content for s in found]
    store.add(from_text(TEXT, date="2026-03-02", source="acts.txt"), found, "test")
    refresh(store, with_topics=False)
    store.close()
    return url


def contents(args: list[str]) -> list[str]:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return [json.loads(line)["content"] for line in result.stdout.splitlines()]


def test_statements_and_export(db, tmp_path):
    base = ["statements", "--db", db, "--format", "jsonl"]
    assert contents(base) == ["talks stalled", "she is right"]
    assert contents([*base, "--acts", "all"]) == ["talks stalled", "they resume", "she is right"]
    assert contents([*base, "--acts", "think"]) == ["they resume", "she is right"]
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["export", str(out), "--db", db, "--acts", "say,think"]).exit_code == 0
    assert [json.loads(line)["act"] for line in out.read_text().splitlines()] == ["say", "think", "think"]


def test_timeline_and_brief(db):
    timeline = ["timeline", "Anna Petrova", "--db", db, "--format", "jsonl"]
    assert contents(timeline) == ["talks stalled"]
    assert contents([*timeline, "--acts", "all"]) == ["talks stalled", "they resume"]
    brief = runner.invoke(app, ["brief", "--db", db, "--doc", "acts.txt"])
    assert "talks stalled" in brief.stdout and "they resume" not in brief.stdout and "she is right" in brief.stdout
    wide = runner.invoke(app, ["brief", "--db", db, "--doc", "acts.txt", "--acts", "think"])
    # the statement of another act is left out (the title, the text's first line since issue 14, may name it)
    assert "they resume" in wide.stdout and "(said): talks stalled" not in wide.stdout


@pytest.mark.parametrize("command", ["statements", "timeline", "shifts", "brief", "trace", "export", "extract"])
def test_a_bad_act_is_refused(command, db, tmp_path):
    args = {
        "statements": ["statements", "--db", db],
        "timeline": ["timeline", "Anna Petrova", "--db", db],
        "shifts": ["shifts", "--db", db],
        "brief": ["brief", "--db", db],
        "trace": ["trace", "1", "--db", db],
        "export": ["export", str(tmp_path / "x.jsonl"), "--db", db],
        "extract": ["extract", str(tmp_path / "none.txt")],
    }[command]
    result = runner.invoke(app, [*args, "--acts", "say,speech"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: --acts 'say,speech': unknown act 'speech'; choose from say, think, intend, show or all "
        "(comma-separated)"
    ]


def test_extract_shows_say_by_default(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Anna Petrova said talks stalled.", encoding="utf-8")
    rows = [json.loads(line) for line in runner.invoke(app, ["extract", str(path)]).stdout.splitlines()]
    assert [(r["content"], r["act"]) for r in rows] == [("talks stalled", "say")]
    assert runner.invoke(app, ["extract", str(path), "--acts", "all"]).exit_code == 0


def test_trace(db):
    def traced(*more: str) -> list[str]:
        result = runner.invoke(app, ["trace", "acts.txt", "--db", db, "--format", "json", *more])
        assert result.exit_code == 0, result.output
        return [t["statement"]["content"] for t in json.loads(result.stdout)["traces"]]

    assert traced() == ["talks stalled"]
    assert traced("--acts", "all") == ["talks stalled", "they resume"]


def test_show_and_tables_name_a_non_say_act(db):
    shown = runner.invoke(app, ["show", "acts.txt", "--db", db], terminal_width=200)
    assert shown.exit_code == 0 and "[1] Anna Petrova — indirect (think)" in shown.stdout
    table = runner.invoke(app, ["statements", "--db", db, "--acts", "all"], terminal_width=200)
    assert "indirect (think)" in table.stdout and "author (think)" in table.stdout


def test_eval_polnear_scores_say_apart(tmp_path):
    text = "Anna Petrova said the talks had stalled. Jonas Kallas believes that the talks will resume."
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a.txt").write_text(text, encoding="utf-8")
    spans = [("Source", 0, 12), ("Cue", 13, 17), ("Content", 18, 39), ("Source", 41, 53), ("Cue", 54, 62),
             ("Content", 63, 89)]  # fmt: skip
    lines = [f"T{n}\t{label} {a} {b}\t{text[a:b]}" for n, (label, a, b) in enumerate(spans, 1)]
    lines += ["E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1", "E2\tAttribution:T5 Content:T6 Cue:T5 Source:T4"]
    (tmp_path / "attributions" / "a_1.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "polnear", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert list(scores) == ["exact", "overlap30", "both50", "say:exact", "say:overlap30", "say:both50"]
    assert (scores["both50"]["gold"], scores["say:both50"]["gold"]) == (2, 1)
    table = runner.invoke(app, ["eval", "polnear", str(tmp_path)], terminal_width=200)
    assert "say alone: 1 gold statements whose cue reports say" in table.stdout
