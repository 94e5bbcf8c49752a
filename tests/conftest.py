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


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """An empty store, once on SQLite and once on PostgreSQL."""
    from onrecord import open_store

    url = f"sqlite:///{tmp_path / 'test.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    s = open_store(url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO


@pytest.fixture(scope="session")
def demo_count(demo_dir) -> int:
    """How many documents the demo corpus holds (a feed holds several), so tests don't pin it."""
    from onrecord.model import Document
    from onrecord.pipeline import read_paths

    return sum(isinstance(d, Document) for d in read_paths([str(demo_dir)]))


# -- PostgreSQL: a throwaway server for the session, or the one in $ONRECORD_TEST_PG -----------
@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server on 127.0.0.1 in a temporary data directory, stopped at the end."""
    from onrecord.store.pgtemp import binaries, temporary_server

    if url := os.environ.get("ONRECORD_TEST_PG"):
        yield url
        return
    if binaries() is None:
        pytest.skip("PostgreSQL is not installed: `make system-deps` installs it (or set ONRECORD_TEST_PG)")
    with temporary_server() as url:
        yield url


@pytest.fixture()
def pg_url(pg_server):
    """A fresh, empty database on the session's server."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = pg_server
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield admin.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- a local HTTP server for the fetch and watch tests (issue 16): nothing leaves the machine -----
@pytest.fixture()
def web_server():
    """A threaded HTTP server on 127.0.0.1 (a slow handler cannot block the next request); paths
    with no handler answer 404, as a site without robots.txt would."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.no_handler_status_code = 404
    server.start()
    yield server
    server.clear()
    server.stop()
