"""``bilingual.rendered_among``: which of many Russian lemmas an English word renders, by an index of each entry's
verbs, with the same answers as ``bilingual.renders`` asked one lemma at a time (issue 15)."""

from __future__ import annotations

from onrecord.analyse.bilingual import rendered_among, renders

# a hand-made dictionary, so that the tests say what is found by which rule, not what Müller's lists
WORDS = {
    "ferry": frozenset({"паром"}),
    "sign": frozenset({"подписывать"}),
    "treaty": frozenset({"договор"}),
}


def test_rendered_among_answers_as_renders_does_for_each_word():
    russian = frozenset({"подписывать", "подписать", "переподписать", "договор", "писать", "подписываться"})
    for english in [("sign",), ("treaty", "treaties"), ("ferry",), ("unknown",)]:
        expected = {word for word in russian if renders(WORDS, english, word)}
        assert rendered_among(WORDS, english, russian) == expected
    assert "подписать" in rendered_among(WORDS, ("sign",), russian)  # the other aspect, by its prefix
