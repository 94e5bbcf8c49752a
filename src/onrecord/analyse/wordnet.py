"""English WordNet, read offline: whether a report word renders a translation of the source's word or swaps it for a
near one (issue 15).

Where it sits: analyse/, read by ``analyse/alignment.py``. The database is Princeton's WordNet 3.0 as Debian's
``wordnet-base`` installs it (``make system-deps``; ``/usr/share/wordnet``: ``index.*``, ``data.*``, ``*.exc``), read
here directly (its format is a few lines of text per synset; NLTK's reader, the library for it, wants a
``lexnames`` file Debian's package lacks and newer NLTK refuses paths outside its own data folder); nothing is
downloaded. Without it :func:`wordnet` gives None, says so once in the log, and the alignment makes no such check.

A bilingual dictionary lists renderings, not every rendering a translator uses; what tells a free rendering from a
changed word is how the two English words are related (:meth:`WordNet.relation`): a synonym, a broader or narrower
word, one derived from the other, a part of it or its whole is a rendering ("wing" for a building's «корпус»); a word
of the same kind beside it (a co-hyponym under a near common hypernym: "meat" for «овощи», vegetables) or its antonym
("foreign" for «внутренний», domestic) is a swap.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("onrecord.analyse")

WORDNET = Path("/usr/share/wordnet")
POS = {"NOUN": "n", "PROPN": "n", "VERB": "v", "ADJ": "a", "ADV": "r"}  # universal tags -> WordNet's
_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
BROADER = 2  # hypernym steps within which a word renders a broader or narrower one ("vehicle" for «автомобиль»)
# hypernym steps each side within which two words are of one kind: "meat" and "vegetable" meet at "food" two steps up
SIBLINGS = 2
# a hypernym this near the top of its hierarchy (steps from a root) is too general to make two words of one kind
# ("entity", "abstraction", "act"): many unrelated words meet there. Verbs' hierarchies are shallow: below a root
# ("change", "move", "make") they are of one kind. Adjectives and adverbs have none (only antonyms)
GENERAL = {"n": 4, "v": 1}
# one step from a sense to a sense that renders it: derived forms ("+"), pertainyms ("\\"), similar adjectives ("&"),
# see-also ("^"), verb groups ("$"), participles ("<"), entailment ("*") and cause (">"), and parts and wholes ("%p"
# "#p" …: a wing renders the building it is part of). Not attributes ("="): "high" and "low" share "height"
_NEAR = frozenset({"+", "\\", "&", "^", "$", "<", "*", ">", "%p", "%m", "%s", "#p", "#m", "#s"})
_UP = frozenset({"@", "@i"})  # hypernym, instance hypernym
_SIMILAR = frozenset({"&"})  # an adjective's cluster: its head and satellites
FREQUENT = 2  # senses of a word, most frequent first, that are compared as of one kind (a rare sense makes kin of all)
# the hypernyms of units and periods of time (not all of WordNet's "measure": money is one there)
_MEASURES = ("unit_of_measurement", "time_period")
# how WordNet's own morphology takes inflections off (what its exception lists do not hold)
_DETACH = {
    "n": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
          ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Synset:
    """One sense: its part of speech (``n``, ``v``, ``a``, ``r``; satellites read as ``a``), its words and its
    pointers (symbol, the other synset's key) to other senses."""

    key: tuple[str, int]  # part of speech and offset in its data file
    words: tuple[str, ...]
    pointers: tuple[tuple[str, tuple[str, int]], ...]

    def linked(self, symbols: Iterable[str]) -> list[tuple[str, int]]:
        """The keys of the synsets this one points to by any of ``symbols``."""
        wanted = frozenset(symbols)
        return [key for symbol, key in self.pointers if symbol in wanted]


class WordNet:
    """A WordNet database in Princeton's format under ``root``: the index read whole, each synset on first use."""

    def __init__(self, root: Path) -> None:
        # the index and data files whole, as bytes: a lemma is found by bisection in the sorted index, a synset
        # by its offset, so nothing is parsed before it is asked for
        self._index = {pos: (root / f"index.{name}").read_bytes() for pos, name in _FILES.items()}
        self._data = {pos: (root / f"data.{name}").read_bytes() for pos, name in _FILES.items()}
        self._exceptions: dict[str, dict[str, tuple[str, ...]]] = {}
        for pos, name in _FILES.items():
            exceptions: dict[str, tuple[str, ...]] = {}
            exc = root / f"{name}.exc"
            if exc.exists():
                for line in exc.read_text(encoding="utf-8").splitlines():
                    inflected, *bases = line.split()
                    exceptions[inflected] = tuple(bases)
            self._exceptions[pos] = exceptions
        self._offsets: dict[tuple[str, str], tuple[int, ...]] = {}
        self._synsets: dict[tuple[str, int], Synset] = {}
        self._depths: dict[tuple[str, int], int] = {}

    def offsets(self, lemma: str, pos: str) -> tuple[int, ...]:
        """The offsets of ``lemma``'s synsets as part of speech ``pos`` (none when the index does not list it)."""
        if (kept := self._offsets.get((lemma, pos))) is not None:
            return kept
        if not lemma.strip("_"):  # the key would match the licence's lines, which open with spaces
            return ()
        index, key = self._index[pos], lemma.encode("utf-8") + b" "
        low, high = 0, len(index)
        found: tuple[int, ...] = ()
        while low < high:  # bisect over line starts: the index is sorted by lemma, byte by byte
            middle = (low + high) // 2
            start = index.rfind(b"\n", 0, middle) + 1
            end = index.find(b"\n", start)
            end = len(index) if end < 0 else end
            line = index[start:end]
            if line.startswith(key):
                fields = line.split()
                found = tuple(int(f) for f in fields[len(fields) - int(fields[2]) :])
                break
            if line.startswith(b" ") or line < key:  # the licence, which opens the file, sorts first
                low = end + 1
            else:
                high = start
        self._offsets[(lemma, pos)] = found
        return found

    def lemmas(self, word: str, pos: str) -> list[str]:
        """The base forms WordNet lists for ``word`` (lower case, spaces as underscores) as part of speech ``pos``:
        the word itself, an irregular form's base, or the word with a regular ending taken off."""
        word = word.lower().replace(" ", "_")
        found = [word] if self.offsets(word, pos) else []
        found += [b for b in self._exceptions[pos].get(word, ()) if self.offsets(b, pos) and b not in found]
        for ending, base in _DETACH[pos]:
            if word.endswith(ending) and self.offsets(stem := word[: len(word) - len(ending)] + base, pos):
                found += [stem] if stem not in found else []
        return found

    def synsets(self, word: str, pos: str | None = None) -> list[Synset]:
        """The senses of ``word`` as part of speech ``pos`` (None: any)."""
        found = []
        for p in (pos,) if pos else _FILES:
            for lemma in self.lemmas(word, p):
                found += [self.synset((p, offset)) for offset in self.offsets(lemma, p)]
        return found

    def synset(self, key: tuple[str, int]) -> Synset:
        """The synset at ``key`` (part of speech, offset), read on first use."""
        if (kept := self._synsets.get(key)) is not None:
            return kept
        data = self._data[key[0]]
        line = data[key[1] : data.index(b"\n", key[1])].decode("utf-8").split(" | ")[0].split()
        count = int(line[3], 16)
        words = tuple(w.split("(")[0].lower() for w in line[4 : 4 + 2 * count : 2])  # "galore(ip)": a position mark
        n = 4 + 2 * count
        pointers = []
        for i in range(int(line[n])):
            symbol, offset, pos = line[n + 1 + 4 * i : n + 4 + 4 * i]
            pointers.append((symbol, ("a" if pos == "s" else pos, int(offset))))
        synset = Synset(key, words, tuple(pointers))
        self._synsets[key] = synset
        return synset

    def depth(self, key: tuple[str, int]) -> int:
        """Hypernym steps from ``key`` to the nearest root of its hierarchy."""
        if (kept := self._depths.get(key)) is not None:
            return kept
        self._depths[key] = 0  # a cycle, should the data hold one, ends here
        up = self.synset(key).linked(_UP)
        self._depths[key] = 1 + min(self.depth(k) for k in up) if up else 0
        return self._depths[key]

    def above(self, keys: Iterable[tuple[str, int]], steps: int) -> dict[tuple[str, int], int]:
        """The synsets at most ``steps`` hypernym steps above ``keys`` (themselves at 0), each with its fewest steps."""
        found = dict.fromkeys(keys, 0)
        todo = list(found)
        for step in range(1, steps + 1):
            todo = [k for key in todo for k in self.synset(key).linked(_UP) if k not in found]
            found |= dict.fromkeys(todo, step)
        return found

    def senses(self, word: str, pos: str | None = None, first: int | None = None) -> list[tuple[str, int]]:
        """The keys of ``word``'s senses as ``pos`` (None: any), the ``first`` most frequent only when given (WordNet
        lists a word's senses by how often they were met)."""
        found = [s.key for s in self.synsets(word, pos)]
        return found[:first] if first else found

    def _near(self, keys: Iterable[tuple[str, int]], symbols: frozenset[str] = _NEAR) -> set[tuple[str, int]]:
        found = set(keys)
        return found | {k for key in found for k in self.synset(key).linked(symbols)}

    def renders(self, word: str, pos: str, renderings: Iterable[str]) -> bool:
        """Whether ``word`` (part of speech ``pos``: ``n``, ``v``, ``a``, ``r``) may render what one of
        ``renderings`` (English words a dictionary gives for the source's word, any part of speech) says: a sense
        of the one is a sense of the other, within :data:`BROADER` hypernym steps of it, or one step aside by a
        relation that keeps the meaning (:data:`_NEAR`: derived, similar, a part or its whole)."""
        direct = set(self.senses(word, pos))
        ours = self._near(direct)
        for rendering in renderings:
            theirs = set(self.senses(rendering))
            # one step aside on one side only: two ("tea" and "coffee" both hold caffeine) make kin, not renderings
            if ours & theirs or direct & self._near(theirs):
                return True
            if theirs & self.above(ours, BROADER).keys() or direct & self.above(theirs, BROADER).keys():
                return True
        return False

    def opposes(self, word: str, pos: str, rendering: str) -> bool:
        """Whether ``word`` is an antonym of ``rendering`` (or of an adjective in its cluster: "foreign" and
        "internal" by "domestic")."""
        ours = self._near(self.senses(word, pos), _SIMILAR)
        antonyms = {k for key in ours for k in self.synset(key).linked({"!"})}
        return bool(antonyms & self._near(self.senses(rendering), _SIMILAR))

    def kin(self, word: str, pos: str, rendering: str) -> bool:
        """Whether ``word`` and ``rendering``, in their :data:`FREQUENT` most frequent senses as ``pos``, are of one
        kind: a hypernym within :data:`SIBLINGS` steps of both that is not too general (:data:`GENERAL`; "meat" and
        "vegetable" under "food")."""
        general = GENERAL.get(pos)
        ours, theirs = self.senses(word, pos, FREQUENT), self.senses(rendering, pos, FREQUENT)
        if general is None or not ours or not theirs:
            return False
        shared = self.above(ours, SIBLINGS).keys() & self.above(theirs, SIBLINGS).keys()
        return any(self.depth(k) >= general for k in shared)

    def measure(self, word: str, pos: str) -> bool:
        """Whether ``word``, in its :data:`FREQUENT` most frequent senses, is a unit or a period of time ("tonne",
        "winter"), which the number and time checks compare."""
        measures = {s.key for name in _MEASURES for s in self.synsets(name, "n")}
        return bool(measures & self.above(self.senses(word, pos, FREQUENT), 20).keys())


_LOADED: dict[Path, WordNet | None] = {}
_LOADING = threading.Lock()


def wordnet(root: Path = WORDNET) -> WordNet | None:
    """The WordNet database under ``root``, read once per process; None when it is not installed (the log says so
    once: install it with ``make system-deps``)."""
    with _LOADING:
        if root not in _LOADED:
            try:
                _LOADED[root] = WordNet(root)
            except OSError as exc:
                log.warning(
                    "no WordNet at %s (%s): a report word swapped for a near one is not looked for; install it with "
                    "`make system-deps` (Debian's wordnet-base)",
                    root,
                    exc.__class__.__name__,
                )
                _LOADED[root] = None
        return _LOADED[root]
