"""The Content-Security-Policy as a browser applies it: every page renders with nothing refused
(no inline script or style the policy would block), and the styles that used to be inline
(the topic heat map, the trace table) still apply. Headless Chromium, as in test_browser."""

from __future__ import annotations

import pytest

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
