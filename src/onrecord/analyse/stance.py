"""Stance: which side of an action a statement takes, read from opposite verbs and frames, not from
negators alone. Sits under :mod:`.shifts`, which compares the stances of two statements on a subject.

``will never leave`` and ``will stay in`` take the same side (stay); ``is ready to leave`` the other.
A negator just before a frame's word turns it to the other side; fixed expressions (``not going
anywhere``) carry their own. Words inside a condition (``if the dispute is not settled``) say when,
not what: they are set apart and shown with the shift. The frames are data
(``analyse/data/stance.yaml``, registered as ``onrecord.stance.v1``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from onrecord import safe_yaml
from onrecord.text import normal

VERSION = "onrecord.stance.v1"
FRAMES_FILE = files("onrecord.analyse") / "data" / "stance.yaml"

_NEGATOR = re.compile(
    r"\b(?:not|no|never|cannot|can't|won't|wouldn't|don't|doesn't|didn't|isn't|aren't|refuse[sd]? to|"
    r"no intention of|nothing to)\b|n't\b"
)
_BOUNDARY = re.compile(r"[,;:.!?]|\bbut\b|\band\b")
# A condition runs from its conjunction to the end of its clause.
_CONDITION = re.compile(
    r"\b(?:if|unless|as long as|provided(?: that)?|until|once|so long as)\b[^.;!?,]*(?:,[^.;!?,]*(?=\bthen\b))?",
    re.IGNORECASE,
)
_YET = re.compile(r"\W+(?:\w+\W+)?yet\b")
NEGATION_REACH = 4  # words before a frame's word that a negator may stand in


@dataclass(frozen=True, slots=True)
class Frame:
    name: str  # "leave / stay": side +1 is the first, -1 the second
    a: re.Pattern[str]
    b: re.Pattern[str]
    b_fixed: re.Pattern[str] | None
    a_fixed: re.Pattern[str] | None = None


def _pattern(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b")


@lru_cache(maxsize=1)
def frames() -> tuple[Frame, ...]:
    data = safe_yaml.load(FRAMES_FILE.read_text(encoding="utf-8"))
    return tuple(
        Frame(
            str(name),
            _pattern(entry["a"]),
            _pattern(entry["b"]),
            _pattern(entry["b_fixed"]) if entry.get("b_fixed") else None,
            _pattern(entry["a_fixed"]) if entry.get("a_fixed") else None,
        )
        for name, entry in data.items()
    )


def conditions(text: str) -> list[str]:
    """The conditions a statement states (``if the dispute is not settled by June``)."""
    return [" ".join(m.group(0).split()).rstrip(" ,") for m in _CONDITION.finditer(normal(text))]


def _without_conditions(text: str) -> str:
    return _CONDITION.sub(lambda m: " " * len(m.group(0)), text)


def _negated(text: str, at: int) -> bool:
    """A negator among the ``NEGATION_REACH`` words before ``at``, in the same clause."""
    before = text[max(0, at - 80) : at]
    cut = [m.end() for m in _BOUNDARY.finditer(before)]
    if cut:
        before = before[cut[-1] :]
    tail = " ".join(before.split()[-NEGATION_REACH:])
    return bool(_NEGATOR.search(tail))


def stance(text: str) -> dict[str, int]:
    """Frame name -> side (+1 or -1) that the statement takes; a frame it takes both sides of is left out."""
    return dict(_stance(text))


@lru_cache(maxsize=65536)
def _stance(text: str) -> tuple[tuple[str, int], ...]:  # a shift search asks about each text many times
    t = _without_conditions(normal(text).lower())
    found: dict[str, int] = {}
    for frame in frames():
        sides: set[int] = set()
        t_frame = t
        for side, fixed in ((1, frame.a_fixed), (-1, frame.b_fixed)):
            if fixed is not None:
                if fixed.search(t_frame):
                    sides.add(side)
                t_frame = fixed.sub(lambda m: " " * len(m.group(0)), t_frame)
        for side, pattern in ((1, frame.a), (-1, frame.b)):
            for m in pattern.finditer(t_frame):
                if not _negated(t_frame, m.start()):
                    sides.add(side)
                elif not _YET.match(t_frame, m.end()):  # "has not been built yet": not done, not refused
                    sides.add(-side)
        if len(sides) == 1:
            found[frame.name] = sides.pop()
    return tuple(found.items())


def opposed(before: str, now: str) -> str | None:
    """The frame on which the two statements take opposite sides (``leave / stay``), else None."""
    a, b = stance(before), stance(now)
    for name in a.keys() & b.keys():
        if a[name] != b[name]:
            return name
    return None


def agreed(before: str, now: str) -> bool:
    """Both statements take the same side of some frame (``will never leave`` / ``will stay in``)."""
    a, b = stance(before), stance(now)
    return any(a[name] == b[name] for name in a.keys() & b.keys())


@lru_cache(maxsize=65536)
def without_fixed(text: str) -> str:
    """The text with the frames' fixed expressions taken out: the negation in ``don't mind`` or
    ``not going anywhere`` is part of a stance, not a negation of what is said."""
    t = normal(text).lower()
    for frame in frames():
        for fixed in (frame.a_fixed, frame.b_fixed):
            if fixed is not None:
                t = fixed.sub(" ", t)
    return t
