"""The faster stand-ins for the attribute ruler and the lemmatizer (issue 17) give the original
components' output, token for token; and the line-break component cuts where it says."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
import threadpoolctl
from spacy.language import Language
from spacy.tokens import Doc

from onrecord.extract import Extractor
from onrecord.extract.components import Lemmas, RuleTable, components
from onrecord.extract.nlp import MAX_UNBROKEN_TOKENS, one_blas_thread, paragraph_breaks
from onrecord.ingest import read

DEMO = Path(__file__).parents[2] / "examples" / "demo"


def annotations(doc: Doc) -> list[tuple[object, ...]]:
    return [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in doc]


def through(nlp: Language, pipeline: list[tuple[str, object]], text: str) -> Doc:
    doc = nlp.make_doc(text)
    for _, component in pipeline:
        doc = component(doc)  # type: ignore[operator]
    return doc


@pytest.fixture(scope="module")
def nlp(extractor: Extractor) -> Language:
    return extractor.nlp


def test_the_pipeline_takes_the_stand_ins_where_its_patterns_allow(nlp: Language) -> None:
    kinds = {name: type(component) for name, component in components(nlp)}
    assert kinds["attribute_ruler"] is RuleTable
    assert kinds["lemmatizer"] is Lemmas
    assert kinds["parser"] is type(nlp.get_pipe("parser"))  # the rest is the pipeline's own


def test_the_demo_corpus_is_annotated_as_by_the_original_components(nlp: Language) -> None:
    texts = [doc.text for path in sorted(DEMO.iterdir()) if path.suffix in {".md", ".txt"} for doc in read(str(path))]
    texts = [text for text in texts if not any("а" <= c <= "я" for c in text[:2000])]  # English ones
    assert len(texts) >= 5
    original, standing_in = nlp.pipeline, components(nlp)
    for text in texts:
        assert annotations(through(nlp, standing_in, text)) == annotations(through(nlp, original, text))


def test_numpys_matrix_products_annotate_the_demo_corpus_as_the_stock_pipeline_does(nlp: Language) -> None:
    # issue 17: the loaded pipeline multiplies with numpy, not blis; only rounding may differ
    models = [c.model for _, c in nlp.pipeline if getattr(c, "model", None) is not None]
    assert {getattr(layer.ops, "use_blis", None) for model in models for layer in model.walk()} == {False}
    stock = spacy.load(f"{nlp.meta['lang']}_{nlp.meta['name']}")
    stock.add_pipe("onrecord_paragraph_breaks", before="parser")
    assert stock.get_pipe("ner").model.ops.use_blis
    texts = [doc.text for path in sorted(DEMO.iterdir()) if path.suffix in {".md", ".txt"} for doc in read(str(path))]
    texts = [text for text in texts if not any("а" <= c <= "я" for c in text[:2000])]  # English ones
    with one_blas_thread():
        for text in texts:
            assert annotations(through(nlp, nlp.pipeline, text)) == annotations(through(stock, stock.pipeline, text))


def test_products_run_on_one_thread_inside_and_as_before_after() -> None:
    with one_blas_thread():  # a parse before another package brings its own OpenBLAS
        pass
    pytest.importorskip("scipy.linalg")  # brings its own OpenBLAS (a dependency of our dependencies)

    info = threadpoolctl.threadpool_info
    before = [lib["num_threads"] for lib in info() if lib["user_api"] == "blas"]
    with one_blas_thread():
        assert {lib["num_threads"] for lib in info() if lib["user_api"] == "blas"} <= {1}
    assert [lib["num_threads"] for lib in info() if lib["user_api"] == "blas"] == before


def test_a_later_entry_wins_and_patterns_of_two_tokens_set_the_token_they_name() -> None:
    nlp = Language()
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"TAG": "NN"}]], {"POS": "NOUN", "MORPH": "Number=Sing"})
    ruler.add([[{"TAG": "NN", "LOWER": {"IN": ["talks", "deal"]}}]], {"POS": "PROPN"})  # later: wins
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "to"}, index=1)
    ruler.add([[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], {"LEMMA": "you"}, index=0)
    ruler.add([[{"TAG": {"NOT_IN": ["NN", ""]}, "IS_SPACE": False}]], {"MORPH": "Other=Yes"})
    words = ["talks", "gon", "na", "fail", "y'", "all", "deal", "news", "\n"]
    tags = ["NN", "VBG", "TO", "VB", "PRP", "DT", "NN", "NN", "_SP"]

    def fresh() -> Doc:
        return Doc(nlp.vocab, words=words, tags=tags)

    expected = annotations(ruler(fresh()))
    assert annotations(RuleTable(ruler)(fresh())) == expected
    assert [t for t in expected if t[1] == "PROPN"] and expected[2][3] == "to" and expected[4][3] == "you"


def test_docs_annotated_together_match_no_pattern_across_their_boundary() -> None:
    nlp = Language()
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "go"}, index=0)
    docs = [Doc(nlp.vocab, words=words) for words in (["we", "gon"], ["na", "win"], ["gon", "na"])]
    lemmas = [[t.lemma_ for t in doc] for doc in RuleTable(ruler).pipe(docs)]
    assert lemmas == [["", ""], ["", ""], ["go", ""]]


def test_a_pattern_it_cannot_read_keeps_the_original_component() -> None:
    nlp = Language()
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "very", "OP": "+"}]], {"POS": "ADV"})
    assert components(nlp) == [("attribute_ruler", ruler)]


def test_lemmas_set_before_are_kept_and_the_rest_are_the_lemmatizers(nlp: Language) -> None:
    text = "The ministers said they weren't gonna sign. She spoke; we were told."
    original = through(nlp, nlp.pipeline, text)
    standing_in = through(nlp, components(nlp), text)
    assert [t.lemma_ for t in standing_in] == [t.lemma_ for t in original]
    assert {"say", "be", "speak", "tell", "minister"} <= {t.lemma_ for t in standing_in}


def test_line_breaks_start_sentences_and_long_unbroken_runs_are_cut(nlp: Language) -> None:
    doc = paragraph_breaks(nlp.make_doc("A headline\nThe body. " + "word " * (2 * MAX_UNBROKEN_TOKENS + 10)))
    starts = [t.i for t in doc[1:] if t.is_sent_start]
    assert starts[0] == 3  # "The", after the line break
    body = 6  # the first "word", after "The body ." (a full stop starts the count again)
    assert starts[1:] == [body + MAX_UNBROKEN_TOKENS, body + 2 * MAX_UNBROKEN_TOKENS]


def test_the_lemmatizers_index_is_read_as_a_set_and_the_pipelines_own_tables_stay_as_they_are(nlp: Language) -> None:
    # inflected forms whose candidates are tested against the index, in and out of it
    text = "Geese flew; the ministers hurried, tweeting happier replies. Blorfs glimmed; she'd outspent them."
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    before = {pos: type(words) for pos, words in index.items()}
    standing_in = dict(components(nlp))["lemmatizer"]
    assert isinstance(standing_in, Lemmas)
    assert standing_in.lemmatizer is not nlp.get_pipe("lemmatizer")
    original = through(nlp, nlp.pipeline, text)
    assert [t.lemma_ for t in through(nlp, components(nlp), text)] == [t.lemma_ for t in original]
    assert {pos: type(words) for pos, words in index.items()} == before  # the pipeline's index untouched
