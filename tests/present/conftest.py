from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

XSS_TITLE = "<script>alert('title')</script>"
XSS_OUTLET = '"><img src=x onerror=alert(1)>'
XSS_URL = "javascript:alert(document.cookie)"
XSS_TEXT = (
    "\"<script>alert('quote')</script> is our answer,\" Anna Petrova said on Friday. "
    "She added that the <b onmouseover=alert(2)>border</b> talks would go on."
)


@pytest.fixture(scope="session")
def web_db(tmp_path_factory, demo_dir, extractor) -> str:
    """The demo corpus plus one hostile document, linked and with topics."""
    from onrecord import open_store
    from onrecord.analyse import identities, topics
    from onrecord.ingest import from_text
    from onrecord.pipeline import process, read_paths

    path = tmp_path_factory.mktemp("web") / "web.db"
    store = open_store(f"sqlite:///{path}")
    documents = [d for d in read_paths([str(demo_dir)]) if not isinstance(d, Exception)]
    documents.append(from_text(XSS_TEXT, title=XSS_TITLE, outlet=XSS_OUTLET, url=XSS_URL, date="2026-05-20"))
    for item in process(documents, extractor):
        store.add(item.document, item.statements, extractor.version)
    identities.import_registry(store, demo_dir.parent / "registry.yaml")
    topics.apply(store)
    store.close()
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def test_output() -> Path:
    """Where tests leave files to look at (screenshots): $ONRECORD_TEST_OUTPUT or build/test-output."""
    root = Path(os.environ.get("ONRECORD_TEST_OUTPUT", Path(__file__).resolve().parents[2] / "build" / "test-output"))
    root.mkdir(parents=True, exist_ok=True)
    return root


# -- the browser tests: a served database and headless Chromium -----------------------------------
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(web_db):
    """`onrecord serve` on the web database, in a process of its own, on a free port."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "onrecord.cli", "serve", "--db", web_db, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/api/topics", timeout=1)
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read().decode()) from None
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(10)
    process.stdout.close()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's package, driven by Playwright); the test skips without it."""
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.skip("Chromium not installed: `sudo make system-deps` installs it (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()
