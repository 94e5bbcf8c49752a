"""Whether an English word is an ordinary word of the language, for layers that may not load spaCy (issue 15).

Where it sits: inside extract/, beside the spaCy pipeline whose lemmatizer tables it reads (WordNet's
nouns, verbs, adjectives and adverbs, with their irregular forms and suffix rules), so spaCy stays in
this package. ``analyse.translation`` asks it whether a capitalised word opening a sentence
("Vaccination will…", "Valdor will…") is a word of the dictionary or a name.
"""

from __future__ import annotations

from functools import lru_cache

_PARTS_OF_SPEECH = ("noun", "verb", "adj", "adv")


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], tuple[tuple[str, str], ...], dict[str, frozenset[str]]]:
    from onrecord.extract.nlp import load_nlp

    lookups = load_nlp().get_pipe("lemmatizer").lookups
    index, exceptions, rules = (lookups.get_table(t) for t in ("lemma_index", "lemma_exc", "lemma_rules"))
    known = {w for pos in _PARTS_OF_SPEECH for w in index.get(pos, ())}
    known |= {w for pos in _PARTS_OF_SPEECH for w in exceptions.get(pos, {})}
    suffixes = {(old, new) for pos in _PARTS_OF_SPEECH for old, new in rules.get(pos, ())}
    irregular: dict[str, set[str]] = {}
    for pos in _PARTS_OF_SPEECH:
        for form, lemmas in exceptions.get(pos, {}).items():
            irregular.setdefault(form, set()).update(lemmas)
    return frozenset(known), tuple(sorted(suffixes)), {form: frozenset(ls) for form, ls in irregular.items()}


@lru_cache(maxsize=65_536)
def known_english(word: str) -> bool:
    """Whether ``word`` (any case) or the lemma a suffix rule gives it is in the dictionary: "Medicines"
    and "Vaccination" are; "Valdor" and "Nordmark" are not. Places the dictionary lists ("Asia") are
    known too: this tells words from names only where a name is not a word of the language."""
    known, suffixes, _ = _tables()
    word = word.lower()
    return word in known or any(
        word.endswith(old) and word[: len(word) - len(old)] + new in known for old, new in suffixes if old
    )


@lru_cache(maxsize=65_536)
def english_lemmas(word: str) -> frozenset[str]:
    """The lemmas ``word`` (lower case) may have, out of context and without parsing: itself, its irregular
    lemmas ("took" -> "take", "children" -> "child") and what the suffix rules make of it that the dictionary
    knows ("rates" -> "rate", "raised" -> "raise"); for a caller that looks a word up by its lemma and cannot
    afford a parse."""
    known, suffixes, irregular = _tables()
    found = {word, *irregular.get(word, ())}
    found.update(
        lemma
        for old, new in suffixes
        if old and word.endswith(old) and (lemma := word[: len(word) - len(old)] + new) in known
    )
    return frozenset(found)


def function_word(word: str) -> bool:
    """Whether ``word`` (lower case) is an English function word (spaCy's stop words: "the", "would", "not"):
    no claim of its own to find in a translation."""
    return word in _stop_words()


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)
