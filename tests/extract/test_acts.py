"""Acts: the contract field, the one visibility rule, the --acts parser and the cue lists."""

from __future__ import annotations

import pytest

from onrecord.extract.acts import act_of_cue, act_of_phrase
from onrecord.model import ACTS, Span, Statement, parse_acts, visible


def test_act_round_trips_through_the_contract():
    s = Statement(0, "indirect", "talks will resume", Span(0, 17), speaker="Anna Petrova", cue="hopes", act="think")
    data = s.to_dict()
    assert data["act"] == "think"
    assert Statement.from_dict(data) == s
    del data["act"]  # a record from before acts
    assert Statement.from_dict(data).act == "say"
    assert Statement(0, "direct", "x", Span(0, 1)).act == "say"


def test_visible_keeps_the_writers_own_voice():
    think = Statement(0, "indirect", "x", Span(0, 1), act="think")
    author = Statement(1, "author", "x", Span(0, 1), act="think")
    say = Statement(2, "direct", "x", Span(0, 1))
    assert [visible(s, ("say",)) for s in (think, author, say)] == [False, True, True]
    assert all(visible(s, None) for s in (think, author, say))
    assert visible(think, ("say", "think"))


@pytest.mark.parametrize(
    ("value", "acts"),
    [("say", ("say",)), ("", ("say",)), ("think, say", ("say", "think")), ("all", None), (",".join(ACTS), None)],
)
def test_parse_acts(value, acts):
    assert parse_acts(value) == acts


def test_parse_acts_names_the_bad_one():
    with pytest.raises(ValueError, match="unknown act 'speak'"):
        parse_acts("say,speak")


@pytest.mark.parametrize(
    ("lemma", "source", "act"),
    [("say", None, "say"), ("warn", None, "say"), (None, None, "say"), ("believe", None, "think"),
     ("hope", None, "think"), ("want", None, "think"), ("plan", None, "intend"), ("decide", None, "intend"),
     ("show", None, "show"), ("say", "poll", "show"), ("vow", None, "say")],
)  # fmt: skip
def test_act_of_cue(lemma, source, act):
    assert act_of_cue(lemma, source) == act


@pytest.mark.parametrize(
    ("cue", "source", "act"),
    [("said", "sources", "say"), ("according to", "officials", "say"), ("believes", "he", "think"),
     ("has decided", "the council", "intend"), ("is planning", "she", "intend"), ("worried", "they", "think"),
     ("found", "A new poll of likely voters", "show"), ("said", "the agency's report", "show"),
     ("―", "Trump", "say"), ("", None, "say")],
)  # fmt: skip
def test_act_of_phrase(cue, source, act):
    assert act_of_phrase(cue, source) == act
