"""The clerk generates the year's report, follows a table-三 cell to its cases, edits 五; the
office reviews and the leader signs on the step page; that signature publishes the report (the
publication job runs on commit: the immediate backend of the tests), and the clerk follows it
from the report page to the portal's 年报 column, opens it there and downloads its PDF.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.annual.models import AnnualReport
from gongkai.signoff.models import Step
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


def test_annual_report_journey(page, demo_site, shots, settings, tmp_path):
    settings.GONGKAI_DEMO = True  # the demo's 年度报告签发: 公开办审核 → 分管领导签发
    settings.MEDIA_ROOT = tmp_path
    year = timezone.localdate().year

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
    approve_active_step(page, demo_site, report, "signer")  # … and publication follows
    report.refresh_from_db()
    assert report.status == "published", report.publish_error

    log_in(page, demo_site, "drafter")
    page.goto(demo_site + reverse("workspace:annual_report", args=[report.pk]))
    assert page.locator("[data-testid=annual-status]").inner_text() == "已公开"
    page.screenshot(path=str(shots / "annual-report.png"), full_page=True)
    page.click("[data-testid=annual-public-link]")
    page.wait_for_load_state()
    item = report.published_item
    assert page.url.endswith(reverse("portal:item", args=[item.agency_id, item.pk]))
    # the portal's 年报 column lists it; open it from there
    page.goto(demo_site + reverse("portal:column", args=[item.agency_id, item.column_id]))
    page.click(f"a:has-text('{report.signoff_title}')")
    page.wait_for_load_state()
    assert "收到和处理政府信息公开申请情况" in page.content()
    page.screenshot(path=str(shots / "annual-portal.png"), full_page=True)
    with page.expect_download() as info:
        page.click("ul.attachments a:has-text('.pdf')")
    assert info.value.path().read_bytes().startswith(b"%PDF")
