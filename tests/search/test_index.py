"""The index follows what the public sees: publish, re-publish, withdraw, column moves,
rollback, attachments; segmentation, filters and ranking on the database in use (run this
file on SQLite and on PostgreSQL: the backends answer the same contract)."""

from __future__ import annotations

import io
from datetime import timedelta

import docx
import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from gongkai.disclosure import services
from gongkai.search import extract
from gongkai.search.backends import Filters, get_backend
from gongkai.search.models import AttachmentText, SearchEntry
from gongkai.search.query import QueryError, matching_items, search
from gongkai.search.segment import index_terms, query_terms

pytestmark = pytest.mark.django_db


def _ids(text, **filters):
    return [r.item.pk for r in search(text, filters=Filters(**filters)).results]


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- segmentation ------------------------------------------------------------------------------


def test_two_character_words_are_terms_of_longer_text():
    terms = index_terms("关于城乡居民最低生活保障（低保）和信访工作的通知").split()
    assert {"信访", "低保", "居民", "城乡居民", "信访工作"} <= set(terms)
    assert "（" not in terms


def test_an_index_number_segments_into_its_parts():
    # bench/portal_data.py writes these terms directly instead of running jieba per item.
    assert index_terms("B00001/2024-0000123") == "b00001 2024 0000123"


def test_query_words_are_distinct_lowercase_and_without_punctuation():
    assert query_terms("信访，信访 ABC！") == ["信访", "abc"]
    assert query_terms("。，、") == []


# --- following the public ----------------------------------------------------------------------


def test_drafts_are_not_indexed_and_publication_is(make_item, publish):
    make_item(title="信访草稿")
    item = publish(title="信访公告")
    assert _ids("信访") == [item.pk]
    entry = SearchEntry.objects.get(item=item)
    assert (entry.agency_id, entry.column_id) == (item.agency_id, item.column_id)


def test_withdrawal_leaves_the_index_at_once(publish, drafter):
    item = publish(title="信访公告")
    services.withdraw_item(item, actor=drafter, reason="内容有误")
    assert _ids("信访") == []
    assert not SearchEntry.objects.filter(item=item).exists()


def test_an_edit_is_searchable_only_once_republished(publish, review_all, drafter):
    item = publish(title="信访公告", body="<p>旧的正文</p>")
    services.update_item(item, actor=drafter, title="低保公告", body="<p>新的正文</p>")
    assert _ids("信访") == [item.pk]  # the public still sees the published revision
    assert _ids("低保") == []
    services.publish_item(review_all(item), actor=drafter)
    assert _ids("低保") == [item.pk]
    assert _ids("信访") == []


def test_a_scheduled_publication_is_indexed_when_it_goes_out(make_item, review_all, drafter):
    item = review_all(make_item(title="信访公告"))
    at = timezone.now() + timedelta(hours=1)
    services.publish_item(item, actor=drafter, at=at)
    assert _ids("信访") == []
    assert services.publish_due(now=at + timedelta(minutes=1)) == [item.pk]
    assert _ids("信访") == [item.pk]


def test_a_deleted_item_leaves_no_full_text_row(publish):
    item = publish(title="信访公告")
    SearchEntry.objects.filter(item=item).delete()
    assert search("信访").total == 0


def test_a_move_to_another_column_moves_the_entry(publish, drafter, news_column):
    item = publish(title="信访公告")
    services.update_item(item, actor=drafter, column=news_column)
    assert SearchEntry.objects.get(item=item).column_id == news_column.pk
    assert _ids("信访", column=news_column.pk) == [item.pk]


def test_a_rolled_back_publication_leaves_no_entry(make_item, review_all, drafter):
    item = review_all(make_item(title="信访公告"))
    seen_inside = []

    def publish_then_fail():
        with transaction.atomic():
            services.publish_item(item, actor=drafter)
            seen_inside.extend(_ids("信访"))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        publish_then_fail()
    assert seen_inside == [item.pk]  # indexed inside the publishing transaction
    assert _ids("信访") == []
    assert not SearchEntry.objects.filter(item=item).exists()


def test_reindex_rebuilds_from_what_is_public(publish, petition_bureau):
    item = publish(title="信访公告")
    get_backend().clear()
    SearchEntry.objects.all().delete()
    assert _ids("信访") == []
    out = io.StringIO()
    call_command("search", "reindex", "--agency", petition_bureau.name, stdout=out)
    assert "共 1 条" in out.getvalue()
    assert _ids("信访") == [item.pk]


def test_reindex_with_an_unknown_agency_exits_2(db):
    with pytest.raises(SystemExit) as exc:
        call_command("search", "reindex", "--agency", "不存在的机关")
    assert exc.value.code == 2


# --- attachments -------------------------------------------------------------------------------


def test_attachment_text_is_extracted_by_the_task_and_searchable(
    make_item, review_all, drafter, django_capture_on_commit_callbacks
):
    item = make_item(title="年度工作要点")
    services.add_attachment(
        item, actor=drafter, name="要点.docx", data=_docx("全面推进低保扩面工作")
    )
    item = review_all(item)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.publish_item(item, actor=drafter)
    assert callbacks  # the extraction task was enqueued on commit (and ran: immediate backend)
    assert AttachmentText.objects.get().text.strip() == "全面推进低保扩面工作"
    assert _ids("低保") == [item.pk]
    assert "<mark>低保</mark>" in search("低保").results[0].snippet


