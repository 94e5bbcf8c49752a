"""The cue lexicon as frozen sets: rules as data, apart from the engine.

``data/cues.yaml`` is written by hand from general English grammar (reporting verbs and nouns,
stance phrases). No list is learned from the evaluation corpora: those are for measuring only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import yaml


@dataclass(frozen=True, slots=True)
class Lexicon:
    speech_verbs: frozenset[str]  # with each phrasal verb as its whole phrase ("rule out")
    object_content_verbs: frozenset[str]  # likewise
    phrasal_verbs: dict[str, frozenset[str]]  # verb -> the particles that make it a cue: "rule" -> {"out"}
    estimate_verbs: frozenset[str]
    clause_only_verbs: frozenset[str]
    belief_verbs: frozenset[str]
    object_prepositions: dict[str, str]
    topic_prepositions: frozenset[str]
    stance_nouns: frozenset[str]
    stance_verbs: frozenset[str]
    speech_nouns: frozenset[str]
    noun_prepositions: dict[str, frozenset[str]]
    evidence_nouns: frozenset[str]
    evidence_verbs: frozenset[str]
    author_verbs: frozenset[str]
    production_verbs: frozenset[str]
    word_nouns: frozenset[str]
    naming_verbs: frozenset[str]
    object_needs_preposition: frozenset[str]
    intent_nouns: frozenset[str]
    author_phrases: tuple[str, ...]
    scare_quote_cues: tuple[str, ...]
    confidence: dict[str, float]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged lexicon, loaded once."""
    data = files("onrecord.extract") / "data"
    raw = yaml.safe_load((data / "cues.yaml").read_text("utf-8"))
    _check_words(raw)
    phrases = frozenset(raw["phrasal_verbs"])
    particles: dict[str, set[str]] = {}
    for phrase in phrases:
        verb, particle = phrase.split()
        particles.setdefault(verb, set()).add(particle)
    return Lexicon(
        speech_verbs=frozenset(raw["speech_verbs"]) | phrases,
        object_content_verbs=frozenset(raw["object_content_verbs"]) | phrases,
        phrasal_verbs={verb: frozenset(found) for verb, found in particles.items()},
        estimate_verbs=frozenset(raw["estimate_verbs"]),
        clause_only_verbs=frozenset(raw["clause_only_verbs"]),
        belief_verbs=frozenset(raw["belief_verbs"]),
        object_prepositions=dict(raw["object_prepositions"]),
        topic_prepositions=frozenset(raw["topic_prepositions"]),
        stance_nouns=frozenset(raw["stance_nouns"]),
        stance_verbs=frozenset(raw["stance_verbs"]),
        speech_nouns=frozenset(raw["speech_nouns"]),
        noun_prepositions={noun: frozenset(preps) for noun, preps in raw["noun_prepositions"].items()},
        evidence_nouns=frozenset(raw["evidence_nouns"]),
        evidence_verbs=frozenset(raw["evidence_verbs"]),
        author_verbs=frozenset(raw["author_verbs"]),
        production_verbs=frozenset(raw["production_verbs"]),
        word_nouns=frozenset(raw["word_nouns"]),
        naming_verbs=frozenset(raw["naming_verbs"]),
        object_needs_preposition=frozenset(raw["object_needs_preposition"]),
        intent_nouns=frozenset(raw["intent_nouns"]),
        author_phrases=tuple(raw["author_phrases"]),
        scare_quote_cues=tuple(raw["scare_quote_cues"]),
        confidence={k: float(v) for k, v in raw["confidence"].items()},
    )


def _check_words(raw: dict) -> None:
    """Every cue word must be a string: YAML reads a bare ``on`` or ``no`` as a boolean."""
    for section, value in raw.items():
        if section == "confidence":
            continue
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for key, words in items:
            for word in words if isinstance(words, list) else [words]:
                if not isinstance(word, str):
                    where = f"{section}.{key}" if key else section
                    raise ValueError(f"cues.yaml: {where} has {word!r}; quote it (YAML reads on/no/yes as booleans)")
