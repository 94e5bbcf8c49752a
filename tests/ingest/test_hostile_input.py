"""Inputs a hostile or clumsy user gives: not regular files, lying sizes, odd encodings, impossible
dates, alias bombs, control characters in names. Each fails alone, in one line, without hanging."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time

import pytest

from onrecord import InputError
from onrecord.errors import printable
from onrecord.ingest import NOTES, expand, from_text, read

needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")


class Hung(Exception):
    """Not a TimeoutError: that is an OSError, which glob and os.walk swallow."""


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail instead of hanging: a blocked open() of a FIFO is interrupted by the alarm."""

    def expired(signum, frame):
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def refused(path, **kw) -> str:
    with deadline(20), pytest.raises(InputError) as info:
        list(read(str(path), **kw))
    message = str(info.value)
    assert "\n" not in message and "\x1b" not in message
    return message


def results(path, **kw) -> tuple[list, list[InputError]]:
    found = list(read(str(path), **kw))
    return [r for r in found if not isinstance(r, InputError)], [r for r in found if isinstance(r, InputError)]


# --- only regular files, at most the limit -----------------------------------------------------


@needs_posix
def test_dev_zero_is_refused_at_once():
    started = time.perf_counter()
    message = refused("/dev/zero")
    assert "not a regular file" in message and "character device" in message
    assert time.perf_counter() - started < 2


@needs_posix
def test_a_fifo_is_refused_without_being_opened(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "named pipe" in refused(fifo)


@needs_posix
def test_expand_lists_only_regular_files(tmp_path):
    # whatever reads what expand lists (read, the batch digest) opens it: a FIFO would block it
    (tmp_path / "a.txt").write_text("a")
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "zero").symlink_to("/dev/zero")
    with deadline(20):
        found = list(expand([str(tmp_path), str(tmp_path / "pipe"), "/dev/null"]))
    assert found[0] == str(tmp_path / "a.txt")
    assert [type(f) for f in found[1:]] == [InputError] * 4
    assert [f.problem.split(",")[0] for f in found[1:]] == [
        "is a named pipe (FIFO)",
        "is a character device",
        "is a named pipe (FIFO)",
        "is a character device",
    ]


@needs_posix
def test_a_socket_is_refused(tmp_path):
    import socket
    import tempfile

    short = tempfile.mkdtemp(dir="/tmp")  # a socket's path must fit in about 100 bytes
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(os.path.join(short, "s.txt"))
        assert "is a socket, not a regular file" in refused(os.path.join(short, "s.txt"))
    finally:
        server.close()
        os.unlink(os.path.join(short, "s.txt"))
        os.rmdir(short)


@needs_posix
def test_a_fifo_swapped_in_after_the_check_does_not_block(tmp_path, monkeypatch):
    fifo, regular = tmp_path / "pipe.txt", tmp_path / "regular.txt"
    os.mkfifo(fifo)
    regular.write_text("Petrova said talks stalled.")
    real = os.stat
    monkeypatch.setattr(os, "stat", lambda p, *a, **kw: real(regular) if str(p) == str(fifo) else real(p, *a, **kw))
    assert "named pipe" in refused(fifo)


@needs_posix
def test_a_fifo_inside_a_directory_is_skipped_and_the_rest_is_read(tmp_path):
    from onrecord.pipeline import read_paths

    (tmp_path / "a.txt").write_text("Petrova said talks stalled.")
    os.mkfifo(tmp_path / "b-pipe.txt")
    (tmp_path / "c.txt").write_text("Kallas said no.")
    with deadline(20):
        found = list(read_paths([str(tmp_path)]))
    assert [d.text for d in found if not isinstance(d, InputError)] == [
        "Petrova said talks stalled.",
        "Kallas said no.",
    ]
    (error,) = [e for e in found if isinstance(e, InputError)]
    assert error.path.endswith("b-pipe.txt") and "named pipe" in str(error)


