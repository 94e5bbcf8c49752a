"""What a translation changed in how much a claim covers and which way a comparison goes (issue 15, missed changes):
the sentences here are our own."""

from __future__ import annotations

import pytest

from onrecord.analyse import bilingual
from onrecord.analyse.alignment import align
from onrecord.analyse.embed import multilingual_embedder
from onrecord.analyse.translation import (
    bound_turned,
    changes,
    comparison_differs,
    comparisons,
    flags,
    scope,
    scope_differs,
)


@pytest.mark.parametrize(
    ("report", "source", "added"),
    [
        ("All the ferries will call at Dravik.", "Паромы будут заходить в Дравик.", '"all"'),
        ("Every ferry will call at Dravik.", "Паромы будут заходить в Дравик.", '"all"'),
        ("The ferries will always call at Dravik.", "Паромы будут заходить в Дравик.", '"all"'),
        ("Ferries will call only at Dravik.", "Паромы будут заходить в Дравик.", '"only"'),
        ("The majority of ferries will call at Dravik.", "Паромы будут заходить в Дравик.", '"most"'),
    ],
)
def test_a_quantifier_the_source_has_none_of_is_a_change_of_scope(report, source, added):
    assert scope_differs(report, source) == f"scope differs: {added} in the report, none in the source"


@pytest.mark.parametrize(
    ("report", "source"),
    [
        ("All the ferries will call at Dravik.", "Все паромы будут заходить в Дравик."),
        ("Each ferry will call at Dravik.", "Каждый паром будет заходить в Дравик."),
        ("The whole fleet will call at Dravik.", "Весь флот будет заходить в Дравик."),
        ("Ferries will call only at Dravik.", "Паромы будут заходить лишь в Дравик."),
        ("Most ferries will call at Dravik.", "Большинство паромов будут заходить в Дравик."),
        # «никто не» and "all … not" cover everything both
        ("Nobody saw all the ferries leave.", "Никто не видел, как уходили паромы."),
        # idioms with a quantifier's word, a frequency (the time check's), a bound number (the bounds')
        ("Above all, the ferries will call at Dravik.", "Прежде всего паромы будут заходить в Дравик."),
        (
            "The ferries will call not only at Dravik but at Orsk.",
            "Паромы будут заходить не только в Дравик, но и в Орск.",
        ),
        ("The ferries will call at Dravik only if the ice melts.", "Паромы будут заходить в Дравик, если растает лёд."),
        ("Ferries call at Dravik every week.", "Паромы заходят в Дравик еженедельно."),
        ("The crews worked all winter.", "Экипажи работали зимой."),
        ("Only 40 ferries will call at Dravik.", "Сорок паромов будут заходить в Дравик."),
        ("We have only just launched the ferry.", "Мы только что запустили паром."),
    ],
)
def test_a_quantifier_rendered_or_said_by_another_check_is_no_change_of_scope(report, source):
    assert scope_differs(report, source) is None


def test_all_in_a_russian_phrase_that_says_nothing_of_how_much_covers_no_added_all():
    assert scope("Паромы всё-таки будут заходить в Дравик, прежде всего летом.") == set()
    assert scope("Всего три парома будут заходить в Дравик.") == set()
    assert scope_differs("All the ferries will still call at Dravik.", "Паромы всё-таки будут заходить в Дравик.") == (
        'scope differs: "all" in the report, none in the source'
    )


def test_a_restriction_the_report_drops_is_a_change_of_scope():
    source = "Субсидии получат только фермеры с севера."
    assert scope_differs("Farmers from the north will get subsidies.", source) == (
        "scope differs: none in the report, «только» in the source"
    )
    assert scope_differs("Subsidies will go to farmers from the north alone.", source) is None
    # «только» before a verb is as often "just", and «лишь в 2029 году» "not until 2029"
    assert scope_differs("I want to thank the farmers.", "Я только хочу поблагодарить фермеров.") is None
    assert scope_differs("The grants will come not until 2029.", "Гранты придут лишь в 2029 году.") is None
    # where the source is two sentences, the restriction is the one the report renders
    pair = "Субсидии получат фермеры с севера. Гранты получат только кооперативы."
    assert (
        scope_differs("Farmers from the north will get subsidies.", pair, "Субсидии получат фермеры с севера.") is None
    )


