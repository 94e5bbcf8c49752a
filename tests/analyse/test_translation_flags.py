"""What a translation changed, read per word and per predicate (issue 15, flags): the sentences here are our own."""

from __future__ import annotations

import pytest

from onrecord.analyse import bilingual
from onrecord.analyse.alignment import align
from onrecord.analyse.embed import multilingual_embedder
from onrecord.analyse.translation import (
    TRIMMED,
    UNPROMISED,
    bounds,
    flags,
    hedges,
    names,
    negated,
    negation_counts,
    times,
)
from onrecord.analyse.translation_verdict import Evidence, cascade
from onrecord.extract.syntax import russian_parse


def _words(texts: list[str]):
    return multilingual_embedder()(texts, "query")


def _flags(report: str, source: str, cue: str | None = None) -> tuple[str, ...]:
    return flags(report, source, alignment=align(report, source, _words, bilingual.dictionary()), cue=cue)


def _negation(found: tuple[str, ...]) -> list[str]:
    return [f for f in found if f.startswith("negation differs")]


@pytest.mark.parametrize(
    ("report", "source"),
    [
        # the negation is in a clause the report leaves out
        ("the queue for a flat is now three years", "Десять лет — это не так, очередь на квартиру сейчас три года."),
        (
            "Fixed prices will be set for 90 basic foods from May 1",
            "С 1 мая мы вводим фиксированные цены на 90 основных продуктов, и торговая надбавка не сможет расти.",
        ),
    ],
)
def test_a_negation_in_what_the_report_leaves_out_is_part_of_the_trim(report, source):
    found = _flags(report, source)
    assert not _negation(found)
    assert any(f.startswith(f"{TRIMMED} the negation") for f in found)


@pytest.mark.parametrize(
    ("report", "source", "negates"),
    [
        # both negate, but not the same predicate
        (
            "The army was not recruiting volunteers now but was planning to.",
            "Добровольцев армия сейчас не набирает и не планирует.",
            "source",
        ),
        # «нет» as the predicate of a word that says something lacks: nothing lacks
        ("There is a shortage of flour in the region.", "Дефицита муки в регионе нет.", "report"),
        ("The ministry had enough doctors.", "Министерству не хватает врачей.", "source"),
        ("The ministry did not approve the plan.", "Министерство одобрило план.", "report"),
    ],
)
def test_a_predicate_negated_on_one_side_only_is_flagged(report, source, negates):
    assert any(f"the {negates} negates" in f for f in _negation(_flags(report, source)))


@pytest.mark.parametrize(
    ("report", "source"),
    [
        ("There is no shortage of flour in the region.", "Дефицита муки в регионе нет."),
        ("The region is short of flour.", "Региону не хватает муки."),
        (
            "The army was not recruiting volunteers and was not planning to.",
            "Добровольцев армия не набирает и не планирует.",
        ),
        ("the fee would never go up", "Взнос не вырастет никогда."),  # Russian negates once with «не … никогда»
        ("I cannot help but admire the rescuers.", "Я не могу не восхищаться спасателями."),
    ],
)
def test_the_same_polarity_word_by_word_raises_no_negation_flag(report, source):
    assert not _negation(_flags(report, source))


def test_a_double_negative_that_agrees_counts_once():
    parse = russian_parse("Взнос не вырастет никогда.")
    counts = negation_counts("Взнос не вырастет никогда.", parse)
    assert [parse[n].text for n, c in counts.items() if c % 2] == ["вырастет"]


def test_an_ability_denied_is_a_negation_not_a_hedge():
    assert hedges("I cannot trust people who skip their shifts.") == set()
    assert hedges("Сборы не смогут превышать пяти процентов.") == set()
    assert negated("I cannot trust people who skip their shifts.")
    assert hedges("The crews can work at night.") == {"possibility"}
    # the modal kept, the negation changed: one change, the negation
    found = flags("The crews cannot work at night.", "Бригады могут работать ночью.")
    assert [f.split(":")[0] for f in found] == ["negation differs"]


def test_a_negated_comparative_bounds_rather_than_negates():
    assert not negated("Налог будет не выше трёх процентов.")
    assert bounds("Налог будет не выше трёх процентов.") == {3.0: "upper"}
    assert bounds("a tax no higher than three percent") == {3.0: "upper"}
    assert not flags("a tax no higher than three percent", "Налог будет не выше трёх процентов.")


