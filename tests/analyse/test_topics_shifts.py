"""Topics, timelines, shifts and briefs on the demo store and the labelled sets."""

from __future__ import annotations

import re

import pytest

from onrecord import evaluate
from onrecord.analyse import brief, shifts, timeline, topics
from onrecord.analyse.shifts import Said, find_shifts
from onrecord.store import Query

from .conftest import DATA


def test_topic_assignment_on_the_labelled_set():
    scores = evaluate.evaluate_topics(DATA / "topics.yaml")["all"]
    assert scores.gold >= 40
    assert scores.precision >= 0.85 and scores.recall >= 0.80


def test_shift_finding_on_the_labelled_set():
    scores = evaluate.evaluate_shifts(DATA / "shifts.yaml")
    cases = evaluate._labelled(DATA / "shifts.yaml", {"said", "expect"})
    assert len(cases) >= 40 and {c["expect"] for c in cases} == {"reversal", "new claim", "dropped", "none"}
    assert scores["all"].precision >= 0.80 and scores["all"].recall >= 0.85
    assert scores["reversal"].recall >= 0.85


def test_every_statement_gets_scored_once_and_topics_are_stored(demo_store):
    assert topics.apply(demo_store) == 0  # already scored by this taxonomy
    found = demo_store.statements(Query(topic="sanctions"))
    assert found and all("sanctions" in dict(r.topics) for r in found)
    assert any("sanction" in r.statement.content.lower() for r in found)


def test_editing_the_taxonomy_rescores(demo_store, tmp_path):
    edited = tmp_path / "topics.yaml"
    edited.write_text(
        topics.DEFAULT_TAXONOMY.read_text()
        + "\ngrain:\n  description: Grain, wheat and harvests.\n  keywords: [grain]\n"
        "  examples: [We will sell our grain elsewhere.]\n"
    )
    taxonomy = topics.load_taxonomy(edited)
    assert topics.apply(demo_store, taxonomy) == len(demo_store.statements())
    assert demo_store.statements(Query(topic="grain"))


def test_embeddings_are_cached_by_text(demo_store):
    calls = []

    def counting(texts):
        calls.append(len(texts))
        from onrecord.analyse.embed import embedder

        return embedder()(texts)

    from onrecord.analyse.embed import embed_cached

    first = embed_cached(demo_store, ["A new sentence.", "A new sentence.", "Another one."], counting)
    again = embed_cached(demo_store, ["Another one."], counting)
    assert calls == [2] and (first[2] == again[0]).all()


def test_timeline_groups_by_topic_and_plots(demo_store, tmp_path):
    line = timeline.timeline(demo_store, "Anna Petrova")
    assert line.statements == len(demo_store.statements(Query(identity="Anna Petrova")))
    dates = [r.document.date for r in line.by_topic[next(iter(line.by_topic))]]
    assert dates == sorted(dates)
    months, series = line.monthly()
    assert months[0] == "2026-03" and all(len(v) == len(months) for v in series.values())
    svg = timeline.plot(line, tmp_path / "t.svg").read_text()
    assert "<svg" in svg and "peace negotiations" in svg
    assert timeline.plot(line, tmp_path / "t.png").read_bytes().startswith(b"\x89PNG")


def test_the_demo_reversal_is_found_with_its_evidence(demo_store):
    found = shifts.speaker_shifts(demo_store, "Anna Petrova")
    reversal = [s for s in found if s.kind == "reversal" and "ready to resume" in s.statement.text]
    assert reversal, [s.statement.text for s in found]
    assert any("would not leave the talks" in e.text for e in reversal[0].evidence)
    assert all(e.date < reversal[0].statement.date for e in reversal[0].evidence)


def test_no_shift_without_evidence_and_no_shift_from_one_statement():
    said = [Said(1, "2026-01-01", "We will not leave the talks.")]
    assert find_shifts(said, lambda texts: __import__("numpy").eye(len(texts))) == []


def test_brief_cites_only_stored_statements(demo_store):
    made = brief.brief(demo_store, speaker="Anna Petrova")
    stored = {r.id for r in demo_store.statements()}
    text = brief.to_markdown(made)
    cited = {int(n) for n in re.findall(r"\[#(\d+)\]", text)}
    assert cited and cited <= stored and cited == made.cited
    assert "## What is new" in text and "## Where and when" in text


def test_brief_of_a_commentary_sets_the_writer_apart(demo_store):
    doc = next(d for d in demo_store.documents() if d.author == "Edgar Lund")
    made = brief.brief(demo_store, document=str(doc.id))
    assert made.own_voice and all(r.statement.kind == "author" for r in made.own_voice)
    attributed = [r for records in made.topics.values() for r in records]
    assert attributed and all(r.statement.kind != "author" for r in attributed)


@pytest.mark.parametrize("field", ["content", "outlet", "title"])
def test_brief_html_escapes_stored_text(demo_store, field, extractor):
    from onrecord.ingest import from_text
    from onrecord.pipeline import process

    evil = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    meta = {"title": "Fine", "outlet": "Fine", "date": "2026-06-01"} | ({field: evil} if field != "content" else {})
    body = f'"{evil} is what we think," Anna Petrova said.' if field == "content" else '"Fine," Anna Petrova said.'
    item = next(process([from_text(body, **meta)], extractor))
    demo_store.add(item.document, item.statements, extractor.version)
    from onrecord.analyse import identities

    identities.relink(demo_store)
    page = brief.to_html(brief.brief(demo_store, speaker="Anna Petrova", since="2026-06-01"))
    assert "<script>" not in page and "<img" not in page and "&lt;script&gt;" in page
