"""The 专栏's fixed entries: the guide page, 制度 and the other single pages, the agency page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.disclosure import services
from gongkai.disclosure.guide import GENERATED_LABEL
from gongkai.disclosure.models import Column

pytestmark = pytest.mark.django_db


def _url(agency):
    return reverse("portal:guide", args=[agency.pk])


def test_without_a_published_guide_the_generated_text_is_labelled(client, petition_bureau):
    html = client.get(_url(petition_bureau)).content.decode()
    assert GENERATED_LABEL in html
    assert "示范市信访局政府信息公开指南" in html
    assert "示范市人民路1号" in html


def test_a_draft_guide_is_not_public_and_the_published_one_replaces_the_generated_text(
    client, petition_bureau, drafter, item_template, review_all
):
    item = services.draft_guide(petition_bureau, actor=drafter)
    services.update_item(item, actor=drafter, body="<p>本局自行修订的指南（草稿）。</p>")
    html = client.get(_url(petition_bureau)).content.decode()
    assert "草稿" not in html
    assert GENERATED_LABEL in html
    services.publish_item(review_all(item), actor=drafter)
    html = client.get(_url(petition_bureau)).content.decode()
    assert "本局自行修订的指南（草稿）。" in html
    assert GENERATED_LABEL not in html


def test_guide_column_link_goes_to_the_guide_page(client, petition_bureau):
    column = Column.objects.get(agency=petition_bureau, name="政府信息公开指南")
    response = client.get(reverse("portal:column", args=[petition_bureau.pk, column.pk]))
    assert response.status_code == 302
    assert response["Location"] == _url(petition_bureau)


def test_rules_page_shows_the_published_item_or_the_no_content_statement(
    client, petition_bureau, make_item, review_all, drafter
):
    rules = Column.objects.get(agency=petition_bureau, name="政府信息公开制度")
    url = reverse("portal:column", args=[petition_bureau.pk, rules.pk])
    services.update_column(rules, actor=None, no_content_statement="本机关制度正在修订。")
    assert "本机关制度正在修订。" in client.get(url).content.decode()
    item = make_item(column=rules, title="政府信息公开工作制度", body="<p>发布审核制度。</p>")
    services.publish_item(review_all(item), actor=drafter)
    html = client.get(url).content.decode()
    assert "发布审核制度。" in html
    assert "本机关制度正在修订。" not in html


def test_agency_page_leads_with_the_fixed_entries(client, petition_bureau):
    html = client.get(reverse("portal:agency", args=[petition_bureau.pk])).content.decode()
    columns = {c.name: c for c in Column.objects.filter(agency=petition_bureau)}
    entries = [
        _url(petition_bureau),
        reverse("portal:column", args=[petition_bureau.pk, columns["政府信息公开制度"].pk]),
        'href="#statutory"',
        reverse("portal:column", args=[petition_bureau.pk, columns["政府信息公开年报"].pk]),
    ]
    positions = [html.index(entry) for entry in entries]
    assert positions == sorted(positions)
    # the statutory subtree lists its children; other root columns follow under 其他栏目
    assert html.index(">政策文件<") > html.index('id="statutory"')
    assert html.index(">工作动态<") > html.index('id="other-columns"')


def test_guide_page_query_count(
    client, petition_bureau, drafter, item_template, review_all, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):  # generated: agency, tree, item lookup, facts
        assert client.get(_url(petition_bureau)).status_code == 200
    services.publish_item(
        review_all(services.draft_guide(petition_bureau, actor=drafter)), actor=drafter
    )
    with django_assert_max_num_queries(5):  # published: agency, tree, item, attachments
        assert client.get(_url(petition_bureau)).status_code == 200


def test_unknown_agency_guide_is_404(client, petition_bureau):
    assert client.get(reverse("portal:guide", args=[petition_bureau.pk + 999])).status_code == 404


def test_agency_and_single_page_query_counts(
    client, petition_bureau, django_assert_max_num_queries
):
    rules = Column.objects.get(agency=petition_bureau, name="政府信息公开制度")
    with django_assert_max_num_queries(2):  # agency, column tree
        assert client.get(reverse("portal:agency", args=[petition_bureau.pk])).status_code == 200
    with django_assert_max_num_queries(4):  # agency, column, tree, page item
        url = reverse("portal:column", args=[petition_bureau.pk, rules.pk])
        assert client.get(url).status_code == 200


def test_a_group_column_lists_its_columns(client, petition_bureau):
    group = Column.objects.get(agency=petition_bureau, name="法定主动公开内容")
    html = client.get(
        reverse("portal:column", args=[petition_bureau.pk, group.pk])
    ).content.decode()
    policy = Column.objects.get(agency=petition_bureau, parent=group, name="政策文件")
    assert reverse("portal:column", args=[petition_bureau.pk, policy.pk]) in html
    assert "本栏目暂无公开信息" not in html
