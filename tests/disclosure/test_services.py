"""Service tests for columns, items, review, publication and withdrawal (先审后发)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import docx
import openpyxl
import pytest
from django.utils import timezone

from gongkai.agencies.services import create_agency
from gongkai.disclosure import services
from gongkai.disclosure.errors import (
    BadAttachmentError,
    ColumnError,
    IllegalItemTransitionError,
    IndexFormatError,
    ItemLockedError,
    NotPermittedError,
    ReasonRequiredError,
    RevisionNotApprovedError,
    ScheduleNotConfirmedError,
    UnresolvedFindingsError,
)
from gongkai.disclosure.models import Column, Item, ItemKind, PiiFinding
from gongkai.eventlog.models import Event
from gongkai.signoff import services as signoff
from gongkai.signoff.selectors import chains_for

pytestmark = pytest.mark.django_db

VALID_ID = "410482199001011232"  # checksum-valid, born 1990-01-01 (fictional)


def _pdf(text: str = "Notice") -> bytes:
    """A small valid one-page PDF with ``text`` (ASCII) on it."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>stream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


MINIMAL_PDF = _pdf()


def _docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- columns ------------------------------------------------------------------------------------


def test_new_agency_gets_default_column_tree(city):
    agency = create_agency(region=city, name="示范市教育局")
    names = set(Column.objects.filter(agency=agency).values_list("name", flat=True))
    assert {"政府信息公开指南", "法定主动公开内容", "政策解读", "工作动态", "通知公告"} <= names
    news = Column.objects.get(agency=agency, name="工作动态")
    assert news.update_days == 14
    notices = Column.objects.get(agency=agency, name="通知公告")
    assert notices.update_days == 182
    guide = Column.objects.get(agency=agency, name="政府信息公开指南")
    assert guide.update_days is None
    policy = Column.objects.get(agency=agency, name="政策文件")
    assert policy.parent.name == "法定主动公开内容"
    assert services.seed_default_columns(agency) == 0  # idempotent
    assert (
        Event.objects.filter(action="disclosure.columns_seeded", agency_id=agency.pk).count() == 1
    )


def test_only_agency_admin_edits_columns(petition_bureau, agency_admin, drafter, office_section):
    column = Column.objects.get(agency=petition_bureau, name="工作动态")
    with pytest.raises(NotPermittedError):
        services.update_column(column, actor=drafter, update_days=7)
    services.update_column(
        column,
        actor=agency_admin,
        update_days=7,
        owner_section=office_section,
        no_content_statement="",
    )
    column.refresh_from_db()
    assert column.update_days == 7
    assert column.owner_section == office_section
    event = Event.objects.filter(action="disclosure.column_updated").get()
    assert event.before["update_days"] == 14
    assert event.after["update_days"] == 7


def test_column_cannot_become_its_own_child(petition_bureau, agency_admin):
    group = Column.objects.get(agency=petition_bureau, name="法定主动公开内容")
    child = Column.objects.get(agency=petition_bureau, name="政策文件")
    with pytest.raises(ColumnError):
        services.update_column(group, actor=agency_admin, parent=child)


def test_column_of_other_agency_cannot_be_parent(petition_bureau, other_agency, agency_admin):
    foreign = Column.objects.get(agency=other_agency, name="通知公告")
    with pytest.raises(ColumnError):
        services.create_column(
            petition_bureau, actor=agency_admin, name="专题", kind="notice", parent=foreign
        )


# --- catalogue ----------------------------------------------------------------------------------


def test_index_numbers_are_sequential_per_agency_and_year(make_item, petition_bureau):
    first = make_item(written_date=date(2026, 3, 1))
    second = make_item(title="第二条", written_date=date(2026, 4, 1))
    older = make_item(title="去年的", written_date=date(2025, 12, 30))
    org = petition_bureau.index_org_code
    assert first.index_number == f"{org}/2026-00001"
    assert second.index_number == f"{org}/2026-00002"
    assert older.index_number == f"{org}/2025-00001"


