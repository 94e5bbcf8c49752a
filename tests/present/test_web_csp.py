"""The Content-Security-Policy as a browser applies it: every page renders with nothing refused
(no inline script or style the policy would block), and the styles that used to be inline
(the topic heat map, the trace table) still apply. Headless Chromium, as in test_browser."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from .test_browser import ARGS, CHROMIUM, pytestmark  # noqa: F401 - the same skip without Chromium

PAGES = [
    "/",
    "/search?q=talks",
    "/speakers/Anna%20Petrova",
    "/topics/peace%20negotiations",
    "/documents/1",
    "/documents/1/trace",
    "/brief?speaker=Anna%20Petrova",
    "/no/such/page",
]


@pytest.fixture(scope="module")
def server(web_db):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = f"from onrecord.web import create_app, run; run(create_app({web_db!r}), port={port})"
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/api/topics", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("path", PAGES)
def test_nothing_on_a_page_is_refused_by_the_policy(server, browser, path):
    context = browser.new_context()
    tab = context.new_page()
    refused: list[str] = []
    tab.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    tab.goto(server + path)
    tab.wait_for_load_state("load")
    context.close()
    assert not refused, refused


def test_styles_that_were_inline_still_apply(server, browser):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(server + "/topics/peace%20negotiations")
    colours = tab.eval_on_selector_all(
        ".heat td[class^=l]", "cells => cells.map(c => getComputedStyle(c).backgroundColor)"
    )
    assert any(c not in ("rgba(0, 0, 0, 0)", "transparent") for c in colours)
    tab.goto(server + "/documents/1/trace")
    assert tab.eval_on_selector(".trace", "t => getComputedStyle(t).borderCollapse") == "collapse"
    context.close()
