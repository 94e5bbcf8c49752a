"""How long ``analyse.translation.numbers`` takes to read the numbers of long texts, and how many distinct words it
gives pymorphy (issue 15).

    python benchmarks/bench_numbers.py

Reads every text of the readable labelled translation sets (tests/analyse/data/translations*.yaml save the blind
sets kept unread) in a new process, twice: the first pass pays pymorphy's reading of each new word (its cache is
empty), the second reads them from the cache. Printed: each pass's time and the words pymorphy read.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SETS = ("translations", "translations_dev", "translations_heldout", "translations_blind", "translations_blind3")
SETS += ("translations_train", "translations_train2")
CODE = """
import sys, time, yaml
from onrecord.analyse.translation import numbers
from onrecord.extract import russian_words
texts = []
def strings(x):
    if isinstance(x, str): texts.append(x)
    elif isinstance(x, dict): [strings(v) for v in x.values()]
    elif isinstance(x, list): [strings(v) for v in x]
for path in sys.argv[1:]:
    strings(yaml.safe_load(open(path)))
russian_words.russian_words("один")  # pymorphy's dictionary loaded before the clock starts
for run in ("cold", "warm"):
    t = time.perf_counter(); [numbers(text) for text in texts]; took = time.perf_counter() - t
    print(f"{run}: {len(texts)} texts, {sum(map(len, texts)):,} characters in {took * 1000:.0f} ms; "
          f"pymorphy read {russian_words._read.cache_info().currsize} distinct words")
"""


def main() -> None:
    data = Path(__file__).resolve().parent.parent / "tests" / "analyse" / "data"
    paths = [str(data / f"{name}.yaml") for name in SETS]
    print(
        subprocess.run([sys.executable, "-c", CODE, *paths], check=True, capture_output=True, text=True).stdout.strip()
    )


if __name__ == "__main__":
    main()
