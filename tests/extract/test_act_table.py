"""Sentence -> (act, content), or nothing: what each statement reports, and what nobody said (issue 13).

Each row is one construction; ``None`` means no statement at all. Negatives included: an action
whose object is a thing ("wrote a book"), a name given ("they call him …"), something not yet done.
"""

from __future__ import annotations

import pytest

import onrecord

NOTHING = None

CASES = [
    # -- say: speech verbs, any quotation, according to, transcript turns --
    ("Anna Petrova said the talks had stalled.", "say", "the talks had stalled"),
    ('"We want peace," Anna Petrova said.', "say", '"We want peace,"'),  # a quotation says, whatever it holds
    ("According to Petrova, the talks have stalled.", "say", "the talks have stalled"),
    ("Jonas Kallas denied that Nordmark had moved troops.", "say", "that Nordmark had moved troops"),
    # -- think: beliefs and wishes, verbs and nouns --
    ("Anna Petrova believes the treaty will hold.", "think", "the treaty will hold"),
    (
        "Most people in Nordvale just want to know when the bridge will open.",
        "think",
        "to know when the bridge will open",
    ),
    ("Kallas's hope that the talks would resume was dashed.", "think", "that the talks would resume"),
    # -- intend: plans and decisions --
    (
        "A group in Nordvale plans to push pipelines through the valley.",
        "intend",
        "to push pipelines through the valley",
    ),
    ("Jonas Kallas decided to leave the council.", "intend", "to leave the council"),
    ("Kallas's plan to close the border was rejected.", "intend", "to close the border"),
    # -- show: a thing as source, whatever its cue; and evidence verbs --
    ("A new poll shows that Petrova leads by ten points.", "show", "that Petrova leads by ten points"),
    ("The report found that the dam at Nordvale was unsafe.", "show", "that the dam at Nordvale was unsafe"),
    ("Data indicate that exports to Ruritania fell in March.", "show", "that exports to Ruritania fell in March"),
    ("Readings above 50 indicate expansion, the survey said.", "show", "Readings above 50 indicate expansion"),
    ("According to the data, exports fell.", "show", "exports fell"),
    ("The study, led by Anna Petrova, found that the lake is shrinking.", "show", "that the lake is shrinking"),
    (
        "The agency released a report that found the river at Nordvale was polluted.",
        "show",
        "the river at Nordvale was polluted",
    ),
    # -- nothing: an action whose object is not words, a name given, a thing not yet done --
    ("Jonas Kallas wrote a book about the war.", NOTHING, None),
    ("The ministry issued a permit for the mine at Nordvale.", NOTHING, None),
    ("Ruritania released a report on Monday.", NOTHING, None),
    ("They call him The Birdman.", NOTHING, None),
    ("The government of Nordmark has yet to issue any response.", NOTHING, None),
    ("The pipeline is meant to move gas to the coast.", NOTHING, None),
    ("Kallas offered a compromise on grain.", NOTHING, None),
    ("Jonas Kallas described the harbour in detail.", NOTHING, None),  # a topic, not what was said of it
    ("Ilves wrote about the harbour.", NOTHING, None),
    # ... but words handed over are said
    ("Kallas offered his condolences to the families.", "say", "his condolences"),
    ("Oram wrote that the harbour was lost.", "say", "that the harbour was lost"),
    ("Petrova described the talks as stalled.", "say", "the talks as stalled"),
    # -- whole contents: a cue's object runs to the end of its phrase (error kind 2) --
    (
        "Anna Petrova stressed Ruritania's commitment to open waters while maintaining firm limits on fishing.",
        "say",
        "Ruritania's commitment to open waters while maintaining firm limits on fishing",
    ),
    (
        "Kallas spoke, emphasizing the shift from 300 years of Nordmark rule (built on tolls and tariffs) toward a "
        "shared lake.",
        "say",
        "the shift from 300 years of Nordmark rule (built on tolls and tariffs) toward a shared lake",
    ),
    ("Viktor Oram downplayed the treaty's March 3, 2027, expiration.", "say", "the treaty's March 3, 2027, expiration"),
    ("Marta Ilves described Nordmark-Ruritania relations as frozen.", "say", "Nordmark-Ruritania relations as frozen"),
]


@pytest.mark.parametrize("text, act, content", CASES)
def test_act_and_content(text, act, content):
    found = [s for s in onrecord.extract(text) if s.kind != "author"]
    if act is NOTHING:
        assert found == [], [(s.cue, s.content) for s in found]
        return
    assert [(s.act, s.content) for s in found] == [(act, content)]


def test_a_thing_never_gets_a_person_as_speaker():
    text = "The study, led by Anna Petrova, found that the lake is shrinking. Petrova said the lake would recover."
    study, said = onrecord.extract(text)
    assert (study.act, study.speaker) == ("show", None)  # not the person who led it
    assert (said.act, said.speaker) == ("say", "Anna Petrova")
