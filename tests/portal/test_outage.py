"""The cache unreachable (Redis down): the portal serves fresh pages, publishing goes on, the
invalidation is delivered later and no page from before a change is served after it."""

from __future__ import annotations

import logging

import pytest
import redis
from django.test import RequestFactory
from django.urls import reverse

from gongkai.disclosure.models import Item
from gongkai.portal import cache as page_cache
from gongkai.portal import limits
from gongkai.portal.generations import CacheGenerations

pytestmark = pytest.mark.django_db


class Flaky(CacheGenerations):
    """The LocMem store that fails as a dead Redis does while ``down``."""

    def __init__(self) -> None:
        self.down = False
        self.calls = 0
        self.bumped: list[list[str]] = []

    def _reach(self) -> None:
        self.calls += 1
        if self.down:
            raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379.")

    def lookup(self, page_key, scopes):
        self._reach()
        return super().lookup(page_key, scopes)

    def save(self, page_key, page, timeout):
        self._reach()
        super().save(page_key, page, timeout)

    def bump(self, scopes):
        self._reach()
        self.bumped.append(sorted(scopes))
        super().bump(scopes)


@pytest.fixture
def store(monkeypatch):
    flaky = Flaky()
    monkeypatch.setattr(page_cache._Chosen, "store", flaky)
    page_cache._Outage.reset()
    yield flaky
    page_cache._Outage.reset()


def _recover(store: Flaky) -> None:
    store.down = False
    page_cache._Outage.until = 0.0  # as if OUTAGE_SECONDS had passed


def test_pages_are_served_fresh_while_the_cache_is_down(client, petition_bureau, store, caplog):
    store.down = True
    url = reverse("portal:agency", args=[petition_bureau.pk])
    with caplog.at_level(logging.ERROR, logger="gongkai.portal.cache"):
        first = client.get(url)
    assert first.status_code == 200
    assert "X-Portal-Cache" not in first
    assert "门户缓存不可用（读取）" in caplog.text
    # Within OUTAGE_SECONDS the cache is not even tried: a dead server costs no time.
    calls = store.calls
    assert client.get(url).status_code == 200
    assert store.calls == calls


def test_publishing_goes_on_and_no_page_from_before_is_served_after(
    client, petition_bureau, column, publish, store
):
    url = reverse("portal:column", args=[petition_bureau.pk, column.pk])
    assert client.get(url)["X-Portal-Cache"] == "miss"
    assert client.get(url)["X-Portal-Cache"] == "hit"

    store.down = True
    item = publish(title="缓存中断期间发布的信息")
    assert Item.objects.get(pk=item.pk).published_revision_id is not None
    owed = {page_cache.SITE, page_cache.agency_scope(petition_bureau.pk)}
    assert owed <= page_cache._Outage.owed

    _recover(store)
    page = client.get(url)
    # What was owed went out before the cache was read, so the old page is stale.
    assert sorted(owed) in [sorted(set(b) & owed) for b in store.bumped]
    assert page["X-Portal-Cache"] == "miss"
    assert "缓存中断期间发布的信息" in page.content.decode()
    assert not page_cache._Outage.owed
    assert client.get(url)["X-Portal-Cache"] == "hit"


def test_a_failed_save_leaves_the_page_served(client, petition_bureau, store, monkeypatch):
    url = reverse("portal:agency", args=[petition_bureau.pk])

    def refuse(*_args):
        raise redis.exceptions.TimeoutError("Timeout reading from socket")

    monkeypatch.setattr(store, "save", refuse)
    response = client.get(url)
    assert response.status_code == 200
    assert "X-Portal-Cache" not in response
    assert page_cache._Outage.down()


@pytest.fixture
def dead_redis(settings):
    # Nothing listens on port 1: every connection is refused at once.
    dead = "redis://127.0.0.1:1/0"
    settings.CACHES = {
        "default": {"BACKEND": "gongkai.redis_cache.ReusingRedisCache", "LOCATION": dead}
    }
    settings.GONGKAI_PORTAL_REDIS_URL = dead
    yield
    page_cache._Outage.reset()


def test_a_real_dead_redis_takes_down_neither_the_portal_nor_publishing(
    client, petition_bureau, publish, dead_redis
):
    item = publish(title="Redis 停止时发布的信息")
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200
    assert "Redis 停止时发布的信息" in home.content.decode()
    assert Item.objects.get(pk=item.pk).published_revision_id is not None


def test_rate_limits_fail_open_when_the_cache_is_down(dead_redis, caplog):
    request = RequestFactory().post("/track/", REMOTE_ADDR="203.0.113.9")
    with caplog.at_level(logging.ERROR, logger="gongkai.portal.limits"):
        assert limits.over_ip_limit(request, "track", "1/h") is False
        assert limits.over_identity_limit(request, "110101199003078515") is False
    assert "限流计数不可用" in caplog.text
