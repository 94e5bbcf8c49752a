"""Trace over the store (issue 15): candidates from the passages it keeps, searched by full text with
the speaker and date filters in SQL; the same verdicts as over the same transcripts held in memory."""

from __future__ import annotations

from dataclasses import replace

import pytest

from onrecord.analyse.trace import PrimaryIndex, StoredPassages, trace_document, trace_stored


def by_content(traces) -> dict[str, tuple[str, str | None]]:
    return {t.statement.content: (t.verdict, t.passage and t.passage.text) for t in traces}


def test_the_store_gives_the_verdicts_of_the_same_transcripts_in_memory(demo_store):
    transcripts = [demo_store.document(d.id)[0] for d in demo_store.documents() if d.format == "transcript"]
    for info in demo_store.documents():
        document, _, found = demo_store.document(info.id)
        if document.is_transcript:
            continue
        stored = trace_document(demo_store, document, found)
        held = trace_document(None, document, found, against=transcripts)
        assert by_content(stored) == by_content(held), info.source


def test_a_stored_article_goes_by_the_identities_linking_gave(demo_store):
    role_of = "foreign minister of Ruritania"  # a dated role: linking gave it its holder on the day
    doc = next(d for d in demo_store.documents() if any(s.speaker == role_of for s in demo_store.document(d.id)[2]))
    _, info, traces = trace_stored(demo_store, doc.id)
    (role,) = [t for t in traces if t.statement.speaker == role_of]
    assert info.id == doc.id
    assert role.speaker == "Anna Petrova" and role.searched.startswith("3 passages by Anna Petrova")


def test_speaker_and_date_filters_hold_in_the_store(demo_store):
    commentary = next(d for d in demo_store.documents() if d.author == "Edgar Lund").id
    document, _, found = demo_store.document(commentary)
    traces = {t.statement.content: t for t in trace_stored(demo_store, commentary)[2]}
    assert traces['that "Ruritania has not moved a single missile."'].verdict == "verbatim"
    assert traces["that the satellite images are recent"].searched.startswith("0 passages by Jonas Kallas")
    later = replace(document, date="2028-01-01")  # more than a year after the interview
    assert {t.verdict for t in trace_document(demo_store, later, found)} == {"unsupported"}
    earlier = replace(document, date="2026-03-01")  # before it
    assert {t.verdict for t in trace_document(demo_store, earlier, found)} == {"unsupported"}


@pytest.mark.parametrize("speaker", ["Anna Petrova", "А. Петрова", "Petrova"])
def test_the_same_person_across_names_and_scripts(demo_store, speaker):
    passages = StoredPassages(demo_store, ["Anna Petrova", "Jonas Kallas"])
    found = passages.candidates("Ruritania has not moved a single missile", speaker, "2026-03-11")
    assert found and {p.speaker for p in found} == {"Anna Petrova"}
    assert StoredPassages(demo_store, ["Jonas Kallas"]).candidates("missile", "Jonas Kallas", "2026-03-11") == []


def test_files_given_against_are_ranked_in_memory(demo_store):
    transcripts = [demo_store.document(d.id)[0] for d in demo_store.documents() if d.format == "transcript"]
    index = PrimaryIndex.from_documents(transcripts)
    (best, *_) = index.candidates("Ruritania has not moved a single missile", "Anna Petrova", "2026-03-11")
    assert "has not moved a single missile" in best.text
    assert index.candidates("the the and of", "Anna Petrova", "2026-03-11") == []  # stop words alone: nothing
