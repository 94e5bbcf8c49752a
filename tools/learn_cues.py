"""Learn cue words from PolNeAR's *train* split: which verbs, when they have a subject,
are annotated as attribution cues, and how often.

    python tools/learn_cues.py ../shared/data/polnear/train > src/onrecord/extract/data/cues_learned.yaml

Only lemmas and counts are written (no text from the corpus). A lemma is kept when it is a cue
in at least ``--min-cues`` annotated occurrences and in at least ``--min-rate`` of the times it
appears as a verb with a subject. The dev split is never read, so it stays a fair test.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from onrecord.evaluate import read_polnear
from onrecord.extract import load_nlp


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("--min-cues", type=int, default=3)
    parser.add_argument("--min-rate", type=float, default=0.4)
    args = parser.parse_args()
    if args.train.name != "train":
        print("refusing: learn from the train split only", file=sys.stderr)
        return 2
    nlp = load_nlp()
    seen: Counter[str] = Counter()
    cue: Counter[str] = Counter()
    with_object: Counter[str] = Counter()
    docs = list(read_polnear(args.train))
    for gold, doc in zip(docs, nlp.pipe((d.text for d in docs), batch_size=16), strict=True):
        cue_chars = {i for g in gold.statements for s, e in g.cue for i in range(s, e)}
        for token in doc:
            if token.pos_ != "VERB" or not any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children):
                continue
            lemma = token.lemma_.lower()
            if not lemma.isalpha():
                continue
            seen[lemma] += 1
            if token.idx in cue_chars:
                cue[lemma] += 1
                if not any(c.dep_ in {"ccomp", "xcomp"} for c in token.children):
                    with_object[lemma] += 1
    learned = sorted(
        (lemma for lemma in cue if cue[lemma] >= args.min_cues and cue[lemma] / seen[lemma] >= args.min_rate),
        key=lambda lemma: (-cue[lemma], lemma),
    )
    print("# Learned by tools/learn_cues.py from PolNeAR train: lemma -> [times a cue, times seen as a verb with")
    print("# a subject, times a cue without a clause]. Regenerate rather than edit.")
    print("verbs:")
    for lemma in learned:
        print(f"  {lemma}: [{cue[lemma]}, {seen[lemma]}, {with_object[lemma]}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
