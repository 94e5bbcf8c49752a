"""Words with their lemmas and grammatical roles, for layers that may not load spaCy or natasha (issue 15).

Where it sits: inside extract/, beside the two parsers it reads (spaCy for English, ``nlp.py``; natasha
for Russian, ``russian.py``), so that neither leaves this package. ``analyse.alignment`` aligns an English
report word by word to the Russian sentence it translates, and compares who does what on the two sides:
each word here says whether it is the one who acts (``agent``: an active verb's subject, a passive's
"by" phrase) or the one acted on (``patient``: an object, a passive's subject). The two parsers label
relations differently (spaCy's English model in ClearNLP's labels, natasha in Universal Dependencies);
the roles are how they meet.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

# relations whose word acts, or is acted on, by the verb it depends on; ClearNLP (spaCy's English models)
# and Universal Dependencies (natasha) labels together
_AGENT = frozenset({"nsubj", "agent"})
_PATIENT = frozenset({"dobj", "obj", "nsubjpass", "nsubj:pass", "iobj", "dative"})
# the other words of a name or a title, which play their head's role ("Minister Larin", «министра Ларина»)
_NAME_PARTS = frozenset({"compound", "flat", "flat:name", "appos"})


@dataclass(frozen=True, slots=True)
class ParsedWord:
    """One word of a text: where it stands, its lemma, its universal part of speech (NOUN, VERB, PROPN …,
    PUNCT), the relation to its head (as its parser labels it), the head's index in the text's words
    (-1 for a root) and its role by the verb it depends on (``agent``, ``patient`` or "")."""

    text: str
    start: int
    end: int
    lemma: str
    pos: str
    rel: str
    head: int
    role: str


def _phrase_roles(words: list[ParsedWord], parts: set[int]) -> tuple[ParsedWord, ...]:
    """``words`` with the words at ``parts`` (parts of a name or title) given their head's role."""
    for n in sorted(parts, key=lambda n: -len(_heads(words, n))):  # the outermost head first
        head = words[n].head
        if not words[n].role and head >= 0 and words[head].role:
            words[n] = replace(words[n], role=words[head].role)
    return tuple(words)


def _heads(words: list[ParsedWord], n: int) -> list[int]:
    found: list[int] = []
    while (n := words[n].head) >= 0 and n not in found:
        found.append(n)
    return found


def _role(rel: str, head_pos: str, head_rel: str) -> str:
    if rel == "pobj" and head_rel == "agent":  # "was signed by Nordmark": the "by" phrase acts
        return "agent"
    if head_pos not in {"VERB", "AUX"}:
        return ""
    return "agent" if rel in _AGENT else "patient" if rel in _PATIENT else ""


@lru_cache(maxsize=4096)
def english_parse(text: str) -> tuple[ParsedWord, ...]:
    """The words of an English text, parsed by the spaCy pipeline (``extract.nlp.load_nlp``)."""
    from onrecord.extract.nlp import load_nlp

    doc = load_nlp()(text)
    found = []
    for token in doc:
        head = token.head
        rel = token.dep_.lower()
        if head.i == token.i:
            role = ""
        elif rel == "pobj":
            role = _role(rel, head.head.pos_, head.dep_.lower())
        else:
            role = _role(rel, head.pos_, head.dep_.lower())
        found.append(
            ParsedWord(
                token.text,
                token.idx,
                token.idx + len(token.text),
                token.lemma_.lower(),
                token.pos_,
                rel,
                -1 if head.i == token.i else head.i,
                role,
            )
        )
    return _phrase_roles(found, {n for n, w in enumerate(found) if w.rel in _NAME_PARTS})


@lru_cache(maxsize=4096)
def russian_parse(text: str) -> tuple[ParsedWord, ...]:
    """The words of a Russian text, parsed by natasha (razdel, slovnet morphology and syntax, pymorphy
    lemmas), in order across its sentences."""
    from onrecord.extract.russian import _parse

    sentences, _, _ = _parse(text, 0)
    found: list[ParsedWord] = []
    parts: set[int] = set()
    for sentence in sentences:
        first = len(found)
        for token in sentence.tokens:
            head = sentence.tokens[token.head] if 0 <= token.head != token.i else None
            role = _role(token.rel, head.pos, head.rel) if head is not None else ""
            case = token.feats.get("Case")
            if head is not None and case == "Ins" and head.feats.get("Voice") == "Pass":
                role = "agent"  # «подписан Нордмарком»: the parser may call it the subject
            elif token.rel in {"nsubj", "nsubj:pass"} and case not in {None, "Nom"}:
                role = ""  # a subject in another case is a misreading
            if token.rel in _NAME_PARTS or (
                # the parser reads «министра Ларина» as a noun and its modifier: a name in the noun's case is its apposition
                token.rel == "nmod" and token.pos == "PROPN" and head is not None and head.feats.get("Case") == case
            ):
                parts.add(len(found))
            found.append(
                ParsedWord(
                    token.text,
                    token.start,
                    token.end,
                    token.lemma,
                    token.pos,
                    token.rel,
                    first + token.head if head is not None else -1,
                    role,
                )
            )
    return _phrase_roles(found, parts)