def test_a_bound_after_a_negated_verb_is_turned_round():
    assert bounds("Ожидание не должно длиться больше трёх месяцев.") == {3.0: "upper"}
    assert bounds("The wait must not last more than three months.") == {3.0: "upper"}
    assert bounds("The wait must last no more than three months.") == {3.0: "upper"}
    assert bounds("The wait will last more than three months.") == {3.0: "lower"}


def test_weekdays_in_the_plural_are_times_not_names():
    assert times("Clinics will open on Sundays.") == times("Поликлиники будут открыты по воскресеньям.") == {"day 7"}
    assert names("From March clinics will open on Sundays.") == []
    assert times("Clinics will open on Sundays.") != times("Поликлиники будут открыты по субботам.")


@pytest.mark.parametrize(
    ("cue", "report", "source", "unpromised"),
    [
        (
            "promised",
            "that the tariff would never go up",
            "А обещать, что тариф не вырастет никогда, я не стану.",
            True,
        ),
        ("guaranteed", "that the bridge would open in May", "Я не могу гарантировать, что мост откроют в мае.", True),
        ("vowed", "that the plant would reopen in spring", "Не исключаю, что весной завод снова заработает.", True),
        ("promised", "that the plant would reopen in spring", "Весной завод снова заработает.", False),
        ("said", "that the plant might reopen in spring", "Не исключаю, что весной завод снова заработает.", False),
    ],
)
def test_a_commitment_the_source_does_not_make_is_not_its_claim(cue, report, source, unpromised):
    found = _flags(report, source, cue)
    assert any(f.startswith(UNPROMISED) for f in found) == unpromised
    alignment = align(report, source, _words, bilingual.dictionary())
    verdict = cascade(Evidence(1.0, 0.9, 0.9, found, alignment, "single", report, source))[0]
    assert (verdict == "unsupported") == unpromised


def test_a_hedge_the_report_puts_in_its_cue_is_the_reports():
    report, source = (
        "a temporary cut in the tax for two months",
        "Мы не исключаем, что временно снизим налог на два месяца.",
    )
    assert not any(f.startswith("certainty") for f in flags(report, source, cue="did not rule out"))
    assert any(f.startswith("certainty differs: the source hedges") for f in flags(report, source, cue="announced"))


def test_a_negation_on_the_subject_is_its_verbs():
    report = "Nine schools were merged and not a single one was shut"
    assert not _negation(_flags(report, "Девять школ объединили, а закрыта не была ни одна."))
    assert _negation(_flags(report, "Девять школ объединили, и одна была закрыта."))


def test_a_number_the_source_denies_stated_as_its_claim_turns_the_denial_around():
    source = "Цены выросли, да, но не на двадцать процентов, а примерно на восемь."
    found = flags("prices rose by twenty percent", source)
    assert "numbers differ" in found[0] and any("the report states what the source denies" in f for f in found)
    assert not flags("prices rose, yes, but not by twenty percent, by about eight", source)


def test_a_number_denied_after_the_claim_is_no_claim_either():  # «за сутки, а не за два дня»
    source = "Паром опоздал на три часа, а не на пять, как писали газеты."
    assert not any(f.startswith("numbers differ") for f in flags("The ferry was three hours late.", source))
    found = flags("The ferry was five hours late.", source)
    assert any("the report states what the source denies" in f for f in found)


def test_trace_reads_the_hedge_and_the_commitment_in_the_reports_cue():
    from onrecord.analyse.trace import PrimaryIndex, Tracer
    from onrecord.ingest import from_text
    from onrecord.pipeline import process

    interview = (
        "Ведущий: Что будет с налогом?\n\n"
        "М.А.Орлова: Мы не исключаем, что временно снизим налог на топливо на два месяца. "
        "А обещать, что тарифы на воду не вырастут никогда, я не стану."
    )
    tracer = Tracer(PrimaryIndex.from_documents([from_text(interview, date="2026-05-01")]))
    reports = [
        "Maria Orlova did not rule out a temporary cut in the fuel tax for two months.",
        "Maria Orlova promised that water tariffs would never rise.",
    ]
    items = process([from_text(r, date="2026-05-02") for r in reports])
    hedged, promised = (tracer.trace(item.document, item.statements)[0] for item in items)
    assert hedged.verdict == "translated" and not any(f.startswith("certainty") for f in hedged.flags)
    assert promised.verdict == "unsupported" and "promise" in promised.flags[0]


