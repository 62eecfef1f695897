"""Agency 专栏, column lists, item pages: only published revisions are public."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.disclosure import services

pytestmark = pytest.mark.django_db


def test_agency_page_links_its_columns(client, petition_bureau, column):
    response = client.get(reverse("portal:agency", args=[petition_bureau.pk]))
    assert response.status_code == 200
    assert (
        reverse("portal:column", args=[petition_bureau.pk, column.pk]) in response.content.decode()
    )


def test_drafts_are_not_public_and_published_items_are(
    client, petition_bureau, column, make_item, publish
):
    draft = make_item(title="尚在起草的草稿")
    published = publish(title="已发布的政策解读", doc_number="示信发〔2026〕3号")
    url = reverse("portal:column", args=[petition_bureau.pk, column.pk])
    html = client.get(url).content.decode()
    assert "已发布的政策解读" in html
    assert "尚在起草的草稿" not in html
    assert (
        client.get(reverse("portal:item", args=[petition_bureau.pk, draft.pk])).status_code == 404
    )
    page = client.get(
        reverse("portal:item", args=[petition_bureau.pk, published.pk])
    ).content.decode()
    for label in ("索引号", "发布机构", "文号", "成文日期", "发布日期", "主题分类", "有效性"):
        assert label in page
    assert published.index_number in page
    assert "示信发〔2026〕3号" in page


def test_empty_column_shows_its_no_content_statement(client, petition_bureau, news_column):
    news_column.no_content_statement = "本机关本年度无此类信息。"
    news_column.save(update_fields=["no_content_statement"])
    html = client.get(
        reverse("portal:column", args=[petition_bureau.pk, news_column.pk])
    ).content.decode()
    assert "本机关本年度无此类信息。" in html


def test_withdrawn_item_leaves_the_list_and_its_page_says_so(
    client, petition_bureau, column, publish, drafter
):
    item = publish(title="将被撤回的信息")
    services.withdraw_item(item, actor=drafter, reason="内容有误")
    html = client.get(
        reverse("portal:column", args=[petition_bureau.pk, column.pk])
    ).content.decode()
    assert "将被撤回的信息" not in html
    page = client.get(reverse("portal:item", args=[petition_bureau.pk, item.pk])).content.decode()
    assert "已撤回" in page
    assert "将被撤回的信息" not in page


def test_item_of_another_agency_is_404(client, petition_bureau, publish):
    item = publish(title="本机关信息")
    other = petition_bureau.pk + 999
    assert client.get(reverse("portal:item", args=[other, item.pk])).status_code == 404


def test_column_list_query_count_is_fixed(
    client, petition_bureau, column, publish, django_assert_max_num_queries
):
    for n in range(3):
        publish(title=f"信息{n}")
    url = reverse("portal:column", args=[petition_bureau.pk, column.pk])
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_bad_page_and_ids_never_500(client, petition_bureau, column):
    url = reverse("portal:column", args=[petition_bureau.pk, column.pk])
    assert client.get(url, {"page": "abc"}).status_code == 200
    assert client.get(url, {"page": "99999"}).status_code == 200


def test_attachment_of_the_published_revision_downloads(
    client, petition_bureau, make_item, review_all, drafter
):
    from tests.disclosure.test_services import _pdf  # noqa: PLC0415

    item = make_item(title="带附件的信息")
    data = _pdf("Annex")
    attachment = services.add_attachment(item, actor=drafter, name="附件一.pdf", data=data)
    services.publish_item(review_all(item), actor=drafter)
    page = client.get(reverse("portal:item", args=[petition_bureau.pk, item.pk])).content.decode()
    url = reverse("portal:attachment", args=[petition_bureau.pk, item.pk, attachment.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    services.withdraw_item(item, actor=drafter, reason="撤回测试")
    assert client.get(url).status_code == 404


def test_item_without_a_recorded_signer_shows_a_dash_not_an_error(client, petition_bureau, publish):
    from gongkai.disclosure.models import Item  # noqa: PLC0415

    item = publish(title="导入的历史信息")
    # Items imported from an earlier system (or the bench data) may have neither.
    Item.objects.filter(pk=item.pk).update(signer=None, publisher=None)
    response = client.get(reverse("portal:item", args=[petition_bureau.pk, item.pk]))
    assert response.status_code == 200
    assert "— / —" in response.content.decode()


def test_home_lists_the_newest_public_items_in_bounded_queries(
    client, petition_bureau, publish, drafter, django_assert_max_num_queries
):
    for n in range(3):
        publish(title=f"最新信息{n}")
    withdrawn = publish(title="已撤回的信息")
    services.withdraw_item(withdrawn, actor=drafter, reason="撤回测试")
    with django_assert_max_num_queries(3):
        html = client.get(reverse("portal:home")).content.decode()
    assert html.index("最新信息2") < html.index("最新信息1") < html.index("最新信息0")
    assert "已撤回的信息" not in html
    assert reverse("portal:item", args=[petition_bureau.pk, withdrawn.pk]) not in html
