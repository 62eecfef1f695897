"""Workspace pages of 主动公开: editor round trip, list filters and query counts, review page
with diff and findings, registration forms (PDF text names every reviewer), ZIP export."""

from __future__ import annotations

import io
import zipfile

import docx
import pdfplumber
import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.disclosure import services
from gongkai.disclosure.models import Column, Item
from gongkai.signoff import services as signoff

pytestmark = pytest.mark.django_db

VALID_ID = "410482199001011232"


def test_drafter_creates_item_and_is_warned_about_an_id_number(
    client, drafter, column, item_template
):
    client.force_login(drafter)
    response = client.post(
        reverse("workspace:disclosure_item_create"),
        {
            "column": column.pk,
            "kind": "interpretation",
            "title": "政策解读：信访事项办理",
            "body": f"<p>当事人身份证 {VALID_ID}</p><script>x</script>",
            "issuing_body": "",
            "doc_number": "",
            "subject": "综合政务",
            "validity": "",
        },
        follow=True,
    )
    item = Item.objects.get()
    assert "<script" not in item.body
    assert "疑似个人信息" in response.content.decode()
    page = client.get(reverse("workspace:disclosure_item", args=[item.pk])).content.decode()
    findings = page.split('id="findings"')[1].split("</section>")[0]
    assert "410482********1232" in findings
    assert VALID_ID not in findings  # the panel, like the log, only ever shows masked values
    assert 'id="diff"' not in page  # the drafter is not reviewing
    response = client.post(
        reverse("workspace:disclosure_item_submit", args=[item.pk]),
        {"revision_hash": item.signoff_revision()},
        follow=True,
    )
    assert "检查发现疑似个人信息" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "draft"


def test_item_list_filters_and_query_count(
    client, drafter, make_item, django_assert_max_num_queries
):
    for n in range(12):
        make_item(title=f"信息{n}")
    client.force_login(drafter)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("workspace:disclosure_items"))
    assert response.status_code == 200
    assert response.content.decode().count("信息1") >= 3  # 信息1, 信息10, 信息11
    response = client.get(reverse("workspace:disclosure_items"), {"q": "信息11", "status": "draft"})
    assert response.content.decode().count(reverse("workspace:disclosure_items")) >= 1
    assert "信息10" not in response.content.decode()
    assert (
        client.get(
            reverse("workspace:disclosure_items"), {"status": "nonsense", "q": "\x00"}
        ).status_code
        == 200
    )


def test_reviewer_sees_diff_against_the_revision_they_saw(
    client, drafter, reviewer, make_item, django_capture_on_commit_callbacks
):
    item = make_item(body="<p>第一段原文。</p>")
    chain = services.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())
    with django_capture_on_commit_callbacks(execute=True):
        signoff.return_for_revision(
            chain.steps.get(status="active"), actor=reviewer, comment="改第一段"
        )
    item = services.update_item(
        Item.objects.get(pk=item.pk), actor=drafter, body="<p>第一段新文。</p>"
    )
    services.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())
    client.force_login(reviewer)
    page = client.get(reverse("workspace:disclosure_item", args=[item.pk])).content.decode()
    assert "与您上次审核的第 1 版相比" in page
    assert 'class="diff-removed">－ 第一段原文。' in page
    assert 'class="diff-added">＋ 第一段新文。' in page
    assert 'id="decide"' in page


def test_register_form_pdf_and_docx_name_all_reviewers(
    client, drafter, make_item, review_all, reviewer, confidentiality_officer, signer
):
    item = services.publish_item(review_all(make_item()), actor=drafter)
    client.force_login(drafter)
    pdf = client.get(reverse("workspace:disclosure_register_pdf", args=[item.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
    for person in (drafter, reviewer, confidentiality_officer, signer):
        assert person.display_name in text
    assert "政府信息审核登记表" in text.replace(" ", "")
    assert item.index_number in text
    response = client.get(reverse("workspace:disclosure_register_docx", args=[item.pk]))
    words = "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(response.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    for person in (reviewer, confidentiality_officer, signer):
        assert person.display_name in words
    assert "签发人" in words
    pdf_url = reverse("workspace:disclosure_register_pdf", args=[item.pk])
    assert client.get(pdf_url.replace(".pdf", ".exe")).status_code == 404


def test_register_forms_zip_for_a_period(client, drafter, make_item, review_all):
    item = services.publish_item(review_all(make_item()), actor=drafter)
    client.force_login(drafter)
    # The period is in local (Asia/Shanghai) days: the UTC date is a day behind after 16:00 UTC.
    day = timezone.localdate(item.first_published_at).isoformat()
    response = client.get(
        reverse("workspace:disclosure_register_zip"), {"date_from": day, "date_to": day}
    )
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    stem = item.index_number.replace("/", "_")
    assert names == [f"{stem}.pdf", f"{stem}.docx"]
    bad = client.get(
        reverse("workspace:disclosure_register_zip"), {"date_from": day, "date_to": "2000-01-01"}
    )
    assert bad.status_code == 200
    assert "起始日期不能晚于结束日期" in bad.content.decode()


def test_agency_admin_edits_a_column(client, agency_admin, petition_bureau):
    column = Column.objects.get(agency=petition_bureau, name="行政许可")
    client.force_login(agency_admin)
    response = client.post(
        reverse("workspace:disclosure_column_edit", args=[column.pk]),
        {
            "name": "行政许可",
            "parent": column.parent_id,
            "kind": "notice",
            "position": 10,
            "update_days": "",
            "no_content_statement": "本机关无行政许可事项。",
            "active": "on",
        },
    )
    assert response.status_code == 302
    column.refresh_from_db()
    assert column.no_content_statement == "本机关无行政许可事项。"
    tree = client.get(reverse("workspace:disclosure_columns")).content.decode()
    assert "本机关无行政许可事项。" in tree


def test_inbox_lists_items_to_review(client, drafter, reviewer, make_item):
    item = make_item()
    services.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())
    client.force_login(reviewer)
    page = client.get(reverse("workspace:inbox")).content.decode()
    assert "主动公开信息待审核" in page
    assert reverse("workspace:disclosure_item", args=[item.pk]) in page
