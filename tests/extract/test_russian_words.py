"""Russian words read for layers that may not load natasha (issue 15): base forms whatever the case."""

from __future__ import annotations

import pytest

from onrecord.extract.russian_words import nominative, russian_words, stem


@pytest.mark.parametrize(
    "forms", [("Руритания", "Руритании", "Руританию", "Руританией"), ("Вальдор", "Вальдора", "Вальдоре")]
)
def test_an_unknown_name_has_one_stem_in_every_case(forms):
    assert len({stem(f.lower()) for f in forms}) == 1


def test_known_words_go_to_their_lemma_and_unknown_ones_to_their_stem():
    words = {w.text: w for w in russian_words("Итоги переговоров с Нордмарком, — сказал он.")}
    assert words["переговоров"].base == "переговоры" and words["переговоров"].known
    assert words["Нордмарком"].base == "нордмарк" and not words["Нордмарком"].known
    assert words[","].pos == "PNCT"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("стратегической стабильности", "стратегическая стабильность"),
        ("совета безопасности", "совет безопасности"),
        ("новых санкций", "новая санкция"),
    ],
)
def test_a_noun_phrase_goes_to_the_nominative_with_its_adjectives_agreeing(text, expected):
    assert nominative(russian_words(text)) == expected
