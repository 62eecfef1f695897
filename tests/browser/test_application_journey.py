"""A handler registers a letter application, sends a 补正 notice, records the correction,
decides partial disclosure; the signer signs; the PDF letter carries its 文号 and article."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pdfplumber
import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.applications.models import Application
from gongkai.workspace.demo_data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def log_in(page, base, username):
    page.goto(f"{base}{reverse('workspace:login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{reverse('workspace:inbox')}")


def act(page, verb, fields):
    page.locator("details.action summary", has_text=fields.pop("_label")).click()
    for name, value in fields.items():
        selector = f"#id_{verb}-{name}"
        if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    page.locator(f"form[action$='/{verb}/'] button[type=submit]").click()
    page.wait_for_load_state()


def test_letter_application_to_signed_pdf(page, demo_site, shots, settings):
    settings.GONGKAI_DEMO = True
    today = timezone.localdate()
    log_in(page, demo_site, "handler")
    page.click("nav >> text=依申请公开")
    page.click("text=登记申请")
    page.select_option("#id_channel", "letter")
    page.fill("#id_event_on", today.isoformat())
    page.fill("#id_applicant_name", "钱多多")
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_id_number", "11010519491231002X")
    page.fill("#id_contact_address", "示范市幸福路8号")
    page.fill("#id_request_text", "请公开关于某小区信访事项的处理意见书")
    page.click("text=登记并编号")
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    number = page.locator("h1").inner_text()
    assert re.fullmatch(r"〔\d{4}〕第\d{4}号", number)
    assert "110105********002X" in page.content()

    act(
        page,
        "request_correction",
        {
            "_label": "发出补正通知",
            "sent_on": today.isoformat(),
            "reply_by": (today + timedelta(days=14)).isoformat(),
            "note": "请说明处理意见书的作出时间",
        },
    )
    assert "已完成：发出补正通知" in page.locator("#messages").inner_text()
    act(page, "record_correction", {"_label": "收到补正", "received_on": today.isoformat()})
    assert "重新起算" in page.locator("ol.explain").inner_text()
    act(
        page,
        "decide",
        {
            "_label": "作出决定",
            "outcome": "partially_granted",
            "decided_on": today.isoformat(),
            "note": "涉及第三方个人信息的部分不予公开",
        },
    )
    page.screenshot(path=str(shots / "application_decided.png"), full_page=True)
    answer_row = page.locator("#letters tr", has_text="答复告知书")
    answer_row.locator("button", has_text="送审签发").click()
    page.wait_for_load_state()
    assert "已送审" in page.locator("#messages").inner_text()
    case_url = page.url

    page.click("text=退出")
    log_in(page, demo_site, "signer")
    page.locator("#inbox-signoff-steps tr", has_text=number).locator("a").first.click()
    page.wait_for_url(re.compile(r"/steps/\d+/$"))
    assert "第三十七条" in page.locator(".doc-body").inner_text()
    page.click("text=审核通过")
    page.wait_for_url(f"{demo_site}{reverse('workspace:inbox')}")

    page.goto(case_url)
    row = page.locator("#letters tr", has_text="答复告知书")
    assert "已签发" in row.inner_text()
    doc_number = row.locator("td").nth(1).inner_text().strip()
    assert re.fullmatch(r"市信访局依申答〔\d{4}〕\d+号", doc_number)
    page.screenshot(path=str(shots / "application_signed.png"), full_page=True)
    with page.expect_download() as download:
        row.locator("a", has_text="PDF").click()
    data = Path(download.value.path()).read_bytes()
    text = pdfplumber.open(io.BytesIO(data)).pages[0].extract_text().replace(" ", "")
    assert doc_number in text
    assert "第三十七条" in text
    app = Application.objects.get(number=number, agency__name="示范市信访局")
    assert app.status == "answering"
    assert app.letters.get(kind="answer").doc_number == doc_number
