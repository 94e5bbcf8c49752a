from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, demo_dir, extractor):
    """The demo corpus ingested (speakers linked, topics scored) with the demo registry imported."""
    from onrecord import open_store
    from onrecord.analyse import identities, topics
    from onrecord.pipeline import process, read_paths

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = open_store(f"sqlite:///{path}")
    for item in process([d for d in read_paths([str(demo_dir)]) if not isinstance(d, Exception)], extractor):
        store.add(item.document, item.statements, extractor.version)
    identities.import_registry(store, demo_dir.parent / "registry.yaml")
    topics.apply(store)
    store.close()
    return path


@pytest.fixture()
def demo_store(demo_db, tmp_path):
    """A private copy of the demo database, free to change."""
    import shutil

    from onrecord import open_store

    copy = tmp_path / "demo.db"
    shutil.copy(demo_db, copy)
    store = open_store(f"sqlite:///{copy}")
    yield store
    store.close()
