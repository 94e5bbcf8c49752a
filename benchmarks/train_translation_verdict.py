"""A learned verdict on cross-language traces (issue 15), measured against the hand-set cascade by leaving one set out.

    python benchmarks/train_translation_verdict.py collect    # trace every allowed set, keep the evidence (a cache;
                                                              # delete it after changing the code that measures)
    python benchmarks/train_translation_verdict.py loso       # leave-one-set-out: the model against the cascade
    python benchmarks/train_translation_verdict.py variants   # the same for every feature set and penalty tried
    python benchmarks/train_translation_verdict.py bound      # a perfect gate, the flags as they are: the ceiling
    python benchmarks/train_translation_verdict.py train      # fit on every allowed set, write the weights (--out)

The model: a logistic regression (numpy, L2 penalty, features standardised, classes weighed alike) over
``analyse/translation_verdict.features``. ``gate``: it tells a translation from a claim that is not one, and the flags
tell a faithful translation from a changed one, as the cascade does; ``full``: it says all three classes. The
evidence of each case is computed once by tracing with the cascade (``traced_translations`` with a recording
decision) and kept in a cache outside the repository. The sets are the labelled ones in ``tests/analyse/data``
listed in :data:`SETS`; the held-out sets (:data:`HELD_OUT`) are never read here. Run with ``OMP_NUM_THREADS=1``
on a busy machine (the multilingual model's threads wait on each other: several times slower under load).
It measured no gain over the cascade, so no model ships (``translation_verdict.py`` uses :func:`cascade`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "analyse" / "data"
SETS = (
    "translations.yaml",
    "translations_dev.yaml",
    "translations_heldout.yaml",
    "translations_blind.yaml",
    "translations_blind3.yaml",
    "translations_train.yaml",
)
HELD_OUT = ("translations_blind2.yaml", "translations_blind4.yaml", "translations_blind5.yaml")  # never read here
FOLDS = ("translations_blind.yaml", "translations_blind3.yaml", "translations_train.yaml", *SETS[:3])
CACHE = Path("/tmp/onrecord_translation_evidence.json")
FEATURES = ("score", "concepts", "coverage", "changes", "swapped", "referent")  # the shipped model's
L2 = 0.1
MODE = "gate"
EXPECTED = {"translated": "translated", "translated, flagged": "flagged", "unsupported": "unsupported"}


def collect(cache: Path) -> None:
    """Trace each set with the cascade, keeping per case its evidence as numbers and the class the cascade gave."""
    from onrecord.analyse.translation_verdict import cascade, features
    from onrecord.evaluate import traced_translations

    rows = json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else []
    for name in SETS:
        path = DATA / name
        assert name not in HELD_OUT
        if any(r["set"] == name for r in rows):  # kept from an earlier run
            continue
        if not path.exists():
            print(f"{name}: not there, left out", file=sys.stderr)
            continue
        seen: list[tuple[dict[str, float], str, tuple[str, ...]]] = []

        def recording(evidence, seen=seen):  # noqa: ANN001, ANN202 - the tracer's decide, kept by the script
            decided = cascade(evidence)
            seen.append((features(evidence), decided[0], evidence.flags))
            return decided

        for report, expect, got in traced_translations(path, recording, floor=float("-inf")):
            first = seen[0] if seen else None
            rows.append({
                "set": name, "report": report, "expect": EXPECTED[expect],
                "got": EXPECTED.get(got, got),
                "features": first[0] if first else None,
                "cascade": first[1] if first else None,
                "flags": list(first[2]) if first else [],
            })  # fmt: skip
            seen.clear()
        print(f"{name}: {sum(r['set'] == name for r in rows)} cases", file=sys.stderr)
        cache.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


def fit(x: np.ndarray, y: np.ndarray, classes: int, l2: float, steps: int = 3000) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression on standardised ``x`` (rows: cases), ``y`` class indices: weights (classes x
    features) and biases, with an L2 penalty ``l2`` on the weights (not the biases), by gradient descent (the
    loss is convex: the result does not depend on the start). Each class weighs as much as the others in the loss."""
    n, d = x.shape
    target = np.eye(classes)[y]
    weight = (1.0 / np.bincount(y, minlength=classes))[y] * n / classes
    w, b = np.zeros((classes, d)), np.zeros(classes)
    rate = 0.5
    for _ in range(steps):
        logits = x @ w.T + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        error = (p - target) * weight[:, None] / n
        w -= rate * (error.T @ x + l2 * w)
        b -= rate * error.sum(axis=0)
    return w, b


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    return mean, np.where(scale > 0, scale, 1.0)