def test_index_format_is_configurable_and_validated(make_item, petition_bureau, agency_admin):
    services.update_settings(
        petition_bureau,
        actor=agency_admin,
        index_format="{org}-{year}-{serial:04d}",
        sensitive_words="",
    )
    item = make_item(written_date=date(2026, 1, 5))
    assert item.index_number.endswith("-2026-0001")
    for bad in ("{org}/{year}", "{org}/{secret}-{serial}", "{serial:zz}"):
        with pytest.raises(IndexFormatError):
            services.update_settings(
                petition_bureau, actor=agency_admin, index_format=bad, sensitive_words=""
            )


# --- items --------------------------------------------------------------------------------------


def test_body_is_sanitised_on_save(make_item):
    item = make_item(
        body='<p onclick="x()">正文<script>alert(1)</script><a href="javascript:1">链接</a></p>'
    )
    assert "<script" not in item.body
    assert "onclick" not in item.body
    assert "javascript" not in item.body
    assert "正文" in item.body
    assert item.issuing_body == "示范市信访局"  # defaults to the agency


def test_validity_only_for_rules_and_normative_documents(make_item, petition_bureau):
    policy = Column.objects.get(agency=petition_bureau, name="行政规范性文件")
    normative = make_item(
        column=policy, kind=ItemKind.NORMATIVE, validity="valid", effective_date=date(2026, 1, 1)
    )
    assert normative.validity == "valid"
    article = make_item(validity="valid")
    assert article.validity == ""


def test_items_cannot_go_into_a_group_column(make_item, petition_bureau):
    group = Column.objects.get(agency=petition_bureau, name="法定主动公开内容")
    with pytest.raises(ColumnError):
        make_item(column=group)


def test_only_drafters_create_items(column, reviewer, item_template):
    with pytest.raises(NotPermittedError):
        services.create_item(actor=reviewer, column=column, title="标题")


# --- personal data ------------------------------------------------------------------------------


def test_finding_blocks_submission_until_fixed(make_item, drafter):
    item = make_item(body=f"<p>申请人身份证号 {VALID_ID}，已答复。</p>")
    finding = PiiFinding.objects.get(item=item)
    assert finding.kind == "resident_id"
    assert VALID_ID not in finding.masked
    with pytest.raises(UnresolvedFindingsError):
        services.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())
    item = services.update_item(item, actor=drafter, body="<p>申请人信息已删除，已答复。</p>")
    assert not PiiFinding.objects.filter(item=item).exists()
    services.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())
    item.refresh_from_db()
    assert item.status == "in_review"


def test_reviewer_acknowledges_a_finding_with_a_reason(make_item, drafter, reviewer):
    item = make_item(body="<p>咨询电话 13812345678（信访局值班手机，对外公布）。</p>")
    finding = PiiFinding.objects.get(item=item)
    with pytest.raises(NotPermittedError):
        services.acknowledge_finding(finding, actor=drafter, reason="我觉得没问题")
    with pytest.raises(ReasonRequiredError):
        services.acknowledge_finding(finding, actor=reviewer, reason="  ")
    services.acknowledge_finding(finding, actor=reviewer, reason="单位公开的值班电话")
    event = Event.objects.get(action="disclosure.finding_acknowledged")
    assert event.after["reason"] == "单位公开的值班电话"
    assert "13812345678" not in str(event.after)
    # an edit elsewhere keeps the acknowledgement of the same value
    item = services.update_item(
        item, actor=drafter, body="<p>新增一段。</p><p>咨询电话 13812345678（值班手机）。</p>"
    )
    assert not services.open_findings(item).exists()
    services.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())


def test_sensitive_words_of_the_agency(make_item, petition_bureau, agency_admin):
    services.update_settings(
        petition_bureau,
        actor=agency_admin,
        index_format="{org}/{year}-{serial:05d}",
        sensitive_words="内部资料\n",
    )
    item = make_item(body="<p>本文为内部资料。</p>")
    assert PiiFinding.objects.get(item=item).kind == "sensitive_word"


