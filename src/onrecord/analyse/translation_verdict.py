"""The verdict on a report traced to a sentence in another language, from the evidence gathered for it (issue 15).

Where it sits: analyse/, called by ``analyse/trace.py`` once the report's nearest sentence in the other language is
found. ``translation.py`` and ``alignment.py`` measure (the margin score, the concepts shared, what changed, which
words have counterparts, who does what); this module turns those measures into one of three classes:

- ``translated``: a faithful translation;
- ``flagged``: a translation that changed something (its flags say what; what a trim leaves out is a note, no change);
- ``unsupported``: not the speaker's claim.

:func:`cascade` is the hand-set rule: each measure against a threshold, in turn. It is the one used. A logistic
regression over :func:`features` was fitted and measured by leaving one labelled set out
(``benchmarks/train_translation_verdict.py``; docs/translation-verdicts.md, *A learned decision, measured*) and did
no better on the sets the cascade was not tuned on: on those sets the evidence, not the way it is weighed, is what
goes wrong (false flags on faithful trims, changed translations sharing as few concepts as invented claims).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from onrecord.analyse.alignment import ATTESTED, Alignment, claim_differs
from onrecord.analyse.translation import (
    CHANGES,
    CONCEPT_OVERLAP,
    FLAGS,
    TRANSLATED,
    TRIMMED,
    UNPROMISED,
    changes,
    numbers,
    times,
)
from onrecord.text import words

CLASSES = ("translated", "flagged", "unsupported")


@dataclass(frozen=True)
class Evidence:
    """What was measured of a report against its nearest sentence (or pair, or clause) in the other language. The
    flags and the alignment, which parse both texts, may be given as functions that measure them: they are called
    when first read, so that a decision which settles on the margin (or on the concepts, for a pair) does not wait
    for them."""

    score: float  # the margin score: cosine plus its margin over the speaker's next-nearest sentences
    cosine: float  # of the report and the candidate (dense multilingual vectors)
    concepts: float  # cosine of the two texts' latent terms (the sparse concepts)
    measured_flags: (
        tuple[str, ...] | Callable[[], tuple[str, ...]]
    )  # what the translation changed (``translation.flags``)
    measured_alignment: Alignment | Callable[[], Alignment]  # word by word (``alignment.align``)
    kind: str  # the candidate: "single", "pair" or "clause"
    report: str  # the report's words traced, and the source they are compared with
    source: str

    @cached_property
    def flags(self) -> tuple[str, ...]:
        """What the translation changed (``translation.flags``) and what the alignment finds changed (words swapped
        for near ones of another sense, phrases with no counterpart: ``Alignment.changes``), measured on first
        reading."""
        found = self.measured_flags
        return (*(found() if callable(found) else found), *self.alignment.changes)

    @cached_property
    def alignment(self) -> Alignment:
        """The report word by word against the source (``alignment.align``), measured on first reading."""
        found = self.measured_alignment
        return found() if callable(found) else found

    @property
    def margin(self) -> float:
        """How far the cosine stands above the speaker's next-nearest sentences."""
        return self.score - self.cosine

    def has(self, kind: str) -> bool:
        """Whether a flag of this kind (one of ``translation.FLAGS``) was raised."""
        return any(f.startswith(kind) for f in self.flags)


Verdict = Callable[[Evidence], tuple[str, str]]  # evidence -> (one of CLASSES, why when unsupported)


def cascade(evidence: Evidence) -> tuple[str, str]:
    """The hand-set rule: the margin score from :data:`TRANSLATED`, the concepts from :data:`CONCEPT_OVERLAP`, no
    more than :data:`CHANGES` kinds of change, no commitment the source does not make (``translation.unpromised``: a
    promise the speaker declined or only allowed is another claim), and the alignment's roles, referents and coverage
    (``alignment.claim_differs``). A report that shares few concepts but whose words the dictionaries attest in
    one sentence (:func:`attested`) goes on to the other checks. The class and, for ``unsupported``, why (empty
    when below the margin)."""
    if evidence.score < TRANSLATED:
        return "unsupported", ""
    if evidence.concepts < CONCEPT_OVERLAP and not attested(evidence):
        return "unsupported", f"share few of its concepts ({evidence.concepts:.2f})"
    if changes(evidence.flags) > CHANGES:
        return "unsupported", f"differ in {changes(evidence.flags)} ways: " + "; ".join(evidence.flags)
    if promise := next((f for f in evidence.flags if f.startswith(UNPROMISED)), None):
        return "unsupported", f"make no promise the report's cue gives: {promise}"
    if claim := claim_differs(evidence.alignment):
        return "unsupported", claim
    return ("flagged" if any(f.startswith(FLAGS) for f in evidence.flags) else "translated"), ""


def attested(evidence: Evidence) -> bool:
    """Whether nearly all the report's content words (:data:`alignment.ATTESTED`) are linked by the dictionaries or
    names to words of one sentence or clause (not a pair): then its claim is that sentence's whatever the concepts
    shared, which short reports and trims share few of ("The crew acted flawlessly." for «Экипаж действовал
    безупречно.» shares 0.31). The flags, roles and referents are still checked after."""
    return evidence.kind != "pair" and evidence.alignment.attested >= ATTESTED


def flag_kinds(flags: Sequence[str]) -> list[str]:
    """The kinds (``translation.FLAGS``) the flags name, in that order."""
    return [kind for kind in FLAGS if any(f.startswith(kind) for f in flags)]


def features(evidence: Evidence) -> dict[str, float]:
    """The evidence as numbers, by name: what a learned decision reads."""
    a = evidence.alignment
    found = {
        "score": evidence.score,
        "cosine": evidence.cosine,
        "margin": evidence.margin,
        "concepts": evidence.concepts,
        "coverage": a.coverage,
        "rendered": a.rendered,
        "swapped": float(a.swapped),
        "referent": float(a.referent is not None),
        "crossed": float(len(a.crossed)),
        "unlinked": float(len(a.unlinked)),
        "changes": float(changes(evidence.flags)),
        "length": math.log(max(1, len(words(evidence.report))) / max(1, len(words(evidence.source)))),
        "pair": float(evidence.kind == "pair"),
        "clause": float(evidence.kind == "clause"),
    }
    found |= {kind: float(evidence.has(kind)) for kind in FLAGS}
    found["trimmed"] = float(evidence.has(TRIMMED))
    # which side holds what the other lacks: what only the source holds may be a trim, what only the report holds
    # is said anew
    ours, theirs = set(numbers(evidence.report)), set(numbers(evidence.source))
    found["report's own numbers"] = float(bool(ours - theirs))
    found["source's own numbers"] = float(bool(theirs - ours))
    ours, theirs = times(evidence.report), times(evidence.source)
    found["report's own times"] = float(bool(ours - theirs))
    found["source's own times"] = float(bool(theirs - ours))
    flagged = " ".join(evidence.flags)
    names = [f for f in evidence.flags if f.startswith("names differ")]
    found["report's own names"] = float(any(not f.startswith("names differ: none in the report") for f in names))
    found["source's own names"] = float(any(not f.endswith("none in the source") for f in names))
    found["report negates"] = float("the report negates" in flagged)
    found["source negates"] = float("the source negates" in flagged)
    found["report hedges"] = float("the report hedges" in flagged)
    found["source hedges"] = float("the source hedges" in flagged)
    return found
