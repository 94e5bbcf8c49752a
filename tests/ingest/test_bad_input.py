"""Bad input: one clear line naming the file and the problem; nothing else is lost."""

from __future__ import annotations

import pytest

from onrecord import InputError
from onrecord.ingest import read


def problem(path, **kw) -> str:
    with pytest.raises(InputError) as info:
        list(read(str(path), **kw))
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message
    return message


def test_binary_file(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary" in problem(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n")
    assert "empty" in problem(path)


def test_bytes_of_an_unclear_encoding_are_refused_not_guessed(tmp_path):
    # cp1250 reads these bytes as cleanly as cp1252 but turns "à" into "ŕ": refuse, never store mojibake
    path = tmp_path / "latin.txt"
    path.write_bytes("Le ministre a déclaré que les négociations étaient à l'arrêt.".encode("cp1252"))
    message = problem(path)
    assert "not UTF-8 (byte 15 on line 1 is not valid)" in message
    assert "cp1252" in message and "re-save the file as UTF-8" in message


def test_large_file_is_refused_with_the_limit(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.write(b"Petrova said talks stalled. " * (50 * 1024 * 1024 // 28 + 1))
    message = problem(path)
    assert "MB" in message and "limit" in message and "--max-mb" in message


def test_html_with_only_scripts(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><script>var a = 1;</script></head><body><script>go()</script></body></html>")
    assert "no readable text" in problem(path)


def test_missing_path(tmp_path):
    assert "no such file" in problem(tmp_path / "missing.txt")


def test_bad_front_matter(tmp_path):
    path = tmp_path / "x.md"
    path.write_text('---\ntitle: "unclosed\n---\nBody')
    assert "front matter" in problem(path)


def test_empty_feed(tmp_path):
    path = tmp_path / "f.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>')
    assert "no entries" in problem(path)