def test_attachment_text_is_scanned(make_item, drafter):
    item = make_item()
    services.add_attachment(
        item, actor=drafter, name="名单.docx", data=_docx_bytes(f"张某 {VALID_ID}")
    )
    finding = PiiFinding.objects.get(item=item)
    assert finding.source == "名单.docx"
    attachment = item.attachments.get()
    services.remove_attachment(attachment, actor=drafter)
    assert not PiiFinding.objects.filter(item=item).exists()


def test_attachment_type_is_checked_by_content(make_item, drafter):
    item = make_item()
    with pytest.raises(BadAttachmentError):
        services.add_attachment(item, actor=drafter, name="伪装.pdf", data=b"MZ\x90\x00 not a pdf")
    with pytest.raises(BadAttachmentError):
        services.add_attachment(item, actor=drafter, name="坏.docx", data=b"PK\x03\x04broken")
    with pytest.raises(BadAttachmentError, match="无法读取"):
        services.add_attachment(item, actor=drafter, name="坏.pdf", data=b"%PDF-1.4 truncated")
    attachment = services.add_attachment(item, actor=drafter, name="通知.pdf", data=MINIMAL_PDF)
    assert attachment.file_type == "pdf"
    assert attachment.file.read() == MINIMAL_PDF
    assert "通知" not in attachment.file.name  # storage path never carries the user's name


def test_attachment_size_limit(make_item, drafter, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 10)
    item = make_item()
    with pytest.raises(BadAttachmentError, match="不能超过"):
        services.add_attachment(item, actor=drafter, name="大.pdf", data=MINIMAL_PDF)


# --- review and publication ---------------------------------------------------------------------


def test_full_review_then_publish_records_publisher_and_signer(
    make_item, review_all, drafter, signer
):
    item = review_all(make_item())
    assert item.status == "approved"
    assert item.signer == signer
    assert item.approved_revision.revision_hash == item.signoff_revision()
    item = services.publish_item(item, actor=drafter)
    assert item.status == "published"
    assert item.publisher == drafter
    assert item.published_revision == item.approved_revision
    assert item.is_public
    item.column.refresh_from_db()
    assert item.column.last_published_at == item.published_at


def test_item_is_locked_while_in_review(make_item, drafter):
    item = make_item()
    services.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())
    with pytest.raises(ItemLockedError):
        services.update_item(item, actor=drafter, title="改标题")
    with pytest.raises(IllegalItemTransitionError):
        services.publish_item(item, actor=drafter)


def test_returned_item_goes_back_to_draft_and_resubmits_same_chain(
    make_item, drafter, reviewer, django_capture_on_commit_callbacks
):
    item = make_item()
    chain = services.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())
    with django_capture_on_commit_callbacks(execute=True):
        signoff.return_for_revision(
            chain.steps.get(status="active"), actor=reviewer, comment="补充依据"
        )
    item.refresh_from_db()
    assert item.status == "draft"
    item = services.update_item(item, actor=drafter, body="<p>补充了依据。</p>")
    again = services.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())
    assert again.pk == chain.pk
    again.refresh_from_db()
    assert again.round == 2
    assert list(item.revisions.values_list("number", flat=True)) == [1, 2]


def test_recall_moves_item_back_to_draft(make_item, drafter):
    item = make_item()
    services.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())
    item = services.recall_item(item, actor=drafter)
    assert item.status == "draft"
    assert chains_for(item).first().status == "withdrawn"


def test_editing_published_item_keeps_public_version_until_new_review(
    make_item, review_all, drafter
):
    item = services.publish_item(review_all(make_item()), actor=drafter)
    public = item.published_revision
    item = services.update_item(item, actor=drafter, title="关于信访工作规定的解读（修订）")
    assert item.status == "draft"
    assert item.published_revision == public
    assert item.is_public
    assert item.current_revision.number == 2
    with pytest.raises(IllegalItemTransitionError):
        services.publish_item(item, actor=drafter)
    item = review_all(item)
    item = services.publish_item(item, actor=drafter)
    assert item.published_revision.number == 2
    assert item.published_revision.title == "关于信访工作规定的解读（修订）"


