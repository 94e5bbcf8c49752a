"""Russian words with their grammar and base forms, for layers that may not load natasha (issue 15).

Where it sits: inside extract/, beside the Russian extractor, so that pymorphy (natasha's
dictionary) stays in this package. ``analyse.subjects`` reads the noun phrases a Russian statement
is about from these plain records, and needs each phrase in one form whatever its case
(«переговоров», «переговоры» -> «переговоры»): a word the dictionary knows goes to its lemma; a
word it does not know (most names of places and people, «Руритании») is cut to its stem by the
noun and adjective endings of the Snowball Russian stemmer, since pymorphy guesses a different
lemma for each of its case forms («Руритании» -> «руританий», «Руританией» -> «руритания»).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*|[A-Za-z][\w'-]*|\d+(?:[.,]\d+)?|[.!?;:,«»\"„“”()—–]")
_VOWELS = "аеиоуыэюя"
# Snowball Russian, step 1: noun and adjective endings (longest first); a word the dictionary does
# not know is cut at the first one that leaves its region after the first vowel non-empty
_NOUN_ENDINGS = (
    "а ев ов ие ье е иями ями ами еи ии и ией ей ой ий й иям ям ием ем ам ом о у ах иях ях ы ь ию ью ю ия ья я"
)
_ADJECTIVE_ENDINGS = "ее ие ые ое ими ыми ей ий ый ой ем им ым ом его ого ему ому их ых ую юю ая яя ою ею"
_ENDINGS = sorted({*_NOUN_ENDINGS.split(), *_ADJECTIVE_ENDINGS.split()}, key=lambda e: (-len(e), e))
_NAME_GRAMMEMES = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"}


@dataclass(frozen=True, slots=True)
class RussianWord:
    """One word (or punctuation mark) of a text, as pymorphy reads it out of context (its likeliest
    reading). ``base``: the lemma, or the stem of a word the dictionary does not know."""

    text: str
    start: int
    end: int
    pos: str  # OpenCorpora part of speech (NOUN, ADJF, PRTF, VERB, NPRO, …); "PNCT" for punctuation, "" for Latin or digits
    case: str  # nomn, gent, … ("" when it has none)
    base: str
    known: bool
    name: bool  # a name, surname, place, organisation or abbreviation by the dictionary
    pronominal: bool  # an adjective that stands for a pronoun or a number («наш», «этот», «первый»)


@lru_cache(maxsize=1)
def _morph() -> Any:
    from natasha import MorphVocab  # pymorphy2 with its dictionary; about 0.3 s

    return MorphVocab()


def stem(word: str) -> str:
    """``word`` (lower case) without its noun or adjective ending: «руритании», «руританию» -> «руритан»."""
    first_vowel = next((n for n, c in enumerate(word) if c in _VOWELS), len(word))
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) > first_vowel:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=100_000)
def _read(word: str) -> tuple[str, str, str, bool, bool, bool]:
    lower = word.lower()
    if not re.match(r"[А-Яа-яЁё]", word):
        return ("PNCT" if not word[0].isalnum() else ""), "", lower, False, False, False
    morph = _morph()
    parse = morph.parse(lower)[0]
    known = bool(morph.word_is_known(lower))
    tag = parse.tag
    base = parse.normal_form if known else stem(lower)
    name = any(g in tag for g in _NAME_GRAMMEMES)
    return str(tag.POS or ""), str(tag.case or ""), base, known, name, "Apro" in tag or "Anum" in tag


def base_forms(words: Iterable[str]) -> dict[str, str]:
    """Each distinct Russian word of ``words`` (lower case) -> its base form as :class:`RussianWord` gives it
    (the lemma, or the stem of a word the dictionary does not know), each read once by pymorphy alone, out of
    any text: a dictionary of tens of thousands of entries is read in seconds, where a word at a time through
    :func:`russian_words` takes a minute."""
    return {word: _read(word)[2] for word in set(words)}


def word_forms(base: str) -> frozenset[str]:
    """Every form pymorphy inflects for the words whose lemma is ``base`` (lower case): «два» -> «два», «две»,
    «двух», «двум», «двумя»; for a caller that needs to know which words could read as ``base`` without reading each."""
    return frozenset(form.word for parse in _morph().parse(base) if parse.normal_form == base for form in parse.lexeme)


def russian_words(text: str) -> list[RussianWord]:
    """The words and punctuation of ``text`` in order, each read out of context."""
    return [RussianWord(m.group(), m.start(), m.end(), *_read(m.group())) for m in _WORD.finditer(text)]


def nominative(words: Sequence[RussianWord]) -> str:
    """A noun phrase (adjectives, the head noun, then words that depend on it) in its base form:
    the head as its lemma, the adjectives before it agreeing with it in the nominative
    («стратегической стабильности» -> «стратегическая стабильность»), what follows as written
    (it keeps its own case: «совета безопасности» -> «совет безопасности»)."""
    head = next((n for n, w in enumerate(words) if w.pos == "NOUN"), None)
    if head is None:
        return " ".join(w.base for w in words)
    noun = words[head]
    agree: set[str] = {"nomn"}
    if noun.known:
        tag = _morph().parse(noun.text.lower())[0].tag
        agree |= {"plur"} if "Pltm" in tag else {"sing", str(tag.gender)} if tag.gender else {"sing"}
    before = [_agreeing(w, agree) if w.known else w.base for w in words[:head]]
    return " ".join([*before, noun.base, *(w.text.lower() for w in words[head + 1 :])])


def _agreeing(word: RussianWord, grammemes: set[str]) -> str:
    from pymorphy2.analyzer import Parse

    parse = _morph().parse(word.text.lower())[0]
    try:
        form = Parse.inflect(parse, grammemes)
    except (ValueError, KeyError):
        form = None
    return form.word if form is not None else word.base
