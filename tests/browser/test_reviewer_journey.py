"""A reviewer logs in, approves a step on its page and one from the inbox; lockout journey."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from gongkai.agencies.models import User
from gongkai.applications.services import decide, register_application
from gongkai.signoff import services
from gongkai.signoff.models import ChainTemplate, Step, StepTemplate
from gongkai.workspace.demo_data import DEMO_PASSWORD, PETITION_BUREAU

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def log_in(page, base, username, password=DEMO_PASSWORD):
    page.goto(f"{base}{reverse('workspace:login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def inbox_rows(page):
    return page.locator("#inbox-signoff-steps tbody tr[id^=step-]")


def _letters_in_review(count: int) -> None:
    """Answer letters waiting for 科室审核: the generic 「待我审核」 section lists them (the demo's
    主动公开 items have a section of their own, opened on the item's page)."""
    handler = User.objects.get(username="handler")
    agency = handler.memberships.get(agency__name=PETITION_BUREAU).agency
    template = ChainTemplate.objects.create(purpose="notice_letter", name="告知书三级审核（测试）")
    for order, name, role in ((1, "科室审核", "reviewer"), (2, "领导签发", "signer")):
        StepTemplate.objects.create(template=template, order=order, name=name, role=role)
    today = timezone.localdate()
    for n in range(count):
        application = register_application(
            actor=handler,
            agency=agency,
            channel="in_person",
            event_on=today,
            applicant_class="natural_person",
            applicant_name=f"申请人{n + 1}（演示数据）",
            contact_phone="13812345678",
            request_text=f"请公开本局信访统计（第{n + 1}件，演示数据）",
        )
        letter = decide(
            application, actor=handler, outcome="granted", decided_on=today, note=""
        ).letters.get()
        services.submit_for_review(
            letter, actor=handler, revision_hash=letter.signoff_revision(), template=template
        )


def test_reviewer_approves_and_the_step_leaves_the_inbox(page, demo_site, shots, settings):
    settings.GONGKAI_DEMO = True  # the live server thread shares these settings
    _letters_in_review(2)
    page.goto(f"{demo_site}{reverse('workspace:inbox')}")
    assert reverse("workspace:login") in page.url  # anonymous → login page
    assert page.locator(".demo-card").inner_text().count("gongkai-demo") == 1
    page.screenshot(path=str(shots / "login.png"), full_page=True)

    log_in(page, demo_site, "reviewer")
    page.wait_for_url(f"{demo_site}{reverse('workspace:inbox')}")
    rows = inbox_rows(page)
    assert rows.count() == 2
    page.screenshot(path=str(shots / "inbox.png"), full_page=True)

    # 1. Open the first step, read it, approve with a comment.
    title = rows.first.locator("td").first.locator("a").inner_text()
    rows.first.locator("a", has_text=title).click()
    page.wait_for_url(re.compile(r"/steps/\d+/$"))
    assert page.locator(".doc-title").inner_text() == title
    assert page.locator(".hash").first.inner_text()
    page.screenshot(path=str(shots / "step_detail.png"), full_page=True)
    page.fill("#approve-comment", "同意发布。")
    page.click("text=审核通过")
    page.wait_for_url(f"{demo_site}{reverse('workspace:inbox')}")
    assert "已通过「科室审核」" in page.locator("#messages").inner_text()
    assert inbox_rows(page).count() == 1
    assert title not in page.locator("#inbox-signoff-steps").inner_text()

    # 2. Approve the other one straight from the inbox (htmx, no page reload).
    page.evaluate("window.__noReload = true")
    remaining = inbox_rows(page).first
    remaining.locator("button", has_text="通过").click()
    # A locator wait, not wait_for_function: its string predicate is eval, which the page's
    # Content-Security-Policy (rightly) refuses.
    expect(inbox_rows(page)).to_have_count(0)
    assert page.evaluate("window.__noReload") is True
    assert "已通过" in page.locator("#messages").inner_text()
    assert "没有等待您审核的稿件" in page.locator("#inbox-signoff-steps").inner_text()
    # The demo's 主动公开 item at 科室审核 stays in its own section (1 of the total).
    assert "共 1 项待处理" in page.locator("#inbox-body").inner_text()
    assert page.locator("#inbox-disclosure-review tbody tr").count() == 1
    page.screenshot(path=str(shots / "inbox_after.png"), full_page=True)

    decided = Step.objects.filter(
        decided_by__username="reviewer", status="approved", chain__purpose="notice_letter"
    )
    assert decided.count() == 2


def test_repeated_wrong_passwords_lock_the_account(page, demo_site, shots, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(page, demo_site, "drafter", password="wrong-password")
    log_in(page, demo_site, "drafter")
    assert "登录失败次数过多" in page.content()
    page.screenshot(path=str(shots / "lockout.png"), full_page=True)
