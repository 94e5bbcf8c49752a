"""Faster, exact stand-ins for two of the English pipeline's components (issue 17).

``en_core_web_sm``'s attribute ruler runs a Matcher over every token and its lemmatizer is a
Python loop over every token; together they cost as much as its parser. Both give each token a
result that depends only on a few of its attributes (and, for a handful of two-token patterns,
its neighbour's). So each distinct token is worked out once, by the same patterns and the same
lemmatizer, and the results are written to the whole ``Doc`` with arrays. The output is the
original components' own, token for token (``tests/extract/test_components.py`` checks it);
a pipeline whose patterns use anything else keeps its own components.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.lookups import Lookups, Table
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.util import minibatch

# the token attributes a pattern may test here: read by Doc.to_array, as strings or as flags
_STRING_ATTRS = frozenset({"ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "SHAPE", "ENT_TYPE"})
_FLAG_ATTRS = frozenset({"IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_TITLE", "IS_UPPER", "IS_LOWER"})

Predicate = Callable[[Any], bool]


class Unsupported(ValueError):
    """A pattern uses what the stand-in does not evaluate: keep the original component."""


def _predicate(spec: object) -> Predicate | frozenset[object]:
    """A token-pattern value as the Matcher reads it: the values it allows (equality, ``IN``),
    or a test (``NOT_IN``, ``REGEX``, or several)."""
    if isinstance(spec, (str, bool)):
        return frozenset([spec])
    if isinstance(spec, dict) and set(spec) == {"IN"}:
        return frozenset(spec["IN"])
    if isinstance(spec, dict) and spec and set(spec) <= {"IN", "NOT_IN", "REGEX"}:
        tests: list[Predicate] = []
        if "IN" in spec:
            allowed = frozenset(spec["IN"])
            tests.append(lambda value: value in allowed)
        if "NOT_IN" in spec:
            barred = frozenset(spec["NOT_IN"])
            tests.append(lambda value: value not in barred)
        if "REGEX" in spec:
            search = re.compile(spec["REGEX"]).search
            tests.append(lambda value: bool(search(value)))
        return lambda value: all(test(value) for test in tests)
    raise Unsupported(f"pattern value {spec!r}")


class _FieldTests:
    """What every token of every pattern asks of one attribute, to be answered once per value."""

    def __init__(self, specs: Sequence[dict[str, object]], name: str) -> None:
        self.untested = np.array([name not in spec for spec in specs])
        self.allowing: dict[object, list[int]] = {}  # value -> the parts that allow it
        self.tests: list[tuple[int, Predicate]] = []
        for part, spec in enumerate(specs):
            if name in spec:
                found = _predicate(spec[name])
                if isinstance(found, frozenset):
                    for value in found:
                        self.allowing.setdefault(value, []).append(part)
                else:
                    self.tests.append((part, found))

    def passing(self, value: object) -> np.ndarray:
        passes = self.untested.copy()
        passes[self.allowing.get(value, [])] = True
        for part, test in self.tests:
            passes[part] = test(value)
        return passes


def _columns(doc: Doc, attrs: Sequence[int]) -> np.ndarray:
    return doc.to_array(list(attrs)).reshape(len(doc), len(attrs))


class _Batched:
    """A component that annotates a batch of docs at once: numpy's cost per call would weigh on
    the short runs of a selective parse."""

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for batch in minibatch(docs, batch_size):
            self._annotate(batch)
            yield from batch

    def _annotate(self, docs: list[Doc]) -> None:
        raise NotImplementedError

    @staticmethod
    def _stacked(docs: list[Doc], attrs: Sequence[int]) -> tuple[list[int], np.ndarray, np.ndarray]:
        """The docs' lengths, each token's doc, and their ``attrs`` one doc after the other."""
        sizes = [len(doc) for doc in docs]
        return sizes, np.repeat(np.arange(len(docs)), sizes), np.concatenate([_columns(doc, attrs) for doc in docs])

    @staticmethod
    def _write(docs: list[Doc], sizes: list[int], attrs: Sequence[int], table: np.ndarray) -> None:
        for doc, part in zip(docs, np.split(table, np.cumsum(sizes)[:-1]), strict=True):
            doc.from_array(list(attrs), part)


class RuleTable(_Batched):
    """An attribute ruler's patterns, tested once per distinct value of each attribute they read
    and applied to a whole ``Doc`` as arrays, in the ruler's order: where two of its entries set
    one token, the later wins (the ruler sorts its matches by entry)."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.strings = ruler.vocab.strings
        entries = ruler.patterns
        sets: list[dict[int, int]] = [dict(attrs) for attrs in ruler.attrs]  # attribute id -> value
        if len(sets) != len(entries):
            raise Unsupported("patterns and attributes differ in number")
        names = {name for entry in entries for pattern in entry["patterns"] for token in pattern for name in token}
        if not names <= _STRING_ATTRS | _FLAG_ATTRS:
            raise Unsupported(f"token attributes {sorted(names - _STRING_ATTRS - _FLAG_ATTRS)}")
        self.fields = sorted(names)
        self.read = [IDS[name] for name in self.fields]
        self.flags = [name in _FLAG_ATTRS for name in self.fields]
        self.write = sorted({attr for attrs in sets for attr in attrs})
        specs: list[dict[str, object]] = []  # every token of every pattern: a part
        self.rules: list[tuple[list[int], int]] = []  # a pattern, in entry order: its parts, the token it sets
        setters: list[list[tuple[int, int]]] = [[] for _ in self.write]  # column -> (rule, value)
        for n, entry in enumerate(entries):
            for pattern in entry["patterns"]:
                index = entry.get("index", 0)
                if not -len(pattern) <= index < len(pattern):
                    raise Unsupported(f"index {index} outside {pattern!r}")
                for attr, value in sets[n].items():
                    setters[self.write.index(attr)].append((len(self.rules), value))
                self.rules.append((list(range(len(specs), len(specs) + len(pattern))), index % len(pattern)))
                specs += pattern
        self.parts = len(specs)
        self.one_token = [r for r, (parts, _) in enumerate(self.rules) if len(parts) == 1]
        self.one_token_parts = [self.rules[r][0][0] for r in self.one_token]
        self.several_tokens = [r for r, (parts, _) in enumerate(self.rules) if len(parts) > 1]
        self.tests = [_FieldTests(specs, name) for name in self.fields]
        self.setters = [
            (np.array([r for r, _ in found], dtype=np.intp), np.array([v for _, v in found], dtype=np.uint64))
            for found in setters
        ]
        self._passes: list[dict[int, np.ndarray]] = [{} for _ in self.fields]  # raw value -> parts it passes

    def _passing(self, field: int, raw: int) -> np.ndarray:
        found = self._passes[field].get(raw)
        if found is None:
            value = bool(raw) if self.flags[field] else self.strings[raw]
            found = self._passes[field][raw] = self.tests[field].passing(value)
        return found

    def _annotate(self, docs: list[Doc]) -> None:
        docs = [doc for doc in docs if len(doc)]
        if not docs:
            return
        sizes, owner, table = self._stacked(docs, self.read)
        size = len(owner)
        match = np.ones((size, self.parts), dtype=bool)  # token x part
        for field in range(len(self.fields)):
            values, inverse = np.unique(table[:, field], return_inverse=True)
            match &= np.stack([self._passing(field, raw) for raw in values.tolist()])[inverse.reshape(-1)]
        applies = np.zeros((size, len(self.rules)), dtype=bool)  # token x rule that sets it
        applies[:, self.one_token] = match[:, self.one_token_parts]
        for r in self.several_tokens:
            parts, index = self.rules[r]
            width = len(parts)
            if width <= size:
                starts = owner[: size - width + 1] == owner[width - 1 :]  # within one doc
                for j, part in enumerate(parts):
                    starts &= match[j : size - width + 1 + j, part]
                applies[index : index + len(starts), r] = starts
        _, _, out = self._stacked(docs, self.write)
        for column, (rules, values) in enumerate(self.setters):
            hits = applies[:, rules]
            last = len(rules) - 1 - np.argmax(hits[:, ::-1], axis=1)
            out[:, column] = np.where(hits.any(axis=1), values[last], out[:, column])
        self._write(docs, sizes, self.write, out)


