"""Topics: what each statement is about, from a taxonomy file.

A statement's score for a topic is its best cosine similarity to the topic's description and
examples (sentence embeddings), raised when one of the topic's keywords occurs. A statement
can carry several topics. Embeddings are computed once per text and kept in the store.

English statements are embedded by the English model (``embedder``); a statement in another script
(Russian, issue 15) by the multilingual one, against the same English descriptions and examples, so
that it lands under the topics its English translation would. The multilingual model's similarities
sit higher and closer together, so they are mapped onto the English model's scale (a line fitted on
the labelled English set) and one set of thresholds serves both.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import yaml

from onrecord import safe_yaml
from onrecord.analyse.embed import MODEL_ID, MULTILINGUAL_MODEL_ID, Embed, embed_cached, embedder, multilingual_embedder
from onrecord.analyse.translation import cyrillic
from onrecord.errors import InputError
from onrecord.store import Store

# Calibrated on tests/analyse/data/topics.yaml (fictional statements labelled by hand).
MIN_SIMILARITY = 0.30  # below this, a keyword alone does not make a topic
KEYWORD_BONUS = 0.15
THRESHOLD = 0.40
MARGIN = 0.10  # a second topic must score within this of the best one
MAX_TOPICS = 3
# English-model cosine ~ a + b * multilingual cosine, fitted by least squares over every (statement,
# description or example) pair of tests/analyse/data/topics.yaml (English; correlation 0.77)
MULTILINGUAL_SCALE = (-2.504, 3.338)


@dataclass(frozen=True, slots=True)
class Topic:
    name: str
    description: str
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = field(init=False, compare=False, repr=False)  # the keywords, compiled once

    def __post_init__(self) -> None:
        parts = [re.escape(k.rstrip("*")) + (r"\w*" if k.endswith("*") else r"\b") for k in self.keywords]
        pattern = re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE) if parts else None
        object.__setattr__(self, "pattern", pattern)


@dataclass(frozen=True, slots=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    version: str  # a hash of the file's content: statements are re-scored when it changes

    def __getitem__(self, name: str) -> Topic:
        for topic in self.topics:
            if topic.name == name:
                return topic
        raise KeyError(name)


DEFAULT_TAXONOMY = files("onrecord.analyse") / "data" / "topics.yaml"


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The taxonomy in ``path`` (YAML: topic -> description, keywords, examples), or the default one.
    Parsed once per version of the file: pages and shifts ask for it on every call."""
    source = Path(str(path)) if path else DEFAULT_TAXONOMY
    try:
        raw = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(source), f"cannot read the taxonomy ({exc})") from exc
    return _parse_taxonomy(raw, str(source))


@lru_cache(maxsize=8)
def _parse_taxonomy(raw: str, source: str) -> Taxonomy:
    try:
        data = safe_yaml.load(raw)
    except yaml.YAMLError as exc:
        raise InputError(source, f"the taxonomy is not valid YAML ({str(exc).splitlines()[0]})") from exc
    if not isinstance(data, dict) or not data:
        raise InputError(source, "a taxonomy maps each topic name to its description, keywords and examples")
    topics = []
    for name, entry in data.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("description"), str):
            raise InputError(source, f"topic {name!r} needs a description")
        topics.append(
            Topic(
                str(name),
                entry["description"],
                tuple(str(k) for k in entry.get("keywords") or ()),
                tuple(str(e) for e in entry.get("examples") or ()),
            )
        )
    return Taxonomy(tuple(topics), hashlib.sha1(raw.encode()).hexdigest()[:16])


class TopicModel:
    """Scores texts against a taxonomy; ``multilingual`` for texts not in English (issue 15)."""

    def __init__(self, taxonomy: Taxonomy, embed: Embed | None = None, *, multilingual: bool = False) -> None:
        self.taxonomy = taxonomy
        self.embed: Embed = embed or (multilingual_embedder() if multilingual else embedder())
        self.model = MULTILINGUAL_MODEL_ID if multilingual else MODEL_ID  # the key of its cached vectors
        self.scale = MULTILINGUAL_SCALE if multilingual else (0.0, 1.0)
        self.patterns = [t.pattern for t in taxonomy.topics]
        # the English model reads English only: examples in another script are for the multilingual one
        prototypes = [
            [t.description, *(e for e in t.examples if multilingual or not cyrillic(e))] for t in taxonomy.topics
        ]
        vectors = self.embed([p for group in prototypes for p in group])
        self.owner = np.repeat(np.arange(len(prototypes)), [len(g) for g in prototypes])
        self.prototypes = vectors

    def scores(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """[texts, topics] scores in 0..1."""
        similarity = self.scale[0] + self.scale[1] * (vectors @ self.prototypes.T)
        best = np.full((len(texts), len(self.taxonomy.topics)), -1.0, dtype=np.float32)
        for topic in range(len(self.taxonomy.topics)):
            best[:, topic] = similarity[:, self.owner == topic].max(axis=1)
        for topic, pattern in enumerate(self.patterns):
            if pattern is None:
                continue
            hits = np.array([pattern.search(t) is not None for t in texts])
            best[:, topic] += np.where(hits & (best[:, topic] >= MIN_SIMILARITY), KEYWORD_BONUS, 0.0)
        return np.clip(best, 0.0, 1.0)

    def assign(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> list[list[tuple[str, float]]]:
        """Each text's topics, best first: at most ``MAX_TOPICS``, scoring at least ``THRESHOLD`` and
        within ``MARGIN`` of the text's best topic."""
        if vectors is None:
            vectors = self.embed(list(texts))
        scores = self.scores(texts, vectors)
        names = [t.name for t in self.taxonomy.topics]
        found = []
        for row in scores:
            order = np.argsort(-row)[:MAX_TOPICS]
            floor = max(THRESHOLD, row[order[0]] - MARGIN)
            found.append([(names[i], round(float(row[i]), 3)) for i in order if row[i] >= floor])
        return found


def apply(
    store: Store,
    taxonomy: Taxonomy | None = None,
    *,
    batch: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Give topics to every statement not yet scored with this taxonomy; returns how many were scored."""
    taxonomy = taxonomy or load_taxonomy()
    as_of = store.data_version()
    todo = store.statements_for_topics(taxonomy.version)
    if not todo:
        store.finished("topics", as_of)
        return 0
    models: dict[bool, TopicModel] = {}  # by "not English": each model loaded when first needed
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        found: dict[int, list[tuple[str, float]]] = {}
        for other in (False, True):
            part = [(i, content) for i, content in chunk if cyrillic(content) is other]
            if not part:
                continue
            if other not in models:
                models[other] = TopicModel(taxonomy, multilingual=other)
            model, texts = models[other], [content for _, content in part]
            assigned = model.assign(texts, embed_cached(store, texts, model.embed, model.model))
            found.update({i: f for (i, _), f in zip(part, assigned, strict=True)})
        store.save_topics(found, taxonomy.version)
        if progress:
            progress(min(start + batch, len(todo)), len(todo))
    store.finished("topics", as_of)
    return len(todo)
