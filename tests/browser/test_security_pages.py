"""Under the real Content-Security-Policy: no violation on workspace pages, the agency switcher
still works without inline script, and an edited published item says it needs a new review
while the public keeps the published version.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.browser.test_reviewer_journey import log_in

from gongkai.disclosure.models import Item

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _violations(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return seen


def test_editing_a_published_item_in_the_browser(page, demo_site, shots):
    violations = _violations(page)
    item = (
        Item.objects.filter(status="published", created_by__username="drafter")
        .order_by("pk")
        .first()
    )
    log_in(page, demo_site, "drafter")
    page.wait_for_url(f"{demo_site}{reverse('workspace:inbox')}")
    page.goto(demo_site + reverse("workspace:disclosure_item_edit", args=[item.pk]))
    assert "重新送审" in page.locator(".notice").inner_text()
    page.screenshot(path=str(shots / "security_edit_published.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(shots / "security_edit_published_360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("#id_title", item.title + "（修订）")
    page.click("#item-form button[type=submit]")
    page.wait_for_url(demo_site + reverse("workspace:disclosure_item", args=[item.pk]))
    notice = page.locator(".notice").first.inner_text()
    assert f"公众当前看到的是第 {item.published_revision.number} 版" in notice
    item.refresh_from_db()
    assert (item.status, item.title.endswith("（修订）")) == ("draft", True)
    page.screenshot(path=str(shots / "security_superseded.png"), full_page=True)
    assert violations == []


def test_agency_switcher_works_without_inline_script(page, demo_site, shots):
    violations = _violations(page)
    log_in(page, demo_site, "reviewer")
    page.wait_for_url(f"{demo_site}{reverse('workspace:inbox')}")
    select = page.locator("#agency-switch")
    before = select.input_value()
    values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
    target = next(v for v in values if v != before)
    with page.expect_navigation():
        select.select_option(target)
    assert page.locator("#agency-switch").input_value() == target
    page.goto(f"{demo_site}{reverse('workdays:overview')}")
    assert violations == []
