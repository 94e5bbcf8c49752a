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


# -- PostgreSQL: a throwaway server for the session, or the one in $ONRECORD_TEST_PG -----------
def _pg_binaries() -> Path | None:
    import glob

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory):
    """A PostgreSQL server on 127.0.0.1 in a temporary data directory, stopped at the end."""
    import shutil
    import socket
    import subprocess
    import tempfile

    if url := os.environ.get("ONRECORD_TEST_PG"):
        yield url
        return
    bin_dir = _pg_binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed: `make system-deps` installs it (or set ONRECORD_TEST_PG)")
    root = Path(tempfile.mkdtemp(prefix="onrecord-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(root, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = {"check": True, "capture_output": True}
    subprocess.run([*as_postgres, bin_dir / "initdb", "-D", root / "data", "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--no-sync"], **run)  # fmt: skip
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off -c full_page_writes=off"
    subprocess.run([*as_postgres, bin_dir / "pg_ctl", "-D", root / "data", "-l", root / "log", "-w", "-o", options,
                    "start"], **run)  # fmt: skip
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, bin_dir / "pg_ctl", "-D", root / "data", "-m", "fast", "-w", "stop"], **run)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture()
def pg_url(pg_server):
    """A fresh, empty database on the session's server."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = pg_server.replace("postgresql://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield admin.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
