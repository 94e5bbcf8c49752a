"""The words of a report the dictionaries find in a sentence of the other language, without parsing (issue 15):
``translation.lexical``, which the tracer can weigh beside the dense cosine to choose the source (``LEXICAL_WEIGHT``)."""

from __future__ import annotations

import numpy as np
import pytest

from onrecord.analyse import translation
from onrecord.analyse.bilingual import rendered_among, renders
from onrecord.analyse.translation import Candidate, lexical, within_one
from onrecord.extract.english_words import english_lemmas, function_word

# a hand-made dictionary, so that the tests say what is found by which rule, not what Müller's lists
WORDS = {
    "ferry": frozenset({"паром"}),
    "island": frozenset({"остров"}),
    "april": frozenset({"апрель"}),
    "sign": frozenset({"подписывать"}),
    "treaty": frozenset({"договор"}),
    "child": frozenset({"ребёнок"}),
}


def test_the_sentence_holding_the_reports_words_scores_above_one_on_its_subject():
    report = "The ferry to the island will run again in April."
    faithful, nearby = "Паром на остров снова пойдёт в апреле.", "Остров закрыт для туристов до лета."
    found = lexical(report, [faithful, nearby], WORDS)
    # ferry, island, run, April ("again" is a function word): three found in the first (run is not in the
    # dictionary), one in the second
    assert found[0] == pytest.approx(3 / 4)
    assert found[1] == pytest.approx(1 / 4)


def test_word_forms_are_read_on_both_sides():
    # "signed" by the English suffix rules, «подписали» a perfective the dictionary lists in the other aspect,
    # «договоров» and «детей» by pymorphy, "children" by the irregular forms
    assert lexical("They signed the treaties.", ["Они подписали два договора."], WORDS)[0] == pytest.approx(1.0)
    assert lexical("The children", ["Дети"], WORDS)[0] == pytest.approx(1.0)


def test_names_spelled_alike_across_scripts_are_found_without_a_dictionary():
    found = lexical("Kovalenko met the delegation.", ["Коваленко встретился с делегацией."], {})
    assert found[0] == pytest.approx(1 / 3)  # Kovalenko; met and delegation are not in an empty dictionary


def test_numbers_count_when_equal_in_value():
    report = "Her term ends in 2028."
    same, other = lexical(report, ["Мой срок истекает в 2028 году.", "Мой срок истекает в 2029 году."], {})
    assert same > other


def test_a_report_of_function_words_alone_finds_nothing():
    assert list(lexical("It will not be so.", ["Так не будет."], WORDS)) == [0.0]
    assert len(lexical("Anything at all.", [], WORDS)) == 0


@pytest.mark.parametrize(
    ("word", "lemma"), [("took", "take"), ("companies", "company"), ("raised", "raise"), ("office", "office")]
)
def test_english_lemmas_come_from_lookup_tables(word, lemma):
    assert lemma in english_lemmas(word)


def test_function_words_are_told_from_content_words():
    assert function_word("the") and function_word("would")
    assert not function_word("ferry")


def test_rendered_among_answers_as_renders_does_for_each_word():
    russian = frozenset({"подписывать", "подписать", "переподписать", "договор", "писать", "подписываться"})
    for english in [("sign",), ("treaty", "treaties"), ("ferry",), ("unknown",)]:
        expected = {word for word in russian if renders(WORDS, english, word)}
        assert rendered_among(WORDS, english, russian) == expected
    assert "подписать" in rendered_among(WORDS, ("sign",), russian)  # the other aspect, by its prefix


def test_a_pair_counts_the_words_of_its_nearer_sentence_not_of_both():
    candidates = [
        Candidate(0, 0, 10, single=True),
        Candidate(0, 11, 20, single=True),
        Candidate(0, 0, 20, single=False, pair=True),
        Candidate(0, 0, 5, single=False),  # a clause keeps its own
    ]
    assert list(within_one(np.array([0.5, 0.25, 1.0, 0.4]), candidates)) == [0.5, 0.25, 0.5, 0.4]


def test_the_combined_similarity_lets_the_words_found_reorder_near_cosines(monkeypatch):
    similarity, found = np.array([0.854, 0.853]), np.array([0.0, 0.6])
    monkeypatch.setattr(translation, "LEXICAL_WEIGHT", 0.1)
    assert int(np.argmax(translation.combined(similarity, found))) == 1
    monkeypatch.setattr(translation, "LEXICAL_WEIGHT", 0.0)  # off, as shipped: the cosine alone
    assert int(np.argmax(translation.combined(similarity, found))) == 0
