from __future__ import annotations

import os
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
