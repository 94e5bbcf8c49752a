"""Session fixtures: one spaCy load for the whole run; shared data located or skipped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"


@pytest.fixture(scope="session")
def extractor():
    from onrecord.pipeline import default_extractor

    return default_extractor()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = Path(os.environ.get("ONRECORD_SHARED_DATA", ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.skip(f"shared data not found at {path} (set ONRECORD_SHARED_DATA to its folder)")
    return path


@pytest.fixture()
def store(tmp_path):
    from onrecord import open_store

    s = open_store(f"sqlite:///{tmp_path / 'test.db'}")
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO
