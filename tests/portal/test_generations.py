"""Generation stamps in Redis, mirrored per worker through a subscription (real Redis)."""

from __future__ import annotations

import json
import os
import time
import uuid

import pytest
import redis
from django.urls import reverse

from gongkai.portal import cache as page_cache
from gongkai.portal.generations import RedisGenerations

REDIS = os.environ.get("GONGKAI_TEST_REDIS", "redis://127.0.0.1:6379/15")


def _eventually(predicate, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


@pytest.fixture
def workers():
    """Two worker processes' views of one deployment's stamps (same Redis, same namespace)."""
    name = f"t-{uuid.uuid4().hex}"
    made = []

    def make(**kwargs) -> RedisGenerations:
        store = RedisGenerations(REDIS, name, **kwargs)
        store.POLL_SECONDS = 0.05
        made.append(store)
        return store

    yield make
    for store in made:
        store.stop()
    redis.Redis.from_url(REDIS).delete(f"{name}:portal:generations")


def _synced(store: RedisGenerations) -> RedisGenerations:
    store.start()
    assert _eventually(lambda: store.synced), "the subscription was not confirmed"
    return store


def _no_redis_reads(store, monkeypatch):
    def refuse(scopes):
        raise AssertionError(f"read Redis for {scopes}")

    monkeypatch.setattr(store, "_read", refuse)


def test_a_change_reaches_the_other_worker_and_hits_then_need_no_round_trip(workers, monkeypatch):
    a, b = _synced(workers()), _synced(workers())
    before = b.current(["agency:1", "site"])
    assert a.current(["agency:1", "site"]) == before  # one deployment, one set of stamps
    a.bump(["agency:1"])
    assert _eventually(lambda: b.current(["agency:1"]) != before[:1])
    now = b.current(["agency:1", "site"])
    assert now[1] == before[1]  # the other scope kept its stamp
    assert now == tuple(a._read(["agency:1", "site"]))  # and equals what Redis holds
    _no_redis_reads(b, monkeypatch)
    assert b.current(["agency:1", "site"]) == now  # from the worker's copy


def test_the_bumping_worker_never_reads_its_old_stamp(workers):
    a = _synced(workers())
    before = a.current(["site"])
    a.bump(["site"])
    assert a.current(["site"]) != before  # at once, not after the message comes back


def test_a_broken_subscription_falls_back_to_redis_until_it_is_back(workers):
    a, b = _synced(workers()), workers()
    b.RETRY_SECONDS = 0.5
    _synced(b)
    before = b.current(["site"])
    server = redis.Redis.from_url(REDIS)
    (mine,) = [c["id"] for c in server.client_list(_type="pubsub") if c["name"] == b.client_name]
    assert server.client_kill_filter(_id=mine) == 1
    assert _eventually(lambda: not b.synced)
    a.bump(["site"])  # published while b hears nothing
    during = b.current(["site"])
    assert during != before  # read from Redis, not from a copy that missed the message
    assert _eventually(lambda: b.synced)  # subscribed again; the copy starts empty
    assert b.current(["site"]) == during
    a.bump(["site"])
    assert _eventually(lambda: b.current(["site"]) != during)


def test_a_read_overtaken_by_a_message_is_used_once_and_not_kept(workers):
    b = _synced(workers())
    read = b._read
    newer = f"{time.time_ns() + 10**12:x}ffffffff"

    def read_then_a_message_arrives(scopes):
        values = read(scopes)
        b._receive({"type": "message", "data": json.dumps({"site": newer})})
        return values

    b._read = read_then_a_message_arrives
    first = b.current(["site"])
    assert first != (newer,)
    b._read = read
    assert b.current(["site"]) == (newer,)  # the message's stamp, not the overtaken read


def test_a_new_process_starts_its_own_subscription(workers, monkeypatch):
    b = _synced(workers())
    first = b.listener
    monkeypatch.setattr(os, "getpid", lambda: -1)  # as in a worker forked after start()
    b.start()
    assert b.listener is not first
    assert _eventually(lambda: b.synced)


def test_worker_pages_are_checked_against_the_current_stamps(workers):
    a = _synced(workers())
    b = _synced(workers(worker_bytes=1 << 20, ttl=60))
    stamps = b.current(["site"])
    b.save("portal:page:test", (stamps, b"<p>x</p>", "text/html"), 60)
    assert b.lookup("portal:page:test", ["site"]) == (stamps, (stamps, b"<p>x</p>", "text/html"))
    a.bump(["site"])
    assert _eventually(lambda: b.current(["site"]) != stamps)
    now, page = b.lookup("portal:page:test", ["site"])
    assert page[0] != now  # the stale copy is seen for what it is: the view renders again


def test_a_page_larger_than_the_worker_budget_stays_in_the_shared_cache(workers):
    b = _synced(workers(worker_bytes=1000, ttl=60))
    stamps = b.current(["site"])
    page = (stamps, b"x" * 5000, "text/html")
    b.save("portal:page:big", page, 60)
    assert b._pages.get("portal:page:big") is None
    assert b.lookup("portal:page:big", ["site"]) == (stamps, page)


@pytest.mark.django_db
def test_portal_pages_through_redis_stamps(
    client, settings, petition_bureau, column, publish, monkeypatch, django_assert_num_queries
):
    settings.GONGKAI_PORTAL_REDIS_URL = REDIS
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": f"t-{uuid.uuid4().hex}",
        }
    }
    store = page_cache.generations()
    assert isinstance(store, RedisGenerations)
    store.POLL_SECONDS = 0.05
    try:
        _synced(store)
        url = reverse("portal:column", args=[petition_bureau.pk, column.pk])
        publish(title="第一条")
        assert client.get(url)["X-Portal-Cache"] == "miss"
        assert client.get(url)["X-Portal-Cache"] == "hit"
        with monkeypatch.context() as patch:
            _no_redis_reads(store, patch)
            patch.setattr("django.core.cache.cache.get", lambda *a, **k: pytest.fail("cache"))
            with django_assert_num_queries(0):
                assert client.get(url)["X-Portal-Cache"] == "hit"  # from the worker's memory
        publish(title="第二条")
        response = client.get(url)
        assert response["X-Portal-Cache"] == "miss"
        assert "第二条" in response.content.decode()
    finally:
        redis.Redis.from_url(REDIS).delete(store.hash_key)
    settings.GONGKAI_PORTAL_REDIS_URL = ""
    assert not isinstance(page_cache.generations(), RedisGenerations)
    assert not store.listener.is_alive()
