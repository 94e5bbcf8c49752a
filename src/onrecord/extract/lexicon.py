"""The cue lexicon as frozen sets: rules as data, apart from the engine.

``data/cues.yaml`` is written by hand; ``data/cues_learned.yaml`` is made by
``tools/learn_cues.py`` from PolNeAR's train split (lemmas and counts only) and widens the
hand-written lists: a learned verb that is usually a cue without a clause takes its object as
content, the others need a clause or a quotation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import yaml


@dataclass(frozen=True, slots=True)
class Lexicon:
    speech_verbs: frozenset[str]
    object_content_verbs: frozenset[str]
    clause_only_verbs: frozenset[str]
    belief_verbs: frozenset[str]
    object_prepositions: dict[str, str]
    stance_nouns: frozenset[str]
    stance_verbs: frozenset[str]
    speech_nouns: frozenset[str]
    author_verbs: frozenset[str]
    author_phrases: tuple[str, ...]
    scare_quote_cues: tuple[str, ...]
    learned_verbs: frozenset[str]
    confidence: dict[str, float]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged lexicon, loaded once."""
    data = files("onrecord.extract") / "data"
    raw = yaml.safe_load((data / "cues.yaml").read_text("utf-8"))
    learned = yaml.safe_load((data / "cues_learned.yaml").read_text("utf-8"))["verbs"]
    hand = frozenset(raw["speech_verbs"])
    new = {lemma: counts for lemma, counts in learned.items() if lemma not in hand}
    takes_object = {lemma for lemma, (cues, _, without_clause) in new.items() if without_clause * 2 >= cues}
    return Lexicon(
        speech_verbs=hand | frozenset(new),
        object_content_verbs=frozenset(raw["object_content_verbs"]) | frozenset(takes_object),
        clause_only_verbs=frozenset(raw["clause_only_verbs"]) | (frozenset(new) - frozenset(takes_object)),
        belief_verbs=frozenset(raw["belief_verbs"]),
        object_prepositions=dict(raw["object_prepositions"]),
        stance_nouns=frozenset(raw["stance_nouns"]),
        stance_verbs=frozenset(raw["stance_verbs"]),
        speech_nouns=frozenset(raw["speech_nouns"]),
        author_verbs=frozenset(raw["author_verbs"]),
        author_phrases=tuple(raw["author_phrases"]),
        scare_quote_cues=tuple(raw["scare_quote_cues"]),
        learned_verbs=frozenset(new),
        confidence={k: float(v) for k, v in raw["confidence"].items()},
    )
