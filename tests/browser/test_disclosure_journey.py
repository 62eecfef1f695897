"""主动公开 end to end: a 政策解读 with an ID number is held; fixed; section head →
confidentiality review → leader approve; published with publisher and signer; the
registration form PDF downloads and names all three reviewers."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from django.urls import reverse

from gongkai.disclosure.models import Item
from gongkai.workspace.demo_data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ID_NUMBER = "410482199001011232"  # fictional, checksum-valid


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}{reverse('workspace:login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{reverse('workspace:inbox')}")


def test_policy_interpretation_from_draft_to_registration_form(page, demo_site, shots):
    base = demo_site
    log_in(page, base, "drafter")
    page.goto(f"{base}{reverse('workspace:disclosure_item_create')}")
    page.select_option("#id_column", label="政策解读")
    page.select_option("#id_kind", label="政策解读")
    page.fill("#id_title", "《示范市信访事项办理规定》政策解读（浏览器测试）")
    page.fill(".editor-area", f"一、起草背景。来信人身份证号 {ID_NUMBER}，已答复。")
    page.click("#item-form button[type=submit]")
    page.wait_for_url(re.compile(r"/disclosure/\d+/$"))
    assert "疑似个人信息" in page.locator("#messages").inner_text()
    assert "410482********1232" in page.locator("#findings").inner_text()
    page.screenshot(path=str(shots / "disclosure_held.png"), full_page=True)
    page.click("#actions button:has-text('送审')")
    assert "检查发现疑似个人信息" in page.locator("#messages").inner_text()
    item = Item.objects.get(title__contains="浏览器测试")
    assert item.status == "draft"

    # The drafter removes the number; the check passes and the item goes to review.
    page.click("#actions a:has-text('修改')")
    page.fill(".editor-area", "一、起草背景。来信人信息已删除，已答复。")
    page.click("#item-form button[type=submit]")
    page.wait_for_url(re.compile(r"/disclosure/\d+/$"))
    assert "未发现身份证号" in page.locator("#findings").inner_text()
    page.click("#actions button:has-text('送审')")
    assert "已送审" in page.locator("#messages").inner_text()

    # 科室审核 → 保密审查 → 领导签发, each on the item's review page from the inbox.
    for username in ("reviewer", "confidentiality", "signer"):
        log_in(page, base, username)
        row = page.locator("#inbox-disclosure-review tr", has_text="浏览器测试")
        row.locator("a", has_text="审核").click()
        page.wait_for_url(re.compile(r"/disclosure/\d+/$"))
        assert "浏览器测试" in page.locator("h1").inner_text()
        if username == "reviewer":
            page.screenshot(path=str(shots / "disclosure_review.png"), full_page=True)
        page.fill("#approve-comment", "同意。")
        page.click("#decide button:has-text('审核通过')")
        page.wait_for_url(f"{base}{reverse('workspace:inbox')}")
        assert "已通过" in page.locator("#messages").inner_text()

    item.refresh_from_db()
    assert item.status == "approved"  # chain_approved ran after the leader's commit

    log_in(page, base, "drafter")
    page.goto(f"{base}{reverse('workspace:disclosure_item', args=[item.pk])}")
    page.click(".publish-box button:has-text('发布')")
    assert "已发布" in page.locator("#messages").inner_text()
    meta = page.locator(".meta.two-col").inner_text()
    assert "王晓明" in meta  # 发布人
    assert "赵立新" in meta  # 签发人
    page.screenshot(path=str(shots / "disclosure_published.png"), full_page=True)

    response = page.request.get(f"{base}/disclosure/{item.pk}/register.pdf")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.body())) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    for reviewer in ("李建国", "陈静", "赵立新"):
        assert reviewer in text
    assert "王晓明" in text