def test_a_file_that_lies_about_its_size_is_read_only_up_to_the_limit(tmp_path, monkeypatch):
    import onrecord.ingest as ingest

    path = tmp_path / "grows.txt"
    path.write_bytes(b"Petrova said talks stalled. " * 10_000)  # 280 KB
    real_stat, real_read = os.stat, os.read
    taken: list[int] = []

    def shrunk(p, *a, **kw):  # a file that says it is empty, like /proc files or one still being written
        info = real_stat(p, *a, **kw)
        return os.stat_result((*info[:6], 0, *info[7:])) if str(p) == str(path) else info

    def counted(fd, n):
        data = real_read(fd, n)
        taken.append(len(data))
        return data

    monkeypatch.setattr(ingest.os, "stat", shrunk)
    monkeypatch.setattr(ingest.os, "fstat", lambda fd: os.stat_result((*real_stat(path)[:6], 0, *real_stat(path)[7:])))
    monkeypatch.setattr(ingest.os, "read", counted)
    message = refused(path, max_bytes=100_000)
    assert "more than the 0.1 MB limit" in message
    assert sum(taken) <= 100_001


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "lots"])
def test_the_size_limit_must_be_a_positive_number(tmp_path, monkeypatch, value):
    from onrecord.ingest import limit_bytes

    with pytest.raises(ValueError, match="greater than 0"):
        limit_bytes(value)
    path = tmp_path / "a.txt"
    path.write_text("Petrova said so.")
    monkeypatch.setenv("ONRECORD_MAX_MB", value)
    with pytest.raises(ValueError, match=f"ONRECORD_MAX_MB='{value}'"):
        list(read(str(path)))
    assert limit_bytes("0.5") == 500_000 and limit_bytes(1e-9) == 1


def test_symlinks_to_files_are_read_broken_ones_and_loops_are_named(tmp_path):
    (tmp_path / "real.txt").write_text("Petrova said talks stalled.")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop-a.txt").symlink_to(tmp_path / "loop-b.txt")
    (tmp_path / "loop-b.txt").symlink_to(tmp_path / "loop-a.txt")
    assert next(read(str(tmp_path / "link.txt"))).text == "Petrova said talks stalled."
    assert "broken symbolic link" in refused(tmp_path / "broken.txt")
    assert "symbolic link loop" in refused(tmp_path / "loop-a.txt")
    # listed, a broken link is named as one, not as a missing file; the good ones are listed as given
    found = [str(f) for f in expand([str(tmp_path)])]
    assert found == [
        f"{tmp_path / 'broken.txt'}: is a broken symbolic link (what it points to does not exist)",
        str(tmp_path / "link.txt"),
        f"{tmp_path / 'loop-a.txt'}: is a symbolic link loop (or too many links in a row)",
        f"{tmp_path / 'loop-b.txt'}: is a symbolic link loop (or too many links in a row)",
        str(tmp_path / "real.txt"),
    ]


def test_linked_directories_are_followed_once_and_never_loop(tmp_path):
    top = tmp_path / "in"
    (top / "sub").mkdir(parents=True)
    (top / "sub" / "a.txt").write_text("a")
    (top / "sub" / "again").symlink_to(top / "sub")
    (top / "up").symlink_to(top)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.txt").write_text("b")
    (top / "linked").symlink_to(tmp_path / "elsewhere")
    (top / "linked-too").symlink_to(tmp_path / "elsewhere")
    with deadline(20):
        found = list(expand([str(top)]))
    assert found == [str(top / "linked" / "b.txt"), str(top / "sub" / "a.txt")]


def test_a_recursive_glob_over_linked_directories_ends(tmp_path, monkeypatch):
    # glob.glob follows links in "**": with two links to "." it lists 2**40 paths
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "sub" / "b.txt").write_text("b")
    (tmp_path / "sub" / "c.md").write_text("c")
    (tmp_path / "x").symlink_to(".")
    (tmp_path / "y").symlink_to(".")
    (tmp_path / "[odd]").mkdir()
    (tmp_path / "[odd]" / "d.txt").write_text("d")
    with deadline(20):
        found = list(expand([str(tmp_path / "**" / "*.txt")]))
        assert found == [str(tmp_path / "[odd]" / "d.txt"), str(tmp_path / "a.txt"), str(tmp_path / "sub" / "b.txt")]
        monkeypatch.chdir(tmp_path)
        assert list(expand(["**/*.md"])) == [os.path.join("sub", "c.md")]
        # "*" names the links, so each is walked once: finite, as glob would list them
        assert list(expand(["*/**/*.md"])) == [os.path.join(d, "sub", "c.md") for d in ("", "x", "y")]
        assert list(expand(["sub/**"])) == [os.path.join("sub", "b.txt"), os.path.join("sub", "c.md")]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_an_unreadable_directory_is_named_not_silently_skipped(tmp_path):
    (tmp_path / "a.txt").write_text("a")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text("b")
    locked.chmod(0)
    try:
        found = list(expand([str(tmp_path)]))
    finally:
        locked.chmod(0o755)
    assert found[0] == str(tmp_path / "a.txt")
    assert isinstance(found[1], InputError) and "permission denied" in str(found[1])


