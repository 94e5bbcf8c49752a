"""Stance and estimate cues (issue 15): reports with no "that" clause, a phrasal cue or an amount.

"did not rule out X", "played down X", "put/estimated/valued/pegged X at <amount>":
what was said is the object, and the same verbs used for an action or a place say nothing.
"""

from __future__ import annotations

import pytest

import onrecord

REPORTS = [
    # (text, speaker mention, cue, content)
    # a phrasal cue: the particle makes the verb a cue; negated or modal, it still reports, hedged
    ("Jonas Kallas ruled out a tax increase next year.", "Jonas Kallas", "ruled out", "a tax increase"),
    (
        "Anna Petrova did not rule out a temporary cut in the fuel duty for three months.",
        "Anna Petrova",
        "rule out",
        "a temporary cut in the fuel duty for three months",
    ),
    ("The minister would not rule out new sanctions.", "The minister", "rule out", "new sanctions"),
    ("Anna Petrova has not ruled out running for president.", "Anna Petrova", "ruled out", "running for president"),
    (
        "The finance minister played down the risk of a recession.",
        "The finance minister",
        "played down",
        "the risk of a recession",
    ),
    ("The president talked up the trade deal.", "The president", "talked up", "the trade deal"),
    (
        "Jonas Kallas did not rule out a run as an independent if he loses the primary.",
        "Jonas Kallas",
        "rule out",
        "a run as an independent",
    ),
    # an estimate: the object and the amount it is put at
    (
        "Anna Petrova put the hole in the Valdor Bank's capital at about 38 billion krona.",
        "Anna Petrova",
        "put",
        "the hole in the Valdor Bank's capital at about 38 billion krona",
    ),
    (
        "Jonas Kallas estimated the damage at 5 million euros.",
        "Jonas Kallas",
        "estimated",
        "the damage at 5 million euros",
    ),
    (
        "Officials estimated the cost of the repairs at $3 billion.",
        "Officials",
        "estimated",
        "the cost of the repairs at $3 billion",
    ),
    (
        "The ministry valued the contract at 2 billion dollars.",
        "The ministry",
        "valued",
        "the contract at 2 billion dollars",
    ),
    (
        "Analysts pegged the cost at about 40 million dollars.",
        "Analysts",
        "pegged",
        "the cost at about 40 million dollars",
    ),
    ("The agency placed the death toll at 120.", "The agency", "placed", "the death toll at 120"),
    # the estimate's assumption or exclusion belongs to it; a report after it is a report of its own
    (
        "The agency put the deficit at 3 percent, assuming no change in oil prices.",
        "The agency",
        "put",
        "the deficit at 3 percent, assuming no change in oil prices",
    ),
    (
        "The ministry valued the contract at 2 billion dollars, excluding taxes.",
        "The ministry",
        "valued",
        "the contract at 2 billion dollars, excluding taxes",
    ),
    (
        "Jonas Kallas estimated the damage at 5 million euros, saying the dam would hold.",
        "Jonas Kallas",
        "estimated",
        "the damage at 5 million euros",
    ),
    (
        "The ministry did not value the deal at more than 2 billion euros.",
        "The ministry",
        "value",
        "the deal at more than 2 billion euros",
    ),
]


@pytest.mark.parametrize("text, mention, cue, content", REPORTS)
def test_stance_and_estimate_cues_report(text, mention, cue, content):
    found = [s for s in onrecord.extract(text) if s.content == content]
    assert found, [(s.cue, s.content) for s in onrecord.extract(text)]
    (s,) = found
    assert (s.speaker_mention, s.cue) == (mention, cue)


@pytest.mark.parametrize(
    "negated, asserted",
    [
        ("Anna Petrova did not rule out new sanctions.", "Anna Petrova ruled out new sanctions."),
        ("The ministry did not put the deficit at 3 percent.", "The ministry put the deficit at 3 percent."),
    ],
)
def test_a_negated_stance_reports_with_less_certainty(negated, asserted):
    (weak,) = onrecord.extract(negated)
    (sure,) = onrecord.extract(asserted)
    assert weak.content == sure.content
    assert weak.confidence < sure.confidence


@pytest.mark.parametrize(
    "text",
    [
        # the same verbs as actions, places and times: nobody said anything
        "The police put the suspect in a cell.",
        "She put the book on the table.",
        "He put the box at the door.",
        "They put the meeting at 5 pm.",
        "He put the price at the top of the list.",
        "The jury placed the defendant at the scene at 10 o'clock.",
        "The shop valued the customers.",
        "The player estimated the distance.",
        "He ruled the country for ten years.",
        "The court ruled out of order.",
        "He ruled out of bounds.",
        "She played the piano at 8 pm.",
        "The children played down the street.",
        "The workers brushed aside the leaves.",
        # "concede" reports only its clause: a bare object is as often a goal or ground given up
        "In the 62nd minute the defender conceded a penalty.",
        "Unorthodox moves have brushed aside traditional politicking.",
    ],
)
def test_actions_with_the_same_verbs_are_no_statement(text):
    assert onrecord.extract(text) == []
