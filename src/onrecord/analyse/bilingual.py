"""The English-Russian dictionary the translation check aligns words with (issue 15): one home for loading it.

Where it sits: analyse/, read by ``analyse/alignment.py``. Two dictionaries in dictd format, installed by
Debian's ``dict-freedict-eng-rus`` and ``mueller7-dict`` (``make system-deps``); nothing is downloaded.
FreeDict's is small (about 1,700 headwords, many of them places); Müller's (about 43,000 headwords) knows
most words of a news report, so the alignment can say which report word has no counterpart. They are read
as one (:func:`dictionary`): English headword -> the Russian lemmas of its translations. Reading Müller's
takes tens of seconds (each distinct Russian word lemmatised by pymorphy), so the parse is kept in a cache
file and only the first use on a machine pays (:func:`cached_dictd`). On a machine without them,
:func:`dictionary` leaves them out and says so once in the log.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from onrecord.config import setting
from onrecord.extract.russian_words import base_forms

log = logging.getLogger("onrecord.analyse")

FREEDICT = Path("/usr/share/dictd/freedict-eng-rus")  # .index and .dict.dz beside each other
MUELLER = Path("/usr/share/dictd/mueller7")
DICTIONARIES = (FREEDICT, MUELLER)
FORMAT = 1  # of the cached parse: raised whenever what :func:`read_dictd` keeps changes
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_TRANSCRIPTION = re.compile(r"\[[^\]\n]*\]")
_PARENTHESES = re.compile(r"\([^()]*\)")
# sense numbers (``1.``, ``1)``, ``а)``) and homonym marks (``_I``): between senses
_SENSE = re.compile(r"(?<![\w.])(?:\d+[.)]|[а-я]\)|_[IVX]+\b)")
_LABEL = re.compile(r"(?<!\w)_[^\s.]+\.?")  # ``_a.``, ``_v.``, ``_разг.``, ``_p-p.``
_ABBREVIATIONS = frozenset({"напр", "лат", "букв", "разг", "etc"})  # written without the underscore


# a verb's perfective made by a prefix that keeps its meaning (расти -> вырасти, строить -> построить); not «про»,
# «за», «при» (давать -> продавать, задавать), which make another verb
_PERFECTIVE_PREFIXES = ("вы", "по", "с", "со", "от", "под", "о", "у", "на")
_VERB_ENDINGS = ("ть", "ти", "чь", "ться", "тись", "чься")
_ADJECTIVE_ENDINGS = ("ый", "ий", "ой")  # of a lemma: безупречный -> безупречно, искренний -> искренне


def renders(dictionary: Mapping[str, frozenset[str]], english: Sequence[str], russian: str) -> bool:
    """Whether the dictionary gives the Russian lemma ``russian`` as a translation of any of the ``english`` words
    (a lemma and the word as written), or the other verb of its aspect pair: a dictionary lists a verb in one aspect
    (``подписывать``, ``расти``) and a text uses the other (``подписать``, ``вырасти``). The pair is told by its
    form: a prefix that makes a perfective, or the same stem of five letters or more with at most five after it
    (``проверять``, ``проверить``). Also as the dictionary lists it: a word written with «е» for «ё» (:func:`_listed`),
    a compound abbreviation of its words (:func:`_abbreviated`), a reflexive verb by its plain verb, and an English
    compound it does not list as one word (:func:`_compound_forms`)."""
    found = [dictionary.get(word, frozenset()) for word in english]
    if not any(found):
        found = [dictionary.get(word, frozenset()) for word in _compound_forms(dictionary, english)]
    if any(_listed(russian, lemmas) or _abbreviated(russian, lemmas) for lemmas in found):
        return True
    if _adverb(dictionary, english, russian):
        return True
    if not russian.endswith(_VERB_ENDINGS):
        return False
    # a reflexive verb renders what its plain verb does: the dictionary lists «индексировать», a text says «зарплаты
    # не индексировались» (the passive) or «решение далось» (the reflexive is the sentence's voice, not a sense)
    plain = russian[:-2] if russian.endswith(_REFLEXIVE_ENDINGS) else None
    if plain and any(_listed(plain, lemmas) for lemmas in found):
        return True
    return any(_aspect_pair(verb, lemma) for verb in (russian, plain) if verb for lemmas in found for lemma in lemmas)


_REFLEXIVE_ENDINGS = ("ться", "тись", "чься")
_COMPOUND_PART = 3  # letters each word of an English compound has at least ("workload": "work", "load")


def _compound_forms(dictionary: Mapping[str, frozenset[str]], english: Sequence[str]) -> list[str]:
    """How the dictionary may list an English compound written as one word that it does not list so: hyphenated or
    spaced ("turnout" as "turn-out"), else by its last word, what it is ("workload" a load, «нагрузка»)."""
    forms: list[str] = []
    for word in english:
        for cut in range(_COMPOUND_PART, len(word) - _COMPOUND_PART + 1):
            first, last = word[:cut], word[cut:]
            if first in dictionary and last in dictionary:
                joined = [f for f in (f"{first}-{last}", f"{first} {last}") if f in dictionary]
                forms += joined or [last]
    return forms


def _listed(russian: str, lemmas: frozenset[str]) -> bool:
    """Whether ``russian`` is one of ``lemmas``, «ё» and «е» taken as one letter: dictionaries and lemmatisers write
    either («импортёр», «импортер»)."""
    if russian in lemmas:
        return True
    plain = russian.replace("ё", "е")
    return any(lemma.replace("ё", "е") == plain for lemma in lemmas if "ё" in lemma or "ё" in russian)


def _abbreviated(russian: str, lemmas: frozenset[str]) -> bool:
    """Whether the noun ``russian`` is a compound abbreviation of two words the dictionary gives for one English word:
    an adjective's beginning and the second whole («зарплата» for "wage", «заработная плата»; «профсоюз» for "union",
    «профессиональный союз»). A dictionary lists the words of the phrase, a text writes the compound."""
    if russian.endswith(_VERB_ENDINGS):  # a verb's prefix is no abbreviation («про» + «давать»)
        return False
    for cut in range(_ABBREVIATION, len(russian) - _ABBREVIATION + 1):
        head, rest = russian[:cut], russian[cut:]
        if rest in lemmas and any(a.startswith(head) and a.endswith(_ADJECTIVE_ENDINGS) for a in lemmas if a != rest):
            return True
    return False


_ABBREVIATION = 3  # letters each part of a compound abbreviation has at least («зар», «проф»; «союз»)


_INVERSE: dict[int, tuple[Mapping[str, frozenset[str]], dict[str, set[str]], dict[str, set[str]]]] = {}
_INVERTING = threading.Lock()


def english_for(dictionary: Mapping[str, frozenset[str]], russian: str) -> frozenset[str]:
    """The English headwords the dictionary translates by the Russian lemma ``russian`` or, for a verb, by the other
    verb of its aspect pair (as :func:`renders` takes it): the dictionary read backwards, what a Russian word may be
    rendered as. The reverse index is made once per dictionary."""
    with _INVERTING:
        kept = _INVERSE.get(id(dictionary))
        if kept is None or kept[0] is not dictionary:
            inverse: dict[str, set[str]] = {}
            for head, lemmas in dictionary.items():
                for lemma in lemmas:
                    inverse.setdefault(lemma, set()).add(head)
            stems: dict[str, set[str]] = {}  # verbs by their first five letters, for the aspect pair of a shared stem
            for lemma in inverse:
                if lemma.endswith(_VERB_ENDINGS):
                    stems.setdefault(lemma[:5], set()).add(lemma)
            kept = _INVERSE[id(dictionary)] = (dictionary, inverse, stems)
    _, inverse, stems = kept
    russian = russian.replace("ё", "е") if russian not in inverse else russian  # dictionaries mostly write «е»
    found = set(inverse.get(russian, ()))
    if russian.endswith(_VERB_ENDINGS):
        pairs = {p + russian for p in _PERFECTIVE_PREFIXES}
        pairs |= {russian[len(p) :] for p in _PERFECTIVE_PREFIXES if russian.startswith(p)}
        pairs |= {lemma for lemma in stems.get(russian[:5], ()) if _aspect_pair(russian, lemma)}
        for other in pairs:
            if _aspect_pair(russian, other):
                found |= inverse.get(other, set())
    return frozenset(found)


def _adverb(dictionary: Mapping[str, frozenset[str]], english: Sequence[str], russian: str) -> bool:
    """Whether an English adverb the dictionary does not list ("flawlessly") renders a Russian adverb made from a
    translation of its adjective (``flawless`` -> ``безупречный``, so ``безупречно``): dictionaries list the
    adjective and leave the adverb to its suffix, in both languages."""
    if not russian.endswith(("о", "е")):
        return False
    adjectives = {russian[:-1] + ending for ending in _ADJECTIVE_ENDINGS}
    for word in english:
        if not word.endswith("ly") or word in dictionary:
            continue
        bases = {word[:-2], word[:-1] + "e"}  # flawless-ly, simpl-y / reasonabl-y
        if word.endswith("ily"):
            bases.add(word[:-3] + "y")  # eas-ily
        if word.endswith("ally"):
            bases.add(word[:-4])  # automatic-ally
        if any(adjectives & dictionary.get(base, frozenset()) for base in bases):
            return True
    return False


def _aspect_pair(one: str, other: str) -> bool:
    if not other.endswith(_VERB_ENDINGS) or other.endswith("ость"):
        return False
    if any(one == p + other or other == p + one for p in _PERFECTIVE_PREFIXES):
        return True
    shared = 0
    for a, b in zip(one, other, strict=False):
        if a != b:
            break
        shared += 1
    return shared >= 5 and max(len(one), len(other)) - shared <= 5


def _number(code: str) -> int:
    """dictd's base-64 numbers (offsets and lengths in the index)."""
    value = 0
    for ch in code:
        value = value * 64 + _B64.index(ch)
    return value