def test_an_unreadable_directory_is_named_even_as_root(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text("b")
    real_scandir = os.scandir

    def scandir(path):  # what a directory without read permission gives a user who is not root
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = list(expand([str(tmp_path)]))
    assert found[0] == str(tmp_path / "a.txt")
    assert isinstance(found[1], InputError) and found[1].path.endswith("locked")
    assert "permission denied" in str(found[1]) and "not read" in str(found[1])
    assert len(found) == 2


def test_an_unreadable_file_fails_alone(tmp_path, monkeypatch):
    from onrecord.pipeline import read_paths

    (tmp_path / "a.txt").write_text("Petrova said talks stalled.")
    (tmp_path / "b.txt").write_text("Kallas said no.")
    real_open = os.open

    def no_access(path, *args, **kw):  # what a file without read permission gives a user who is not root
        if str(path).endswith("a.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kw)

    monkeypatch.setattr(os, "open", no_access)
    found = list(read_paths([str(tmp_path)]))
    assert [str(f) for f in found[:1]] == [f"{tmp_path / 'a.txt'}: permission denied"]
    assert found[1].text == "Kallas said no."


def test_a_very_deep_tree_is_walked(tmp_path):
    import sys
    import traceback

    # os.walk recursed once per level: a tree deeper than the recursion limit raised RecursionError.
    # The limit is lowered for the test so that the tree stays shallow enough for pytest to delete.
    limit = sys.getrecursionlimit()
    deep = tmp_path
    for _ in range(400):
        deep = deep / "d"
        deep.mkdir()
    (deep / "x.txt").write_text("x")
    sys.setrecursionlimit(len(traceback.extract_stack()) + 200)
    try:
        (found,) = expand([str(tmp_path)])
    finally:
        sys.setrecursionlimit(limit)
    assert found == str(deep / "x.txt")


def test_a_glob_matching_nothing_says_so(tmp_path):
    (error,) = expand([str(tmp_path / "*.txt")])
    assert isinstance(error, InputError) and "matches no file" in str(error)


def test_an_empty_directory_is_reported(tmp_path):
    (tmp_path / ".hidden").write_text("h")
    (error,) = expand([str(tmp_path)])
    assert isinstance(error, InputError) and "no files" in str(error)


# --- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        # a cp1252 quotation mark pasted into UTF-8 text
        ("Petrova said “we will not back down” and “ever”. " * 20).encode() + b"\x93end\x94",
        # was decoded as cp1250: "Zölle" stored as "ZĂ¶lle", the note never shown
        "Die Verhandlungen über die Zölle sind gescheitert. ".encode() * 5 + b"\xe9t\xe9",
        "Le ministre a déclaré que les négociations “étaient” à l'arrêt. ".encode() + b"\xff" + b"ok",
    ],
)
def test_mostly_utf8_with_a_few_bad_bytes_is_refused_naming_the_byte(tmp_path, data):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(UnicodeDecodeError) as bad:
        data.decode("utf-8")
    offset = bad.value.start
    message = refused(path)
    assert f"is not valid UTF-8 at byte {offset} on line 1" in message and "re-save the file as UTF-8" in message


def test_a_few_legacy_bytes_in_ascii_are_refused_not_guessed(tmp_path):
    # cp1252 curly quotes: too few bytes to tell cp1252 from cp775 or cp1250, so never guess
    path = tmp_path / "quotes.txt"
    path.write_bytes(b"Petrova said talks stalled. The minister \x93agreed\x94 later.")
    message = refused(path)
    assert "byte 41" in message and "UTF-8" in message


