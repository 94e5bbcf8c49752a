"""The embedding models' threads wait asleep, not spinning: spinning threads on cores shared with other work cost
more CPU and time than a second thread saves (analyse/embed.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from onrecord.analyse.embed import Embedder

SENTENCES = ["Переговоры возобновятся в мае.", "The talks will resume in May.", "Цены на газ не вырастут."]


def test_the_sentence_model_has_two_threads_that_do_not_spin() -> None:
    options = Embedder().session.get_session_options()
    assert options.intra_op_num_threads == 2
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"


def test_the_sentence_vectors_do_not_depend_on_the_threads() -> None:
    assert np.allclose(Embedder(threads=2)(SENTENCES), Embedder(threads=1)(SENTENCES), atol=1e-5)


# in a fresh interpreter: the wait policy must be set before the engine's OpenMP library loads
_POLICY = """
import os, sys
from onrecord.analyse.embed import MultilingualEmbedder
model = MultilingualEmbedder()
model(["Переговоры возобновятся в мае."])
print(os.environ.get("OMP_WAIT_POLICY"))
"""


def _policy(env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", _POLICY], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_the_multilingual_engine_waits_asleep_unless_the_user_says_otherwise() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    assert _policy(env) == "PASSIVE"
    assert _policy({**env, "OMP_WAIT_POLICY": "ACTIVE"}) == "ACTIVE"