def read_dictd(index: Path, data: Path) -> dict[str, frozenset[str]]:
    """English headword (lower case) -> the Russian lemmas of its translations, from a dictd index and its
    (dictzip, gzip-readable) data file. Headwords of several words are kept whole ("patrol boat"). Of each
    entry only the translations are kept (:func:`translations`), and each distinct Russian word is lemmatised
    once (``extract.russian_words.base_forms``)."""
    text = gzip.decompress(data.read_bytes()) if data.suffix == ".dz" else data.read_bytes()
    words: dict[str, set[str]] = {}
    for line in index.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or parts[0].startswith("00database") or parts[0].startswith("00-database"):
            continue
        head, start, length = parts[0].lower(), _number(parts[1]), _number(parts[2])
        entry = text[start : start + length].decode("utf-8", "replace")
        if found := translations(entry):
            words.setdefault(head, set()).update(found)
    bases = base_forms(sorted({w for found in words.values() for w in found}))
    # the word as the dictionary writes it (a lemma already, as natasha gives it) and its base form
    return {head: frozenset({*found, *(bases[w] for w in found)}) for head, found in words.items()}


def translations(entry: str) -> set[str]:
    """The Russian words (lower case, longer than two letters) of a dictd entry's translations, its headword
    line left out. Müller's entries hold more than translations; what is dropped, told apart cheaply: the
    transcription ``[..]``, labels (``_a.``, ``_v.``, ``_разг.``), what stands in parentheses (explanations,
    objects: «(вопрос)»), and examples, which open with English (``to raise a question поставить вопрос``):
    of the parts between senses (``1.``, ``1)``, ``а)``) and semicolons, only those opening with Russian are
    translations. FreeDict's entries (``граница, рубеж``) are translations whole."""
    body = entry.split("\n", 1)[1] if "\n" in entry else ""
    body = _PARENTHESES.sub(" ", _PARENTHESES.sub(" ", _TRANSCRIPTION.sub(" ", body)))  # nested once at most
    body = _LABEL.sub(" ", _SENSE.sub(";", body))
    found: set[str] = set()
    for part in body.replace("\n", " ").split(";"):
        part = part.strip(" ,.:-–—")
        if part and _CYRILLIC_WORD.match(part):
            found.update(
                w.lower()
                for m in _CYRILLIC_WORD.finditer(part)
                if len(w := m.group()) > 2 and not w.endswith("-л") and w.lower() not in _ABBREVIATIONS
            )
    return found


