"""The CLI on hostile inputs: one line per problem on stderr, exit 2 for bad flags, the rest still read."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from onrecord.cli import app

from .test_hostile_input import deadline, needs_posix

runner = CliRunner()
GOOD = "Anna Petrova said the talks had stalled.\n"


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(("failed:", "error:", "note:"))]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "0"])
@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_max_mb_must_be_a_positive_number(tmp_path, command, value):
    (tmp_path / "a.txt").write_text(GOOD)
    db = ["--db", f"sqlite:///{tmp_path / 'o.db'}"] if command == "ingest" else []
    result = runner.invoke(app, [command, str(tmp_path / "a.txt"), *db, "--max-mb", value])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "--max-mb" in result.stderr and "greater than 0" in result.stderr
    assert "Traceback" not in result.output


def test_max_mb_from_the_environment_is_checked_too(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt")], env={"ONRECORD_MAX_MB": "nan"})
    assert result.exit_code == 2 and "--max-mb" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("value", ["2026-13-01", "2026-02-30", "2026-00-10"])
def test_an_impossible_date_flag_is_refused(tmp_path, value):
    (tmp_path / "a.txt").write_text(GOOD)
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "a.txt"), "--db", f"sqlite:///{tmp_path / 'o.db'}", "--date", value]
    )
    assert result.exit_code == 2 and f"--date '{value}' is not a date" in result.stderr
    assert not (tmp_path / "o.db").exists() or "added" not in result.stderr


@needs_posix
def test_extract_skips_a_fifo_and_dev_zero_in_one_line_each(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(GOOD)
    os.mkfifo(tmp_path / "in" / "pipe.txt")
    with deadline(60):
        result = runner.invoke(app, ["extract", str(tmp_path / "in"), "/dev/zero"])
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"failed: {tmp_path / 'in' / 'pipe.txt'}: is a named pipe (FIFO), not a regular file; only regular files are read",
        "failed: /dev/zero: is a character device, not a regular file; only regular files are read",
    ]
    assert "Anna Petrova" in result.stdout


@pytest.mark.parametrize("name", ["two\nlines.txt", "paint\x1b[2J\x1b[41m.txt", "back\rspace\b.txt"])
def test_each_failure_is_exactly_one_line(tmp_path, name):
    (tmp_path / name).write_bytes(b"\x00\x01binary")
    result = runner.invoke(app, ["extract", str(tmp_path / name)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr and "\r" not in result.stderr
    assert result.stderr.startswith("failed: ") and "binary" in result.stderr


def test_notes_about_what_was_assumed_reach_stderr(tmp_path):
    text = "Министр Анна Петрова заявила, что переговоры зашли в тупик, и никто не знает, что будет дальше. " * 3
    (tmp_path / "ru.txt").write_bytes(text.encode("cp1251"))
    result = runner.invoke(app, ["extract", str(tmp_path / "ru.txt")])
    assert result.exit_code == 0, result.output
    (note,) = error_lines(result)
    assert note.startswith(f"note: {tmp_path / 'ru.txt'}: not UTF-8; decoded as cp1251"), result.stderr


def test_a_file_with_an_impossible_date_fails_alone(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "2026-02-31-talks.txt").write_text(GOOD)
    (tmp_path / "in" / "2026-02-28-talks.txt").write_text("Karin Vale said the drills would go ahead.\n")
    result = runner.invoke(app, ["extract", str(tmp_path / "in")])
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"failed: {tmp_path / 'in' / '2026-02-31-talks.txt'}: the file name's date '2026-02-31' is not a calendar "
        "date; correct it, or give the date with --date"
    ]
    assert "Karin Vale" in result.stdout
    result = runner.invoke(app, ["extract", str(tmp_path / "in"), "--date", "2026-03-01"])
    assert result.exit_code == 0 and "Anna Petrova" in result.stdout


def test_an_alias_bomb_fails_in_one_line_and_the_rest_goes_in(tmp_path):
    from .test_hostile_input import ALIAS_BOMB

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bomb.md").write_text(ALIAS_BOMB)
    (tmp_path / "in" / "good.txt").write_text(GOOD)
    with deadline(60):
        result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", f"sqlite:///{tmp_path / 'o.db'}"])
    assert result.exit_code == 1
    (line,) = [line for line in error_lines(result) if "bomb.md" in line]
    assert "alias" in line
    assert "added 1 documents" in result.stderr
