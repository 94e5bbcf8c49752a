"""The selective parse (issue 17): which text goes through which part of spaCy, and that the
statements come out as a full parse gives them."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.evaluate import read_gold_yaml
from onrecord.extract import Extractor, parse_mode, select
from onrecord.extract.nlp import common_words, irregular_forms
from onrecord.extract.quotes import find_quotes
from onrecord.ingest import from_text
from onrecord.pipeline import process

GOLD = Path(__file__).parents[1] / "gold"


@pytest.fixture(scope="module")
def triggers(extractor: Extractor) -> select.Triggers:
    return select.Triggers.of(extractor.lex, irregular_forms(extractor.nlp), common_words(extractor.nlp))


@pytest.fixture(scope="module")
def full(extractor: Extractor) -> Extractor:
    return Extractor(extractor.nlp, selective=False)


@pytest.fixture(scope="module")
def selective(extractor: Extractor) -> Extractor:
    return Extractor(extractor.nlp, selective=True)


def pieces(text: str) -> list[str]:
    return [u.of(text) for u in select.units(text, 0, len(text))]


def test_units_end_at_sentence_ends_and_line_breaks_not_at_abbreviations() -> None:
    text = 'Rep. G.K. Butterfield (D-N.C.) spoke on Sept. 11. The U.S. Army "agreed." Then it ended!\nNew line'
    assert pieces(text) == [
        "Rep. G.K. Butterfield (D-N.C.) spoke on Sept. 11.",
        'The U.S. Army "agreed."',
        "Then it ended!",
        "New line",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials said the road would reopen.",  # irregular form, from the lemmatizer's exceptions
        "The minister tweeted a photo.",  # a regular ending
        "His claims were repeated.",  # a cue noun in the plural
        "According to the mayor, nothing changed.",
        "In my view, nothing changed.",
        "It was “a disgrace”.",
        'The bar was "closed" all week.',  # any quotation mark: straight, curly, low, guillemets
        "The bar was „closed“ all week.",
        "The bar was «closed» all week.",
        "They knew whether it rained.",  # a clause any verb may report
    ],
)
def test_a_sentence_with_a_cue_a_quotation_or_a_clause_fires(triggers: select.Triggers, sentence: str) -> None:
    assert triggers.fires(sentence)


@pytest.mark.parametrize(
    "sentence", ["The weather was cold on Monday.", "Crowds filled the square by noon.", "The bar was closed all week."]
)
def test_a_sentence_no_rule_can_read_does_not_fire(triggers: select.Triggers, sentence: str) -> None:
    assert not triggers.fires(sentence)


def test_a_quotation_is_kept_whole_and_the_rest_left_out(triggers: select.Triggers) -> None:
    text = 'It was late. "We came early. The night was cold. We stayed." The band played on.'
    how = select.plan(text, 0, len(text), find_quotes(text, 0, len(text)), triggers)
    assert [r.of(text) for r in how.parse] == ['"We came early. The night was cold. We stayed."']
    assert [u.of(text) for u in how.unparsed] == ["It was late.", "The band played on."]
    assert how.names == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("I think we will win. And so it goes.", False),
        ('"We can," they did.', False),
        ("we met Smith there", True),
        ("the vote was on 3 May", True),
        ("Obama went home.", True),
    ],
)
def test_needs_names(text: str, names: bool) -> None:
    assert select.needs_names(text) is names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("DONALD TRUMP: We're going to win. (APPLAUSE) It's true.", False),  # label, direction, "It's"
        ("SEAN HANNITY (HOST): Look, thank you.", False),
        ("Look, we will win. Thank you.", False),  # dictionary words opening sentences
        ("Trump will win.", True),  # the document capitalises "Trump" inside a sentence
        ("Frank talks. Honest ones.", False),  # "frank" is a word, and never a name in this document
        ("DONALD TRUMP: We met NBC.", True),
    ],
)
def test_what_only_looks_like_a_name_does_not_need_the_recogniser(
    triggers: select.Triggers, text: str, names: bool
) -> None:
    proper = select.proper_words("He said Donald Trump was right. " + text)
    assert "Trump" in proper and "Frank" not in proper
    assert select.needs_names(text, triggers.common, proper) is names


def test_in_a_parsed_run_the_recogniser_reads_the_units_that_may_name_someone(
    selective: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "She said it would rain. We said that we doubted it. Anna Petrova said the talks would resume."
    how = select.plan(text, 0, len(text), [], selective.triggers, select.proper_words(text))
    assert [r.of(text) for r in how.parse] == [text]
    assert [[p.of(text) for p in named or []] for named in how.named] == [["Anna Petrova said the talks would resume."]]
    seen: list[tuple[str, str]] = []
    through = selective._through

    def recording(texts: list[str], kind: str):  # type: ignore[no-untyped-def]
        seen.extend((kind, t) for t in texts)
        return through(texts, kind)

    monkeypatch.setattr(selective, "_through", recording)
    statements = next(process([from_text(text)], selective)).statements
    assert seen == [("parse", text), ("names", "Anna Petrova said the talks would resume.")]
    assert {s.content: s.speaker for s in statements}["the talks would resume"] == "Anna Petrova"


def test_left_out_units_that_may_name_someone_go_to_the_recogniser(triggers: select.Triggers) -> None:
    text = "Anna Petrova arrived. It rained. The wind rose.\n\nShe said no.\n\nWe waited. Then we left."
    how = select.plan(text, 0, len(text), [], triggers)
    assert [r.of(text) for r in how.parse] == ["She said no."]
    assert [r.of(text) for r in how.names] == ["Anna Petrova arrived."]
    assert [u.of(text) for u in how.unparsed][-2:] == ["We waited.", "Then we left."]


@pytest.mark.parametrize(
    "text",
    [
        "Ruritania's foreign minister, Anna Petrova, arrived.",
        "Anna Petrova, the foreign minister, arrived.",
        "The foreign minister Anna Petrova arrived.",
        "Foreign Minister Anna Petrova arrived.",
    ],
)
def test_a_left_out_run_that_describes_someone_is_parsed(triggers: select.Triggers, text: str) -> None:
    """Only the parser links "the foreign minister" to Anna Petrova (for a later "the minister said")."""
    how = select.plan(text, 0, len(text), [], triggers)
    assert [r.of(text) for r in how.parse] == [text]
    assert how.names == how.unparsed == []


@pytest.mark.parametrize("text", ["Well, I went home.", "So, I'm told nothing.", "the budget, which rose."])
def test_a_comma_before_the_pronoun_i_describes_no_one(text: str) -> None:
    assert not select.describes(text)


def test_parse_mode_accepts_selective_and_full_only() -> None:
    assert parse_mode("selective") and not parse_mode(" Full ")
    with pytest.raises(ValueError, match="selective or full"):
        parse_mode("fast")


def test_a_pronoun_finds_a_name_written_where_nothing_was_parsed(selective: Extractor) -> None:
    text = "Anna Petrova reached Valdor on Monday.\n\nThe streets were empty. She said the talks would resume."
    how = select.plan(text, 0, len(text), [], selective.triggers)
    assert [r.of(text) for r in how.parse] == ["She said the talks would resume."]
    assert [r.of(text) for r in how.names] == ["Anna Petrova reached Valdor on Monday."]
    (statement,) = next(process([from_text(text)], selective)).statements
    assert statement.speaker == "Anna Petrova"


def test_spacy_reads_less_than_the_whole_text(selective: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parser runs on the runs that can carry attribution only; the recogniser alone on
    what is left that may name someone, and not at all on the rest."""
    seen: dict[str, int] = {}
    through = selective._through

    def counting(texts: list[str], kind: str):  # type: ignore[no-untyped-def]
        seen[kind] = seen.get(kind, 0) + sum(len(t) for t in texts)
        return through(texts, kind)

    monkeypatch.setattr(selective, "_through", counting)
    filler = "The crowd cheered for a long time. We waited and waited in the cold. "
    text = filler * 5 + "Ilse Brandt arrived late. " + "She said the bridge would open in May. " + filler * 5
    list(process([from_text(text)], selective))
    assert seen.get("names", 0) == len("Ilse Brandt arrived late.")
    assert seen.get("all", 0) + seen.get("parse", 0) == len("She said the bridge would open in May.")


@pytest.mark.parametrize("gold", ["statements.yaml", "names.yaml", "acts.yaml"])
def test_the_selective_parse_gives_the_full_parse_statements_on_the_gold_sets(
    full: Extractor, selective: Extractor, gold: str
) -> None:
    documents = [from_text(g.text, source=g.name, **g.meta) for g in read_gold_yaml(GOLD / gold)]
    by_full = [[s.to_dict() for s in p.statements] for p in process(documents, full)]
    by_selective = [[s.to_dict() for s in p.statements] for p in process(documents, selective)]
    assert by_selective == by_full


@pytest.mark.parametrize(
    "sentence, fires",
    [
        ("The minister played down the risk.", True),  # a phrasal cue fires with its particle
        ("Analysts pegged the cost at 40 million dollars.", True),  # an estimate with "at"
        ("The children played in the square.", False),
        ("She valued her friends.", False),
    ],
)
def test_a_verb_that_is_a_cue_only_with_its_companion_fires_with_it(
    triggers: select.Triggers, sentence: str, fires: bool
) -> None:
    assert triggers.fires(sentence) is fires