def _cache_dir() -> Path:
    """Where the parsed dictionary is kept: ``ONRECORD_CACHE_DIR``, else ``$XDG_CACHE_HOME/onrecord``, else
    ``~/.cache/onrecord``."""
    if chosen := setting("cache_dir"):
        return Path(chosen).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "onrecord"


def _stamp(paths: Sequence[Path]) -> list[list[object]]:
    """What says the source files are unchanged: each one's path, size and modification time."""
    return [[str(p), (st := p.stat()).st_size, st.st_mtime_ns] for p in paths]


def cached_dictd(index: Path, data: Path, cache: Path | None = None) -> dict[str, frozenset[str]]:
    """:func:`read_dictd`, kept in a JSON file under ``cache`` (default :func:`_cache_dir`) so that only the first
    use on a machine pays the parse (Müller's dictionary: tens of seconds): the file is used while the source
    files keep their size and modification time and :data:`FORMAT` is unchanged; else the dictionary is read
    again and the file replaced whole (written beside and renamed). A cache that cannot be read or written is
    passed by, with a line in the log."""
    folder = cache if cache is not None else _cache_dir()
    key = hashlib.sha256(f"{index.resolve()}\0{data.resolve()}".encode()).hexdigest()[:16]
    path = folder / f"dictd-{index.stem}-{key}.json"
    stamp = {"format": FORMAT, "sources": _stamp([index, data])}
    try:
        with path.open(encoding="utf-8") as file:
            kept = json.load(file)
        if kept.get("stamp") == stamp:
            return {head: frozenset(lemmas) for head, lemmas in kept["entries"].items()}
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning(
            "the dictionary cache %s cannot be read (%s: %s): reading %s again", path, type(exc).__name__, exc, index
        )
    found = read_dictd(index, data)
    written: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False) as out:
            written = out.name
            json.dump({"stamp": stamp, "entries": {h: sorted(ls) for h, ls in found.items()}}, out, ensure_ascii=False)
        os.replace(written, path)
    except OSError as exc:
        log.warning("the dictionary cache %s cannot be written (%s): %s is read again next time", path, exc, index)
        if written is not None:
            with contextlib.suppress(OSError):
                os.unlink(written)
    return found


