"""The statement contract: every span points at exactly the text of its field."""

from __future__ import annotations

from onrecord.model import KINDS
from onrecord.pipeline import process, read_paths


def test_demo_corpus_offsets_and_fields(demo_dir, extractor):
    docs = [d for d in read_paths([str(demo_dir)]) if not isinstance(d, Exception)]
    assert len(docs) >= 15
    seen_kinds = set()
    for item in process(docs, extractor):
        text = item.document.text
        indexes = [s.index for s in item.statements]
        assert indexes == list(range(len(indexes)))
        for s in item.statements:
            seen_kinds.add(s.kind)
            assert s.kind in KINDS
            assert s.content_span.of(text) == s.content
            if s.cue_span:
                assert s.cue_span.of(text) == s.cue
            else:
                assert s.cue is None
            if s.speaker_span:
                assert s.speaker_span.of(text) == s.speaker_mention
            for q in s.quotes:
                assert s.content_span.contains(q)
            if s.nested_in is not None:
                assert 0 <= s.nested_in < len(indexes) and s.nested_in != s.index
            assert 0 <= s.confidence <= 1
            d = s.to_dict()
            assert set(d) >= {
                "index",
                "speaker",
                "speaker_mention",
                "speaker_span",
                "cue",
                "cue_span",
                "content",
                "content_span",
                "kind",
                "nested_in",
                "quotes",
                "confidence",
            }
    assert seen_kinds == set(KINDS)
