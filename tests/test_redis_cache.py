"""The Redis cache backend keeps one client per connection pool and behaves like Django's."""

from __future__ import annotations

import os
import uuid

from gongkai.redis_cache import ReusingRedisCache

REDIS = os.environ.get("GONGKAI_TEST_REDIS", "redis://127.0.0.1:6379/15")


def test_one_client_per_pool_and_the_usual_operations():
    cache = ReusingRedisCache(REDIS, {"KEY_PREFIX": f"t-{uuid.uuid4().hex}"})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads share the pool
    cache.set("page", (("s1", "s2"), b"<p>x</p>", "text/html"), 30)
    assert cache.add("stamp", "a", None)
    assert not cache.add("stamp", "b", None)
    found = cache.get_many(["page", "stamp", "missing"])
    assert found == {"page": (("s1", "s2"), b"<p>x</p>", "text/html"), "stamp": "a"}
    cache.delete_many(["page", "stamp"])
    assert cache.get_many(["page", "stamp"]) == {}
