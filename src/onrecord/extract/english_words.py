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
def _tables() -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    from onrecord.extract.nlp import load_nlp

    lookups = load_nlp().get_pipe("lemmatizer").lookups
    index, exceptions, rules = (lookups.get_table(t) for t in ("lemma_index", "lemma_exc", "lemma_rules"))
    known = {w for pos in _PARTS_OF_SPEECH for w in index.get(pos, ())}
    known |= {w for pos in _PARTS_OF_SPEECH for w in exceptions.get(pos, {})}
    suffixes = {(old, new) for pos in _PARTS_OF_SPEECH for old, new in rules.get(pos, ())}
    return frozenset(known), tuple(sorted(suffixes))


@lru_cache(maxsize=65_536)
def known_english(word: str) -> bool:
    """Whether ``word`` (any case) or the lemma a suffix rule gives it is in the dictionary: "Medicines"
    and "Vaccination" are; "Valdor" and "Nordmark" are not. Places the dictionary lists ("Asia") are
    known too: this tells words from names only where a name is not a word of the language."""
    known, suffixes = _tables()
    word = word.lower()
    return word in known or any(
        word.endswith(old) and word[: len(word) - len(old)] + new in known for old, new in suffixes if old
    )
