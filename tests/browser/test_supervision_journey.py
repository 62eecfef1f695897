"""The supervisor's journey of issue [8]: upload a ZIP of the corpus reports, watch the batch
finish, find the agencies with findings on the board, dismiss one finding with a reason and
confirm another, send the notice — and the agency's administrator sees it."""

from __future__ import annotations

import re
import zipfile

import pytest
from django.urls import reverse

from corpus import CORPUS
from gongkai.agencies.models import Region
from gongkai.agencies.services import create_agency, create_user, grant_role
from gongkai.supervision.models import Finding, Notice, ReportFile
from gongkai.workspace.demo_data import CITY_NAME, DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# the corpus's agencies, registered in the demo city under their full and short names
CORPUS_AGENCIES = (
    ("淮安市洪泽区人民政府", "洪泽区人民政府"),
    ("平潭综合实验区管理委员会", "平潭综合实验区"),
    ("上海市科学技术委员会", "上海市科委"),
    ("宿迁市沭阳县人民政府", "沭阳县人民政府"),
)


def log_in(page, base, username, password=DEMO_PASSWORD):
    page.goto(f"{base}{reverse('workspace:login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{reverse('workspace:inbox')}")


def corpus_zip(tmp_path):
    if not CORPUS.is_dir():
        pytest.fail(f"shared corpus not found at {CORPUS}")
    path = tmp_path / "全市年报.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for report in sorted(CORPUS.iterdir()):
            if report.is_file() and report.suffix in {".pdf", ".txt", ".md", ".html"}:
                archive.write(report, report.name)
    return path


def test_supervisor_uploads_reviews_and_notifies(page, demo_site, shots, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    city = Region.objects.get(name=CITY_NAME, parent=None)
    agencies = {
        short: create_agency(region=city, name=name, short_name=short)
        for name, short in CORPUS_AGENCIES
    }
    hongze_admin = create_user(
        username="hongze_admin", password=DEMO_PASSWORD, display_name="洪泽管理员"
    )
    grant_role(user=hongze_admin, agency=agencies["洪泽区人民政府"], role="agency_admin")

    # 1. Upload the ZIP of the corpus on the collection page.
    log_in(page, demo_site, "supervisor")
    page.click("text=年报监督")
    page.click("text=收集与检查")
    page.fill("#id_title", "语料库年报")
    page.set_input_files("#id_files", str(corpus_zip(tmp_path)))
    page.click("text=上传并检查")
    page.wait_for_url(re.compile(r"/supervision/batches/\d+/$"))

    # 2. The progress bar reaches the end.
    page.wait_for_selector('[data-state="done"]', timeout=60_000)
    total = ReportFile.objects.filter(batch__title="语料库年报").count()
    assert total >= 8
    progress = page.locator("progress")
    assert progress.get_attribute("value") == progress.get_attribute("max") == str(total)
    page.screenshot(path=str(shots / "supervision_batch.png"), full_page=True)

    # 3. The board lists each matched agency of the corpus with its findings.
    page.click("text=查看区域看板")
    page.fill("input[name=year]", "2025")
    page.click("text=应用")
    board = page.locator("table.board")
    for short in ("洪泽区人民政府", "上海市科委"):
        row = board.locator("tr", has=page.locator(f"text={agencies[short].name}"))
        assert "已检查" in row.inner_text()
    hongze_row = board.locator("tr", has=page.locator("text=淮安市洪泽区人民政府"))
    assert "错误" in hongze_row.inner_text()
    assert page.locator("svg.heatmap").count() == 1
    page.screenshot(path=str(shots / "supervision_board.png"), full_page=True)

    # 4. Dismiss one finding with a reason and confirm another on 洪泽区's report.
    hongze_row.locator("a", has_text="有问题").click()
    page.wait_for_url(re.compile(r"/supervision/reports/\d+/$"))
    findings = page.locator("li.finding[data-state=open]")
    first_id = findings.nth(0).get_attribute("id")
    second_id = findings.nth(1).get_attribute("id")
    page.fill(f"#{first_id} input[name=reason]", "原件表四已核对，系排版错位")
    page.click(f"#{first_id} button:has-text('排除')")
    page.wait_for_url(re.compile(r"/supervision/reports/\d+/"))
    assert "已标记为「已排除」" in page.locator("#messages").inner_text()
    page.click(f"#{second_id} button:has-text('确认')")
    page.wait_for_url(re.compile(r"/supervision/reports/\d+/"))
    dismissed = Finding.objects.get(pk=first_id.removeprefix("finding-"))
    confirmed = Finding.objects.get(pk=second_id.removeprefix("finding-"))
    assert (dismissed.state, dismissed.reason) == ("dismissed", "原件表四已核对，系排版错位")
    assert confirmed.state == "confirmed"
    page.screenshot(path=str(shots / "supervision_report.png"), full_page=True)

    # 5. Send the notice; 洪泽区's administrator sees it with the confirmed finding only.
    page.fill("#id_requirement", "请于15个工作日内整改并重新发布。")
    page.click("button:has-text('发送整改通知')")
    page.wait_for_url(re.compile(r"/supervision/notices/\d+/$"))
    notice = Notice.objects.get()
    assert list(notice.findings.all()) == [confirmed]
    page.context.clear_cookies()
    log_in(page, demo_site, "hongze_admin")
    page.click("nav.nav >> text=整改通知")
    page.click("text=淮安市洪泽区人民政府 · 2023 年度年报整改通知")
    text = page.locator("main").inner_text()
    assert confirmed.message[:20] in text
    assert page.locator(".notice-doc tbody tr").count() == 1  # the dismissed one is not listed
    assert "提交答复" in text
    page.screenshot(path=str(shots / "supervision_notice.png"), full_page=True)
