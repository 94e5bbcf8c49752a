"""Real files: a spread of the trump-campaign transcripts goes through the whole flow."""

from __future__ import annotations

import pytest

from onrecord.pipeline import process, read_paths


@pytest.mark.shared_data
def test_transcript_sample_reads_and_extracts_without_failure(shared_data, extractor):
    folder = shared_data / "trump-campaign" / "text"
    if not folder.is_dir():
        pytest.skip(f"trump-campaign transcripts not found at {folder}")
    files = sorted(folder.glob("*.txt"))
    sample = [str(p) for p in files[:: max(1, len(files) // 15)]]
    documents = [d for d in read_paths(sample) if not isinstance(d, Exception)]
    assert len(documents) == len(sample)
    results = list(process(documents, extractor))
    assert [r.error for r in results] == [None] * len(results)
    for item in results:
        assert item.document.date and item.document.turns
        assert all(
            s.speaker
            for s in item.statements
            if s.kind == "turn" and s.speaker_mention.isupper() and "UNIDENTIFIED" not in s.speaker_mention
        )
    trump = sum(any(s.kind == "turn" and s.speaker == "Donald Trump" for s in r.statements) for r in results)
    assert trump >= len(results) - 2  # a rally may open with a running mate's speech
