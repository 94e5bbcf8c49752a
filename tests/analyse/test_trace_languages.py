"""Trace across languages (issue 15): an English report traced to the speaker's Russian words gets
the verdict ``translated``, with numbers and negation the translation changed flagged."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from onrecord.analyse import translation
from onrecord.analyse.embed import multilingual_embedder
from onrecord.analyse.trace import MEASURES, PrimaryIndex, Tracer, _same_speaker
from onrecord.analyse.translation import (
    CONCEPT_OVERLAP,
    MULTIPLIERS,
    NUMBER_WORDS,
    TRANSLATED,
    Candidate,
    changes,
    clauses,
    directions,
    flags,
    hedged,
    hedges,
    margin_score,
    missing_names,
    names,
    negated,
    numbers,
    openers,
    ordinary_word,
    times,
)
from onrecord.evaluate import evaluate_translations, translation_class
from onrecord.ingest import from_text
from onrecord.pipeline import process

DATA = Path(__file__).parent / "data"
INTERVIEW = (
    "Ведущий: Когда приедут инспекторы?\n\n"
    "И.В.Соколов: Инспекторы могут приехать в следующем месяце. Мы не будем размещать ракеты у границы.\n\n"
    "Ведущий: Спасибо.\n\nИ.В.Соколов: Экспорт зерна вырос на двенадцать процентов."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("У границы сейчас три тысячи военнослужащих", [3000]),
        ("There are now 3,000 troops", [3000]),
        ("Переговоры начнутся пятого апреля", [5]),
        ("двадцать пять лет, 12 процентов", [12, 25]),
        ("в пятницу", []),  # a weekday is no number
        ("Мы наняли четыреста рабочих", [400]),
        ("four hundred workers", [400]),
        ("three thousand four hundred", [3400]),
        ("сократилась на треть", [1 / 3]),  # as "by a third": a share, not the ordinal
    ],
)
def test_numbers_in_words_and_digits_of_either_language(text, expected):
    assert numbers(text) == pytest.approx(expected, abs=1e-6)


def _words(texts: list[str]):
    return multilingual_embedder()(texts, "query")


def test_what_a_translation_changed_is_flagged():
    assert flags("Grain exports grew by 12 percent.", "Экспорт зерна вырос на двенадцать процентов.") == ()
    assert flags("Grain exports grew by 20 percent.", "Экспорт зерна вырос на двенадцать процентов.")
    (flag,) = flags("We will deploy missiles.", "Мы не будем размещать ракеты.")
    assert flag.startswith("negation differs")


def test_names_are_runs_of_capitalised_words_not_opening_a_sentence():
    assert names("The talks in Geneva with the Northern Lake commission. Then I left.") == ["Geneva", "Northern Lake"]
    assert names("Переговоры в Женеве начнутся. Нордмарк должен уйти.") == ["Женеве"]


def test_words_opening_a_sentence_are_kept_apart_as_possible_names():
    assert openers("Valdor will supply vaccines. The port opens. Мы знаем. Нордмарк's boats left.") == [
        "Valdor",
        "Нордмарк",
    ]
    assert names("Vesby's hospital is in Lars's centre.") == ["Lars"]  # a possessive is the name


@pytest.mark.parametrize(
    ("report", "source", "known", "missing"),
    [
        # a name changed where it opens the sentence, told a name by the speaker's other words
        ("Nordmark will supply us with vaccines.", "Вальдор поставит нам вакцины.", ["Нордмарка"], ["Nordmark"]),
        ("Нордмарк предложил программу.", "Valdor has proposed a programme.", ["Нордмарком"], ["Нордмарк"]),
        # a name at the start of one text and inside the other, in a case form or a possessive
        ("Nordmark's medicines will become cheaper.", "Лекарства из Нордмарка подешевеют.", [], []),
        ("Lars will have its hospital.", "Больница в Ларсе будет.", [], []),
        # an ordinary word opening a sentence is no name, though spelled like none on the other side
        ("Vaccination will remain free.", "Прививка останется бесплатной.", ["Нордмарка"], []),
        ("Железную дорогу достроят.", "The railway will be completed.", ["Нордмарка"], []),
    ],
)
def test_a_name_opening_a_sentence(report, source, known, missing):
    assert missing_names(report, source, _words, known) == missing


@pytest.mark.parametrize(
    ("word", "ordinary"),
    [("Vaccination", True), ("Medicines", True), ("Valdor", False), ("Прививка", True), ("Студенты-медики", True)]
    + [("Вальдор", False), ("Нордмарком", False)],
)
def test_a_dictionary_tells_an_ordinary_word_from_a_name(word, ordinary):
    assert ordinary_word(word) is ordinary


@pytest.mark.parametrize(
    ("report", "source", "missing"),
    [
        # a name changed where it opens both sentences, neither named anywhere else
        ("Valdor must recall its ships.", "Нордмарк должен отозвать свои корабли.", ["Valdor"]),
        ("Нордмарк должен отозвать свои корабли.", "Valdor must recall its ships.", ["Нордмарк"]),
        # a name opening the source that the report replaced by a description
        ("Вальдор поставит нам зерно.", "A neighbouring country will supply us with grain.", ["Вальдор"]),
        ("Vaccination will remain free.", "Прививка останется бесплатной.", []),  # ordinary words
    ],
)
def test_a_name_opening_a_sentence_that_recurs_nowhere(report, source, missing):  # issue 15
    assert missing_names(report, source, _words) == missing


def test_words_that_say_something_is_lacking_negate_in_either_language():  # issue 15: "не хватает"
    assert negated("We are short of nurses.") and negated("There is a shortage of nurses.")
    assert not negated("A short meeting.")
    assert flags("We lack doctors.", "Нам не хватает врачей.") == ()
    assert flags("We are short of doctors.", "Нам не хватает врачей.") == ()
    (flag,) = flags("We have enough doctors.", "Нам не хватает врачей.")
    assert flag.startswith("negation differs")


BRIDGE = (
    "Ведущий: Что нового в регионе?\n\n"
    "А.Н.Белова: Новый мост через реку откроют в июне. Школы получат новые компьютеры осенью. "
    "Мы построим завод в Талине.\n\nВедущий: Спасибо."
)


def test_a_translation_shares_the_concepts_of_its_source():  # issue 15: sparse latent terms
    concepts = multilingual_embedder().concepts
    source, translation, other = concepts(
        ["Новый мост через реку откроют в июне.", "The new bridge over the river will open in June."]
        + ["The river will flood the new factory."]
    )
    assert source @ translation >= CONCEPT_OVERLAP > source @ other


def test_a_claim_built_from_the_speakers_words_is_not_a_translation():  # issue 15
    tracer = Tracer(PrimaryIndex.from_documents([from_text(BRIDGE, date="2026-04-01")]))
    reports = [
        "The new bridge over the river will open in June.",
        "Schools will get new computers in the autumn.",
        "We will build a factory in Talin.",
        "The bridge will be built by schools.",  # her bridge and her schools, in a claim she did not make
    ]
    items = process([from_text(f'Anna Belova said: "{r}"', date="2026-04-03") for r in reports])
    traces = [tracer.trace(item.document, item.statements)[0] for item in items]
    assert [t.verdict for t in traces] == ["translated"] * 3 + ["unsupported"]
    assert not any(t.flags for t in traces[:3])
    (note,) = traces[3].flags
    assert note.startswith("not a translation") and "share few of its concepts" in note


def test_a_verb_that_stops_what_follows_negates_it():
    assert negated("We will stop selling grain.") and negated("Мы прекратим поставки.")
    assert not negated("Grain exports grew.")
    (flag,) = flags("We will stop buying medicines.", "Мы покупаем лекарства.")
    assert flag.startswith("negation differs")


def test_a_report_that_changes_several_things_is_not_a_translation():
    assert changes(("numbers differ: [5] in the report, [3] in the source",)) == 1
    assert (
        changes(("negation differs: the report negates", "names differ: none in the report, Азию in the source")) == 2
    )
    tracer = Tracer(PrimaryIndex.from_documents([from_text(INTERVIEW, date="2026-03-12")]))
    # the speaker's words, negated and with a number changed: something else than what he said
    (item,) = process([from_text('Igor Sokolov said: "Grain exports did not grow by 30 percent."', date="2026-03-14")])
    (trace,) = tracer.trace(item.document, item.statements)
    assert trace.verdict == "unsupported"
    assert trace.flags and trace.flags[0].startswith("not a translation") and "negation differs" in trace.flags[0]


@pytest.mark.parametrize(
    ("report", "source", "missing"),
    [
        ("Trade with Nordmark fell.", "Торговля с Нордмарком сократилась.", []),  # romanized, a case ending
        ("We sell grain to Asia and Africa.", "Мы продаём зерно в Азию и Африку.", []),  # spellings that sound alike
        ("The talks in Geneva begin.", "Переговоры в Женеве начнутся.", []),  # translated, not romanized
        ("The talks in Vienna begin.", "Переговоры в Женеве начнутся.", ["Vienna"]),
        ("Trade with Valdor fell.", "Торговля с Нордмарком сократилась.", ["Valdor"]),
    ],
)
def test_a_name_without_a_counterpart_in_the_other_language(report, source, missing):
    assert missing_names(report, source, _words) == missing


def test_a_clause_the_report_adds_is_flagged_and_one_it_leaves_out_shown():
    embed = multilingual_embedder()

    def flagged(report: str, source: str) -> tuple[str, ...]:
        similarity = float(embed([report], "query")[0] @ embed([source], "passage")[0])
        return flags(report, source, _words, embed, similarity)

    source = "Наши фермеры получат субсидии в мае."
    assert flagged("Our farmers will get subsidies in May.", source) == ()
    assert flagged("Our farmers will get subsidies in May, but only those who grow wheat.", source) == (
        "the report adds: but only those who grow wheat.",
    )
    source = "Правительство заморозило тарифы до весны, чтобы защитить пенсионеров."
    assert flagged("The government has frozen tariffs until spring to protect pensioners.", source) == ()
    trimmed = flagged("The government has frozen tariffs until spring.", source)
    assert trimmed == ("trimmed: leaves out чтобы защитить пенсионеров.",)
    assert changes(trimmed) == 0 and translation_class("translated", trimmed) == "translated"


def test_the_margin_over_the_speakers_other_sentences():
    singles = [Candidate(0, i * 10, i * 10 + 9, True) for i in range(4)]
    # the same cosine scores higher when the speaker's other sentences lie far from the report
    standing_out = margin_score(np.array([0.90, 0.80, 0.80, 0.80]), singles)
    among_alike = margin_score(np.array([0.90, 0.88, 0.87, 0.86]), singles)
    assert standing_out[0] == among_alike[0] == 0
    assert standing_out[1] == pytest.approx(1.0) and among_alike[1] == pytest.approx(0.93)
    # a pair holding the best sentence wins only by more than the pair penalty; its own sentences are no neighbours
    pair = Candidate(0, 0, 19, False, pair=True)
    assert margin_score(np.array([0.90, 0.80, 0.80, 0.80, 0.905]), [*singles, pair])[0] == 0
    best, score = margin_score(np.array([0.90, 0.80, 0.80, 0.80, 0.95]), [*singles, pair])
    assert best == 4 and score == pytest.approx(0.95 + 0.95 - 0.80)


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
    assert tallies["all"].gold >= 50
    # measured 1.00 / 1.00 / 1.00, thresholds tuned on translations_dev.yaml (issue 15: each >= 0.85)
    assert tallies["translated"].recall >= 1.0
    assert tallies["translated, flagged"].recall >= 1.0
    assert tallies["unsupported"].recall >= 1.0


def test_development_translation_set():  # what the thresholds were tuned on: pinned so it cannot drift
    tallies, _ = evaluate_translations(DATA / "translations_dev.yaml")
    # measured 1.00 / 0.923 / 0.933 since a trim counts as faithful (its last six cases, recombined claims among them,
    # are the hard ones); 1.00 / 1.00 / 0.933 since a one-clause report keeps the negation of the sentence it renders
    assert tallies["translated"].recall >= 1.0
    assert tallies["translated, flagged"].recall >= 1.0
    assert tallies["unsupported"].recall >= 0.93


def test_held_out_translation_set():  # issue 15: measured 1.00 / 1.00 / 0.75 (README; its misses were read, so no longer blind)
    tallies, _ = evaluate_translations(DATA / "translations_heldout.yaml")
    assert tallies["all"].gold >= 30
    assert tallies["translated"].recall >= 1.0
    assert tallies["translated, flagged"].recall >= 1.0
    assert tallies["unsupported"].recall >= 0.75


def test_once_blind_translation_set():  # issue 15: 0.50 / 0.57 / 0.71 blind; 1.00 / 0.857 / 0.714 after its kinds were fixed;
    # 1.00 / 0.857 / 0.857 with the word alignment (swapped roles, changed referents); 1.00 / 0.929 / 0.857 with a
    # report the dictionaries attest word by word rescued from the concepts
    tallies, _ = evaluate_translations(DATA / "translations_blind.yaml")
    assert tallies["all"].gold >= 44
    assert tallies["translated"].recall >= 1.0
    assert tallies["translated, flagged"].recall >= 0.92
    assert tallies["unsupported"].recall >= 0.85


def test_a_translation_shows_the_margin_that_decided_it():
    from onrecord.analyse.trace import to_html

    tracer = Tracer(PrimaryIndex.from_documents([from_text(INTERVIEW, date="2026-03-12")]))
    (item,) = process([from_text('Igor Sokolov said: "The inspectors can come next month."', date="2026-03-14")])
    (trace,) = tracer.trace(item.document, item.statements)
    assert trace.verdict == "translated" and trace.measure == MEASURES["translated"] == "margin"
    # the margin (what the threshold is on) is the score; the cosine stays beside it, below it
    assert trace.score >= TRANSLATED and trace.similarity is not None and trace.similarity < trace.score
    shown = trace.to_dict()
    assert (shown["score"], shown["measure"], shown["similarity"]) == (
        round(trace.score, 3),
        "margin",
        round(trace.similarity, 3),
    )
    assert f"margin {trace.score:.2f}, cosine {trace.similarity:.2f}" in to_html([trace])


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


def test_a_name_opening_the_quote_is_known_from_the_rest_of_the_article():
    interview = (
        "Ведущий: Что дальше?\n\nИ.В.Соколов: Нордмарк должен отозвать свои патрульные суда. "
        "Мы не будем размещать ракеты у границы.\n\nВедущий: Спасибо.\n\n"
        "И.В.Соколов: Экспорт зерна вырос на двенадцать процентов."
    )
    tracer = Tracer(PrimaryIndex.from_documents([from_text(interview, date="2026-03-12")]))

    def traced(article: str):
        (item,) = process([from_text(article, date="2026-03-14")])
        return tracer.trace(item.document, item.statements)[-1]

    quote = 'Igor Sokolov said: "Valdor must withdraw its patrol boats."'
    named = traced(f"The boats of Valdor are on the lake. {quote}")
    assert named.verdict == "translated"
    assert any(f.startswith("names differ: Valdor in the report") for f in named.flags)
    # alone too: no dictionary knows either word opening the two sentences, so each is a name
    alone = traced(quote)
    assert "names differ: Valdor in the report, Нордмарк in the source" in alone.flags


def test_a_report_may_name_who_we_are():  # reported speech: "Ruritania would invite" for "Мы пригласим"
    known = ["Руритании"]
    assert missing_names("Ruritania would invite inspectors.", "Мы пригласим инспекторов.", _words, known) == []
    assert missing_names("Ruritania will supply us.", "Вальдор поставит нам.", _words, known) == ["Ruritania"]


@pytest.mark.parametrize(
    ("russian", "english"),
    [
        ("товарооборот составил 1,5 млрд долларов", "trade amounted to $1.5 billion"),  # decimal comma, abbreviation
        ("около двенадцати тысяч человек", "about 12,000 people"),  # a case form in words, a thousands comma
        ("12 000 человек", "twelve thousand people"),  # a thousands space
        ("терминал обойдётся в 250 млн евро", "the terminal will cost €250m"),
        ("вместе с двумя спасателями", "with two rescuers"),  # the instrumental
        ("полтора миллиона", "1.5 million"),
    ],
)
def test_numbers_in_any_format_and_case_form_are_one(russian, english):  # issue 15, blind set
    assert numbers(russian) == numbers(english) != []


@pytest.mark.parametrize(
    ("russian", "english", "value"),
    [
        ("Он предложил пятилетний план.", "He proposed a five-year plan.", [5]),  # a count compounded into a word
        ("Призыв касается восемнадцатилетних.", "The call-up concerns 18-year-olds.", [18]),
        ("Мы ждём двадцатипятилетнего юбилея.", "We await the 25-year jubilee.", [25]),
        ("Визит будет трёхдневным.", "The visit will last three days.", [3]),
        ("Это займёт два-три дня.", "It will take two or three days.", [2, 3]),  # two numbers, not five
        ("За первые девять месяцев продажи выросли.", "Sales grew in the first nine months.", [9]),
        ("Отчёт выйдет 15-го числа.", "The report comes out on the 15th.", [15]),  # an ordinal in digits
        ("Две трети депутатов за.", "Two-thirds of deputies are in favour.", [2 / 3]),  # a hyphened share
        ("Реформа началась в 1990-е годы.", "The reform began in the 1990s.", [1990]),  # a decade
        ("Плата на трассе М-4 вырастет до 7 крон.", "The M-4 toll will rise to 7 crowns.", [7]),  # a designation
        ("Полк получит истребители Су-35.", "The regiment will get Su-35 fighters.", []),
    ],
)
def test_a_number_reads_alike_however_each_language_writes_it(russian, english, value):
    assert numbers(russian) == pytest.approx(value, abs=1e-6)
    assert numbers(english) == pytest.approx(value, abs=1e-6)


def test_a_word_that_only_begins_like_a_compounded_count_is_none():
    assert numbers("Прошло десятилетие.") == []  # a decade, as "a decade" is no count
    assert numbers("Семинар прошёл одновременно в двух городах.") == [2]  # «семи…», «одно…» open no count here


def test_one_and_first_in_words_are_no_count():  # "the first trains" for «Первые поезда», «ещё одну» for "another"
    assert numbers("the first trains run in March") == numbers("Первые поезда пойдут в марте") == []
    assert numbers("ещё одну партию") == numbers("one of the ports") == []
    assert numbers("one hundred") == [100] and numbers("1 января") == [1]
    assert numbers("April 5 2026") == [5, 2026]  # digits after digits are another number


@pytest.mark.parametrize(
    "text",
    [
        "Мы не раз предлагали обсудить пошлины.",  # more than once
        "Речь идёт не только о пассажирских, но и о грузовых перевозках.",
        "This concerns not only passenger but also freight transport.",
        "Мы отправили не менее 300 тонн грузов.",
        "We sent no fewer than 300 tonnes.",
        "Нельзя не отметить, что впервые посольство возглавит женщина.",  # one must note
    ],
)
def test_phrases_that_only_look_negative_do_not_negate(text):  # issue 15, blind set
    assert not negated(text)


def test_a_negation_that_replaces_a_phrase_that_only_looks_negative_is_flagged():
    source = "Мы не раз предлагали обсудить пошлины."
    assert flags("We have repeatedly offered to discuss the duties.", source) == ()
    (flag,) = flags("We have never offered to discuss the duties.", source)
    assert flag.startswith("negation differs")


def test_a_hedge_or_condition_the_report_drops_or_adds_is_flagged():  # issue 15: «возможно», «вероятно», "if"
    source = "Возможно, в следующем году визы будут отменены."
    (flag,) = flags("Next year visas will be abolished.", source)
    assert flag == "certainty differs: the source hedges"
    assert flags("Next year visas may be abolished.", source) == ()
    assert flags("The inspectors can come next month.", "Инспекторы могут приехать в следующем месяце.") == ()
    assert flags("Our farmers will get subsidies in May.", "Наши фермеры получат субсидии в мае.") == ()  # a month
    (flag,) = flags("We will support the resolution if it is amended.", "Мы поддержим резолюцию.")
    assert flag == "certainty differs: the report hedges"


def test_a_number_bounded_the_other_way_is_flagged():  # «не менее 300» is not "only 300"
    source = "Мы отправили не менее 300 тонн грузов."
    assert flags("We have sent at least 300 tonnes of cargo.", source) == ()
    (flag,) = flags("We have sent only 300 tonnes of cargo.", source)
    assert flag.startswith("numbers differ: upper bound [300] in the report, lower in the source")


def test_a_report_names_who_we_are_wherever_the_name_stands():  # issue 15, blind set: not only opening the sentence
    source = "Мы против того, чтобы корабли третьих стран патрулировали наши воды."
    report = "Kaldoria was against warships of third countries patrolling our waters."
    assert missing_names(report, source, _words) == []
    assert missing_names("Merania supplies Kaldoria with gas.", "Мерания поставляет нам газ.", _words) == []
    # as many "we" on both sides: the name stands for no one's "we"
    assert missing_names("Ostravia supplies us with gas.", "Мерания поставляет нам газ.", _words) == ["Ostravia"]


def test_a_clause_that_frames_the_next_is_neither_added_nor_dropped():  # «Ни для кого не секрет, что …»
    embed = multilingual_embedder()
    for report, source in [
        ("It is no secret that our exporters lack port capacity.", "Ни для кого не секрет, что нашим экспортёрам не хватает портовых мощностей."),
        ("It must be noted that for the first time the embassy will be headed by a woman.", "Нельзя не отметить, что впервые посольство возглавит женщина."),
    ]:  # fmt: skip
        similarity = float(embed([report], "query")[0] @ embed([source], "passage")[0])
        assert flags(report, source, _words, embed, similarity) == ()


@pytest.mark.parametrize(
    ("english", "russian", "time"),
    [
        ("The depot will reopen next year.", "Депо откроется снова в следующем году.", {"next year"}),
        ("We signed it last week.", "Мы подписали его на прошлой неделе.", {"last week"}),
        ("The hearing is on March 3.", "Слушание назначено на 3 марта.", {"month 3"}),
        ("The ferry sails on Friday.", "Паром отходит в пятницу.", {"day 5"}),
        ("Prices may fall this year.", "В этом году цены могут снизиться.", {"this year"}),  # "may" the modal
    ],
)
def test_times_of_either_language_are_one(english, russian, time):  # issue 15, third blind set: times
    assert times(english) == times(russian) == time


def test_a_changed_time_is_flagged():  # "next year" for «до конца года», January for December
    source = "Ремонт школы закончат до конца года."
    assert flags("The school's repairs will be finished by the end of the year.", source) == ()
    (flag,) = flags("The school's repairs will be finished by the end of next year.", source)
    assert flag == "time differs: next year in the report, none in the source"
    (flag,) = flags("The hearing is on April 3.", "Слушание назначено на 3 марта.")
    assert flag.startswith("time differs: month 4 in the report, month 3")


def test_a_decimal_comma_does_not_cut_a_clause():
    assert len(clauses("Пошлины вырастут на 7,5 процента уже в мае.")) == 1
    assert len(clauses("Пошлины вырастут, а квоты отменят.")) == 2


def test_a_double_negative_that_affirms_is_not_negation():  # "cannot help" for «не могу не»
    assert not negated("I cannot help admiring the volunteers.")
    assert not negated("Не могу не поблагодарить волонтёров.")
    assert negated("I cannot admire the volunteers.")


def test_a_belief_the_speaker_states_is_a_hedge():  # «я думаю, что …», "I think …"
    assert hedged("Я думаю, что дорогу достроят к осени.") and hedged("I think the road will be finished by autumn.")
    (flag,) = flags("The road will be finished by autumn.", "Я думаю, что дорогу достроят к осени.")
    assert flag == "certainty differs: the source hedges"


def test_a_trim_holds_what_it_leaves_out():  # a trim and one change is a changed translation
    embed = multilingual_embedder()
    report, source = "The school will open in May.", "Школа откроется в мае, там будет триста учеников."
    similarity = float(embed([report], "query")[0] @ embed([source], "passage")[0])
    found = flags(report, source, _words, embed, similarity)
    assert found == ("trimmed: leaves out там будет триста учеников.",)  # not also "numbers differ"
    assert changes(found) == 0
    assert changes(("numbers differ: [5] in the report, [3] in the source", "trimmed: leaves out и в мае")) == 1
    assert changes(("numbers differ: [5] in the report, [3] in the source", "the report adds: and in May")) == 2


def test_spoken_fillers_are_never_a_dropped_clause():  # «Ну, смотрите», «Кроме того»
    embed = multilingual_embedder()
    report = "We will open two new schools in the spring."
    for source in [
        "Ну, смотрите, мы откроем две новые школы весной.",
        "Кроме того, мы откроем две новые школы весной.",
    ]:
        similarity = float(embed([report], "query")[0] @ embed([source], "passage")[0])
        assert flags(report, source, _words, embed, similarity) == ()


def test_a_condition_the_report_leaves_out_is_still_a_change():  # a trim, but of the "if" the claim rests on
    embed = multilingual_embedder()
    report, source = "The bridge will reopen in autumn.", "Мост откроют осенью, если подрядчик успеет."
    similarity = float(embed([report], "query")[0] @ embed([source], "passage")[0])
    found = flags(report, source, _words, embed, similarity)
    assert "certainty differs: the source hedges" in found
    assert translation_class("translated", found) == "translated, flagged"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Тариф вырастет с 3,4 до 4,1 миллиона крон.", [3.4e6, 4.1e6]),  # a range says its multiplier once
        ("The fare will rise from 3.4 to 4.1 million crowns.", [3.4e6, 4.1e6]),
        ("Between 7 and 9 thousand tourists came.", [7000, 9000]),
        ("We built 12 schools and 3 million homes.", [3e6, 12]),  # no range: the lower end comes first
        ("Exports to Asia doubled.", [2]),  # how many times over, in one word
        ("Экспорт в Азию удвоился.", [2]),
        ("Мы проверили склады четырежды.", [4]),
        ("We checked the depots four times.", [4]),
        ("Цены выросли втрое.", [3]),
        ("Prices rose threefold.", [3]),
    ],
)
def test_numbers_said_once_for_a_range_or_as_how_many_times(text, expected):
    assert numbers(text) == sorted(expected)


def test_months_and_weekdays_are_times_never_names():
    assert names("We signed it on Thursday with Valdor.") == ["Valdor"]
    assert missing_names("The ferry leaves on Friday.", "Паром уходит в пятницу.", _words) == []
    assert missing_names("Friday is the deadline.", "Срок истекает в пятницу.", _words) == []


def test_whose_our_is_may_be_named():  # "Kestria's ports" for «наших портах», as "Kestria will" for «мы»
    source = "В наших портах стоят двенадцать судов."
    assert missing_names("Twelve ships are docked in Kestria's ports.", source, _words) == []
    assert missing_names("Twelve ships are docked in Kestria's ports.", "В портах стоят двенадцать судов.", _words)


def test_a_report_stating_some_of_the_sources_numbers_and_none_of_its_own_trims():
    source = "В конкурсе участвовали семь фирм, победила «Мостострой» с ценой 310 миллионов крон."
    trimmed = flags("Mostostroy won with a price of 310 million crowns.", source)
    assert trimmed == ("trimmed: leaves out the numbers [7]",)
    assert translation_class("translated", trimmed) == "translated"
    changed = flags("Mostostroy won with a price of 410 million crowns.", source)
    assert changed[0].startswith("numbers differ") and translation_class("translated", changed) != "translated"
    assert flags("The price was left open.", "Цена составила 310 миллионов крон.")[0].startswith("numbers differ")


@pytest.mark.parametrize(
    ("report", "source", "alike"),
    [
        ("The ferry sails daily.", "Паром ходит каждый день.", True),  # how often, in a word or in two
        ("The ferry sails every day.", "Паром ходит ежедневно.", True),
        ("The ferry sails every week.", "Паром ходит ежедневно.", False),
        ("Inspectors report annually.", "Инспекторы отчитываются каждый месяц.", False),
    ],
)
def test_how_often_is_a_time(report, source, alike):
    assert (times(report) == times(source)) == alike


@pytest.mark.parametrize(
    ("text", "ways"),
    [
        ("Freight volumes fell by a fifth.", {("amount", "down")}),
        ("Объём перевозок вырос на пятую часть.", {("amount", "up")}),
        ("The harbour fees were higher than last spring.", {("amount", "up")}),
        ("Портовые сборы ниже, чем прошлой весной.", {("amount", "down")}),
        ("We will cut the number of ferries.", {("amount", "down")}),
        ("Мы увеличим число паромов.", {("amount", "up")}),
        ("The vote comes after the summit.", {("order", "after")}),
        ("Голосование пройдёт перед саммитом.", {("order", "before")}),
        ("The bridge opens no earlier than March.", {("order", "after")}),  # a negated comparison turns
        ("Мост откроют не раньше марта.", {("order", "after")}),
        ("Over a thousand people came, more than 300 of them children.", set()),  # a bound is bounds' (below)
        ("The lake is deep.", set()),
    ],
)
def test_which_way_a_comparison_or_a_change_goes(text, ways):  # issue 15: "less than" for «больше, чем»
    assert directions(text) == ways


def test_a_comparison_turned_around_is_flagged():  # issue 15: "less than last winter" for «больше, чем прошлой зимой»
    source = "Улов трески сейчас больше, чем прошлой осенью."
    assert flags("The cod catch is now bigger than last autumn.", source) == ()
    (flag,) = flags("The cod catch is now smaller than last autumn.", source)
    assert flag == "numbers differ: the amount goes down in the report, up in the source"
    (flag,) = flags("Ferry fares went down in June.", "В июне подорожали билеты на паром.")
    assert flag.startswith("numbers differ: the amount goes down")
    (flag,) = flags("The referendum will be held after the harvest.", "Референдум проведём перед уборкой урожая.")
    assert flag == "time differs: after in the report, before in the source"
    # a fall for a rise beside another number changed is one kind of change (the quantity), not two
    assert changes(flags("Exports fell by 9 percent.", "Экспорт вырос на двенадцать процентов.")) == 1
    # one side alone says no way: a translation may carry the change in other words («реже», "fewer … sail")
    assert flags("Fewer ferries sail in winter.", "Зимой паромы ходят реже.") == ()
    assert translation_class("translated", [flag]) == "translated, flagged"


def test_a_quote_introduced_by_the_writers_own_words_is_traced_alone():  # issue 15: 'denied that …: "…"'
    interview = (
        "Ведущий: Правда, что вы закрыли порт?\n\n"
        "А.Н.Ветров: Порт никто не закрывал, никто. Рыбаки выходят в море каждое утро."
    )
    tracer = Tracer(PrimaryIndex.from_documents([from_text(interview, date="2026-05-02")]))
    article = 'Anton Vetrov denied that the authorities had shut the harbour: "Nobody closed the port, nobody."'
    (item,) = process([from_text(article, date="2026-05-03")])
    (traced,) = tracer.trace(item.document, item.statements)
    # the writer's summary before the colon is no clause the report adds to the speaker's words
    assert traced.verdict == "translated"
    assert not any(f.startswith("the report adds") for f in traced.flags)


@pytest.mark.parametrize(
    ("text", "negates"),
    [
        ("Rents have barely moved this year.", True),  # «почти не изменились»
        ("The delay came from the weather rather than from the builders.", True),  # «…, а не …»
        ("They bought rye instead of wheat.", True),
        ("Вместо пшеницы купили рожь.", True),
        ("We do not rule out a second vote.", False),  # a hedge, not a negation
        ("Мы не исключаем повторного голосования.", False),
    ],
)
def test_words_that_negate_in_meaning_and_not_ruling_out(text, negates):  # issue 15, second training set
    assert negated(text) == negates


def test_not_ruling_out_is_a_hedge_and_a_double_negative_is_none():  # issue 15: «не исключаю», «не могу не»
    source = "Мы не исключаем, что закроем шахту весной."
    assert flags("We do not rule out closing the mine in spring.", source) == ()
    assert flags("The mine may close in spring.", source) == ()
    (flag,) = flags("We will close the mine in spring.", source)
    assert flag == "certainty differs: the source hedges"
    assert not hedged("Не могу не сказать, что урожай был плохим.")
    assert flags("I must say that the harvest was poor.", "Не могу не сказать, что урожай был плохим.") == ()


def test_a_number_the_speaker_denies_to_correct_it_is_not_his():  # «не на десять процентов, а на шесть»
    source = "Налоги выросли, но не на десять процентов, а примерно на шесть."
    assert flags('Taxes rose "not by ten percent, but by about six."', source) == ()
    assert flags('Taxes rose "not by ten percent, by about six."', source) == ()  # the correction without "but"
    found = flags("Taxes rose by about ten percent.", source)
    assert any(f.startswith("numbers differ: [10] in the report, [6]") for f in found)
    assert any(f.startswith("negation differs") for f in found)  # and so, two kinds of change: another claim
    # a denied number with no correction is still the text's: "not 500" against «500» is a negation, not a trim
    (flag,) = flags("We will not hire 500 miners.", "Мы наймём 500 шахтёров.")
    assert flag.startswith("negation differs")


def test_how_a_comparison_goes_is_no_amount():  # "more slowly" for «медленнее»
    assert directions("Wages are rising more slowly than prices.") == {("amount", "up")}
    assert directions("Expectations are coming down less quickly than hoped.") == {("amount", "down")}
    assert (
        flags(
            "Expectations are coming down more slowly than we hoped.", "Ожидания снижаются медленнее, чем мы надеялись."
        )
        == ()
    )


def test_an_abbreviation_has_its_counterpart_in_an_abbreviation_of_the_other_language():  # "GDP" for «ВВП»
    source = "Долг не превысит сорока процентов ВВП."
    assert missing_names("Debt will not exceed forty percent of GDP.", source, _words) == []
    assert missing_names(source, "Debt will not exceed forty percent of GDP.", _words) == []
    # with no abbreviation on the other side it is a name like another
    assert missing_names(source, "Debt will not exceed forty percent of Valdor's output.", _words) == ["ВВП"]


def test_a_hedge_dropped_beside_a_condition_kept_is_flagged():  # issue 15: «Если …, мы, возможно, …» for "if …, we will"
    source = "Если проверка найдёт нарушения, мы, возможно, оштрафуем порт."
    assert hedges(source) == {"condition", "possibility"}
    assert flags("If the audit finds faults, we may fine the port.", source) == ()
    (flag,) = flags("If the audit finds faults, we will fine the port.", source)
    assert flag == "certainty differs: both hedge, the report (condition), the source (condition, possibility)"


def test_a_negated_change_goes_no_way():  # «не вырастут» is no fall: the negation check sees it
    assert directions("Цены на хлеб не вырастут этой осенью.") == set()
    (flag,) = flags("Bread prices will rise this autumn.", "Цены на хлеб не вырастут этой осенью.")
    assert flag == "negation differs: the source negates"


def test_a_one_clause_report_against_two_sentences_keeps_the_negation_of_the_one_it_renders():  # issue 15
    pair = "Музей финансирует город. Частные спонсоры в нём не участвуют."
    # the second sentence's negation hid the one the report adds to the first
    assert not any(f.startswith("negation") for f in flags("The museum is not funded by the city.", pair))
    (flag,) = flags("The museum is not funded by the city.", pair, rendered="Музей финансирует город.")
    assert flag == "negation differs: the report negates"
    rendered = "Частные спонсоры в нём не участвуют."
    assert flags("Private sponsors take no part in it.", pair, rendered=rendered) == ()


# issue 15, numbers: a share is a number in either language, its value the fraction's
@pytest.mark.parametrize(
    ("russian", "english", "value"),
    [
        ("Половина сотрудников уволилась.", "Half of the staff quit.", [0.5]),
        ("Они забирают половину урожая.", "They take half the harvest.", [0.5]),
        ("Цены выросли на треть.", "Prices rose by a third.", [1 / 3]),
        ("Две трети избирателей поддержали закон.", "Two thirds of voters backed the law.", [2 / 3]),
        ("Закон поддержали около двух третей депутатов.", "About two thirds of deputies backed the law.", [2 / 3]),
        ("Четверть школ закрыта.", "A quarter of the schools are closed.", [0.25]),
        ("Три четверти бюджета уходит на дороги.", "Three quarters of the budget goes on roads.", [0.75]),
        ("Приехали полмиллиона туристов.", "Half a million tourists came.", [500_000]),
        ("Приехали два с половиной миллиона туристов.", "Two and a half million tourists came.", [2_500_000]),
        ("Нас посетили полтора миллиона человек.", "One and a half million people visited us.", [1_500_000]),
        ("Цены выросли в полтора раза.", "Prices rose one and a half times.", [1.5]),
    ],
)
def test_a_share_is_a_number_in_either_language(russian, english, value):
    assert numbers(russian) == pytest.approx(value, abs=1e-6)
    assert numbers(english) == pytest.approx(value, abs=1e-6)


@pytest.mark.parametrize(
    ("russian", "english", "value"),
    [
        ("Прибыль выросла в первом квартале.", "Profit grew in the first quarter.", []),  # a period of the year
        ("Завод откроется во втором полугодии 2027 года.", "The plant opens in the second half of 2027.", [2, 2027]),
        ("Завод откроется во второй половине года.", "The plant opens in the second half of the year.", [2]),
        ("Переговоры шли полчаса.", "The talks lasted half an hour.", []),  # a duration
        ("Спор длится четверть века.", "The dispute has lasted a quarter of a century.", []),
        ("Это была вялая реформа.", "It was a half-hearted reform.", []),  # a compound
        ("Он выступил от имени профсоюза.", "He spoke on behalf of the union.", []),
        ("Она добивается третьего срока.", "She is seeking a third term.", [3]),  # the ordinal, not a share
    ],
)
def test_a_period_a_duration_or_a_compound_is_no_share(russian, english, value):
    assert numbers(russian) == numbers(english) == value


def test_a_share_changed_is_flagged_and_one_kept_is_not():
    source = "К 2030 году ветер и солнце дадут четверть электроэнергии."
    changed = flags("By 2030 wind and solar will generate half of its electricity.", source)
    assert any(f.startswith("numbers differ: [0.5, 2,030] in the report, [0.25, 2,030]") for f in changed)
    kept = flags("By 2030 wind and solar will generate a quarter of its electricity.", source)
    assert not any(f.startswith("numbers differ") for f in kept)


def test_a_share_and_a_percentage_are_different_numbers():
    # decided: "a quarter" (0.25) is not "25 percent" (25), nor "one in four" (4): a report that turns one into the
    # other is flagged for a reader to judge, as the percentage's figure is not the share's
    assert numbers("a quarter of the schools") == [0.25]
    assert numbers("25 percent of the schools") == numbers("25 процентов школ") == [25]
    assert numbers("one in four schools") == [4]
    assert flags("25 percent of the schools are closed.", "Четверть школ закрыта.")[0].startswith("numbers differ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,500.5 tonnes", [1500.5]),  # a thousands comma, then a decimal point
        ("1 500,5 тонны", [1500.5]),  # a thousands space, then a decimal comma
        ("12,000,000.25 euros", [12_000_000.25]),
        ("12,000 and 15,000", [12_000, 15_000]),
        ("1,5 млрд", [1.5e9]),
    ],
)
def test_digits_with_thousands_and_a_decimal_part(text, expected):
    assert numbers(text) == expected


@pytest.mark.parametrize("suffix", [w for w in MULTIPLIERS if w.isascii() and len(w) <= 3])
def test_each_abbreviation_multiplies_the_digits_it_is_written_onto(suffix):  # "5k", "$3m", "€2bn"
    assert numbers(f"$2{suffix}") == [2 * MULTIPLIERS[suffix]]


def test_a_single_letter_apart_from_digits_multiplies_nothing():  # "5 m" is five metres
    assert numbers("The wall is 5 m high.") == [5]


def test_only_words_that_could_be_numbers_are_lemmatised(monkeypatch):
    asked: list[str] = []
    lemmatise = translation.russian_words
    monkeypatch.setattr(translation, "russian_words", lambda text: asked.append(text) or lemmatise(text))
    assert numbers("Экспорт зерна вырос на двенадцать процентов.") == [12]
    assert set(asked) == {"двенадцать"}


def test_the_cheap_check_reads_every_word_as_pymorphy_would():
    # each Russian word of the readable sets reads as the same number (or none) as when every word is lemmatised
    text = " ".join((DATA / f"{name}.yaml").read_text() for name in ("translations_dev", "translations_train"))
    for word in {w.lower() for w in re.findall(r"[А-Яа-яЁё]+", text)}:
        key = translation.russian_words(word)[0].base
        compound = translation._compound_count(word)  # «пятилетний»: read by its letters, not its lemma
        expected = (
            ("n", NUMBER_WORDS[key])
            if key in NUMBER_WORDS
            else ("x", MULTIPLIERS[key])
            if key in MULTIPLIERS
            else None
            if compound is None
            else ("n", compound)
        )
        assert translation._number_value(word) == expected, word
