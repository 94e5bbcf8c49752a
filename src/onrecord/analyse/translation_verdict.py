"""The verdict on a report traced to a sentence in another language, from the evidence gathered for it (issue 15).

Where it sits: analyse/, called by ``analyse/trace.py`` once the report's nearest sentence in the other language is
found. ``translation.py`` and ``alignment.py`` measure (the margin score, the concepts shared, what changed, which
words have counterparts, who does what); this module turns those measures into one of three classes:

- ``translated``: a faithful translation;
- ``flagged``: a translation that changed something (its flags say what);
- ``unsupported``: not the speaker's claim.

:func:`cascade` is the hand-set rule the figures in the README were first measured with: each measure against a
threshold, in turn.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from onrecord.analyse.alignment import Alignment, claim_differs
from onrecord.analyse.translation import CHANGES, CONCEPT_OVERLAP, FLAGS, TRANSLATED, changes

CLASSES = ("translated", "flagged", "unsupported")


@dataclass(frozen=True, slots=True)
class Evidence:
    """What was measured of a report against its nearest sentence (or pair, or clause) in the other language."""

    score: float  # the margin score: cosine plus its margin over the speaker's next-nearest sentences
    cosine: float  # of the report and the candidate (dense multilingual vectors)
    concepts: float  # cosine of the two texts' latent terms (the sparse concepts)
    flags: tuple[str, ...]  # what the translation changed (``translation.flags``)
    alignment: Alignment  # word by word (``alignment.align``)
    kind: str  # the candidate: "single", "pair" or "clause"
    report_words: int  # words of the report and of the source it is compared with
    source_words: int

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
    more than :data:`CHANGES` kinds of change, and the alignment's roles, referents and coverage
    (``alignment.claim_differs``). The class and, for ``unsupported``, why (empty when below the margin)."""
    if evidence.score < TRANSLATED:
        return "unsupported", ""
    if evidence.concepts < CONCEPT_OVERLAP:
        return "unsupported", f"share few of its concepts ({evidence.concepts:.2f})"
    if changes(evidence.flags) > CHANGES:
        return "unsupported", f"differ in {changes(evidence.flags)} ways: " + "; ".join(evidence.flags)
    if claim := claim_differs(evidence.alignment):
        return "unsupported", claim
    return ("flagged" if any(f.startswith(FLAGS) for f in evidence.flags) else "translated"), ""


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
        "length": math.log(max(1, evidence.report_words) / max(1, evidence.source_words)),
        "pair": float(evidence.kind == "pair"),
        "clause": float(evidence.kind == "clause"),
    }
    found |= {kind: float(evidence.has(kind)) for kind in FLAGS}
    return found
