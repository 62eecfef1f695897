"""Cached portal pages: served without queries, never stale after a public change."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from gongkai.disclosure import services
from gongkai.portal import cache as page_cache

pytestmark = pytest.mark.django_db


def _get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response


def test_second_request_is_a_hit_without_queries(
    client, petition_bureau, column, publish, django_assert_num_queries
):
    publish(title="缓存中的信息")
    url = reverse("portal:column", args=[petition_bureau.pk, column.pk])
    first = _get(client, url)
    assert first["X-Portal-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = _get(client, url)
    assert second["X-Portal-Cache"] == "hit"
    assert second.content == first.content
    assert "缓存中的信息" in second.content.decode()


def test_publication_withdrawal_and_column_edit_show_at_once(
    client, petition_bureau, column, publish, drafter
):
    column_url = reverse("portal:column", args=[petition_bureau.pk, column.pk])
    home_url = reverse("portal:home")
    first = publish(title="第一条信息")
    _get(client, column_url)
    _get(client, home_url)
    second = publish(title="第二条信息")
    assert "第二条信息" in _get(client, column_url).content.decode()
    item_url = reverse("portal:item", args=[petition_bureau.pk, second.pk])
    assert "第二条信息" in _get(client, item_url).content.decode()
    services.withdraw_item(second, actor=drafter, reason="内容有误")
    assert "第二条信息" not in _get(client, column_url).content.decode()
    assert "已撤回" in _get(client, item_url).content.decode()
    column.no_content_statement = "改过的说明"
    column.name = "改名后的栏目"
    column.save(update_fields=["name", "no_content_statement"])
    html = _get(client, column_url).content.decode()
    assert "改名后的栏目" in html
    assert "第一条信息" in html
    assert first.pk


def test_agency_settings_change_every_page_of_that_agency(client, petition_bureau):
    url = reverse("portal:agency", args=[petition_bureau.pk])
    _get(client, url)
    petition_bureau.office_phone = "0591-12345678"
    petition_bureau.save(update_fields=["office_phone"])
    assert "0591-12345678" in _get(client, url).content.decode()


def test_another_agencys_publication_keeps_this_agencys_pages(
    client, petition_bureau, other_agency, column
):
    url = reverse("portal:column", args=[petition_bureau.pk, column.pk])
    _get(client, url)
    page_cache.bump_agency(other_agency.pk)
    assert _get(client, url)["X-Portal-Cache"] == "hit"
    page_cache.bump_agency(petition_bureau.pk)
    assert _get(client, url)["X-Portal-Cache"] == "miss"


def test_a_draft_of_a_never_published_item_invalidates_nothing(
    client, petition_bureau, column, make_item
):
    url = reverse("portal:column", args=[petition_bureau.pk, column.pk])
    _get(client, url)
    make_item(title="起草中")
    assert _get(client, url)["X-Portal-Cache"] == "hit"


def test_404_is_not_cached(client, petition_bureau):
    url = reverse("portal:item", args=[petition_bureau.pk, 999_999])
    assert client.get(url).status_code == 404
    assert "X-Portal-Cache" not in client.get(url)


def test_the_commit_bumps_again(petition_bureau, django_capture_on_commit_callbacks):
    scopes = [page_cache.agency_scope(petition_bureau.pk)]
    before = page_cache.generations().current(scopes)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        page_cache.bump_agency(petition_bureau.pk)
    now = page_cache.generations().current(scopes)
    assert now != before
    assert len(callbacks) == 1
    callbacks[0]()
    assert page_cache.generations().current(scopes) != now


def test_an_evicted_stamp_is_never_reused(petition_bureau):
    from django.core.cache import cache  # noqa: PLC0415

    scope = page_cache.agency_scope(petition_bureau.pk)
    seen = set()
    for _ in range(20):
        cache.delete(f"portal:gen:{scope}")
        seen.add(page_cache.generations().current([scope])[0])
    assert len(seen) == 20


def test_cache_off_serves_every_request_fresh(client, petition_bureau, settings):
    settings.GONGKAI_PORTAL_CACHE_SECONDS = 0
    url = reverse("portal:agency", args=[petition_bureau.pk])
    assert "X-Portal-Cache" not in _get(client, url)
    assert "X-Portal-Cache" not in _get(client, url)


def test_each_display_preference_has_its_own_page(client, petition_bureau):
    from gongkai.portal import prefs  # noqa: PLC0415

    url = reverse("portal:agency", args=[petition_bureau.pk])
    normal = _get(client, url).content.decode()
    client.cookies[prefs.COOKIE] = "large.1"
    elder = _get(client, url)
    assert elder["X-Portal-Cache"] == "miss"
    assert "mode-elder" in elder.content.decode()
    assert "mode-elder" not in normal
    assert _get(client, url)["X-Portal-Cache"] == "hit"
    client.cookies[prefs.COOKIE] = "nonsense"  # unknown values are the defaults: same page
    assert _get(client, url)["X-Portal-Cache"] == "hit"


def test_leaving_demo_mode_never_serves_a_page_with_the_ribbon(client, settings):
    settings.GONGKAI_DEMO = True
    assert "演示数据" in _get(client, reverse("portal:home")).content.decode()
    settings.GONGKAI_DEMO = False
    assert "演示数据" not in _get(client, reverse("portal:home")).content.decode()


def test_a_cached_search_finds_what_was_published_after_it(client, petition_bureau, publish):
    url = reverse("portal:search") + "?q=低保"
    publish(title="关于低保复核的通知")
    assert "复核的通知" in _get(client, url).content.decode()  # 低保 itself is in <mark>
    assert _get(client, url)["X-Portal-Cache"] == "hit"
    publish(title="低保标准调整的公告")
    assert "标准调整的公告" in _get(client, url).content.decode()
