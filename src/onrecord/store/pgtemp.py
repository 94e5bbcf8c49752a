"""A throwaway PostgreSQL server on 127.0.0.1 in a temporary directory, for tests and benchmarks.

Uses Debian's binaries (``/usr/lib/postgresql/<version>/bin``); as root, runs them as the
``postgres`` user (initdb refuses root). Started in about a second, stopped and deleted on exit.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


@contextmanager
def temporary_server() -> Iterator[str]:
    """Yields the URL of a fresh server (database ``postgres``, user ``postgres``, no password)."""
    bin_dir = binaries()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL is not installed; `make system-deps` installs it")
    root = Path(tempfile.mkdtemp(prefix="onrecord-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = root / "data"

    def run(*args: object) -> None:
        subprocess.run([*as_postgres, *map(str, args)], check=True, capture_output=True)

    try:
        run(bin_dir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off -c full_page_writes=off"
        run(bin_dir / "pg_ctl", "-D", data, "-l", root / "log", "-w", "-o", options, "start")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            run(bin_dir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)
