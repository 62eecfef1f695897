"""The 政府信息公开指南: generated from the agency's settings and the law, drafted as an item."""

from __future__ import annotations

import pytest

from gongkai.disclosure import guide, services
from gongkai.disclosure.errors import ColumnError, ItemLockedError, NotPermittedError
from gongkai.disclosure.models import Column, Item
from gongkai.disclosure.sanitize import sanitize_html
from gongkai.law import fees

FACTS = guide.GuideFacts(
    agency_name="示范市信访局",
    office_name="示范市信访局办公室",
    address="示范市人民路1号",
    postcode="467500",
    phone="0375-1234567",
    hours="工作日 8:30–12:00",
    columns=(("政府信息公开指南", ()), ("法定主动公开内容", ("机构职能", "政策文件"))),
)


def test_guide_states_the_office_channels_and_the_law():
    text = guide.guide_html(FACTS)
    for fact in (
        "示范市信访局办公室",
        "示范市人民路1号",
        "467500",
        "0375-1234567",
        "工作日 8:30–12:00",
    ):
        assert fact in text
    # 条例第二十九条's contents, 第三十三条's limits, the fee basis and both remedies
    assert "姓名或者名称、身份证明、联系方式" in text
    assert "20个工作日内予以答复" in text
    assert "最长不超过20个工作日" in text
    assert fees.BASIS in text
    assert "行政复议" in text
    assert "行政诉讼" in text
    assert "法定主动公开内容（包括：机构职能、政策文件）" in text


def test_blank_settings_are_left_out_and_their_channels_not_offered():
    text = guide.guide_html(FACTS)
    # no fax registered: neither a 传真 contact line nor a fax channel
    assert "传真：" not in text
    assert "传真申请" not in text
    assert "电子邮件申请" not in text
    with_fax = guide.guide_html(guide.GuideFacts(agency_name="某局", fax="0375-7654321"))
    assert "传真申请：传真至 0375-7654321" in with_fax
    assert "当面申请" not in with_fax  # no address: no in-person or letter channel


def test_fee_tiers_follow_the_law_package():
    assert guide.item_fee_lines()[1] == (
        f"{fees.ITEM_FREE + 1}—{fees.ITEM_FIRST_PAID_TO}件（含）{fees.ITEM_FIRST_RATE}元/件；"
    )
    pages = guide.page_fee_lines()
    assert len(pages) == len(fees.PAGE_BANDS)
    assert pages[-1] == "201页以上40元/页。"


def test_settings_are_escaped_and_the_text_survives_sanitising():
    facts = guide.GuideFacts(agency_name="某局", address="<script>alert(1)</script>路")
    text = guide.guide_html(facts)
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert sanitize_html(text) == text  # only allowed tags: the editor keeps it as is


@pytest.mark.django_db
def test_draft_guide_creates_a_draft_item_in_the_guide_column(petition_bureau, drafter):
    item = services.draft_guide(petition_bureau, actor=drafter)
    assert item.status == "draft"
    assert item.column.name == "政府信息公开指南"
    assert item.title == "示范市信访局政府信息公开指南"
    assert "示范市人民路1号" in item.body
    assert item.published_revision_id is None
    assert "机构职能" in item.body  # the 专栏 layout comes from the live column tree


@pytest.mark.django_db
def test_draft_guide_refreshes_the_existing_item_and_keeps_the_published_text(
    petition_bureau, drafter, item_template, review_all
):
    item = services.draft_guide(petition_bureau, actor=drafter)
    item = services.publish_item(review_all(item), actor=drafter)
    published = item.published_revision_id
    petition_bureau.office_phone = "0375-9999999"
    petition_bureau.save(update_fields=["office_phone"])
    again = services.draft_guide(petition_bureau, actor=drafter)
    assert again.pk == item.pk
    assert Item.objects.filter(column__name="政府信息公开指南").count() == 1
    assert again.status == "draft"
    assert "0375-9999999" in again.body
    assert again.published_revision_id == published  # the public keeps the reviewed guide


@pytest.mark.django_db
def test_draft_guide_refuses_an_item_in_review_and_other_roles(
    petition_bureau, drafter, reviewer, item_template
):
    with pytest.raises(NotPermittedError):
        services.draft_guide(petition_bureau, actor=reviewer)
    item = services.draft_guide(petition_bureau, actor=drafter)
    services.submit_item(item, actor=drafter, revision_hash=item.signoff_revision())
    with pytest.raises(ItemLockedError):
        services.draft_guide(petition_bureau, actor=drafter)


@pytest.mark.django_db
def test_draft_guide_without_a_guide_column_says_so(petition_bureau, drafter):
    column = Column.objects.get(agency=petition_bureau, name="政府信息公开指南")
    services.update_column(column, actor=None, active=False)
    with pytest.raises(ColumnError, match="政府信息公开指南"):
        services.draft_guide(petition_bureau, actor=drafter)