@pytest.mark.parametrize(
    ("report", "source"),
    [
        # the month is when the repair ends, which the report does not say
        ("the old bridge over the river is being repaired", "Ремонт старого моста через реку закончится в марте."),
        # the month is the plant's opening, in a clause of its own
        (
            "about 300 workers were hired at the plant",
            "Завод, который откроется в мае, уже нанял около трёхсот рабочих.",
        ),
    ],
)
def test_a_time_said_of_what_the_report_does_not_render_is_part_of_the_trim(report, source):
    found = _flags(report, source)
    assert not any(f.startswith("time differs") for f in found)
    assert any(f.startswith(f"{TRIMMED} the time") for f in found)


def test_a_time_left_out_of_what_the_report_renders_is_flagged():
    assert any(
        f.startswith("time differs")
        for f in _flags("the plant hired about 300 workers", "В мае завод нанял около трёхсот рабочих.")
    )


@pytest.mark.parametrize(
    "text",
    [
        "We were able to cut the queue by half.",  # what was achieved
        "Нам удалось сократить очередь вдвое.",
        "Мы смогли сократить очередь вдвое.",
        "The road will be reopened as soon as possible.",  # a superlative
        "Дорогу откроют как можно скорее.",
        "I can tell you that the road will be reopened.",  # a frame of saying
        "Могу вас заверить, что дорогу откроют.",
        "Если честно, дорогу откроют в мае.",
    ],
)
def test_a_modal_that_hedges_nothing_is_no_hedge(text):
    assert hedges(text) == set()


def test_the_other_languages_hedges_and_conditions_are_hedges_too():
    assert hedges("Дорогу, по всей видимости, откроют в мае.") == hedges("The road will probably reopen in May.")
    assert hedges("При необходимости мы закроем дорогу.") == hedges("If necessary, we will close the road.")
    assert hedges("Мы смогли бы закрыть дорогу.") == {"possibility"}  # a conditional of ability hedges still


@pytest.mark.parametrize(
    ("report", "source"),
    [
        # a reply opening the sentence answers the question, it denies nothing the sentence says
        ("the ferry will keep running", "Нет, нет, паром продолжит ходить, это решено."),
        # a negated degree says how much, not whether
        ("fares rose slightly", "Тарифы выросли, но не сильно."),
        # a verb that negates what follows it, in either language
        ("the talks failed to produce a deal", "Переговоры не смогли привести к сделке."),
        ("the drivers refused to sign the contract", "Водители не стали подписывать договор."),
    ],
)
def test_what_negates_in_another_way_or_not_at_all_raises_no_negation_flag(report, source):
    assert not _negation(_flags(report, source))


def test_a_reply_is_no_negation_but_a_negation_after_it_is():
    assert not negated("Нет, паром продолжит ходить.")
    assert negated("Нет, паром не будет ходить.")
    assert negated("Денег на паром нет.")
    assert _negation(_flags("the drivers signed the contract", "Водители отказались подписывать договор."))


def test_twenty_four_hours_are_a_day_said_without_a_number():
    assert not flags("the crews work 24-hour shifts", "Бригады работают суточными сменами.")
    assert not flags("the crews must answer within 24 hours", "Бригады должны ответить в течение 24 часов.")
    assert flags("the crews must answer within 48 hours", "Бригады должны ответить в течение суток.")


@pytest.mark.parametrize(
    ("report", "source", "flagged"),
    [
        # a predicate denied to put another in its place: the report that renders the other trims the denial
        ("The cooperative will buy 200 tractors from the plant.", "Кооператив не продаёт, а покупает тракторы.", False),
        ("The cooperative is buying tractors.", "Кооператив не продаёт тракторы, а покупает их.", False),
        ("The cooperative is not selling tractors.", "Кооператив не продаёт тракторы, а покупает их.", False),
        ("The cooperative is selling tractors.", "Кооператив не продаёт тракторы, а покупает их.", True),
        ("It will buy tractors.", "Кооператив не продаёт, а, наоборот, покупает: он закупит тракторы у завода.", False),
        # "N nouns short" lacks as «не хватает» does
        ("The region's hospitals are 300 nurses short.", "В больницах области не хватает трёхсот медсестёр.", False),
        ("The region's hospitals have 300 nurses.", "В больницах области не хватает трёхсот медсестёр.", True),
    ],
)
def test_a_denial_in_a_contrast_and_a_shortfall_read_by_what_they_say(report, source, flagged):
    assert bool(_negation(_flags(report, source))) is flagged
