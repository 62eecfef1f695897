"""A visitor searches the demo portal for 「信访」 from the header box: published items come
back with the word marked; drafts, scheduled and withdrawn items do not."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_search_from_the_header_finds_published_items_with_marks(page, demo_site, shots):
    page.goto(f"{demo_site}/")
    page.fill("#header-q", "信访")
    page.press("#header-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator(".result-list")
    assert "市信访局召开2026年第四季度信访工作推进会" in results.inner_text()
    text = page.locator("main").inner_text()
    for hidden in ("（初稿）", "元旦期间信访接待安排", "（已撤稿）"):
        assert hidden not in text
    first_mark = page.locator(".result-list mark").first
    assert first_mark.is_visible()
    assert first_mark.inner_text() == "信访"
    background = first_mark.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    page.screenshot(path=shots / "search-1280.png", full_page=True)
    # The title links to the item's public page.
    page.locator(".result-list h3 a", has_text="第四季度信访工作推进会").click()
    page.wait_for_url("**/items/*/")
    assert "第四季度信访工作推进会" in page.locator("h1").inner_text()
    page.set_viewport_size({"width": 360, "height": 800})
    page.go_back()
    page.wait_for_url("**/search/?q=*")
    page.screenshot(path=shots / "search-360.png", full_page=True)
    # A query with nothing to search says so beside the box, in Chinese.
    page.fill("#q", "，，，")
    page.press("#q", "Enter")
    page.wait_for_selector("#q-error")
    assert "没有可以检索的文字" in page.locator("#q-error").inner_text()
    page.screenshot(path=shots / "search-error-360.png", full_page=True)
    page.fill("#q", "古树名木")
    page.press("#q", "Enter")
    page.wait_for_selector(".no-results")
    page.screenshot(path=shots / "search-none-360.png", full_page=True)