def test_a_clear_legacy_encoding_is_decoded_and_noted(tmp_path):
    path = tmp_path / "ru.txt"
    text = "Министр заявил, что переговоры зашли в тупик, и никто не знает, что будет дальше. " * 3
    path.write_bytes(text.encode("cp1251"))
    (doc,) = read(str(path))
    assert doc.text == text
    assert any("cp1251" in note and "not UTF-8" in note for note in doc.meta[NOTES])


def test_an_explicit_encoding_is_used_and_checked(tmp_path):
    path = tmp_path / "fr.txt"
    text = "Le ministre a déclaré que les négociations étaient à l'arrêt."
    path.write_bytes(text.encode("cp1252"))
    (doc,) = read(str(path), encoding="cp1252")
    assert doc.text == text and NOTES not in doc.meta
    path.write_bytes(b"caf\xc3\xa9 \x81")
    assert "not valid cp1252 at byte 6" in refused(path, encoding="cp1252")


@pytest.mark.parametrize(
    "meta",
    ['<meta charset="windows-1252">', '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'],
)
def test_an_html_page_in_the_encoding_it_declares_is_read(tmp_path, meta):
    text = "Le ministre a déclaré que les négociations étaient à l’arrêt, selon Anna Petrova."
    path = tmp_path / "page.html"
    path.write_bytes(f"<html><head>{meta}<title>T</title></head><body><p>{text}</p></body></html>".encode("cp1252"))
    (doc,) = read(str(path))
    assert doc.text == text and NOTES not in doc.meta


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_decoded(tmp_path, codec):
    text = "Petrova said “talks stalled”.\nKallas said no.\n"
    path = tmp_path / "u16.txt"
    path.write_bytes("\ufeff".encode(codec) + text.encode(codec))
    (doc,) = read(str(path))
    assert doc.text == text


def test_utf16_html_without_a_suffix_is_sniffed(tmp_path):
    page = "<html><head><title>Talks</title></head><body><p>Petrova said the talks had stalled again.</p></body></html>"
    path = tmp_path / "page"
    path.write_bytes(page.encode("utf-16"))
    (doc,) = read(str(path))
    assert doc.format == "html" and "talks had stalled" in doc.text


