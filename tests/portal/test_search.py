"""The public search page: results with <mark>, filters, paging, XSS, bad input, query count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.disclosure import services

pytestmark = pytest.mark.django_db

URL = reverse("portal:search")


@pytest.fixture
def two_items(publish):
    petition = publish(
        title="关于做好信访工作的通知",
        body="<p>各单位要畅通信访渠道，依法分类处理信访诉求。</p>",
        subject="综合政务",
    )
    welfare = publish(
        title="城乡居民最低生活保障标准调整",
        body="<p>自 2026 年起，城市低保标准每人每月提高 50 元。</p>",
        subject="民政、扶贫、救灾",
    )
    return petition, welfare


def test_results_are_linked_highlighted_and_counted(client, two_items):
    petition, _welfare = two_items
    html = client.get(URL, {"q": "信访"}).content.decode()
    assert "找到 1 条与「信访」相关的公开信息" in html
    item_url = reverse("portal:item", args=[petition.agency_id, petition.pk])
    assert f'href="{item_url}"' in html
    assert "关于做好<mark>信访</mark>工作的通知" in html
    assert "畅通<mark>信访</mark>渠道" in html
    assert "最低生活保障" not in html
    assert petition.agency.name in html
    assert petition.column.name in html


def test_two_character_word_matches_inside_a_longer_word(client, two_items):
    _petition, welfare = two_items
    html = client.get(URL, {"q": "低保"}).content.decode()
    assert reverse("portal:item", args=[welfare.agency_id, welfare.pk]) in html
    assert "城市<mark>低保</mark>标准" in html


def test_filters_narrow_the_results(client, two_items, petition_bureau, other_agency):
    petition, _welfare = two_items
    query = {"q": "信访", "agency": petition_bureau.pk, "subject": "综合政务"}
    assert "找到 1 条" in client.get(URL, query).content.decode()
    assert "没有找到" in client.get(URL, {**query, "subject": "国防"}).content.decode()
    html = client.get(URL, {"q": "信访", "agency": other_agency.pk}).content.decode()
    assert "没有找到与「信访」相关的公开信息" in html
    assert "去掉机关、栏目、年份等筛选条件再试" in html
    # The column filter appears once an agency is chosen, and it filters.
    html = client.get(URL, {**query, "column": petition.column_id}).content.decode()
    assert 'name="column"' in html
    assert "找到 1 条" in html


def test_the_chosen_filters_stay_selected_and_names_are_escaped(
    client, two_items, petition_bureau, other_agency
):
    petition, _welfare = two_items
    other_agency.name = "<b>另一机关</b>"
    other_agency.save(update_fields=["name"])
    query = {"q": "信访", "agency": petition_bureau.pk, "column": petition.column_id}
    html = client.get(URL, {**query, "year": 2026, "subject": "综合政务", "validity": "valid"})
    html = html.content.decode()
    assert f'<option value="{petition_bureau.pk}" selected>{petition_bureau.name}</option>' in html
    assert f'<option value="{petition.column_id}" selected>{petition.column.name}</option>' in html
    assert '<option value="2026" selected>2026 年</option>' in html
    assert '<option value="综合政务" selected>综合政务</option>' in html
    assert '<option value="valid" selected>' in html
    assert html.count(" selected>") == 5
    assert f'<option value="{other_agency.pk}">&lt;b&gt;另一机关&lt;/b&gt;</option>' in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>信访",
        '"><img src=x onerror=alert(1)>',
        "信访</mark><b>x</b>",
    ],
)
def test_query_is_escaped_everywhere(client, two_items, payload):
    response = client.get(URL, {"q": payload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>x</b>" not in html
    assert "&lt;" in html or "&quot;" in html


def test_item_text_is_escaped_in_snippets(client, publish):
    publish(title="信访 <i>斜体</i> 标题", body="<p>信访 &lt;script&gt;alert(1)&lt;/script&gt;</p>")
    html = client.get(URL, {"q": "信访"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "<i>斜体</i>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "信" * 101}, "检索词太长了"),
        ({"q": "，。！？"}, "没有可以检索的文字"),
        ({"q": "信访\x00"}, "不能包含控制字符"),
    ],
)
def test_bad_queries_get_a_chinese_message(client, two_items, params, message):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "信访", "agency": "x"},
        {"q": "信访", "agency": "99999999999999999999"},
        {"q": "信访", "column": "-1", "year": "1900", "page": "abc"},
        {"q": "信访", "subject": "<b>", "validity": "nope", "page": "999999"},
    ],
)
def test_bad_filters_are_ignored_never_a_500(client, two_items, params):
    response = client.get(URL, params)
    assert response.status_code == 200


def test_empty_page_is_just_the_form(client, db):
    html = client.get(URL).content.decode()
    assert 'name="q"' in html
    assert "找到" not in html


def test_withdrawn_items_leave_the_results(client, two_items, drafter):
    petition, _welfare = two_items
    services.withdraw_item(petition, actor=drafter, reason="内容有误")
    assert "没有找到" in client.get(URL, {"q": "信访"}).content.decode()


def test_results_page(client, publish, django_assert_max_num_queries):
    for n in range(12):
        publish(title=f"信访事项办理情况（第 {n + 1} 期）")
    with django_assert_max_num_queries(8):
        first = client.get(URL, {"q": "信访"}).content.decode()
    assert "找到 12 条" in first
    assert "第 1 / 2 页" in first
    assert "page=2" in first
    second = client.get(URL, {"q": "信访", "page": 2}).content.decode()
    assert second.count("<li>\n      <h3>") == 2


def test_header_has_a_search_box(client, db):
    html = client.get(reverse("portal:home")).content.decode()
    assert f'action="{URL}"' in html
