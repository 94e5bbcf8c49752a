"""The English-Russian dictionaries' load from their per-machine cache, and the web app's warm-up of it (issue 15).

    python benchmarks/bench_dictionary_load.py

Run it twice: the first run on a machine without the cache pays the parse (about 17 s of CPU). Printed: the time
``bilingual.dictionary()`` takes in this new process; then, in a second new process, how long ``create_app`` takes,
how long its background read goes on after it, and what ``dictionary()`` costs once the read is done (what a first
cross-language trace waits for).
"""

from __future__ import annotations

import subprocess
import sys

COLD = """
import time
from onrecord.analyse.bilingual import dictionary
t = time.perf_counter(); found = dictionary(); took = time.perf_counter() - t
print(f"dictionary() in a new process: {took * 1000:.0f} ms, {len(found)} headwords")
"""
WARMED = """
import tempfile, threading, time
from onrecord.analyse import bilingual
from onrecord.web import create_app
db = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
t = time.perf_counter(); create_app(db); made = time.perf_counter() - t
warm = next(th for th in threading.enumerate() if th.name == "onrecord-dictionary")
t = time.perf_counter(); warm.join(); waited = time.perf_counter() - t
t = time.perf_counter(); bilingual.dictionary(); asked = time.perf_counter() - t
print(f"create_app {made * 1000:.0f} ms; its background read goes on {waited * 1000:.0f} ms after; "
      f"dictionary() then {asked * 1000:.2f} ms")
"""


def main() -> None:
    for code in (COLD, WARMED):
        print(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