def test_a_utf8_bom_leaves_text_and_title(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfTalks stall\n\nPetrova said so.\n")
    (doc,) = read(str(path))
    assert doc.text == "Talks stall\n\nPetrova said so.\n" and doc.title == "Talks stall"
    lines = tmp_path / "bom.jsonl"
    lines.write_bytes(b"\xef\xbb\xbf" + json.dumps({"text": "Petrova said so."}).encode() + b"\n")
    (doc,) = read(str(lines))
    assert doc.text == "Petrova said so."


BLANK = "\u00a0\u2003\u3000\u200b\u200c\u200d\u2060\ufeff \n\t\u2028"


@pytest.mark.parametrize(
    "name, content",
    [
        ("blank.txt", BLANK),
        ("blank.md", BLANK),
        ("front.md", f"---\ntitle: x\n---\n{BLANK}"),
        ("blank.html", f"<html><body><p>{BLANK}</p></body></html>"),
        ("blank.jsonl", BLANK),
    ],
)
def test_a_file_of_unicode_spaces_is_empty(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    message = refused(path)
    assert "empty" in message or "no text" in message or "no readable text" in message


def test_records_of_unicode_spaces_are_refused(tmp_path):
    lines = tmp_path / "r.jsonl"
    lines.write_text(json.dumps({"text": BLANK}) + "\n" + json.dumps({"text": "Kallas said no."}) + "\n")
    docs, errors = results(lines)
    assert [d.text for d in docs] == ["Kallas said no."] and len(errors) == 1
    feed = tmp_path / "f.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>'
        f"<item><title>a</title><description>{BLANK}</description></item>"
        "<item><title>b</title><description>Kallas said no.</description></item></channel></rss>"
    )
    docs, errors = results(feed)
    assert [d.text for d in docs] == ["Kallas said no."] and len(errors) == 1
    with pytest.raises(InputError):
        from_text(BLANK)


# --- dates -------------------------------------------------------------------------------------


def test_impossible_dates_are_not_dates():
    from onrecord.ingest.readers import normalise_date

    assert normalise_date("2026-13-01") is None
    assert normalise_date("2026-02-30") is None
    assert normalise_date("2026-02-30T10:00:00") is None
    assert normalise_date("2024-02-29") == "2024-02-29"
    assert normalise_date("March 2, 2026") == "2026-03-02"
    assert normalise_date("March 2026") == "2026-03-01"
    assert normalise_date("2026") is None and normalise_date(2026) is None  # not a month from today
    assert normalise_date("x" * 100_000) is None  # no free-form parsing of a long string
    assert normalise_date("Sat, 02 May 2026 10:00:00 GMT") == "2026-05-02"
    assert normalise_date("Wednesday, March 4, 2026") == normalise_date("4 Mar 2026") == "2026-03-04"
    assert normalise_date("Feb 30, 2026") is None


def test_many_bad_dates_are_cheap():
    from onrecord.ingest.readers import normalise_date

    normalise_date("q zz 2026 rue")  # dateparser's import and English data
    started = time.perf_counter()
    assert [normalise_date(f"q{i} zz 2026 rue") for i in range(50)] == [None] * 50
    assert [normalise_date(f"March {i % 28 + 1}, 2026") for i in range(1000)][-1] == "2026-03-20"
    assert time.perf_counter() - started < 2  # was 0.35 s for each bad one


def test_an_impossible_date_in_a_file_refuses_it_unless_the_date_is_given(tmp_path):
    md = tmp_path / "2026-03-04-talks.md"
    md.write_text('---\ntitle: Talks\ndate: "2026-02-30"\n---\nPetrova said talks stalled.\n')
    assert "the front matter's date '2026-02-30' is not a calendar date" in refused(md)
    (doc,) = read(str(md), date="2026-03-05")  # --date wins over what the file says, so nothing to refuse
    assert doc.date == "2026-03-05"
    md.write_text("---\ntitle: Talks\ndate: 2026-02-30\n---\nPetrova said talks stalled.\n")  # a YAML timestamp
    assert "front matter has a date that is not in the calendar" in refused(md)

    named = tmp_path / "2026-02-31-talks.txt"
    named.write_text("Petrova said talks stalled.")
    assert "the file name's date '2026-02-31' is not a calendar date" in refused(named)

    lines = tmp_path / "r.jsonl"
    lines.write_text(
        json.dumps({"text": "Petrova said so.", "date": "2026-13-01"})
        + "\n"
        + json.dumps({"text": "Kallas said no.", "date": "2026-02-28"})
        + "\n"
    )
    docs, errors = results(lines)
    assert [(d.text, d.date) for d in docs] == [("Kallas said no.", "2026-02-28")]
    assert [e.path for e in errors] == [f"{lines}:1"] and "'2026-13-01' is not a calendar date" in str(errors[0])

    feed = tmp_path / "f.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>'
        "<item><title>a</title><pubDate>2026-02-30</pubDate><description>Petrova said so.</description></item>"
        "<item><title>b</title><description>Kallas said no.</description></item></channel></rss>"
    )
    docs, errors = results(feed)
    assert [d.text for d in docs] == ["Kallas said no."] and errors[0].path == f"{feed}#1"


def test_a_date_like_id_in_a_file_name_is_not_a_date(tmp_path):
    path = tmp_path / "report-1234-56-78.txt"
    path.write_text("Petrova said talks stalled.")
    (doc,) = read(str(path))
    assert doc.date is None


def test_an_impossible_date_given_by_the_caller_is_an_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Petrova said so.")
    with pytest.raises(ValueError, match="2026-13-01"):
        list(read(str(path), date="2026-13-01"))
    with pytest.raises(InputError, match="not a calendar date"):
        from_text("Petrova said so.", date="2026-13-01")


# --- YAML front matter -------------------------------------------------------------------------

ALIAS_BOMB = (
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
    "title: *i\n"
    "---\n"
    "Petrova said talks stalled.\n"
)


