"""Properties that hold for any input: spans agree with their fields, nothing crashes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrecord.extract.quotes import find_quotes, inner
from onrecord.ingest import from_text
from onrecord.pipeline import process

WORDS = [
    "Petrova",
    "Kallas",
    "said",
    "told",
    "warned",
    "that",
    "the",
    "talks",
    "stalled",
    "she",
    "he",
    "I",
    "believe",
    "according",
    "to",
    "claim",
    "'s",
    "Valdor",
    "will",
    "not",
    "back",
    "down",
    "—",
    ",",
    ".",
    '"',
    "“",
    "”",
    "''",
    "\n\n",
    "\n",
    ":",
    "KARIN VALE:",
    "Q:",
    "A:",
    "In my view",
    "so-called",
]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=60).map(" ".join).filter(str.strip)  # blank: no document


@given(texts)
@settings(max_examples=300, deadline=None)
def test_quotes_are_balanced_spans(text):
    for span in find_quotes(text):
        assert 0 <= span.start < span.end <= len(text)
        body = inner(span, text)
        assert span.start <= body.start <= body.end <= span.end


@given(st.lists(texts, min_size=1, max_size=4))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_statement_spans_agree_with_their_fields(extractor, batch):
    documents = [from_text(t) for t in batch]
    results = list(process(documents, extractor))
    assert [r.document for r in results] == documents
    for item in results:
        text = item.document.text
        assert item.error is None
        for s in item.statements:
            assert s.content_span.of(text) == s.content
            assert s.cue is None or s.cue_span.of(text) == s.cue
            assert s.speaker_mention is None or s.speaker_span.of(text) == s.speaker_mention
            assert all(s.content_span.contains(q) for q in s.quotes)
            assert s.nested_in is None or 0 <= s.nested_in < len(item.statements)
