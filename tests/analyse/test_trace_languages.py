"""Trace across languages (issue 15): an English report traced to the speaker's Russian words gets
the verdict ``translated``, with numbers and negation the translation changed flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.analyse.trace import PrimaryIndex, Tracer, _numbers, _same_speaker, _translation_flags
from onrecord.evaluate import evaluate_translations
from onrecord.ingest import from_text
from onrecord.pipeline import process

DATA = Path(__file__).parent / "data"
INTERVIEW = (
    "Ведущий: Когда приедут инспекторы?\n\n"
    "И.В.Соколов: Инспекторы могут приехать в следующем месяце. Мы не будем размещать ракеты у границы.\n\n"
    "Ведущий: Спасибо.\n\nИ.В.Соколов: Экспорт зерна вырос на двенадцать процентов."
)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("У границы сейчас три тысячи военнослужащих", [3000]),
        ("There are now 3,000 troops", [3000]),
        ("Переговоры начнутся пятого апреля", [5]),
        ("двадцать пять лет, 12 процентов", [12, 25]),
        ("в пятницу", []),  # a weekday is no number
    ],
)
def test_numbers_in_words_and_digits_of_either_language(text, numbers):
    assert _numbers(text) == numbers


def test_what_a_translation_changed_is_flagged():
    assert _translation_flags("Grain exports grew by 12 percent.", "Экспорт зерна вырос на двенадцать процентов.") == ()
    assert _translation_flags("Grain exports grew by 20 percent.", "Экспорт зерна вырос на двенадцать процентов.")
    (flag,) = _translation_flags("We will deploy missiles.", "Мы не будем размещать ракеты.")
    assert flag.startswith("negation differs")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("И.В.Соколов", "Igor Sokolov", True),
        ("Игорь Соколов", "Igor Sokolov", True),
        ("Игорь Соколов", "Anna Sokolova", False),
    ],
)
def test_speakers_across_scripts(a, b, same):
    assert _same_speaker(a, b) is same


def test_an_english_article_traced_to_a_russian_interview():
    tracer = Tracer(PrimaryIndex.from_documents([from_text(INTERVIEW, date="2026-03-12")]))
    article = (
        'Igor Sokolov said the inspectors "can come next month." He added: "We will deploy missiles at the border."\n\n'
        "Sokolov said that Ruritania would leave the Geneva talks."
    )
    (item,) = process([from_text(article, date="2026-03-14")])
    traces = tracer.trace(item.document, item.statements)
    assert [t.verdict for t in traces] == ["translated", "translated", "unsupported"]
    assert traces[0].flags == () and traces[0].match.of(traces[0].passage.text).startswith("Инспекторы")
    assert any(f.startswith("negation differs") for f in traces[1].flags)


def test_labelled_translation_set():
    tallies, _ = evaluate_translations(DATA / "translations.yaml")
    assert tallies["all"].gold >= 40
    # measured 1.00 / 0.923 / 0.769 with the threshold set on pairs written before the set
    assert tallies["translated"].recall >= 1.0
    assert tallies["translated, flagged"].recall >= 0.92
    assert tallies["unsupported"].recall >= 0.76


def test_the_html_shows_the_russian_source_beside_the_report():
    from onrecord.analyse.trace import to_html

    tracer = Tracer(PrimaryIndex.from_documents([from_text(INTERVIEW, date="2026-03-12")]))
    (item,) = process([from_text('Igor Sokolov said: "The inspectors can come next month."', date="2026-03-14")])
    html = to_html(tracer.trace(item.document, item.statements))
    assert 'class="v v-translated"' in html and '<td lang="ru">' in html and "<mark>Инспекторы" in html


def test_the_demo_article_traced_to_the_russian_interview(demo_store):  # issue 15: `make run` shows both verdicts
    from onrecord.analyse.trace import trace_document

    doc = next(d for d in demo_store.documents() if d.title == "Petrova: talks resume in May")
    document, _, found = demo_store.document(doc.id)
    traces = {t.statement.content: t for t in trace_document(demo_store, document, found)}
    faithful = traces['that "the talks will resume in May."']
    altered = traces['Ruritania would invite "twenty inspectors, and they will see everything they want."']
    assert (faithful.verdict, faithful.flags, faithful.speaker) == ("translated", (), "Anna Petrova")
    assert altered.verdict == "translated" and altered.flags == (
        "numbers differ: [20] in the report, [12] in the source",
    )
