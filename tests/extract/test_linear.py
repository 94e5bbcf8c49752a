"""Extraction does work in proportion to the document, and holds one batch of parses at a time
(issue 12): counted, not timed."""

from __future__ import annotations

from onrecord.extract import Extractor, find_quotes, sections_of
from onrecord.extract.extractor import LONG_PIECE_CHARS
from onrecord.extract.nlp import MAX_UNBROKEN_TOKENS
from onrecord.ingest import from_text
from tests.extract.work import calls_in_onrecord


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
    bounded = Extractor(nlp=extractor.nlp, lex=extractor.lex, batch_size=16)
    calls: list[list[str]] = []
    parse = bounded._parse

    def recording(texts):  # type: ignore[no-untyped-def]
        calls.append([text for text, _ in texts])  # the texts of each batch that goes to spaCy
        return parse(texts)

    bounded._parse = recording  # type: ignore[method-assign]
    (result,) = bounded.pipe([document], window_chars=2_000)
    assert len(calls) > 1
    assert all(len(texts) <= 16 and (len(texts) == 1 or sum(map(len, texts)) <= 2_000) for texts in calls)
    assert sum(map(len, calls)) == 120
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


def test_a_huge_section_is_cut_at_paragraphs_sentences_or_spaces_never_inside_a_word():
    # regression: a paragraph past 100,000 characters was cut at exactly 100,000, inside a word,
    # and parsed as one huge Doc (much slower per character than pieces parsed side by side)
    words = " ".join(f"word{i}" for i in range(40_000))  # no punctuation, no line break
    text = f"Petrova said: “{words[:5000]}”\n\n“{words[:3000]}” {words}"
    sections = sections_of(from_text(text))
    assert all(s.end - s.start <= LONG_PIECE_CHARS for s in sections)
    assert [s.start for s in sections[1:]] == [s.end for s in sections[:-1]]
    for cut in (s.start for s in sections[1:]):
        assert text[cut - 1].isspace() or text[cut].isspace()  # between words
        assert not any(q.start < cut < q.end for q in find_quotes(text))


def test_an_ordinary_article_is_one_section():
    text = "Anna Petrova said the talks had stalled.\n\n" * 2000  # 84,000 characters
    assert len(sections_of(from_text(text))) == 1


def test_unpunctuated_text_is_cut_into_sentences_of_bounded_length(extractor):
    doc = extractor.nlp("the minister said the foreign minister " * 200)
    assert max(len(sentence) for sentence in doc.sents) <= MAX_UNBROKEN_TOKENS
    ordinary = "Anna Petrova, who met reporters in Valdor on Monday, said the talks had stalled. " * 5
    assert len(list(extractor.nlp(ordinary).sents)) == 5  # punctuated text is left to the parser


def test_what_is_reported_in_run_on_text_grows_with_the_text(extractor):
    # regression: "the minister said the foreign minister said …" without punctuation was one
    # sentence, each report holding all the rest: the contents (and the work) grew with its square
    def reported(n: int) -> int:
        return sum(
            len(s.content)
            for s in extractor.extract(from_text("the minister said the foreign minister " * n)).statements
        )

    assert reported(800) <= 5 * reported(200)
