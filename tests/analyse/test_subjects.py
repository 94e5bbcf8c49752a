"""Issue 14: subjects (what a speaker talks about, outside any topic), shifts within them, a better
stance, and the rule that a shift needs two occasions. The articles are fictional, written here."""

from __future__ import annotations

import numpy as np
import pytest

from onrecord import evaluate
from onrecord.analyse import brief, refresh, shifts, stance, subjects, timeline
from onrecord.analyse.shifts import Said, find_shifts
from onrecord.ingest import from_text
from onrecord.pipeline import process
from onrecord.store import Query, schema

from .conftest import DATA

COUNCIL = [  # (date, outlet, title, text): the sequence issue 14 describes, written afresh
    (
        "2026-01-12",
        "North Post",
        "Solvik rules out leaving the council",
        "Nordvale will never leave the regional council, Foreign Minister Maren Solvik told parliament on "
        'Monday.\n\n"We will keep the tariffs on grain from Ostmark," Solvik said.',
    ),
    (
        "2026-02-09",
        "Harbour Daily",
        "Solvik stands by the council",
        "Foreign Minister Maren Solvik reiterated that Nordvale will stay in the regional council. "
        '"We are not going anywhere," she said.\n\n"We will keep the tariffs on grain from Ostmark," Solvik said.',
    ),
    (
        "2026-03-16",
        "North Post",
        "Nordvale ready to walk out",
        "Foreign Minister Maren Solvik said Nordvale is ready to leave the regional council if the dispute over "
        "fishing rights is not settled by June.",
    ),
]


def ingest_articles(store, extractor, articles) -> None:
    documents = [from_text(text, date=date, outlet=outlet, title=title) for date, outlet, title, text in articles]
    store.add_many([(item.document, item.statements) for item in process(documents, extractor)], extractor.version)
    refresh(store)


@pytest.fixture()
def council(store, extractor):
    ingest_articles(store, extractor, COUNCIL)
    return store


def test_issue14_council_reversal_is_found_with_dated_evidence_and_its_condition(council):
    found = shifts.speaker_shifts(council, "Maren Solvik")
    reversals = [s for s in found if s.kind == "reversal"]
    assert len(reversals) == 1, [(s.kind, s.statement.text) for s in found]
    (reversal,) = reversals
    assert "ready to leave the regional council" in reversal.statement.text
    assert reversal.statement.date == "2026-03-16"
    evidence = {e.date: e.text for e in reversal.evidence}
    assert "will never leave" in evidence["2026-01-12"] and "will stay" in evidence["2026-02-09"]
    assert reversal.condition and "fishing rights is not settled by June" in reversal.condition
    assert reversal.subject == "the regional council"
    assert reversal.to_dict()["condition"] == reversal.condition


def test_issue14_the_repeated_tariff_line_does_not_fire(council):
    found = shifts.speaker_shifts(council, "Maren Solvik")
    assert not [s for s in found if "tariff" in s.statement.text], [(s.kind, s.statement.text) for s in found]


def test_issue14_search_compares_statements_outside_every_topic(council):
    assert not any(r.topics for r in council.statements(Query(identity="Maren Solvik", search="council")))
    found = shifts.speaker_shifts(council, "Maren Solvik", search="council")
    assert [s.kind for s in found] == ["reversal"]


def test_subjects_are_listed_with_counts_dates_and_topics(council):
    found = subjects.speaker_subjects(council, "Maren Solvik")
    by_name = {s.name: s for s in found}
    council_subject = by_name["the regional council"]
    assert council_subject.statements == 3
    assert (council_subject.first, council_subject.last) == ("2026-01-12", "2026-03-16")
    assert council_subject.topics == ()
    tariffs = next(s for s in found if "tariff" in s.name)
    assert tariffs.statements == 2 and "trade" in dict(tariffs.topics)
    assert subjects.speaker_subjects(council, "Maren Solvik", since="2026-03-01")[0].statements == 1


def test_subjects_grow_incrementally_and_are_pending_work(council, extractor):
    before = {s.name: s.id for s in subjects.speaker_subjects(council, "Maren Solvik")}
    late = ("2026-04-20", "North Post", "Council", "Maren Solvik said the regional council must settle the dispute.")
    (item,) = process([from_text(late[3], date=late[0], outlet=late[1], title=late[2])], extractor)
    council.add(item.document, item.statements, extractor.version)
    assert "subjects" in council.pending()
    refresh(council, with_topics=False)
    assert "subjects" in council.pending()  # the embedding work waits for a run with the model
    assert council.statements_for_subjects()  # the new statement, not yet placed
    refresh(council)
    assert "subjects" not in council.pending() and not council.statements_for_subjects()
    after = {s.name: s for s in subjects.speaker_subjects(council, "Maren Solvik")}
    assert after["the regional council"].id == before["the regional council"]  # extended, not rebuilt
    assert after["the regional council"].statements == 4


def test_timeline_groups_by_subject(council):
    line = timeline.timeline(council, "Maren Solvik", by="subject")
    assert next(iter(line.by_topic)) == "the regional council"
    assert len(line.by_topic["the regional council"]) == 3


