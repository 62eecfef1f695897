"""The workspace report page: generate, drill down, edit, override, submit, download, region."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.annual import services
from gongkai.annual.models import AnnualReport

pytestmark = pytest.mark.django_db


def test_clerk_generates_follows_a_cell_and_edits(
    client, year_of_cases, drafter, petition_bureau, report_template
):
    client.force_login(drafter)
    response = client.post(reverse("workspace:annual_reports"), {"year": 2026})
    report = AnnualReport.objects.get(agency=petition_bureau, year=2026)
    assert response.status_code == 302
    page = client.get(reverse("workspace:annual_report", args=[report.pk]))
    assert page.status_code == 200
    cell_url = (
        reverse("workspace:annual_cell", args=[report.pk]) + "?cell=table3.new_received.total"
    )
    assert cell_url.replace("?", "?").split("?")[1] in page.content.decode()
    cell = client.get(cell_url)
    assert cell.status_code == 200
    assert 'data-testid="cell-count">3<' in cell.content.decode()
    assert (
        client.get(reverse("workspace:annual_cell", args=[report.pk]) + "?cell=bad").status_code
        == 200
    )
    client.post(
        reverse("workspace:annual_section", args=[report.pk]),
        {"key": "problems", "text": "一是……二是……"},
    )
    report.refresh_from_db()
    assert report.sections["problems"] == "一是……二是……"
    client.post(
        reverse("workspace:annual_override", args=[report.pk]),
        {"cell": "table2.licensing.decisions", "value": "4", "reason": ""},
    )
    report.refresh_from_db()
    assert report.overrides == {}  # no reason, no override
    for fmt in ("pdf", "docx", "html", "json"):
        download = client.get(reverse("workspace:annual_download", args=[report.pk, fmt]))
        assert download.status_code == 200
    assert (
        client.get(reverse("workspace:annual_download", args=[report.pk, "exe"])).status_code == 404
    )
    client.post(
        reverse("workspace:annual_submit", args=[report.pk]),
        {"revision_hash": report.signoff_revision()},
    )
    report.refresh_from_db()
    assert report.status == "in_review"


def test_other_agencies_report_is_404(client, year_of_cases, drafter, outsider, petition_bureau):
    report = services.generate_draft(actor=drafter, agency=petition_bureau, year=2026)
    client.force_login(outsider)
    assert client.get(reverse("workspace:annual_report", args=[report.pk])).status_code == 404


def test_region_statistics_for_a_supervisor(client, year_of_cases, supervisor, drafter):
    client.force_login(supervisor)
    page = client.get(reverse("workspace:annual_region") + "?year=2026")
    assert page.status_code == 200
    assert "示范市信访局" in page.content.decode()
    client.force_login(drafter)
    assert client.get(reverse("workspace:annual_region")).status_code == 404


def test_the_page_follows_the_background_publication(
    client,
    year_of_cases,
    drafter,
    reviewer,
    signer,
    petition_bureau,
    report_template,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from gongkai.disclosure.models import Column  # noqa: PLC0415
    from gongkai.signoff import services as signoff  # noqa: PLC0415

    queued: list[int] = []
    monkeypatch.setattr(services, "_enqueue", queued.append)  # no worker runs the job
    report = services.generate_draft(actor=drafter, agency=petition_bureau, year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        chain = services.submit(report, actor=drafter, revision_hash=report.signoff_revision())
    for person in (reviewer, signer):
        with django_capture_on_commit_callbacks(execute=True):
            step = chain.steps.get(status="active")
            signoff.approve_step(step, actor=person, revision_hash=chain.revision_hash)
    assert queued == [report.pk]
    client.force_login(drafter)
    url = reverse("workspace:annual_report", args=[report.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="annual-publishing"' in page
    assert "正在发布" in page
    assert "/publish/" not in page  # no second click while it runs
    # the job fails (the agency has no 年报 column): the reason is on the page, with a retry
    Column.objects.filter(agency=petition_bureau, kind="annual_report").delete()
    services.run_publication(report.pk)
    page = client.get(url).content.decode()
    assert "发布失败：本机关没有“政府信息公开年报”栏目。" in page
    assert "重新发布" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workspace:annual_publish", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.publish_state == "queued"
    assert queued == [report.pk, report.pk]