def merged(*dictionaries: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """Several dictionaries as one: each headword's translations from all of them."""
    found: dict[str, frozenset[str]] = {}
    for each in dictionaries:
        for head, lemmas in each.items():
            found[head] = found[head] | lemmas if head in found else lemmas
    return found


_LOADED: dict[tuple[Path, ...], dict[str, frozenset[str]]] = {}  # once per process, by the paths asked for
# a warm-up thread (:func:`warm`) and a trace asking at once: one reads, the other waits for it instead of reading too
_LOADING = threading.Lock()


def dictionary(*paths: Path) -> dict[str, frozenset[str]]:
    """The installed English-Russian dictionaries (default :data:`DICTIONARIES`) as one (:func:`merged`), each read
    through its cache (:func:`cached_dictd`), once per process; those not installed are left out and the log says
    so in one line (none installed: empty, and the alignment rests on word similarity alone)."""
    paths = paths or DICTIONARIES
    with _LOADING:
        if paths not in _LOADED:
            _LOADED[paths] = _read(paths)
        return _LOADED[paths]


def _read(paths: Sequence[Path]) -> dict[str, frozenset[str]]:
    present = [p for p in paths if p.with_suffix(".index").exists() and p.with_suffix(".dict.dz").exists()]
    if missing := [p for p in paths if p not in present]:
        log.warning(
            "no English-Russian dictionary at %s: translations are aligned by %s; install it with `make system-deps` "
            "(Debian's dict-freedict-eng-rus and mueller7-dict)",
            ", ".join(f"{p}.index" for p in missing),
            "the others and word similarity" if present else "word similarity alone",
        )
    return merged(*(cached_dictd(p.with_suffix(".index"), p.with_suffix(".dict.dz")) for p in present))


def warm() -> threading.Thread:
    """Read the dictionaries in a background thread, so that a server's first cross-language trace does not wait
    for them (about 0.4 s from the cache, 17 s on a machine's first use); the thread, started."""
    thread = threading.Thread(target=dictionary, name="onrecord-dictionary", daemon=True)
    thread.start()
    return thread
