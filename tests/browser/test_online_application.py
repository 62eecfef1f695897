"""A visitor applies online (correcting a validation error first), gets the tracking code, a
handler acts in the workspace, and the tracking page shows the new status."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import PASSWORD
from tests.portal.conftest import (  # noqa: F401  (fixtures behind ``publish``)
    column,
    item_template,
    make_item,
    publish,
    review_all,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

GOOD_ID = "11010519491231002X"
SHOTS = Path("/tmp/shots_online")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _shot(page, name: str) -> None:
    """1280 px as is, then 360 px: no horizontal scrolling on a phone."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(SHOTS / f"{name}-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    page.set_viewport_size({"width": 1280, "height": 900})


def _fill_form(page, id_number: str) -> None:
    page.fill("#id_applicant_name", "李四")
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_id_number", id_number)
    page.fill("#id_contact_phone", "13812345678")
    page.set_input_files(
        "#id_proof", files=[{"name": "id.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.fill("#id_captcha_1", "PASSED")


def test_apply_track_and_follow_the_handler(
    page, browser, live_server, transactional_db, petition_bureau, handler, monkeypatch, request
):
    from captcha.conf import settings as captcha_settings  # noqa: PLC0415

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    from django.core.cache import cache  # noqa: PLC0415

    cache.clear()  # rate-limit counters left by earlier tests (the security probe posts too)
    from gongkai.workdays.services import seed_bundled_years  # noqa: PLC0415

    seed_bundled_years()
    item = request.getfixturevalue("publish")(title="2025年信访事项办理情况统计")
    base = live_server.url

    # step 1: describe; the published item that may already answer it is offered
    page.goto(f"{base}{reverse('portal:agency', args=[petition_bureau.pk])}")
    page.locator(".entry-list a", has_text="依申请公开").click()
    _shot(page, "apply-step1")
    page.fill("#id_request_text", "请公开2025年信访事项办理情况的统计数据")
    page.click("form.apply-form button[type=submit]")  # not the header's search button
    assert page.locator(".matches a", has_text=item.published_revision.title).count() == 1

    # step 2: a wrong check digit first → a Chinese error beside the field
    _fill_form(page, GOOD_ID[:-1] + "1")
    page.click("text=提交申请")
    error = page.locator("#id_id_number-error")
    assert "校验位错误" in error.inner_text()
    assert page.get_attribute("#id_id_number", "aria-describedby") == "id_id_number-error"
    _shot(page, "apply-step2-error")
    _fill_form(page, GOOD_ID)
    page.click("text=提交申请")
    code = page.locator(".tracking-code strong").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{5}(-[A-Z2-9]{5}){3}", code)
    number = page.locator(".receipt dd").nth(1).inner_text()
    _shot(page, "apply-receipt")

    # tracking: in progress
    page.goto(f"{base}{reverse('portal:track')}")
    _shot(page, "track-form")
    page.fill("#id_code", code.replace("-", " ").lower())
    page.fill("#id_contact", "138-1234-5678")
    page.click("main button[type=submit]")  # not the header search
    assert page.locator(".status").inner_text() == "正在办理"
    assert number in page.content()

    # the handler sends a 补正 notice in the workspace
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    desk = staff.new_page()
    desk.goto(f"{base}{reverse('workspace:login')}")
    desk.fill("#id_username", handler.username)
    desk.fill("#id_password", PASSWORD)
    desk.click("button[type=submit]")
    desk.wait_for_url(f"{base}{reverse('workspace:inbox')}")
    from gongkai.applications.models import Application  # noqa: PLC0415

    case = Application.objects.get(number=number, agency=petition_bureau)
    desk.goto(f"{base}{reverse('workspace:application_detail', args=[case.pk])}")
    assert desk.locator("text=查看申请人上传的身份证明").count() == 1
    desk.screenshot(path=str(SHOTS / "workspace-case-1280.png"), full_page=True)
    today = timezone.localdate()
    desk.locator("details.action summary", has_text="发出补正通知").click()
    desk.fill("#id_request_correction-sent_on", today.isoformat())
    desk.fill("#id_request_correction-reply_by", (today + timedelta(days=14)).isoformat())
    desk.fill("#id_request_correction-note", "请说明统计数据的时间范围")
    desk.locator("form[action$='/request_correction/'] button[type=submit]").click()
    desk.wait_for_load_state()
    staff.close()

    page.reload()
    assert "需要您补正申请" in page.locator(".status").inner_text()
    _shot(page, "track-status")
