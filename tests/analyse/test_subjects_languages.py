"""Subjects of Russian statements (issue 15): Russian phrases in one form whatever their case, a
speaker with Russian statements placed by the multilingual model, so a Russian statement falls under
the subject of its English translation, and subjects named in the language of their statements."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from onrecord import evaluate
from onrecord.analyse import subjects
from onrecord.analyse.embed import MODEL_ID, MULTILINGUAL_MODEL_ID, text_key
from onrecord.store import Query
from onrecord.store.schema import statement_subjects

from .conftest import DATA
from .test_subjects import ingest_articles


@pytest.mark.parametrize(
    ("first", "second", "shared"),
    [
        ("Мы продолжим переговоры с Нордмарком.", "Итоги переговоров нас не устраивают.", "переговоры"),
        ("Санкции против Остмарка не работают.", "Мы не будем вводить новых санкций.", "санкция"),
        (
            "Договор о стратегической стабильности истекает.",
            "Стратегическая стабильность важна для всех.",
            "стратегическая стабильность",
        ),
        ("Совет безопасности соберётся в мае.", "Мы обратимся в совет безопасности.", "совет безопасности"),
        # names the dictionary does not know are cut to one stem whatever their case
        ("Мы поддерживаем Руританию.", "Переговоры с Руританией сорвались.", "Руритан"),
        ("Делегация Нордмарка уехала.", "Нордмарк не ответил.", "Нордмарк"),
    ],
)
def test_russian_case_forms_give_one_phrase(first, second, shared):
    assert shared in subjects.phrases(first)
    # shared as placing reads it: the phrase, or a longer one holding it ("новая санкция")
    assert subjects._shared(subjects.phrases(second), {shared.lower()}) is not None


def test_russian_phrases_leave_out_generic_words_and_sentence_openings():
    assert subjects.phrases("Спасибо за вопрос.") == []
    assert subjects.phrases("Это было в мае, в понедельник.") == []
    found = subjects.phrases("Инспекторы приедут в Варлу.")
    assert "инспектор" in found  # a capital that opens the sentence is no name
    assert "Инспектор" not in found


def test_the_language_is_told_by_the_script_unless_given():
    assert subjects.phrases("Переговоры возобновятся.") == ["переговоры"]
    assert subjects.phrases("The talks will resume.", "en") == ["talks"]
    assert "переговоры" in subjects.phrases("Переговоры возобновятся.", "ru")


def test_subjects_are_named_in_the_language_of_their_statements():
    assert subjects.name_of(Counter({"региональный совет": 2, "бюджет": 1})) == "региональный совет"
    mostly_russian = Counter({"региональный совет": 3, "бюджет": 1, "regional council": 1})
    assert subjects.name_of(mostly_russian) == "региональный совет"
    even = Counter({"региональный совет": 1, "бюджет": 1, "демпинг": 1, "regional council": 1})
    assert subjects.name_of(even) == "the regional council"  # a tie goes to English
    assert subjects.name_of(Counter({"tariffs": 2})) == "the tariffs"  # English as before


def test_the_space_is_multilingual_only_for_a_speaker_with_russian_statements():
    assert subjects.space_for(["en", None, "en"]) is subjects.ENGLISH
    assert subjects.space_for(["en", "ru"]) is subjects.MULTILINGUAL
    assert subjects.ENGLISH.join == subjects.JOIN and subjects.ENGLISH.join_shared == subjects.JOIN_SHARED


def test_counterparts_pair_phrases_across_languages():
    from onrecord.analyse.embed import multilingual_embedder

    placer = subjects.Placer("x", space=subjects.MULTILINGUAL, embed_phrases=multilingual_embedder())
    counterparts = placer._counterparts
    assert counterparts is not None
    counterparts.add(["talks", "inspectors", "grain", "переговоры", "инспектор", "зерно"])
    assert set(counterparts.widen(["переговоры"])) == {"переговоры", "talks"}
    assert set(counterparts.widen(["inspectors"])) == {"inspectors", "инспектор"}
    # the English model's placer pairs nothing
    assert subjects.Placer("x", embed_phrases=multilingual_embedder())._counterparts is None


def test_russian_statements_fall_under_the_subjects_of_their_translations():
    scores = evaluate.evaluate_subjects(DATA / "subjects_ru.yaml")
    assert scores["with its translation"].gold >= 15
    assert scores["with its translation"].recall >= 0.85  # measured 0.944 (17 of 18)
    assert scores["purity"].precision >= 0.90  # measured 1.000
    assert scores["pairs across languages"].precision >= 0.90  # measured 1.000


SOKOLOVA_EN = [
    (
        "2026-03-02",
        "North Post",
        "Council",
        "Foreign Minister Irina Sokolova said Valdor will never leave the regional council.\n\n"
        '"We will keep the tariffs on grain from Ostmark until the dumping stops," Sokolova said.',
    ),
    (
        "2026-03-09",
        "North Post",
        "Budget",
        "Irina Sokolova said the regional council must finally adopt next year's budget.",
    ),
]
SOKOLOVA_RU = (
    "2026-04-01",
    "Голос Вальдора",
    "Интервью",
    "Министр иностранных дел Ирина Соколова заявила, что Вальдор никогда не выйдет из регионального совета.\n\n"
    "«Мы сохраним пошлины на зерно из Остмарка, пока не прекратится демпинг», — сказала Соколова.",
)


def test_a_speakers_first_russian_statement_rebuilds_their_subjects_in_the_multilingual_space(store, extractor):
    ingest_articles(store, extractor, SOKOLOVA_EN)
    english = store.statements(Query(identity="Irina Sokolova"))
    assert len(english) == 3
    assert store.vectors([text_key(english[0].statement.content, MODEL_ID)])
    assert not store.vectors([text_key(english[0].statement.content, MULTILINGUAL_MODEL_ID)])
    ingest_articles(store, extractor, [SOKOLOVA_RU])
    records = store.statements(Query(identity="Irina Sokolova"))
    assert {r.document.lang for r in records} == {"en", "ru"}
    assert not store.statements_for_subjects()  # every statement placed, the English ones again
    assert all(store.vectors([text_key(r.statement.content, MULTILINGUAL_MODEL_ID)]) for r in records)
    found = subjects.speaker_subjects(store, "Irina Sokolova")
    assert sum(s.statements for s in found) == len(records)
    council = next(s for s in found if s.name == "the regional council")
    assert council.statements == 3 and council.last == "2026-04-01"  # the Russian statement joined it


def test_the_demo_speakers_russian_turns_are_placed(demo_store):
    assert subjects.apply(demo_store) > 0
    russian = [r for r in demo_store.statements(Query(identity="Anna Petrova")) if r.document.lang == "ru"]
    assert russian
    with demo_store.engine.connect() as conn:
        placed = dict(conn.execute(select(statement_subjects.c.statement_id, statement_subjects.c.subject_id)).all())
    assert all(placed.get(r.id) is not None for r in russian)  # each in a subject
    assert not demo_store.statements_for_subjects()


def test_eval_subjects_on_the_command_line():
    import json

    from typer.testing import CliRunner

    from onrecord.cli import app

    result = CliRunner().invoke(app, ["eval", "subjects", str(DATA / "subjects_ru.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert set(scores) == {"purity", "same-subject pairs", "pairs across languages", "with its translation"}
    assert scores["with its translation"]["gold"] == 18


@pytest.mark.parametrize(
    ("held", "said"),
    [
        ("совет безопасности", "Мы обратимся в Совета безопасности по этому вопросу."),
        ("стратегическая стабильность", "Договор о стратегической стабильности истекает."),
        ("Нордмарк", "Делегация Нордмарка уехала."),
        ("regional council", "The Regional Council met."),
    ],
)
def test_a_phrase_held_in_one_form_is_found_in_any_case(held, said):  # issue 15
    pattern = subjects.phrase_pattern([held])
    assert pattern is not None and pattern.search(said)
    assert not pattern.search("Экспорт зерна вырос на двенадцать процентов. Grain exports grew.")
    assert subjects.phrase_pattern([]) is None


def test_shifts_compare_what_russian_statements_say_without_their_subjects_words():  # issue 15
    from onrecord.analyse.shifts import _without_shared

    said = ["Переговоры с Нордмарком продолжатся.", "Итоги переговоров нас не устраивают.", "Мы прервём переговоры."]
    stripped = _without_shared(said)
    assert not any("ереговор" in s for s in stripped)  # the subject's phrase in every case form
    assert "Итоги" in stripped[1] and "прервём" in stripped[2]  # what each says about it stays
