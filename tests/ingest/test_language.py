"""A document's language (issue 15): told from its script on ingest, or given; Russian transcript turns."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from onrecord.cli import app
from onrecord.errors import InputError
from onrecord.ingest import detect_language, find_turns, from_text, language_code, read


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("«Мы не отступим», — заявил Лавров журналистам.", "ru"),
        ("Anna Petrova said the talks had stalled.", "en"),
        ("Sergei Lavrov (Сергей Лавров) told reporters that talks would go on next week in Geneva.", "en"),
        ("Лавров (Sergei Lavrov) заявил, что переговоры продолжатся на следующей неделе.", "ru"),
        ("2026 — 14:00", "en"),  # no letters at all
    ],
)
def test_language_is_told_by_the_share_of_cyrillic_letters(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("given", "code"), [("ru", "ru"), ("RU", "ru"), ("ru-RU", "ru"), ("en_GB", "en"), (None, None)]
)
def test_language_codes(given, code):
    assert language_code(given) == code


def test_an_unknown_language_names_the_ones_read():
    with pytest.raises(ValueError, match="choose from en, ru"):
        language_code("fr")
    with pytest.raises(InputError, match="unknown language 'xx'"):
        from_text("Some text.", lang="xx")


def test_ingest_detects_unless_told(tmp_path):
    ru = tmp_path / "ru.txt"
    ru.write_text("Игорь Соколов заявил, что переговоры продолжатся.", encoding="utf-8")
    assert [d.lang for d in read(str(ru))] == ["ru"]
    assert [d.lang for d in read(str(ru), lang="en")] == ["en"]
    md = tmp_path / "note.md"
    md.write_text("---\nlang: ru\n---\nA Russian text typed in Latin letters.\n", encoding="utf-8")
    assert [d.lang for d in read(str(md))] == ["ru"]


def test_a_bad_front_matter_language_is_one_line_naming_the_file(tmp_path):
    md = tmp_path / "bad.md"
    md.write_text("---\nlang: klingon\n---\nText.\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.md.*unknown language"):
        list(read(str(md)))


def test_cli_lang_is_checked_before_anything_runs(tmp_path):
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "--lang", "xx"])
    assert result.exit_code == 2
    assert "--lang" in result.output and "unknown language" in result.output


@pytest.mark.parametrize(
    ("label", "speaker"),
    [("С.В.Лавров", "С.В.Лавров"), ("Сергей Лавров", "Сергей Лавров"), ("ЛАВРОВ", "Лавров"), ("Ведущий", "Ведущий")],
)
def test_russian_turn_labels(label, speaker):
    text = f"Ведущая: Вы ожидаете прорыва?\n\n{label}: Нет.\n\nВедущая: Почему?\n\n{label}: Потому что."
    turns = find_turns(text)
    assert [t.label for t in turns] == ["Ведущая", label, "Ведущая", label]
    assert turns[1].speaker == speaker
    assert turns[1].content_span.of(text) == "Нет."


def test_questions_and_answers_in_russian_are_the_two_parties():
    turns = find_turns("Вопрос: Когда?\n\nОтвет: В пятницу.\n", interviewer="Karin Vale", interviewee="Anna Belova")
    assert [(t.label, t.speaker) for t in turns] == [("Вопрос", "Karin Vale"), ("Ответ", "Anna Belova")]


def test_jsonl_records_may_state_their_language(tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_text(
        '{"text": "Typed in Latin letters.", "lang": "ru"}\n'
        '{"text": "Игорь Соколов заявил, что всё в порядке."}\n'
        '{"text": "Anything.", "language": "xx"}\n',
        encoding="utf-8",
    )
    results = list(read(str(path)))
    assert [r.lang for r in results[:2]] == ["ru", "ru"]
    assert (
        isinstance(results[2], InputError)
        and "items.jsonl:3" in str(results[2])
        and "unknown language" in str(results[2])
    )
