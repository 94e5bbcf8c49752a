"""Extraction does work in proportion to the document, and holds one batch of parses at a time
(issue 12): counted, not timed."""

from __future__ import annotations

from onrecord.extract import Extractor
from onrecord.ingest import from_text
from tests.extract.work import calls_in_onrecord


class RecordingNLP:
    """The spaCy pipeline, noting the texts of each ``pipe`` call."""

    def __init__(self, nlp) -> None:  # type: ignore[no-untyped-def]
        self.nlp = nlp
        self.calls: list[list[str]] = []

    def pipe(self, texts, **kwargs):  # type: ignore[no-untyped-def]
        texts = list(texts)
        self.calls.append([text for text, _ in texts] if kwargs.get("as_tuples") else texts)
        return self.nlp.pipe(texts, **kwargs)


def _transcript(turns: int) -> str:
    lines = []
    for i in range(turns):
        speaker = "KARIN VALE" if i % 2 else "ANNA PETROVA"
        lines.append(f"{speaker}: We said the talks had stalled, and Nordmark must decide by March {i % 28 + 1}.")
    return "\n\n".join(lines)


def test_sections_of_one_long_document_are_parsed_in_bounded_batches(extractor):
    # regression: every section of a document went to spaCy in one call and all their parses were
    # held until the document was assembled, so memory grew with the document
    document = from_text(_transcript(120))
    recording = RecordingNLP(extractor.nlp)
    bounded = Extractor(nlp=recording, lex=extractor.lex, batch_size=16)  # type: ignore[arg-type]
    (result,) = bounded.pipe([document], window_chars=2_000)
    assert len(recording.calls) > 1
    assert all(len(texts) <= 16 and (len(texts) == 1 or sum(map(len, texts)) <= 2_000) for texts in recording.calls)
    assert sum(map(len, recording.calls)) == 120
    assert result == extractor.extract(document)  # batching does not change what is found


def _quotations(n: int) -> str:
    paragraph = "“We will not back down on the treaty,” Petrova said. “Talks have stalled,” she added.\n\n"
    return paragraph * n


def test_work_per_quotation_does_not_grow_with_the_document(extractor):
    # regression: each cue looked at every quotation (adjacent_quote x looks_like_title), and
    # crossed, nested and joined statements were compared pairwise
    small = from_text(_quotations(30))
    large = from_text(_quotations(300))
    assert len(extractor.extract(large).statements) == 10 * len(extractor.extract(small).statements)
    calls_small = calls_in_onrecord(lambda: extractor.extract(small))
    calls_large = calls_in_onrecord(lambda: extractor.extract(large))
    assert calls_large <= 12 * calls_small
