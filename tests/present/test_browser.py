"""End to end in headless Chromium (Debian's package, driven by Playwright): the pages as a reader
sees them. Screenshots of each page go to build/test-output/ (or $ONRECORD_TEST_OUTPUT)."""

from __future__ import annotations

import pytest


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.dialogs = dialogs
    yield tab
    assert not dialogs, f"a script ran: {dialogs}"
    context.close()


def test_search_then_open_a_speaker_and_see_the_chart(server, page, test_output):
    page.goto(server + "/")
    page.screenshot(path=str(test_output / "home.png"), full_page=True)
    page.fill("header input[name=q]", "talks")
    page.click("header button")
    page.wait_for_url("**/search?q=talks")
    assert page.locator("#results li.statement").count() >= 5
    page.screenshot(path=str(test_output / "search.png"), full_page=True)
    page.locator("#results a.who", has_text="Anna Petrova").first.click()
    page.wait_for_url("**/speakers/Anna%20Petrova")
    chart = page.locator("#chart")
    chart.wait_for()
    assert page.evaluate("document.querySelector('#chart').naturalWidth") > 300
    assert "foreign minister of Ruritania" in page.inner_text("main")
    assert page.locator(".shifts li").count() >= 1
    page.screenshot(path=str(test_output / "speaker.png"), full_page=True)


def test_a_document_shows_its_statements_highlighted(server, page, test_output):
    page.goto(server + "/documents/1")
    marks = page.locator("article mark.st")
    assert marks.count() >= 5
    first = marks.first
    assert "Anna Petrova" in first.get_attribute("title")
    colour = first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert colour not in {"rgba(0, 0, 0, 0)", "transparent"}
    page.screenshot(path=str(test_output / "document.png"), full_page=True)
    page.goto(server + "/documents/5")  # a commentary: the writer's voice looks different
    author = page.locator("article mark.k-author").first
    assert author.evaluate("m => getComputedStyle(m).fontStyle") == "italic"
    page.screenshot(path=str(test_output / "commentary.png"), full_page=True)


def test_topic_and_brief_pages(server, page, test_output):
    page.goto(server + "/topics/peace%20negotiations")
    assert page.locator("table.heat tbody tr").count() >= 2
    page.screenshot(path=str(test_output / "topic.png"), full_page=True)
    page.goto(server + "/brief?speaker=Anna%20Petrova")
    assert "What is new" in page.inner_text("main")
    page.screenshot(path=str(test_output / "brief.png"), full_page=True)


def test_hostile_text_renders_as_text(server, page, test_output):
    from .conftest import XSS_OUTLET, XSS_TITLE

    page.goto(server + "/api/documents?limit=100")
    doc_id = next(d["id"] for d in __import__("json").loads(page.inner_text("body")) if d["title"] == XSS_TITLE)
    page.goto(f"{server}/documents/{doc_id}")
    text = page.inner_text("main")
    assert XSS_TITLE in text and XSS_OUTLET in text and "<script>alert('quote')</script>" in text
    assert page.locator("main script, main img").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    page.locator("article").hover()
    page.screenshot(path=str(test_output / "hostile.png"), full_page=True)
    page.goto(server + "/search?q=answer")
    assert "<script>alert('quote')</script>" in page.inner_text("#results")