def test_only_the_exact_approved_revision_is_published(make_item, review_all, drafter):
    item = review_all(make_item())
    # Something changed the working copy behind the verbs' back: publication must refuse.
    Item.objects.filter(pk=item.pk).update(title="未经审核的标题")
    item.refresh_from_db()
    with pytest.raises(RevisionNotApprovedError):
        services.publish_item(item, actor=drafter)


def test_reception_schedule_needs_confirmation_again_after_edit(
    make_item, review_all, drafter, petition_bureau
):
    notices = Column.objects.get(agency=petition_bureau, name="通知公告")
    item = make_item(
        title="2026年12月领导接访日程", column=notices, kind=ItemKind.RECEPTION_SCHEDULE
    )
    item = review_all(item)
    with pytest.raises(ScheduleNotConfirmedError):
        services.publish_item(item, actor=drafter)
    services.confirm_schedule(item, actor=drafter)
    later = timezone.now() + timedelta(days=1)
    item = services.publish_item(item, actor=drafter, at=later)
    assert item.status == "scheduled"
    # an edit of a scheduled schedule cancels the schedule and needs a new confirmation
    item = services.update_item(item, actor=drafter, body="<p>12月5日改为赵局长接访。</p>")
    assert item.status == "draft"
    assert item.scheduled_at is None
    item = review_all(item)
    assert not services.schedule_is_confirmed(item)
    with pytest.raises(ScheduleNotConfirmedError):
        services.publish_item(item, actor=drafter)
    services.confirm_schedule(item, actor=drafter)
    assert services.publish_item(item, actor=drafter).status == "published"


def test_scheduled_publication_fires_once(make_item, review_all, drafter):
    item = review_all(make_item())
    at = timezone.now() + timedelta(hours=2)
    services.publish_item(item, actor=drafter, at=at)
    assert services.publish_due(now=at - timedelta(minutes=1)) == []
    assert services.publish_due(now=at) == [item.pk]
    assert services.publish_due(now=at + timedelta(minutes=5)) == []
    item.refresh_from_db()
    assert item.status == "published"
    assert item.publisher == drafter
    assert Event.objects.filter(action="disclosure.item_published").count() == 1


def test_withdrawal_needs_a_reason(make_item, review_all, drafter):
    item = services.publish_item(review_all(make_item()), actor=drafter)
    with pytest.raises(ReasonRequiredError):
        services.withdraw_item(item, actor=drafter, reason="")
    item = services.withdraw_item(item, actor=drafter, reason="文件已被新文件替代")
    assert item.status == "withdrawn"
    assert not item.is_public
    with pytest.raises(IllegalItemTransitionError):
        services.update_item(item, actor=drafter, title="再改")


def test_unpublished_draft_cannot_be_withdrawn(make_item, drafter):
    with pytest.raises(IllegalItemTransitionError):
        services.withdraw_item(make_item(), actor=drafter, reason="不需要了")


def test_every_verb_writes_an_event(make_item, review_all, drafter):
    item = services.publish_item(review_all(make_item()), actor=drafter)
    codes = set(
        Event.objects.filter(object_id=str(item.pk), content_type__model="item").values_list(
            "action", flat=True
        )
    )
    assert {
        "disclosure.item_created",
        "disclosure.item_submitted",
        "disclosure.item_approved",
        "disclosure.item_published",
    } <= codes


def test_spreadsheet_attachment_is_scanned(make_item, drafter):
    book = openpyxl.Workbook()
    book.active.append(["姓名", "联系电话"])
    book.active.append(["张某", "138 1234 5678"])
    buffer = io.BytesIO()
    book.save(buffer)
    item = make_item()
    attachment = services.add_attachment(
        item, actor=drafter, name="名单.xlsx", data=buffer.getvalue()
    )
    assert attachment.file_type == "xlsx"
    finding = PiiFinding.objects.get(item=item)
    assert (finding.kind, finding.source, finding.line) == ("mobile", "名单.xlsx", 2)
