"""The English-Russian dictionary the translation check aligns words with (issue 15): one home for loading it.

Where it sits: analyse/, read by ``analyse/alignment.py``. The dictionary is FreeDict's English-Russian
one in dictd format, installed by Debian's ``dict-freedict-eng-rus`` (``make system-deps``); nothing is
downloaded. It is small (about 1,700 headwords, many of them places: a quarter of the words in the
labelled sets' reports), so it settles the words it knows and the multilingual model's single-word
similarity the rest. On a machine without it, :func:`dictionary` is empty and says why once in the log.
"""

from __future__ import annotations

import gzip
import logging
import re
from functools import lru_cache
from pathlib import Path

from onrecord.extract.russian_words import russian_words

log = logging.getLogger("onrecord.analyse")

FREEDICT = Path("/usr/share/dictd/freedict-eng-rus")  # .index and .dict.dz beside each other
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")


def _number(code: str) -> int:
    """dictd's base-64 numbers (offsets and lengths in the index)."""
    value = 0
    for ch in code:
        value = value * 64 + _B64.index(ch)
    return value


def read_dictd(index: Path, data: Path) -> dict[str, frozenset[str]]:
    """English headword (lower case) -> the Russian lemmas of its translations, from a dictd index and its
    (dictzip, gzip-readable) data file. Headwords of several words are kept whole ("patrol boat")."""
    text = gzip.decompress(data.read_bytes()) if data.suffix == ".dz" else data.read_bytes()
    found: dict[str, set[str]] = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or parts[0].startswith("00database"):
            continue
        head, start, length = parts[0].lower(), _number(parts[1]), _number(parts[2])
        entry = text[start : start + length].decode("utf-8", "replace").split("\n", 1)[-1]
        lemmas = {w.base for m in _CYRILLIC_WORD.finditer(entry) for w in russian_words(m.group()) if len(w.text) > 2}
        if lemmas:
            found.setdefault(head, set()).update(lemmas)
    return {head: frozenset(lemmas) for head, lemmas in found.items()}


@lru_cache(maxsize=1)
def dictionary(path: Path = FREEDICT) -> dict[str, frozenset[str]]:
    """The installed English-Russian dictionary (:func:`read_dictd`), read once; empty when it is not
    installed, which the log says once (the alignment then rests on word similarity alone)."""
    index, data = path.with_suffix(".index"), path.with_suffix(".dict.dz")
    if not (index.exists() and data.exists()):
        log.warning(
            "no English-Russian dictionary at %s.index: translations are aligned by word similarity alone; "
            "install it with `make system-deps` (Debian's dict-freedict-eng-rus)",
            path,
        )
        return {}
    return read_dictd(index, data)
