"""A handler opens the register, follows a table-四 cell to its case, registers a suit over a
demo application and records a 纠正 decision, which links the re-handling application."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.appeals.models import AppealCase
from gongkai.applications.models import Application
from gongkai.workspace.demo_data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_register_page_drill_down_and_corrected_decision(page, demo_site, shots):
    page.goto(demo_site + reverse("workspace:login"))
    page.fill("#id_username", "handler")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(demo_site + reverse("workspace:inbox"))
    page.goto(demo_site + reverse("workspace:appeal_list") + "?year=2026")
    cell = page.locator('[data-cell="reconsideration.corrected"]')
    assert cell.inner_text() == "1"
    cell.click()
    page.wait_for_load_state()
    assert page.locator("text=示政复〔2026〕9号").count() == 1
    assert page.locator("text=示政复〔2026〕3号").count() == 0
    page.screenshot(path=str(shots / "appeals-register.png"), full_page=True)

    app = Application.objects.filter(closed_on__isnull=False).order_by("-pk").first()
    page.click("text=登记案件")
    page.fill("#id_application_number", app.number)
    page.select_option("#id_kind", "litigation_direct")
    page.fill("#id_appellant", app.applicant_name)
    page.fill("#id_body", "示范市人民法院")
    page.fill("#id_case_number", "（2026）豫0402行初99号")
    page.fill("#id_filed_on", "2026-11-30")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()
    case = AppealCase.objects.get(case_number="（2026）豫0402行初99号")
    assert page.url.endswith(reverse("workspace:appeal_detail", args=[case.pk]))

    page.locator("details.action summary", has_text="记录结果").click()
    page.select_option("#id_record_decision-outcome", "corrected")
    page.fill("#id_record_decision-decided_on", "2026-12-01")
    page.locator("form[action$='/record_decision/'] button[type=submit]").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.reopened_application is not None
    assert page.locator(f"text={case.reopened_application.number}").count() >= 1
