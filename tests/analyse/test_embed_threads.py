"""The embedding models run on one thread: their thread pools spin while waiting for each other, which on
shared cores costs more CPU and time than the second thread saves (analyse/embed.py)."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from onrecord.analyse.embed import Embedder, MultilingualEmbedder

SENTENCES = ["Переговоры возобновятся в мае.", "The talks will resume in May.", "Цены на газ не вырастут."]


def _openmp_threads() -> set[int]:
    return {info["num_threads"] for info in threadpool_info() if info["user_api"] == "openmp"}


def test_the_multilingual_engine_runs_on_one_openmp_thread_inside_a_call_and_as_before_after() -> None:
    model = MultilingualEmbedder()
    model(SENTENCES[:1])  # the engine's OpenMP is loaded on first use
    before = _openmp_threads()
    seen: list[set[int]] = []
    encode, sparse = model._encode, model._sparse

    def watched(function):
        def call(*args, **kwargs):
            seen.append(_openmp_threads())
            return function(*args, **kwargs)

        return call

    model._encode, model._sparse = watched(encode), watched(sparse)
    vectors = model(SENTENCES, "passage")
    concepts = model.concepts(SENTENCES)
    assert seen == [{1}, {1}]
    assert _openmp_threads() == before
    # the same vectors as the engine gives on its own threads
    direct = np.asarray(encode(SENTENCES, is_query=False), dtype=np.float32)
    direct /= np.linalg.norm(direct, axis=1, keepdims=True)
    assert np.allclose(vectors, direct, atol=1e-5)
    assert concepts.shape[0] == len(SENTENCES)


def test_the_sentence_model_session_has_one_thread_unless_asked() -> None:
    assert Embedder().session.get_session_options().intra_op_num_threads == 1
    assert Embedder(threads=2).session.get_session_options().intra_op_num_threads == 2


@pytest.mark.parametrize("threads", [1, 2])
def test_the_sentence_vectors_do_not_depend_on_the_threads(threads: int) -> None:
    assert np.allclose(Embedder(threads=threads)(SENTENCES), Embedder(threads=1)(SENTENCES), atol=1e-5)