def test_unreadable_attachment_never_breaks_publishing(
    make_item, review_all, drafter, django_capture_on_commit_callbacks, monkeypatch
):
    item = make_item(title="信访年度工作要点")
    services.add_attachment(item, actor=drafter, name="要点.docx", data=_docx("低保"))
    item = review_all(item)

    def broken(data, *, name=""):
        raise ValueError("damaged")

    monkeypatch.setattr("gongkai.search.tasks.attachment_text", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_item(item, actor=drafter)
    item.refresh_from_db()
    assert item.status == "published"
    assert AttachmentText.objects.get().error == "damaged"
    assert _ids("信访") == [item.pk]
    assert _ids("低保") == []


def test_extraction_is_bounded_and_reads_plain_text():
    assert extract.attachment_text("信访事项".encode("gb18030")) == "信访事项"
    with pytest.raises(extract.ExtractError):
        extract.attachment_text(b"x" * (extract.MAX_BYTES + 1))


# --- filters and ranking -----------------------------------------------------------------------


def test_filters_by_agency_column_year_subject_validity(
    publish, make_item, review_all, drafter, other_agency, news_column
):
    policy = publish(
        title="信访工作规定",
        kind="normative",
        subject="综合政务",
        validity="valid",
    )
    news = publish(title="信访接待日活动", column=news_column, subject="民政、扶贫、救灾")
    year = SearchEntry.objects.get(item=policy).year
    assert set(_ids("信访")) == {policy.pk, news.pk}
    assert _ids("信访", agency=other_agency.pk) == []
    assert set(_ids("信访", agency=policy.agency_id)) == {policy.pk, news.pk}
    assert _ids("信访", column=news_column.pk) == [news.pk]
    assert _ids("信访", subject="综合政务") == [policy.pk]
    assert _ids("信访", validity="valid") == [policy.pk]
    assert set(_ids("信访", year=year)) == {policy.pk, news.pk}
    assert _ids("信访", year=year - 1) == []


def test_inactive_agencies_are_not_searched(publish, petition_bureau):
    publish(title="信访公告")
    petition_bureau.active = False
    petition_bureau.save(update_fields=["active"])
    assert _ids("信访") == []


def test_title_matches_rank_above_body_matches(publish):
    body_only = publish(title="年度工作总结", body="<p>今年办理信访事项若干件。</p>")
    in_title = publish(title="信访事项办理规定", body="<p>为了规范办理程序。</p>")
    assert _ids("信访") == [in_title.pk, body_only.pk]


def test_every_word_of_a_two_word_query_must_match(publish):
    both = publish(title="信访与低保工作")
    publish(title="信访工作")
    assert _ids("信访 低保") == [both.pk]


def test_catalogue_fields_are_searchable(publish):
    item = publish(title="工作通知", doc_number="示信发〔2026〕7号")
    assert _ids("示信发") == [item.pk]


def test_bad_query_raises_a_chinese_error(db):
    with pytest.raises(QueryError, match="请输入"):
        search("   ")
    with pytest.raises(QueryError, match="太长"):
        search("信" * 101)


def test_pages_walk_the_ranked_candidates(publish):
    items = [publish(title=f"信访第{n}号公告") for n in range(5)]
    pages = [r.item.pk for p in (1, 2, 3) for r in search("信访", page=p, per_page=2).results]
    assert sorted(pages) == sorted(i.pk for i in items)
    assert search("信访").total == 5
    assert search("信访", page=4, per_page=2).results == []


def test_matching_items_for_the_application_form(publish, petition_bureau, other_agency):
    item = publish(title="关于调整城乡低保标准的通知")
    other = publish(title="低保资金审计结果")
    publish(title="关于申请公开政府信息的文件")  # only request words in common
    found = matching_items("我想申请公开本市低保标准调整的文件", petition_bureau)
    assert found == [item, other]  # more words in common ranks higher
    assert found[0].published_revision.title == "关于调整城乡低保标准的通知"
    assert matching_items("低保", other_agency) == []
    assert matching_items("", None) == []
    assert matching_items("。。。", None) == []


def test_a_common_word_ranks_the_newest_candidates(publish, monkeypatch):
    # More matches than the cap: only the newest CANDIDATES are ranked and counted. On
    # PostgreSQL the newest PROBE pks are walked first (here one pk: too few, so it goes on).
    monkeypatch.setattr("gongkai.search.backends.CANDIDATES", 3)
    monkeypatch.setattr("gongkai.search.backends.COUNT_CAP", 3)
    monkeypatch.setattr("gongkai.search.backends.PROBE", 1)
    items = [publish(title=f"信访第{n}号公告") for n in range(5)]
    results = search("信访", per_page=3)
    assert results.capped
    assert results.shown_total == 3
    assert {r.item.pk for r in results.results} == {i.pk for i in items[-3:]}


def test_after_a_flush_no_full_text_rows_are_left(publish):
    from gongkai.search.apps import _drop_orphan_documents  # noqa: PLC0415

    publish(title="信访公告")
    entries = SearchEntry.objects.all()
    entries._raw_delete(entries.db)  # what TRUNCATE does: no signals
    _drop_orphan_documents(sender=None)
    assert search("信访").total == 0
