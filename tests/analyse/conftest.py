from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def load_demo(url: str, demo_dir: Path, extractor) -> None:
    """The demo corpus ingested in bulk (speakers linked, topics scored) with the demo registry imported."""
    from onrecord import open_store
    from onrecord.analyse import identities, topics
    from onrecord.pipeline import process, read_paths

    store = open_store(url)
    documents = [d for d in read_paths([str(demo_dir)]) if not isinstance(d, Exception)]
    store.add_many([(item.document, item.statements) for item in process(documents, extractor)], extractor.version)
    identities.import_registry(store, demo_dir.parent / "registry.yaml")
    topics.apply(store)
    store.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, demo_dir, extractor):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    load_demo(f"sqlite:///{path}", demo_dir, extractor)
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_store(request, demo_db, tmp_path, demo_dir, extractor):
    """A private copy of the demo database, free to change: SQLite, then PostgreSQL."""
    import shutil

    from onrecord import open_store

    if request.param == "sqlite":
        copy = tmp_path / "demo.db"
        shutil.copy(demo_db, copy)
        url = f"sqlite:///{copy}"
    else:
        url = request.getfixturevalue("pg_url")
        load_demo(url, demo_dir, extractor)
    store = open_store(url)
    yield store
    store.close()
