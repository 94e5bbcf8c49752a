"""Scoring: BRAT reading, the three matchings, and gold formats."""

from __future__ import annotations

import pytest

from onrecord import EvaluationError
from onrecord.evaluate import GoldStatement, Score, read_brat, read_gold, score_document
from onrecord.model import Span, Statement

TEXT = 'The Post reports that talks stalled. "We are done," Petrova said.'


def test_read_brat_with_fragments_and_wrapped_text():
    ann = (
        "T1\tSource 0 8\tThe Post\nT2\tCue 9 16\treports\nT3\tContent 17 35\tthat talks stalled\n"
        "T4\tAttribution 9 16\treports\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        'T5\tContent 37 44;45 51\t"We are\ndone,"\nE2\tAttribution:T4 Content:T5\n'
    )
    first, second = read_brat(TEXT, ann)
    assert first == GoldStatement(content=((17, 35),), source=((0, 8),), cue=((9, 16),), act="say")
    assert second.content == ((37, 44), (45, 51)) and second.source == ()


def test_read_brat_gives_each_attribution_its_act():
    text = "A new poll shows Kallas ahead. Petrova plans to run. Kallas believes she will lose. Jones said so."
    spans = [("Source", 0, 10), ("Cue", 11, 16), ("Content", 17, 29), ("Source", 31, 38), ("Cue", 39, 44),
             ("Content", 45, 51), ("Source", 53, 59), ("Cue", 60, 68), ("Content", 69, 82), ("Source", 84, 89),
             ("Cue", 90, 94), ("Content", 95, 97)]  # fmt: skip
    lines = [f"T{n}\t{label} {a} {b}\t{text[a:b]}" for n, (label, a, b) in enumerate(spans, 1)]
    lines += [
        f"E{k}\tAttribution:T{3 * k - 1} Content:T{3 * k} Cue:T{3 * k - 1} Source:T{3 * k - 2}" for k in range(1, 5)
    ]
    assert [g.act for g in read_brat(text, "\n".join(lines))] == ["show", "intend", "think", "say"]


def statement(start: int, end: int, speaker: tuple[int, int] | None = None) -> Statement:
    return Statement(0, "indirect", TEXT[start:end], Span(start, end), speaker_span=Span(*speaker) if speaker else None)


@pytest.mark.parametrize(
    "predicted, exact, overlap30, both50",
    [
        ((17, 35), 1, 1, 1),  # the same span
        ((22, 35), 0, 1, 1),  # without "that": 13 of 18 gold characters
        ((22, 27), 0, 0, 0),  # "talks": 5 of 18, under 30%
        ((0, 44), 0, 1, 0),  # runs on into the quote: covers the gold but is 2.4 times as long
    ],
)
def test_matchings(predicted, exact, overlap30, both50):
    gold = [GoldStatement(content=((17, 35),), source=((0, 8),))]
    scores = {k: Score() for k in ("exact", "overlap30", "both50")}
    score_document(TEXT, gold, [statement(*predicted, speaker=(0, 8))], scores)
    assert [scores[k].matched for k in ("exact", "overlap30", "both50")] == [exact, overlap30, both50]
    assert all(s.gold == 1 and s.predicted == 1 for s in scores.values())


def test_one_to_one_matching_and_speaker_agreement():
    gold = [GoldStatement(content=((17, 35),), source=((0, 8),))]
    scores = {"both50": Score()}
    score_document(TEXT, gold, [statement(17, 35, (4, 8)), statement(17, 35, (0, 8))], scores)
    s = scores["both50"]
    assert (s.matched, s.predicted, s.precision, s.recall) == (1, 2, 0.5, 1.0)
    assert s.speaker_checked == 1


def test_yaml_gold_reports_a_missing_piece(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("- id: x\n  text: Petrova said so.\n  statements:\n    - {content: not there}\n")
    with pytest.raises(EvaluationError, match="'not there' occurs 0 times"):
        list(read_gold(path))


def test_jsonl_gold(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text('{"text": "Petrova said so.", "statements": [{"content_span": [13, 15], "speaker": "Petrova"}]}\n')
    (doc,) = read_gold(path)
    assert doc.statements[0].content == ((13, 15),) and doc.statements[0].speaker == "Petrova"


def test_evaluate_acts_scores_say_apart():
    from onrecord.evaluate import GoldDocument, evaluate_acts

    text = "Anna Petrova said the talks had stalled. Jonas Kallas believes that the talks will resume."
    gold = (
        GoldStatement(content=((18, 39),), cue=((12, 17),), act="say"),
        GoldStatement(content=((63, 89),), cue=((54, 62),), act="think"),
    )
    scores = evaluate_acts([GoldDocument("d", text, gold)])
    assert (scores["all"]["overlap30"].gold, scores["say"]["overlap30"].gold) == (2, 1)
    # the belief is predicted (all acts) but scored apart from what was said
    assert (scores["all"]["overlap30"].predicted, scores["say"]["overlap30"].predicted) == (2, 1)
    assert scores["say"]["overlap30"].matched == 1


def test_a_frame_inside_the_content_is_scored_on_the_parts_around_it():
    # issue 15: "By 2030, X said, Y" is one content with its frame inside; the gold marks the two parts
    text = "By 2031, the envoy said, Valdor will leave the pact."
    frame, cue = Span(9, 18), Span(19, 23)
    predicted = Statement(0, "indirect", text[:-1], Span(0, len(text) - 1), speaker_span=frame, cue_span=cue)
    gold = [GoldStatement(content=((0, 7), (25, len(text) - 1)), source=((9, 18),), cue=((19, 23),))]
    scores = {"exact": Score()}
    score_document(text, gold, [predicted], scores)
    assert scores["exact"].matched == 1 and scores["exact"].speaker_agreed == 1
