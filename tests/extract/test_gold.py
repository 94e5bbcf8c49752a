"""Accuracy gates: pinned floors on gold sets, so accuracy can only go up.

Each floor belongs to one version of its gold set (pinned by hash): a changed gold set must
be re-measured with ``onrecord eval`` and its floors set again, never lowered to pass.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from onrecord.evaluate import evaluate, read_gold, read_polnear

GOLD = Path(__file__).resolve().parents[1] / "gold" / "statements.yaml"
GOLD_SHA256 = "de288a66a071d16b"


def test_own_gold_set_floors():
    assert hashlib.sha256(GOLD.read_bytes()).hexdigest().startswith(GOLD_SHA256), (
        "tests/gold/statements.yaml changed: re-measure with `onrecord eval gold` and pin the new hash and floors"
    )
    docs = list(read_gold(GOLD))
    assert sum(len(d.statements) for d in docs) >= 30
    score = evaluate(docs)["both50"]
    assert score.f1 >= 0.95
    assert score.speaker_agreement >= 0.95
    assert score.name_accuracy is not None and score.name_accuracy >= 0.95
    assert score.kind_accuracy is not None and score.kind_accuracy >= 0.95


def _fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted((folder / "attributions").glob("*.ann")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.mark.shared_data
def test_polnear_dev_floors(shared_data):
    dev = shared_data / "polnear" / "dev"
    if not dev.is_dir():
        pytest.skip(f"PolNeAR dev split not found at {dev}")
    assert _fingerprint(dev).startswith("54f770f671ced85c"), "PolNeAR dev changed: re-measure and pin new floors"
    scores = evaluate(read_polnear(dev))
    assert scores["both50"].f1 >= 0.67
    assert scores["both50"].precision >= 0.745
    assert scores["both50"].speaker_agreement >= 0.88
    assert scores["overlap30"].f1 >= 0.74
