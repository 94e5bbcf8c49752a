"""Accuracy gates: pinned floors on gold sets, so accuracy can only go up.

Each floor belongs to one version of its gold set (pinned by hash): a changed gold set must
be re-measured with ``onrecord eval`` and its floors set again, never lowered to pass.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from onrecord.evaluate import evaluate, read_gold, read_polnear

GOLD_DIR = Path(__file__).resolve().parents[1] / "gold"

# every gold set under tests/gold/, with the hash of the version its floors were measured on and
# its floors (both50 matching): F1, speaker-mention agreement, resolved-name accuracy, kind accuracy,
# and the fewest statements it must hold. A new set fails here until it is measured and pinned.
FLOORS: dict[str, tuple[str, dict[str, float]]] = {
    "statements.yaml": (
        "de288a66a071d16b",
        {"statements": 30, "f1": 0.95, "speaker": 0.95, "name": 0.95, "kind": 0.95},
    ),
    # issue 13, one record per rule of speaker names: every name right
    "names.yaml": ("b9928d4ee0a93d5b", {"statements": 18, "f1": 1.0, "speaker": 1.0, "name": 1.0, "kind": 1.0}),
    # issue 13, error kinds 1 and 2: what nobody said, acts (think/intend/show) and whole contents
    "acts.yaml": (
        "6bf3f0c02d6566f7",
        {"statements": 13, "f1": 1.0, "speaker": 1.0, "name": 1.0, "kind": 1.0, "act": 1.0},
    ),
    # issue 15, Russian: every construction of the Russian rules; written alongside them, so a regression
    # gate, not a benchmark (measured 1.00 / 0.979 / 0.977 / 1.00; document 20 holds the kinds the held-out
    # set showed missing, in other words)
    "ru_statements.yaml": (
        "3203cb0444fb9b37",
        {"statements": 96, "f1": 1.0, "speaker": 0.97, "name": 0.97, "kind": 1.0},
    ),
    # issue 15, Russian, held out: written and annotated before the extractor ran on it. Its misses were
    # then fixed by kind (impersonal institutions, objects before the verb, a place run into a name, a bare
    # title, "Сам X"), so it is held out no longer (first measured F1 0.960, name 0.905; now 1.00 / 1.00)
    "ru_heldout.yaml": (
        "8f7399b12acba68b",
        {"statements": 26, "f1": 1.0, "speaker": 1.0, "name": 1.0, "kind": 1.0},
    ),
}


def test_every_gold_set_has_floors():
    found = sorted(p.name for p in GOLD_DIR.glob("*.yaml"))
    assert "statements.yaml" in found and "names.yaml" in found
    missing = [name for name in found if name not in FLOORS]
    assert not missing, f"gold sets without floors: {missing}: measure with `onrecord eval gold` and pin them"


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_gold_set_floors(name):
    path = GOLD_DIR / name
    digest, floors = FLOORS[name]
    assert hashlib.sha256(path.read_bytes()).hexdigest().startswith(digest), (
        f"tests/gold/{name} changed: re-measure with `onrecord eval gold` and pin the new hash and floors"
    )
    docs = list(read_gold(path))
    assert sum(len(d.statements) for d in docs) >= floors["statements"]
    score = evaluate(docs)["both50"]
    assert score.f1 >= floors["f1"]
    assert score.speaker_agreement >= floors["speaker"]
    assert score.name_accuracy is not None and score.name_accuracy >= floors["name"]
    assert score.kind_accuracy is not None and score.kind_accuracy >= floors["kind"]
    if "act" in floors:  # a set whose statements name their act
        assert score.act_accuracy is not None and score.act_accuracy >= floors["act"]


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
