"""Every visitor (issue 11 §4) in real Chromium: axe-core finds no serious or critical
violation, 360 px never scrolls sideways, 长辈版 enlarges the text — on every page in PAGES.

The data is built once through the services and the pages are visited by one page object.
To cover a new page, add one entry to PAGES (name → URL from the built world).
"""
# ruff: noqa: PLC0415

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

# The disclosure factories (tests/portal/conftest.py re-exports them the same way); the browser
# comes from tests/browser/conftest.py: one Playwright per process, never a second one.
from tests.disclosure.conftest import column, item_template, make_item, review_all

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
__all__ = ["column", "item_template", "make_item", "review_all"]

World = dict[str, Any]
PAGES: dict[str, Callable[[World], str]] = {
    "home": lambda w: reverse("portal:home"),
    "agency": lambda w: reverse("portal:agency", args=[w["agency"].pk]),
    "column": lambda w: reverse("portal:column", args=[w["agency"].pk, w["item"].column_id]),
    "item": lambda w: reverse("portal:item", args=[w["agency"].pk, w["item"].pk]),
    "guide": lambda w: reverse("portal:guide", args=[w["agency"].pk]),
    "guide_generated": lambda w: reverse("portal:guide", args=[w["other"].pk]),
    "rules": lambda w: reverse("portal:column", args=[w["agency"].pk, w["rules"].pk]),
    "search": lambda w: reverse("portal:search") + "?q=信访",
    "apply": lambda w: reverse("portal:apply", args=[w["agency"].pk]),
    "track": lambda w: reverse("portal:track"),
}
BLOCKING = ("serious", "critical")
# A report-like table far wider than a phone: it must scroll inside the body, not the page.
WIDE_TABLE = (
    "<table><tr>" + "".join(f"<th>第{n}栏统计数据</th>" for n in range(14)) + "</tr></table>"
)
SHOTS = os.environ.get("A11Y_SHOTS")  # e.g. /tmp/shots_a11y: save 1280/360 px screenshots


@pytest.fixture
def world(transactional_db, petition_bureau, other_agency, drafter, make_item, review_all):
    from gongkai.disclosure import services
    from gongkai.disclosure.models import Column

    def publish(item):
        return services.publish_item(review_all(item), actor=drafter)

    item = make_item(
        title="关于《示范市信访工作规定》的解读",
        body="<p>一、起草背景。</p>" + WIDE_TABLE,
        doc_number="示信发〔2026〕3号",
    )
    services.add_attachment(item, actor=drafter, name="解读图示.png", data=PNG)
    rules = Column.objects.get(agency=petition_bureau, name="政府信息公开制度")
    return {
        "agency": petition_bureau,
        "other": other_agency,
        "item": publish(item),
        "guide": publish(services.draft_guide(petition_bureau, actor=drafter)),
        "rules": rules,
        "rules_item": publish(make_item(column=rules, title="政府信息公开工作制度")),
    }


def _blocking(axe: Axe, page) -> list[str]:
    violations = axe.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


def _scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def _body_px(page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_portal_pages_for_every_visitor(browser, live_server, world):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="zh-CN",
        java_script_enabled=True,  # axe needs it; the pages themselves have no script
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    axe = Axe()
    base = live_server.url
    problems: list[str] = []
    urls = {name: base + build(world) for name, build in PAGES.items()}

    # Keyboard: the first Tab lands on the skip link, which is visible and has an outline.
    page.goto(urls["home"])
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "(() => { const e = document.activeElement, s = getComputedStyle(e);"
        " return [e.className, s.outlineStyle, e.getBoundingClientRect().left >= 0]; })()"
    )
    assert focused == ["skip", "solid", True]

    for mode in ("normal", "elder"):
        if mode == "elder":
            # The switch is a plain link (no JavaScript): follow it and come back here.
            normal_px = _body_px(page)
            page.click("text=长辈版")
            page.wait_for_url(urls["item"])
            elder_px = _body_px(page)
            assert elder_px >= 20
            assert elder_px > normal_px
        for name, url in urls.items():
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(url)
            problems += [f"{mode} {name}: {p}" for p in _blocking(axe, page)]
            _shot(page, f"{name}-{mode}-1280")
            page.set_viewport_size({"width": 360, "height": 740})
            if _scrolls_sideways(page):
                problems.append(f"{mode} {name}: scrolls sideways at 360 px")
            _shot(page, f"{name}-{mode}-360")
        page.goto(urls["item"])

    # Step 2 of the application (the whole form, with the published items that may answer the
    # request) is reached by posting step 1; checked in 长辈版, its hardest layout.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(urls["apply"])
    page.fill("textarea[name=request_text]", "请公开示范市信访工作规定的解读材料")
    page.click("form.apply-form button[type=submit]")
    page.wait_for_selector("form.apply-form[enctype='multipart/form-data']")
    assert page.locator(".matches a").count() >= 1  # the published 解读 is suggested
    problems += [f"elder apply form: {p}" for p in _blocking(axe, page)]
    page.set_viewport_size({"width": 360, "height": 740})
    if _scrolls_sideways(page):
        problems.append("elder apply form: scrolls sideways at 360 px")
    _shot(page, "apply-form-elder-360")
    context.close()
    assert problems == []

    # Without JavaScript the switch works the same: a link to a view that sets a cookie.
    no_js = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = no_js.new_page()
    page.goto(urls["agency"])
    page.click("a:text-is('特大')")
    page.wait_for_url(urls["agency"])
    assert page.locator("html").get_attribute("class") == "size-xlarge"
    assert page.locator(".switch a[aria-current]").first.inner_text() == "特大"
    no_js.close()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
