"""Under the real Content-Security-Policy: no violation on workspace pages, the agency switcher
still works without inline script, and an edited approved document says it needs a new review.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from tests.browser.test_reviewer_journey import log_in

from gongkai.agencies.models import User
from gongkai.signoff import services
from gongkai.signoff.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _violations(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return seen


def _approved_document() -> Document:
    drafter = User.objects.get(username="drafter")
    agency = drafter.memberships.first().agency
    document = services.create_document(
        actor=drafter, agency=agency, title="关于公布信访接待日安排的通知", body="每周三上午接待。"
    )
    chain = services.submit_for_review(
        document, actor=drafter, revision_hash=document.signoff_revision()
    )
    for username in ("reviewer", "confidentiality", "signer"):
        step = chain.steps.get(round=chain.round, status="active")
        services.approve_step(
            step, actor=User.objects.get(username=username), revision_hash=chain.revision_hash
        )
    return document


def test_editing_an_approved_document_in_the_browser(page, demo_site, shots):
    violations = _violations(page)
    document = _approved_document()
    log_in(page, demo_site, "drafter")
    page.wait_for_url(f"{demo_site}{reverse('workspace:inbox')}")
    page.goto(f"{demo_site}{reverse('workspace:document_detail', args=[document.pk])}")
    assert page.locator(".page-head .badge").inner_text() == "已签发"
    page.click("text=修改")
    page.wait_for_url(re.compile(r"/edit/$"))
    assert "原签发版本即失效" in page.locator(".notice").inner_text()
    page.screenshot(path=str(shots / "security_edit_approved.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(shots / "security_edit_approved_360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("#id_body", "每周三、周五上午接待。")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{demo_site}{reverse('workspace:document_detail', args=[document.pk])}")
    assert "原签发版本已失效" in page.locator("#messages").inner_text()
    assert "签发后已修改" in page.locator(".page-head .badge").inner_text()
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