def test_two_sentences_of_one_document_are_never_a_shift(store, extractor):
    one = (
        "2026-05-02",
        "Valdor Review",
        "Commentary",
        '"Ostmark has no intention to attack Nordvale," Anna Petrova said.\n\n'
        '"Ostmark\'s answer to an attack on it would be full-scale," Petrova said.\n\n'
        '"Nordvale will never leave the regional council," Petrova said.\n\n'
        '"Nordvale is ready to leave the regional council," Petrova added.',
    )
    ingest_articles(store, extractor, [one])
    assert len(store.statements(Query(identity="Anna Petrova"))) >= 3
    assert shifts.speaker_shifts(store, "Anna Petrova") == []
    doc = store.documents()[0]
    assert brief.brief(store, document=str(doc.id)).new == []


def test_one_occasion_is_no_shift_but_two_on_one_day_can_be():
    said = [
        Said(1, "2026-01-01", "We will never leave the talks.", occasion=7),
        Said(2, "2026-01-01", "We are ready to leave the talks.", occasion=7),
    ]
    same = np.ones((2, 2), dtype=np.float32)

    def embed(texts):
        return same[: len(texts), :1] / 1.0

    assert find_shifts(said, embed) == []
    other = [said[0], Said(2, "2026-01-01", "We are ready to leave the talks.", occasion=8)]
    assert [s.kind for s in find_shifts(other, embed)] == ["reversal"]


@pytest.mark.parametrize(
    ("before", "now", "opposed"),
    [
        ("Nordvale will never leave the regional council.", "Nordvale is ready to leave the regional council.", True),
        (
            "Nordvale will never leave the council.",
            "Nordvale will stay in the council. We are not going anywhere.",
            False,
        ),
        ("Nordvale will stay in the council.", "Nordvale is ready to leave the council if talks fail.", True),
        ("We support the stadium plan.", "We oppose the stadium plan.", True),
        ("We oppose the stadium plan.", "We are against the stadium plan.", False),
        ("The festival will be held on time.", "The festival will be postponed.", True),
        ("The tram line must be built.", "The tram line has not been built yet.", False),
    ],
)
def test_stance_reads_opposite_frames(before, now, opposed):
    assert (stance.opposed(before, now) is not None) == opposed


def test_conditions_are_read():
    assert stance.conditions("We are ready to leave if the dispute is not settled by June.") == [
        "if the dispute is not settled by June"
    ]


def test_phrases_name_what_a_statement_is_about():
    found = subjects.phrases("The New START treaty expires, and the regional council's seat moves to Varla.")
    assert {"New START", "regional council", "Varla"} <= set(found)
    assert subjects.phrases("Thank you.") in ([], ["Thank"])


def test_shift_finding_on_the_subject_set():
    cases = evaluate._labelled(DATA / "subject_shifts.yaml", {"said", "expect"})
    assert len(cases) >= 40 and {c["expect"] for c in cases} == {"reversal", "new claim", "dropped", "none"}
    scores = evaluate.evaluate_shifts(DATA / "subject_shifts.yaml")
    assert scores["all"].precision >= 0.90 and scores["all"].recall >= 0.85


def test_shift_finding_on_the_topic_set_meets_the_issue14_target():
    scores = evaluate.evaluate_shifts(DATA / "shifts.yaml")
    assert scores["all"].precision >= 0.90 and scores["all"].recall >= 0.85


def test_the_subjects_migration_is_appended():
    assert len(schema.MIGRATIONS) == schema.LATEST
    assert {"subjects", "statement_subjects"} <= set(schema.metadata.tables)


def test_issue14_brief_groups_by_subject_under_topics_changed_first(council):
    made = brief.brief(council, speaker="Maren Solvik")
    text = brief.to_markdown(made)
    assert "the regional council" in made.changed
    first_topic = next(iter(made.subjects))
    assert next(iter(made.subjects[first_topic])) == "the regional council"  # the changed subject leads
    assert text.index("## What is new") < text.index("### the regional council — changed")
    assert "North Post, “Nordvale ready to walk out”" in text  # each source by outlet and title
    assert "untitled" not in text


def test_a_text_without_a_title_is_named_by_its_first_line(store, extractor):
    body = "Council vote delayed again\n\nMaren Solvik said the regional council will vote in May."
    (item,) = process([from_text(body, date="2026-04-01", outlet="North Post")], extractor)
    store.add(item.document, item.statements, extractor.version)
    refresh(store)
    made = brief.brief(store, speaker="Maren Solvik")
    assert [a.title for a in made.appearances] == ["Council vote delayed again"]
    assert "Council vote delayed again" in brief.to_markdown(made)


def test_each_subject_has_a_chart_over_time(council):
    months, rows = subjects.monthly(council, "Maren Solvik")
    assert months == ["2026-01", "2026-02", "2026-03"]
    assert {s.name: counts for s, counts in rows}["the regional council"] == [1, 1, 1]
