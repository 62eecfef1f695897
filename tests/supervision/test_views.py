"""The supervision pages through the test client: upload, progress, review, board, export."""

from __future__ import annotations

import io

import pypdfium2
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.agencies.services import create_agency
from gongkai.supervision import services
from gongkai.supervision.models import Finding, FindingState, Notice, ReportFile, ReportVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def sup_client(client, supervisor):
    client.force_login(supervisor)
    return client


def test_upload_through_the_page_runs_the_audit(
    sup_client, city, petition_bureau, report_bytes, make_zip, django_capture_on_commit_callbacks
):
    archive = make_zip({"a.html": report_bytes(flaw="s1"), "b.html": report_bytes("无名局")})
    with django_capture_on_commit_callbacks(execute=True):
        response = sup_client.post(
            reverse("workspace:supervision_batches"),
            {"region": city.pk, "title": "全市", "files": [io.BytesIO(archive)]},
        )
    assert response.status_code == 302
    batch_url = response["Location"]
    page = sup_client.get(batch_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-state="done"' in body
    assert "hx-get" not in body  # finished: no more polling
    progress = sup_client.get(
        reverse("workspace:supervision_progress", args=[ReportFile.objects.first().batch_id])
    )
    assert 'data-count="audited">2<' in progress.content.decode()


def test_progress_polls_while_running(sup_client, city, supervisor, report_bytes):
    # without running the on-commit work the files stay queued
    result = services.receive_uploads(
        actor=supervisor, region=city, uploads=[("a.html", report_bytes())]
    )
    body = sup_client.get(
        reverse("workspace:supervision_batch", args=[result.batch.pk])
    ).content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert 'http-equiv="refresh"' in body  # no JS: the page refreshes itself


def test_review_and_correct_through_the_page(sup_client, audited):
    version = audited()
    s1 = version.findings.get(rule="S1")
    t2 = version.findings.get(rule="T2")
    page = sup_client.get(reverse("workspace:supervision_report", args=[version.pk]))
    assert page.status_code == 200
    assert "S1" in page.content.decode()
    sup_client.post(reverse("workspace:supervision_review", args=[s1.pk]), {"to": "confirmed"})
    sup_client.post(
        reverse("workspace:supervision_review", args=[t2.pk]), {"to": "dismissed", "reason": ""}
    )
    t2.refresh_from_db()
    assert t2.state == FindingState.OPEN  # no reason, no dismissal
    sup_client.post(
        reverse("workspace:supervision_review", args=[t2.pk]),
        {"to": "dismissed", "reason": "表格原件如此"},
    )
    s1.refresh_from_db()
    t2.refresh_from_db()
    assert (s1.state, t2.state) == (FindingState.CONFIRMED, FindingState.DISMISSED)
    response = sup_client.post(
        reverse("workspace:supervision_notice_create", args=[version.pk]),
        {"requirement": "请整改", "due": "2026-12-31"},
    )
    notice = Notice.objects.get()
    assert response["Location"] == reverse("workspace:supervision_notice", args=[notice.pk])
    assert list(notice.findings.all()) == [s1]


def test_agency_admin_sees_the_notice_and_answers(
    client, sup_client, audited, agency_admin, supervisor
):
    version = audited()
    services.review_finding(version.findings.get(rule="S1"), actor=supervisor, to="confirmed")
    notice = services.send_notice(version, actor=supervisor)
    client.force_login(agency_admin)
    listing = client.get(reverse("workspace:supervision_notices")).content.decode()
    assert "示范市信访局 · 2023 年度年报整改通知" in listing
    page = client.get(reverse("workspace:supervision_notice", args=[notice.pk])).content.decode()
    assert "提交答复" in page
    docx = client.get(reverse("workspace:supervision_notice_docx", args=[notice.pk]))
    assert docx.content[:2] == b"PK"
    pdf = client.get(reverse("workspace:supervision_notice_pdf", args=[notice.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(
        page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf.content)
    ).replace("\r\n", "")  # lines wrapped by the page width
    assert "整改通知" in text
    assert "S1" in text
    assert "示范市信访局" in text
    client.post(
        reverse("workspace:supervision_notice_answer", args=[notice.pk]), {"answer": "已整改"}
    )
    notice.refresh_from_db()
    assert notice.state == "answered"


def test_board_lists_agencies_with_findings_and_query_count(
    sup_client, audited, other_agency, city, django_assert_max_num_queries
):
    audited()
    with django_assert_max_num_queries(20):
        response = sup_client.get(reverse("workspace:supervision_board"), {"year": 2024})
    body = response.content.decode()
    assert "示范市信访局" in body
    assert "示范市自然资源和规划局" in body
    assert "错误 " in body
    assert "<svg" in body  # ranking and heatmap
    only = sup_client.get(reverse("workspace:supervision_board"), {"year": 2024, "only": "errors"})
    assert "示范市自然资源和规划局" not in only.content.decode()


def test_board_query_count_does_not_grow_with_agencies(
    sup_client, city, upload, report_bytes, django_assert_max_num_queries
):

    files = {}
    for n in range(12):
        create_agency(region=city, name=f"示范市第{n}局")
        files[f"{n}.html"] = report_bytes(f"示范市第{n}局", seed=n, flaw="s1" if n % 2 else "")
    upload(files)
    with django_assert_max_num_queries(20):
        sup_client.get(reverse("workspace:supervision_board"), {"year": 2024})


def test_xlsx_export_reads_back_with_filters_kept(
    sup_client, audited, upload, report_bytes, other_agency
):
    version = audited()
    upload({"other.html": report_bytes("示范市自然资源和规划局", seed=3)})
    response = sup_client.get(
        reverse("workspace:supervision_export"), {"year": 2024, "only": "errors"}
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    cells = list(workbook["单元格"].iter_rows(values_only=True))
    findings = list(workbook["问题"].iter_rows(values_only=True))
    assert cells[0][0] == "机关"
    agencies = {row[0] for row in cells[1:]}
    assert agencies == {"示范市信访局"}  # the filter (errors only) is kept
    new = next(r for r in cells if r[3] == "table3.new_received.natural_person")
    assert new[5] == version.report_json["table3"]["new_received"]["natural_person"]
    assert {r[3] for r in findings[1:]} >= {"S1", "T2"}
    assert len(cells) - 1 == len([c for c in cells[1:] if c[0] == "示范市信访局"])


def test_queue_assigns_a_doubtful_report(sup_client, upload, report_bytes, county_agency, city):
    result = upload({"a.html": report_bytes("某省示范县信访局")})
    page = sup_client.get(reverse("workspace:supervision_queue")).content.decode()
    assert "某省示范县信访局" in page
    sup_client.post(
        reverse("workspace:supervision_assign", args=[result.received[0].pk]),
        {"agency": county_agency.pk, "year": 2023},
    )
    assert ReportVersion.objects.get().agency == county_agency


@pytest.mark.parametrize(
    "data",
    [
        {"to": "nonsense"},
        {"to": "dismissed", "reason": "x" * 501},
        {"to": "dismissed", "reason": "a\x00"},
        {},
    ],
)
def test_bad_review_input_is_refused_without_error(sup_client, audited, data):
    finding = audited().findings.get(rule="S1")
    response = sup_client.post(reverse("workspace:supervision_review", args=[finding.pk]), data)
    assert response.status_code == 302
    assert Finding.objects.get(pk=finding.pk).state == FindingState.OPEN


def test_oversize_upload_is_refused_before_reading(sup_client, city, settings, report_bytes):
    settings.SUPERVISION_MAX_FILE_BYTES = 1000
    response = sup_client.post(
        reverse("workspace:supervision_batches"),
        {"region": city.pk, "files": [io.BytesIO(report_bytes())]},
        follow=True,
    )
    assert "的上限" in response.content.decode()
    assert not ReportFile.objects.exists()


def test_answer_with_an_archive_is_refused(client, audited, agency_admin, supervisor, make_zip):
    version = audited()
    services.review_finding(version.findings.get(rule="S1"), actor=supervisor, to="confirmed")
    notice = services.send_notice(version, actor=supervisor)
    client.force_login(agency_admin)
    archive = io.BytesIO(make_zip({"a.html": b"<p>x</p>", "b.html": b"<p>y</p>"}))
    archive.name = "两份.zip"
    response = client.post(
        reverse("workspace:supervision_notice_answer", args=[notice.pk]),
        {"answer": "已整改", "report": archive},
        follow=True,
    )
    assert "不是压缩包" in response.content.decode()
    notice.refresh_from_db()
    assert notice.state == "sent"


def test_top_bar_links_to_supervision_for_supervisors_only(client, supervisor, drafter):
    client.force_login(supervisor)
    board = reverse("workspace:supervision_board")
    assert f'href="{board}"' in client.get(reverse("workspace:inbox")).content.decode()
    client.force_login(drafter)
    assert f'href="{board}"' not in client.get(reverse("workspace:inbox")).content.decode()
