"""Name forms: strip titles and possessives, compare surnames. Plain string rules, no model."""

from __future__ import annotations

import re
from functools import lru_cache

HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "sir",
    "dame",
    "lord",
    "lady",
    "rev",
    "gen",
    "col",
    "lt",
    "capt",
    "sen",
    "senator",
    "rep",
    "gov",
    "governor",
    "president",
    "vice",
    "prime",
    "minister",
    "foreign",
    "secretary",
    "chancellor",
    "premier",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "ambassador",
    "mayor",
    "judge",
    "justice",
    "chairman",
    "chairwoman",
    "chair",
    "speaker",
    "leader",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "general",
    "admiral",
    "commissioner",
    "deputy",
    "defense",
    "defence",
    "interior",
    "finance",
    "former",
    "state",
    "attorney",
    "director",
    "ceo",
    "chief",
    "top",
    "diplomat",
    "candidate",
    "nominee",
    "u.s.",
    "us",
}
MALE = {"mr", "sir", "lord", "king", "prince", "he", "him", "his", "chairman", "spokesman"}
FEMALE = {"mrs", "ms", "miss", "dame", "lady", "queen", "princess", "she", "her", "chairwoman", "spokeswoman"}
PRONOUNS = {"he", "she", "him", "her", "his", "they", "them", "their", "it", "its", "i", "we", "me", "us", "my", "our"}
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def tokens(name: str) -> list[str]:
    # str.split() cuts at the same Unicode whitespace as re's \s, without a regex per call
    return name.split()


def strip_name(mention: str) -> str:
    """``Foreign Minister Anna Petrova's`` -> ``Anna Petrova``; ``the Kremlin`` -> ``Kremlin``."""
    words = tokens(_POSSESSIVE.sub("", mention.strip()))
    while words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    while len(words) > 1 and words[0].lower().rstrip(".") in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def surname(name: str) -> str:
    words = tokens(name)
    return words[-1].lower() if words else ""


def is_proper(mention: str) -> bool:
    """A mention that names someone: its words after the article are capitalised."""
    words = tokens(strip_name(mention))
    return bool(words) and all(
        w[:1].isupper() or w.lower() in {"de", "van", "von", "al", "bin", "la", "le", "der"} for w in words
    )


@lru_cache(maxsize=1)
def _first_names():  # type: ignore[no-untyped-def]
    import gender_guesser.detector  # a name list shipped in the package: no network

    return gender_guesser.detector.Detector(case_sensitive=False)


def gender_of(mention: str) -> str | None:
    """``m``/``f`` from an honorific (``Mr.``, ``Ms.``) or a first name that is clearly one or
    the other (``Anna``, ``Viktor``); None when unsure."""
    words = tokens(mention)
    first = words[0].lower().rstrip(".") if words else ""
    if first in MALE:
        return "m"
    if first in FEMALE:
        return "f"
    if len(words) >= 2 and words[0][:1].isupper() and words[0].isalpha():
        return {"male": "m", "female": "f"}.get(_first_names().get_gender(words[0]))
    return None


def is_first_name(word: str) -> bool:
    """Whether ``word`` is a known given name (of either gender): ``Marco`` yes, ``Corrupt`` no."""
    return word[:1].isupper() and word.isalpha() and _first_names().get_gender(word) != "unknown"


def same_person(short: str, full: str) -> bool:
    """``Petrova`` or ``A. Petrova`` is a shorter form of ``Anna Petrova``."""
    a, b = tokens(short.lower()), tokens(full.lower())
    if not a or not b or a[-1] != b[-1]:
        return False
    return all(any(w == v or (w.endswith(".") and v.startswith(w[:-1])) for v in b) for w in a[:-1])


def is_title(mention: str) -> bool:
    """A mention made only of titles: ``Minister``, ``the foreign minister``."""
    words = [w.lower().rstrip(".") for w in tokens(mention) if w.lower() not in {"the", "a", "an"}]
    return bool(words) and all(w in HONORIFICS for w in words)