def test_a_yaml_alias_bomb_in_front_matter_fails_at_once(tmp_path):
    path = tmp_path / "bomb.md"
    path.write_text(ALIAS_BOMB)
    assert len(ALIAS_BOMB) < 600
    started = time.perf_counter()
    message = refused(path)
    assert time.perf_counter() - started < 1
    assert message.startswith(str(path)) and "front matter" in message and "alias" in message


@pytest.mark.parametrize(
    "front",
    [
        "[" * 5000 + "]" * 5000,  # nesting deeper than Python's recursion limit
        "date: 2026-02-30\nwhen: 2026-13-45",  # YAML timestamps that datetime refuses
        "participants: [2026-03-04, {a: 1}]\ntitle: [x]",
    ],
)
def test_odd_front_matter_is_one_line_or_read(tmp_path, front):
    path = tmp_path / "odd.md"
    path.write_text(f"---\n{front}\n---\nPetrova said talks stalled.\n")
    with deadline(20):
        try:
            (doc,) = read(str(path))
        except InputError as exc:
            assert "\n" not in str(exc) and "front matter" in str(exc)
        else:
            json.dumps(doc.meta)  # what the store writes
            assert isinstance(doc.title, (str, type(None)))


def test_long_front_matter_is_refused_before_parsing(tmp_path):
    path = tmp_path / "long.md"
    fields = "".join(f"k{i}: value {i}\n" for i in range(20_000))  # 300 KB: seconds of pure-Python YAML
    path.write_text(f"---\n{fields}---\nPetrova said talks stalled.\n")
    started = time.perf_counter()
    assert "front matter is longer than 64 KB" in refused(path)
    assert time.perf_counter() - started < 1


# --- other shapes ------------------------------------------------------------------------------


def test_jsonl_lines_are_split_on_newlines_only(tmp_path):
    path = tmp_path / "r.jsonl"
    record = {"text": "Petrova said\u2028talks\x1cstalled\u0085here."}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\r\n" + json.dumps({"text": "Kallas said no."}) + "\n")
    docs, errors = results(path)
    assert [d.text for d in docs] == [record["text"], "Kallas said no."] and errors == []


def test_a_deeply_nested_jsonl_line_fails_alone(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text("[" * 200_000 + "\n" + json.dumps({"text": "Kallas said no."}) + "\n")
    docs, errors = results(path)
    assert [d.text for d in docs] == ["Kallas said no."]
    assert len(errors) == 1 and errors[0].path.endswith(":1") and "\n" not in str(errors[0])


def test_a_19_mb_jsonl_line_is_one_record(tmp_path):
    path = tmp_path / "big.jsonl"
    text = "Petrova said talks stalled. " * (19_000_000 // 28)
    path.write_text(json.dumps({"text": text}) + "\n")
    (doc,) = read(str(path))
    assert len(doc.text) == len(text)


def test_binary_html_without_nul_bytes_is_refused(tmp_path):
    import random

    rng = random.Random(12)
    path = tmp_path / "page.html"
    path.write_bytes(bytes(rng.randrange(1, 256) for _ in range(20_000)))
    message = refused(path)
    assert "UTF-8" in message or "binary" in message


# --- one-line errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["new\nline.txt", "esc\x1b[2J\x1b[31mred.txt", "bidi\u202etxt.exe", "cr\rback.txt"])
def test_errors_escape_control_characters_in_names(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"\x00binary")
    message = refused(path)
    assert message.isprintable() and message.count(":") >= 1
    assert "binary" in message


def test_printable():
    assert printable("a\nb\x1b[31m\u202e\udcff\ud800\tc") == "a\\nb\\x1b[31m\\u202e\\xff\\ud800\\tc"
    assert printable("Zoë — “quoted”") == "Zoë — “quoted”"
    error = InputError("dir/x\ny.txt", "bad\rthing")
    assert str(error) == "dir/x\\ny.txt: bad\\rthing" and error.path == "dir/x\ny.txt"


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
def test_a_file_name_that_is_not_utf8_is_read(tmp_path):
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(raw, "wb") as fh:
        fh.write(b"Petrova said talks stalled.")
    (doc,) = read(os.fsdecode(raw))
    doc.source.encode("utf-8")  # what the store writes: no lone surrogates
    assert doc.source.endswith("caf\\xe9.txt")
