"""The clerk generates the year's report, follows a table-三 cell to its cases, edits 五; the
office reviews and the leader signs on the step page; the report goes to the 年报 column and
its PDF downloads.

The public portal is not on this branch, so the 年报 item is checked on its workspace page;
its own release review (先审后发 of the column) is approved through the service verbs.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.annual.models import AnnualReport
from gongkai.signoff.models import ChainTemplate, Step
from gongkai.workspace.demo_data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + reverse("workspace:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def approve_active_step(page, base, report, username):
    log_in(page, base, username)
    step = Step.objects.get(
        chain__object_id=report.pk, chain__purpose="annual_report", status="active"
    )
    page.goto(base + reverse("workspace:step_detail", args=[step.pk]))
    page.fill("#approve-comment", "同意。")
    page.click("text=审核通过")
    page.wait_for_load_state()


def test_annual_report_journey(
    page, demo_site, shots, settings, django_capture_on_commit_callbacks
):
    settings.GONGKAI_DEMO = True
    year = timezone.localdate().year
    template = ChainTemplate.objects.create(purpose="annual_report", name="年报签发")
    template.steps.create(order=1, name="公开办审核", role="reviewer")
    template.steps.create(order=2, name="分管领导签发", role="signer")

    log_in(page, demo_site, "drafter")
    page.click("nav >> text=年度报告")
    page.fill("input[name=year]", str(year))
    page.click("text=按当前数据生成")
    page.wait_for_load_state()
    report = AnnualReport.objects.get(year=year)
    assert page.locator("[data-testid=annual-status]").inner_text() == "草稿"
    received = report.tables["table3"]["new_received"]["total"]

    page.click('td[data-cell="table3.new_received.total"] a')
    page.wait_for_load_state()
    assert page.locator("[data-testid=cell-count]").inner_text() == str(received)
    assert page.locator("table.list tbody tr").count() == max(received, 1)
    page.screenshot(path=str(shots / "annual-cell.png"), full_page=True)
    page.click("text=返回报告")

    page.fill("[data-testid=section-problems]", "一是栏目更新不够及时；二是解读形式单一。")
    page.click("text=保存五、存在的主要问题及改进情况")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.sections["problems"].startswith("一是")
    page.click("button:has-text('送审')")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == "in_review", page.locator("#messages").inner_text()

    approve_active_step(page, demo_site, report, "reviewer")
    approve_active_step(page, demo_site, report, "signer")
    report.refresh_from_db()
    assert report.status == "approved"

    log_in(page, demo_site, "drafter")
    page.goto(demo_site + reverse("workspace:annual_report", args=[report.pk]))
    # renders the PDF and DOCX in the request (several seconds on the shared machine)
    with page.expect_navigation(timeout=90_000):
        page.locator("form[action$='/publish/']").evaluate("f => f.submit()")
    report.refresh_from_db()
    item = report.published_item
    assert item is not None
    assert item.column.kind == "annual_report"
    page.screenshot(path=str(shots / "annual-report.png"), full_page=True)

    with page.expect_download(timeout=90_000) as info:
        page.click("text=下载 PDF")
    assert info.value.path().read_bytes().startswith(b"%PDF")

    page.goto(demo_site + reverse("workspace:disclosure_item", args=[item.pk]))
    assert "年度报告" in page.content()