def test_each_after_its_count_renders_a_distributive_and_most_before_an_adjective_is_a_superlative():
    assert scope("Пилоты получат по две тысячи крон.") == {"all"}
    assert scope("the most important ferry") == set()
    assert scope("Pilots will get two thousand crowns each.") == set()


def test_a_quantifier_in_a_clause_the_report_adds_or_standing_for_a_number_counts_once():
    # the number's change: "all" for «три» is one change, not two
    found = flags("All our ferries were repaired.", "Три наших парома отремонтировали.")
    assert [f.split(":")[0] for f in found] == ["numbers differ"]
    assert changes(found) == 1


@pytest.mark.parametrize(
    ("report", "source", "axis"),
    [
        ("The new ferry is slower than the old one.", "Новый паром быстрее старого.", "pace"),
        ("Service on the line has worsened.", "Обслуживание на линии улучшилось.", "quality"),
        ("Fares will now rise less often.", "Тарифы теперь будут повышаться чаще.", "frequency"),
        ("The krona has weakened.", "Крона укрепилась.", "strength"),
        ("Booking a berth is now harder.", "Забронировать место теперь проще.", "ease"),
    ],
)
def test_a_comparison_turned_around_is_flagged(report, source, axis):
    assert comparison_differs(report, source).startswith(f"comparison differs: {axis} ")
    assert changes(flags(report, source)) == 1


@pytest.mark.parametrize(
    ("report", "source"),
    [
        ("The new ferry is faster than the old one.", "Новый паром быстрее старого."),
        ("The new ferry is no faster than the old one.", "Новый паром не быстрее старого."),
        ("Service on the line has improved.", "Обслуживание на линии стало лучше."),
        # one side alone says it in other words; "no longer" is no length
        ("The new ferry is slower.", "Новый паром уступает старому в скорости."),
        ("The ferry no longer sails.", "Паром длиннее не стал, а рейсов больше нет."),
    ],
)
def test_a_comparison_kept_or_said_on_one_side_only_is_no_change(report, source):
    assert comparison_differs(report, source) is None


def test_a_negated_comparative_goes_the_other_way():
    assert comparisons("Паром не быстрее автобуса.") == {("pace", "down")}
    assert comparisons("The ferry is not slower than the bus.") == {("pace", "up")}


def test_a_comparative_the_alignment_swaps_for_its_opposite_counts_once():
    report, source = "Service on the line has worsened noticeably.", "Обслуживание на линии заметно улучшилось."
    alignment = align(report, source, lambda texts: multilingual_embedder()(texts, "query"), bilingual.dictionary())
    found = flags(report, source, alignment=alignment) + alignment.changes
    assert changes(found) == 1


def test_an_amount_the_source_bounds_with_do_from_above_bounded_from_below_is_a_changed_number():
    source = "Каждое хозяйство получит до сорока тонн удобрений."
    assert bound_turned("Each farm will get at least 40 tonnes of fertiliser.", source) == [40.0]
    found = flags("Each farm will get at least 40 tonnes of fertiliser.", source)
    assert [f.split(":")[0] for f in found] == ["numbers differ"]
    assert not flags("Each farm will get up to 40 tonnes of fertiliser.", source)
    # «до» as "until" and as the end of a range or a change bounds nothing
    assert bound_turned("more than 40 tonnes by 1 May", "До 1 мая хозяйства получат сорок тонн.") == []
    assert bound_turned("at least 2030", "Программа продлится до 2030 года.") == []
    assert bound_turned("to more than 40 tonnes", "Норма выросла с тридцати до сорока тонн.") == []
