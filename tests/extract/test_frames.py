"""A frame inside the sentence it reports (issue 15): the content is the whole report, the frame
noted inside it, and asides and contrasts before a closing frame stay in the content."""

from __future__ import annotations

import pytest

import onrecord
from onrecord.model import Span, Statement

SET_OFF = [
    # (text, mention, cue, what was reported without its frame)
    (
        "Within two years, the transport minister said, Valdor will open a second rail link.",
        "the transport minister",
        "said",
        "Within two years Valdor will open a second rail link",
    ),
    (
        "Next winter, officials said, gas prices will rise again.",
        "officials",
        "said",
        "Next winter gas prices will rise again",
    ),
    (
        "The negotiations, the mediator said, have stalled over the fishing quotas.",
        "the mediator",
        "said",
        "The negotiations have stalled over the fishing quotas",
    ),
    (
        "After three years of delays, the agency said on Monday, the bridge will open in June.",
        "the agency",
        "said",
        "After three years of delays the bridge will open in June",
    ),
    (
        "Despite the protests, the governor said on Tuesday, the refinery will be built.",
        "the governor",
        "said",
        "Despite the protests the refinery will be built",
    ),
    # the parser hangs the fronted phrase on the frame's verb ("From" a child of "said")
    (
        "From April, Kovalenko said, trains will run on Sundays.",
        "Kovalenko",
        "said",
        "From April trains will run on Sundays",
    ),
    (
        "From Monday, Gromova said, clinics will close on Fridays.",
        "Gromova",
        "said",
        "From Monday clinics will close on Fridays",
    ),
    (
        "The ferry service, according to two port officials, will stop in October.",
        "two port officials",
        "according to",
        "The ferry service will stop in October",
    ),
]


@pytest.mark.parametrize("text, mention, cue, reported", SET_OFF)
def test_a_frame_set_off_inside_its_report_keeps_what_comes_before_it(text, mention, cue, reported):
    (s,) = [s for s in onrecord.extract(text) if s.cue == cue]
    assert s.speaker_mention == mention
    assert s.content_span.contains(s.cue_span) and s.content_span.contains(s.speaker_span)
    assert s.reported_text(text) == reported
    assert s.content_span.of(text) == s.content


AFTER_THE_CONTENT = [
    # (text, content): everything before ", X said" is the speaker's
    (
        "The railway will raise wages by 6 percent in March, while the drivers are demanding 11 percent, "
        "the company said.",
        "The railway will raise wages by 6 percent in March, while the drivers are demanding 11 percent",
    ),
    (
        "Exports fell by a third last year, whereas imports kept growing, the statistics office said.",
        "Exports fell by a third last year, whereas imports kept growing",
    ),
    (
        "The ceasefire could hold until spring, but both sides are rearming, the envoy said.",
        "The ceasefire could hold until spring, but both sides are rearming",
    ),
    (
        "The cheapest bid was made by Nordbau, one of four firms in the race, the ministry said.",
        "The cheapest bid was made by Nordbau, one of four firms in the race",
    ),
    (
        "The mine was bought by Kallas Holdings, a company registered in Cyprus, the regulator said.",
        "The mine was bought by Kallas Holdings, a company registered in Cyprus",
    ),
]


@pytest.mark.parametrize("text, content", AFTER_THE_CONTENT)
def test_a_closing_frame_reports_the_whole_clause_complex_before_it(text, content):
    found = onrecord.extract(text)
    said = [s for s in found if s.cue == "said"]
    assert [s.content for s in said] == [content]
    # a report inside it ("the drivers are demanding …") is nested in it, never a rival reading
    assert all(s.nested_in == said[0].index for s in found if s is not said[0])


FRAMING_LEADS = [
    # the phrase before the frame says where or how it was said: it is not the content's
    ("In a statement, the committee said, the bridge will open in June.", "the bridge will open in June"),
    ("Speaking on state radio, the minister said, the tax will stay.", "the tax will stay"),
    # without a comma after the frame, a fronted time may date the saying: left out
    ("On Friday, the committee said the bridge will open in June.", "the bridge will open in June"),
    # a word that only links talk on is no part of the report
    ("Now, the minister said, the tax will stay.", "the tax will stay"),
    # a relative or question word before the frame stands for something outside the report
    ("That is why, the minister argued, the army must be ready.", "the army must be ready"),
]


@pytest.mark.parametrize("text, content", FRAMING_LEADS)
def test_a_phrase_of_the_frame_stays_out_of_the_content(text, content):
    said = [s for s in onrecord.extract(text) if s.cue in {"said", "argued"}]
    assert [s.content for s in said] == [content]


def _statement(text: str, content: str, mention: str, cue: str, kind: str = "indirect") -> Statement:
    def span(piece: str) -> Span:
        at = text.index(piece)
        return Span(at, at + len(piece))

    return Statement(
        0,
        kind,
        content,
        span(content),
        speaker_mention=mention,
        speaker_span=span(mention),
        cue=cue,
        cue_span=span(cue),
    )


def test_content_parts_leave_out_a_frame_inside_the_content_only():
    text = "Sooner or later, Petrova told reporters, the coalition will fall."
    inside = _statement(text, text[:-1], "Petrova", "told")
    assert [p.of(text) for p in inside.content_parts(text)] == ["Sooner or later", "the coalition will fall"]
    assert inside.reported_text(text) == "Sooner or later the coalition will fall"
    text = "The coalition will fall, Petrova said."
    after = _statement(text, "The coalition will fall", "Petrova", "said")
    assert after.content_parts(text) == (after.content_span,)
    # a frame inside with nothing setting it off is not cut out
    text = "Petrova said the coalition will fall."
    plain = _statement(text, text[:-1], "Petrova", "said")
    assert plain.content_parts(text) == (plain.content_span,)


def test_a_content_that_holds_its_cue_without_a_frame_is_still_refused():
    # "what they said was …": the cue inside a free relative is a misparse, not a frame set off
    found = onrecord.extract("The mayor attacked what the unions said was a rigged tender.")
    assert all(not (s.cue_span and s.content_span.contains(s.cue_span)) for s in found)
    text = "The treaty, which, according to Reuters, both sides signed, expires in May."
    (s,) = [s for s in onrecord.extract(text) if s.cue == "according to"]
    assert not s.content.startswith("which")


@pytest.mark.parametrize(
    "text, cue",
    [("Honestly, you know, the ferry will stop in October.", "know"), ("Well, I mean, the ferry is late.", "mean")],
)
def test_a_spoken_aside_frames_nothing_around_it(text, cue):
    # "you know", "I mean" are how people talk: never read as a frame inside a report
    assert not any(s.cue == cue and s.content_span.contains(s.cue_span) for s in onrecord.extract(text))


@pytest.mark.parametrize(
    "text, content",
    [
        # talk gives what someone said in their own words without quotation marks: what comes before is not theirs
        ("No, the governor, she said it twice, I won't sign this budget.", "I won't sign this budget"),
        ("Because when I say it, they say, Oh, he's too harsh.", "Oh, he's too harsh"),
        ("And the mayor -- believe me, he told them, we have no money left.", "we have no money left"),
    ],
)
def test_speech_in_its_own_words_after_a_frame_keeps_the_old_reading(text, content):
    found = [s for s in onrecord.extract(text) if s.cue in {"said", "say", "told"}]
    assert content in [s.content for s in found], [(s.cue, s.content) for s in found]
    assert not any(s.content_span.contains(s.cue_span) for s in found)
