"""How much of an English report the English-Russian dictionaries account for in the trace's word alignment (issue 15),
per class of the labelled cross-language sets, with FreeDict alone and with FreeDict and Müller's together.

    OMP_NUM_THREADS=1 python benchmarks/bench_dictionary_coverage.py [SET.yaml ...]

Each case is traced as ``onrecord eval translations`` traces it (``evaluate.traced_translations``), and the evidence
its verdict was decided on is kept: of the report's content words, the share whose lemma is a headword of the
dictionary (known), the share linked to a source word by the dictionary, a name or a pronoun (the dictionary's
coverage), and by anything, the model's word similarity included (the alignment's coverage). Printed: each
share's median (and lower quartile) per class, faithful / flagged / invented, over the sets together, and each
set's accuracy per class (which the dictionary does not change on the default sets). Default sets: the ones the
code may read (never the blind sets kept unread).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from onrecord.analyse import bilingual, trace
from onrecord.analyse.translation_verdict import Evidence, cascade
from onrecord.evaluate import traced_translations

DATA = Path(__file__).resolve().parents[1] / "tests" / "analyse" / "data"
SETS = [
    DATA / f"{name}.yaml"
    for name in (
        "translations",
        "translations_dev",
        "translations_heldout",
        "translations_blind",
        "translations_blind3",
        "translations_train",
    )
]
CLASSES = ("translated", "translated, flagged", "unsupported")


def shares(evidence: Evidence, dictionary: Mapping[str, frozenset[str]]) -> tuple[float, float, float]:
    """The report's content words: known to the dictionary, linked without the model, linked at all."""
    a = evidence.alignment
    words = a.report_words
    if not words:
        return 1.0, 1.0, 1.0
    exact = {id(k.report) for k in a.links if k.by != "meaning"}
    known = sum(w.lemma in dictionary or w.text.lower() in dictionary for w in words) / len(words)
    return known, sum(id(w) in exact for w in words) / len(words), a.coverage


def measure(sets: list[Path], dictionary: Mapping[str, frozenset[str]]) -> None:
    """Trace every case with ``dictionary`` in the alignment and print the shares and the accuracy."""
    trace.dictionary = lambda: dictionary  # the tracer reads it through this name
    found: dict[str, list[tuple[float, float, float]]] = {c: [] for c in CLASSES}
    for path in sets:
        seen: list[Evidence] = []

        def recording(evidence: Evidence, seen: list[Evidence] = seen) -> tuple[str, str]:
            seen.append(evidence)
            return cascade(evidence)

        right = {c: [0, 0] for c in CLASSES}
        for _, expect, got in traced_translations(path, decide=recording):
            if seen and expect in found:
                found[expect].append(shares(seen[-1], dictionary))
            seen.clear()
            right[expect][0] += got == expect
            right[expect][1] += 1
        print(f"  {path.name}: " + " / ".join(f"{r / n:.2f}" if n else "-" for r, n in right.values()))
    for n, name in enumerate(("known to the dictionary", "linked by it (or a name, a pronoun)", "linked at all")):
        print(f"  {name}: " + " | ".join(
            f"{c} {np.median([s[n] for s in found[c]]):.2f} (q1 {np.percentile([s[n] for s in found[c]], 25):.2f})"
            for c in CLASSES if found[c]
        ))  # fmt: skip
    print(f"  cases with evidence: {sum(map(len, found.values()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", type=Path, default=SETS)
    args = parser.parse_args()
    for name, paths in (("FreeDict", (bilingual.FREEDICT,)), ("FreeDict and Müller", bilingual.DICTIONARIES)):
        dictionary = bilingual.dictionary(*paths)
        print(f"{name}: {len(dictionary)} headwords")
        measure(args.sets, dictionary)


if __name__ == "__main__":
    main()
