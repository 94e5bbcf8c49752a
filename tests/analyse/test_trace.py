"""Provenance: tracing articles' statements back to the speaker's own words."""

from __future__ import annotations

import pytest

from onrecord import evaluate
from onrecord.analyse.trace import PrimaryIndex, Tracer, chunks, to_html, trace_document, words
from onrecord.ingest import from_text
from onrecord.pipeline import process

from .conftest import DATA

TRANSCRIPT = (
    "HOST: Will you leave the talks?\n\n"
    "ANNA PETROVA: We will not leave the talks. Leaving would be a gift to those who never wanted them. "
    "The inspectors can come tomorrow, and I repeat it today. Our coast guard patrols are routine, "
    "and everyone on the lake knows it.\n\n"
    "HOST: And the missiles?\n\n"
    'ANNA PETROVA: Kallas likes to say "Ruritania is arming the lake", but nobody believes him.\n'
)


@pytest.fixture(scope="module")
def tracer(extractor):
    (item,) = process([from_text(TRANSCRIPT, date="2026-03-08", title="Interview")], extractor)
    return Tracer(PrimaryIndex.from_documents([item.document]))


def verdict(tracer, extractor, article: str) -> object:
    (item,) = process([from_text(article, date="2026-03-10")], extractor)
    traces = tracer.trace(item.document, item.statements)
    assert traces, item.statements
    return traces[0]


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        ('Anna Petrova said: "We will not leave the talks."', "verbatim"),
        ("Anna Petrova said: “we will NOT leave the talks”", "verbatim"),
        ('Anna Petrova said: "Our coast guard patrols are routine ... everyone on the lake knows it."', "trimmed"),
        ('Anna Petrova said: "Our patrols are routine and everyone on the lake knows it."', "trimmed"),
        ('Anna Petrova said: "The inspectors can come next month, and I repeat it today."', "altered"),
        ('Anna Petrova said that "the inspectors can come next year."', "altered"),
        ("Petrova said that Ruritania would not leave the talks.", "paraphrase"),
        ("Petrova said the inspectors were welcome to come the following day.", "paraphrase"),
        ('Anna Petrova said: "We will sell the lake to the highest bidder."', "unsupported"),
        ("Anna Petrova said that her country had ordered ten new warships.", "unsupported"),
    ],
)
def test_verdicts(tracer, extractor, article, expected):
    assert verdict(tracer, extractor, article).verdict == expected


def test_an_altered_quote_shows_its_word_diff(tracer, extractor):
    found = verdict(
        tracer, extractor, 'Anna Petrova said: "The inspectors can come next month, and I repeat it today."'
    )
    assert ("-", "tomorrow") in found.diff and ("+", "next month") in found.diff
    assert found.passage.text[found.match.start : found.match.end].startswith("The inspectors can come tomorrow")


def test_quoting_someone_else_is_flagged(tracer, extractor):
    found = verdict(tracer, extractor, 'Anna Petrova said: "Ruritania is arming the lake."')
    assert found.verdict == "verbatim"
    assert "the speaker was quoting someone else" in found.flags


def test_other_speakers_and_dates_are_not_searched(tracer, extractor):
    other = verdict(tracer, extractor, 'Jonas Kallas said: "We will not leave the talks."')
    assert other.verdict == "unsupported" and other.searched.startswith("0 passages by Jonas Kallas")
    (item,) = process([from_text('Anna Petrova said: "We will not leave the talks."', date="2028-01-01")], extractor)
    assert tracer.trace(item.document, item.statements)[0].verdict == "unsupported"  # more than a year later


def test_passages_are_paragraph_sized_and_point_into_the_transcript(tracer):
    for passage in tracer.index.passages:
        assert TRANSCRIPT[passage.span.start : passage.span.end] == passage.text
    assert all(b - a <= 900 for a, b in chunks("Word after word. " * 500))


def test_trace_json_and_html(tracer, extractor):
    found = verdict(tracer, extractor, 'Anna Petrova said: "<script>alert(1)</script> We will not leave the talks."')
    record = found.to_dict()
    assert (
        record["passage"]["text"] in TRANSCRIPT
        and TRANSCRIPT[slice(*record["passage"]["span"])] == record["passage"]["text"]
    )
    page = to_html([found])
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_the_demo_commentary_altered_quote_is_caught(demo_store):
    doc = next(d for d in demo_store.documents() if d.author == "Edgar Lund")
    document, _, found = demo_store.document(doc.id)
    traces = {t.statement.content: t for t in trace_document(demo_store, document, found)}
    altered = traces['that the inspectors "can come next month."']
    assert altered.verdict == "altered" and ("-", "tomorrow") in altered.diff
    assert traces['that "Ruritania has not moved a single missile."'].verdict == "verbatim"
    assert all(t.statement.kind != "author" for t in traces.values())  # the writer's own voice is not traced


@pytest.mark.shared_data
def test_labelled_provenance_set(shared_data):
    corpus = shared_data / "trump-campaign" / "text"
    scores, verdicts = evaluate.evaluate_trace(DATA / "trace.yaml", corpus)
    assert len(verdicts) >= 60
    assert {c.expect for c, _ in verdicts} == {"verbatim", "trimmed", "altered", "paraphrase", "unsupported"}
    for kind in ("verbatim", "trimmed", "altered", "paraphrase", "unsupported"):
        assert scores[kind].recall >= 0.85, (
            kind,
            [(c.article, v) for c, v in verdicts if c.expect == kind and v != kind],
        )


@pytest.mark.shared_data
def test_labelled_cases_are_built_from_the_corpus_at_run_time(shared_data):
    cases, primaries = evaluate.read_trace_cases(DATA / "trace.yaml", shared_data / "trump-campaign" / "text")
    raw = (DATA / "trace.yaml").read_text()
    for case in cases:
        if case.expect == "verbatim":
            quoted = case.article.split(":", 1)[1].strip().strip('"“”')
            assert len(words(quoted)) >= 8 and quoted[1:30] not in raw  # the corpus's words are not stored here
