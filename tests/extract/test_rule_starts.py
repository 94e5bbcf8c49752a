"""The rules start only from the tokens found for the whole parse at once (issue 17): what they
find is what they find when every token is tried."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from onrecord.extract import Extractor
from onrecord.extract.rules import SentenceRules

TEXTS = [
    "Officials said the road would reopen. The minister tweeted a photo, aides noted.",
    "The company discovered that the plan had failed. They forgot whether it rained.",  # any verb with a clause
    "According to the mayor, nothing changed. In a CNN poll released Monday, 50 percent chose Clinton.",
    "Petrova's claim that the talks stalled was denied. His attacks on Jones continued.",  # cue nouns
    "She is hoping the deal holds, and he was retweeting the post.",  # mended lemmas
    "The weather was cold on Monday. Crowds filled the square by noon.",  # nothing
]


def every_token(self: SentenceRules, sent: SpacySpan) -> Iterator[Token]:
    yield from sent


def candidates(extractor: Extractor, text: str) -> list[tuple[object, ...]]:
    doc = extractor.nlp(text)
    rules = SentenceRules(extractor.lex, text, 0, [])
    return [
        (c.cue, c.source, c.content, c.rule, c.lemma, c.confidence, c.asserted)
        for sent in doc.sents
        for c in rules.apply(sent)
    ]


@pytest.mark.parametrize("text", TEXTS)
def test_the_rules_find_what_trying_every_token_finds(
    extractor: Extractor, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = candidates(extractor, text)
    monkeypatch.setattr(SentenceRules, "_starts", every_token)
    assert found == candidates(extractor, text)


def test_a_verb_with_a_that_clause_and_a_cue_noun_are_started_from(extractor: Extractor) -> None:
    rules = {c[3] for text in TEXTS[1:4] for c in candidates(extractor, text)}
    assert {"clause", "according", "noun"} <= rules