def recalls(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Accuracy per expected class (and over all) of (expected, found) pairs."""
    found = {}
    for c in (*CLASSES, "all"):
        mine = [(e, g) for e, g in pairs if c in (e, "all")]
        found[c] = sum(e == g for e, g in mine) / len(mine) if mine else float("nan")
    return found


CLASSES = ("translated", "flagged", "unsupported")


def matrix(rows: list[dict], names: Sequence[str]) -> np.ndarray:
    return np.array([[r["features"][n] for n in names] for r in rows], dtype=float)


def predict(rows: list[dict], train: list[dict], names: Sequence[str], l2: float, mode: str) -> list[str]:
    """The class of each of ``rows`` by a model fitted on ``train`` (cases without evidence keep the class the
    tracer gave). ``mode``: "gate" (the model tells a translation from a claim that is not one; flags, as
    today, tell a faithful one from a changed one) or "full" (the model says all three)."""
    fitted = [r for r in train if r["features"] is not None]
    x = matrix(fitted, names)
    mean, scale = standardise(x)
    if mode == "gate":
        y = np.array([r["expect"] == "unsupported" for r in fitted], dtype=int)
        w, b = fit((x - mean) / scale, y, 2, l2)
    else:
        y = np.array([CLASSES.index(r["expect"]) for r in fitted])
        w, b = fit((x - mean) / scale, y, 3, l2)
    out = []
    for r in rows:
        if r["features"] is None:
            out.append(r["got"])
            continue
        z = (matrix([r], names)[0] - mean) / scale
        k = int(np.argmax(w @ z + b))
        if mode == "gate":
            out.append("unsupported" if k == 1 else "flagged" if has_flags(r) else "translated")
        else:
            out.append(CLASSES[k])
    return out


def has_flags(row: dict) -> bool:
    from onrecord.analyse.translation import FLAGS

    return any(f.startswith(FLAGS) for f in row["flags"])


def loso(rows: list[dict], names: Sequence[str], l2: float, mode: str) -> dict[str, dict[str, dict[str, float]]]:
    """Per held-out set: the cascade's and the model's accuracy per class, the model fitted on the other sets."""
    out = {}
    for name in dict.fromkeys(r["set"] for r in rows):
        test = [r for r in rows if r["set"] == name]
        train = [r for r in rows if r["set"] != name]
        model = predict(test, train, names, l2, mode)
        cascade = [r["got"] for r in test]
        out[name] = {
            "cascade": recalls([(r["expect"], g) for r, g in zip(test, cascade, strict=True)]),
            "model": recalls([(r["expect"], g) for r, g in zip(test, model, strict=True)]),
        }
    return out


def show(result: dict[str, dict[str, dict[str, float]]]) -> None:
    print(f"{'held-out set':28} {'cascade (faithful/flagged/invented/all)':42} model")
    for name, got in result.items():
        cells = [" / ".join(f"{got[m][c]:.2f}" for c in (*CLASSES, "all")) for m in ("cascade", "model")]
        print(f"{name:28} {cells[0]:42} {cells[1]}")


def train(rows: list[dict], names: Sequence[str], l2: float, mode: str, out: Path) -> None:
    """Fit on every case of the allowed sets and write the model to ``out`` (JSON: features, their mean and scale,
    the weights and biases per class): small and plain enough to read."""
    fitted = [r for r in rows if r["features"] is not None]
    x = matrix(fitted, names)
    mean, scale = standardise(x)
    classes = ("translation", "unsupported") if mode == "gate" else CLASSES
    if mode == "gate":
        y = np.array([r["expect"] == "unsupported" for r in fitted], dtype=int)
    else:
        y = np.array([CLASSES.index(r["expect"]) for r in fitted])
    w, b = fit((x - mean) / scale, y, len(classes), l2)
    sets = sorted({r["set"] for r in fitted})
    out.write_text(
        json.dumps(
            {
                "trained on": sets,
                "cases": len(fitted),
                "l2": l2,
                "classes": list(classes),
                "features": list(names),
                "mean": np.round(mean, 6).tolist(),
                "scale": np.round(scale, 6).tolist(),
                "weights": np.round(w, 6).tolist(),
                "bias": np.round(b, 6).tolist(),
            },  # fmt: skip
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{out}: {len(fitted)} cases of {', '.join(sets)}")
    for c, row in zip(classes, w, strict=True):
        print(f"  {c}: " + ", ".join(f"{n} {v:+.2f}" for n, v in zip(names, row, strict=True)))


FLAG_KINDS = (
    *("numbers differ", "negation differs", "certainty differs", "names differ", "time differs"),
    *("the report adds", "trimmed"),  # a trim's note ("the report drops" before the trim policy)
)
SIDES = (
    *("report's own numbers", "source's own numbers", "report's own times", "source's own times"),
    *("report's own names", "source's own names", "report negates", "source negates", "report hedges"),
    "source hedges",
)
# every feature set tried, in the order tried (the first is the one named before any was measured)
VARIANTS = {
    "measures": FEATURES,
    "measures, margin": (*FEATURES[:1], "margin", *FEATURES[1:]),
    "flag kinds": ("score", "concepts", "coverage", "swapped", "referent", *FLAG_KINDS),
    "flag kinds, no drop": ("score", "concepts", "coverage", "swapped", "referent", *FLAG_KINDS[:-1]),
    "three": ("score", "concepts", "changes"),
    "sides": ("score", "concepts", "coverage", "swapped", "referent", *SIDES, "the report adds", "trimmed"),
    "every feature": (
        *("score", "cosine", "margin", "concepts", "coverage", "rendered", "swapped", "referent", "crossed"),
        *("unlinked", "changes", "length", "pair", "clause", *FLAG_KINDS),
    ),
}


def variants(rows: list[dict]) -> None:
    """LOSO of every feature set, penalty and mode tried: each held-out set's accuracy per class, then the mean
    accuracy over all cases of the held-out sets."""
    print("mode  penalty  features             " + "  ".join(f"{s.removeprefix('translations'):16}" for s in FOLDS))
    for mode in ("gate", "full"):
        for l2 in (0.03, 0.3):
            for name, names in VARIANTS.items():
                result = loso(rows, names, l2, mode)
                cells = ["/".join(f"{result[s]['model'][c]:.2f}" for c in CLASSES) for s in FOLDS]
                print(f"{mode:5} {l2:<8} {name:20} " + "  ".join(f"{c:16}" for c in cells))
    result = loso(rows, FEATURES, L2, MODE)
    cells = ["/".join(f"{result[s]['cascade'][c]:.2f}" for c in CLASSES) for s in FOLDS]
    print(f"{'cascade':36} " + "  ".join(f"{c:16}" for c in cells))


def bound(rows: list[dict]) -> None:
    """Per set: accuracy per class were the gate perfect (every invented claim unsupported, every translation let
    through) and the flags as they are: what any decision of the gate kind can reach on this evidence."""
    for name in dict.fromkeys(r["set"] for r in rows):
        pairs = []
        for r in (r for r in rows if r["set"] == name):
            if r["features"] is None:
                pairs.append((r["expect"], r["got"]))
            elif r["expect"] == "unsupported":
                pairs.append((r["expect"], "unsupported"))
            else:
                pairs.append((r["expect"], "flagged" if has_flags(r) else "translated"))
        got = recalls(pairs)
        print(f"{name:28} " + " / ".join(f"{got[c]:.2f}" for c in (*CLASSES, "all")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("collect", "loso", "variants", "bound", "train"))
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--features", default=",".join(FEATURES), help="comma-separated names (translation_verdict)")
    parser.add_argument("--l2", type=float, default=L2)
    parser.add_argument("--mode", choices=("gate", "full"), default=MODE)
    parser.add_argument("--out", type=Path, default=Path("/tmp/onrecord_translation_verdict.json"))
    args = parser.parse_args()
    if args.step == "collect":
        collect(args.cache)
        return
    rows = json.loads(args.cache.read_text(encoding="utf-8"))
    names = args.features.split(",")
    if args.step == "loso":
        show(loso(rows, names, args.l2, args.mode))
    elif args.step == "variants":
        variants(rows)
    elif args.step == "bound":
        bound(rows)
    else:
        train(rows, names, args.l2, args.mode, args.out)


if __name__ == "__main__":
    main()