class Lemmas(_Batched):
    """A rule lemmatizer's lemmas, worked out once per distinct form, part of speech and
    morphology (all a rule lemma depends on), and written to the ``Doc`` as an array."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        if lemmatizer.mode != "rule":
            raise Unsupported(f"lemmatizer mode {lemmatizer.mode!r}")
        self.lemmatizer = _indexed(lemmatizer)
        self.strings = lemmatizer.vocab.strings
        self.overwrite = lemmatizer.overwrite
        self._known: dict[tuple[int, ...], int] = {}

    def _annotate(self, docs: list[Doc]) -> None:
        docs = [doc for doc in docs if len(doc)]
        if not docs:
            return
        sizes, owner, table = self._stacked(docs, [LEMMA, ORTH, POS, MORPH])
        position = np.concatenate([np.arange(n) for n in sizes])
        todo = np.flatnonzero(np.ones(len(table), dtype=bool) if self.overwrite else table[:, 0] == 0)
        keys = np.ascontiguousarray(table[todo, 1:])
        # one row of three numbers as one value, for np.unique
        rows = keys.view(np.dtype((np.void, keys.dtype.itemsize * keys.shape[1]))).reshape(-1)
        _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
        found = np.array(
            [self._lemma(tuple(keys[i].tolist()), docs[owner[todo[i]]], position[todo[i]]) for i in first.tolist()],
            dtype=np.uint64,
        )
        table[todo, 0] = found[inverse.reshape(-1)]
        self._write(docs, sizes, [LEMMA], table[:, :1])

    def _lemma(self, key: tuple[int, ...], doc: Doc, i: int) -> int:
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
        return found


def _indexed(lemmatizer: Lemmatizer) -> Lemmatizer:
    """A copy of ``lemmatizer`` whose word index is a set: spaCy's rule lemmatizer asks whether a
    candidate form is in its index, a list of up to 57,000 words searched end to end for each new
    word (most of the lemmatizer's cost). Only that test reads the index, and a set answers it
    alike; the original keeps its tables. A lemmatizer with its own rules keeps its index."""
    kind = type(lemmatizer)
    if kind.rule_lemmatize is not Lemmatizer.rule_lemmatize or "lemma_index" not in lemmatizer.lookups:
        return lemmatizer
    copy = kind(lemmatizer.vocab, lemmatizer.model, lemmatizer.name, mode="rule", overwrite=lemmatizer.overwrite)
    lookups = Lookups()
    for name in lemmatizer.lookups.tables:
        table = lemmatizer.lookups.get_table(name)
        if name == "lemma_index":
            table = Table(name, {pos: frozenset(words) for pos, words in table.items()})
        lookups.set_table(name, table)
    copy.lookups = lookups
    return copy


def _standin(component: object) -> object:
    try:
        if isinstance(component, AttributeRuler):
            return RuleTable(component)
        if isinstance(component, Lemmatizer):
            return Lemmas(component)
    except Unsupported:
        pass
    return component


def components(nlp: Language) -> list[tuple[str, object]]:
    """``nlp``'s pipeline, in order, with the stand-ins in place of its attribute ruler and rule
    lemmatizer (where their patterns allow). ``nlp`` itself is left as it is."""
    return [(name, _standin(component)) for name, component in nlp.pipeline]
