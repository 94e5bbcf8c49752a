"""English WordNet read offline (issue 15): what tells a free rendering of a word from a near word swapped in."""

from __future__ import annotations

import logging

import pytest

from onrecord.analyse.wordnet import wordnet

needs_wordnet = pytest.mark.skipif(
    wordnet() is None, reason="WordNet is not installed: Debian's wordnet-base (`make system-deps`)"
)


@needs_wordnet
@pytest.mark.parametrize(
    ("word", "pos", "lemmas"),
    [
        ("mice", "n", ["mouse"]),  # an irregular form, from the exception list
        ("went", "v", ["go"]),
        ("tractors", "n", ["tractor"]),  # a regular ending taken off
        ("insurance_company", "n", ["insurance_company"]),  # a phrase WordNet lists whole
        ("zzxq", "n", []),
        ("es", "v", []),  # all ending: no stem is left to look up (the licence lines opening the index are none)
    ],
)
def test_base_forms_are_found_in_the_sorted_index(word, pos, lemmas):
    assert wordnet().lemmas(word, pos) == lemmas


@needs_wordnet
@pytest.mark.parametrize(
    ("word", "pos", "renderings"),
    [
        ("car", "n", ["automobile"]),  # a synonym
        ("vehicle", "n", ["car"]),  # broader
        ("sedan", "n", ["car"]),  # narrower
        ("wing", "n", ["building"]),  # a part for its whole
        ("growth", "n", ["grow"]),  # derived, across parts of speech
        ("halt", "v", ["stop"]),
    ],
)
def test_a_free_rendering_is_told_by_its_relation(word, pos, renderings):
    assert wordnet().renders(word, pos, renderings)


@needs_wordnet
@pytest.mark.parametrize(
    ("word", "pos", "rendering"),
    [
        ("tea", "n", "coffee"),
        ("beef", "n", "pork"),
        ("nurse", "n", "doctor"),
        ("wheat", "n", "barley"),
        ("pension_fund", "n", "insurer"),
    ],
)
def test_a_word_of_one_kind_is_no_rendering(word, pos, rendering):
    net = wordnet()
    assert net.kin(word, pos, rendering)
    assert not net.renders(word, pos, [rendering])  # two words holding one thing are not one word


@needs_wordnet
@pytest.mark.parametrize(
    ("word", "pos", "rendering", "opposite"),
    [
        ("open", "v", "close", True),
        ("expensive", "a", "cheap", True),
        ("foreign", "a", "internal", True),  # by "domestic", in the cluster of "internal"
        ("open", "v", "start", False),
        ("expensive", "a", "costly", False),
    ],
)
def test_opposites(word, pos, rendering, opposite):
    assert wordnet().opposes(word, pos, rendering) is opposite


@needs_wordnet
def test_general_hypernyms_and_measures_make_no_kin():
    net = wordnet()
    assert not net.kin("idea", "n", "tractor")  # they meet only at "entity"
    assert not net.kin("give", "a", "take")  # adjectives and adverbs have no hierarchy
    assert net.measure("tonne", "n") and net.measure("winter", "n")  # the number and time checks read these
    assert not net.measure("bank", "n")


def test_without_wordnet_nothing_is_read(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="onrecord.analyse"):
        assert wordnet(tmp_path / "absent") is None
    assert "wordnet-base" in caplog.text
