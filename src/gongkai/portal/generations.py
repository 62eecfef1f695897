"""Where the portal cache's generation stamps live (see :mod:`gongkai.portal.cache`).

Two stores, one interface:

- :class:`CacheGenerations` keeps each stamp as a key of Django's cache. With LocMem (development,
  tests, a single process) that is all there is; a stored page and its stamps are read in one
  ``get_many``.
- :class:`RedisGenerations` (``REDIS_URL`` set: several gunicorn workers, maybe several hosts)
  keeps the stamps in one Redis hash and announces every change on a Redis channel in the same
  ``MULTI``. Each worker process subscribes (a daemon thread, started by the first request the
  process serves, so also after a fork) and keeps its own copy of the stamps it has used, so a
  cached page is answered from the worker's memory with **no network round trip** — the one cost
  left between a cached page and the bare framework.

Why a worker's copy can be trusted: it is only used while the subscription is confirmed. A stamp
the worker does not hold is read from Redis after the subscription was confirmed, so every later
change reaches it as a message; a read that a message overtook is used for that request only and
not kept. When the subscription breaks (Redis restarted, connection killed or silent past the
health check) the copy is dropped and every request reads the stamps from Redis, as the cache
store does, until the worker has subscribed again. A worker therefore learns of a change as
soon as Redis delivers the message (well under a millisecond on one host); the bumping process
drops its own copy at once, so its next page is never stale.

Stamps are unique values (clock plus random), never counters: if the hash is lost (Redis keeps
nothing on disk), the new stamps are values no page was ever stored under.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import cachetools
import redis
from django.core.cache import cache
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

_GEN = "portal:gen:"
# What an unreachable cache raises (Django's Redis cache passes redis-py's errors through).
UNAVAILABLE: tuple[type[BaseException], ...] = (redis.exceptions.RedisError, OSError)


def new_stamp() -> str:
    return f"{time.time_ns():x}{secrets.token_hex(4)}"


class Generations(Protocol):
    def current(self, scopes: Sequence[str]) -> tuple[str, ...]:
        """The current stamp of each scope (a missing one is created)."""

    def lookup(self, page_key: str, scopes: Sequence[str]) -> tuple[tuple[str, ...], Any]:
        """The current stamps of ``scopes`` and the page stored under ``page_key`` (or None)."""

    def save(self, page_key: str, page: tuple[Any, ...], timeout: int) -> None:
        """Store a rendered page (its first element: the stamps it was rendered under)."""

    def bump(self, scopes: Iterable[str]) -> None:
        """Give each scope a new stamp."""


class CacheGenerations:
    """Stamps as keys of Django's cache: page and stamps in one round trip."""

    @staticmethod
    def _key(scope: str) -> str:
        return f"{_GEN}{scope}"

    def _fill_missing(self, found: dict[str, Any], keys: list[str]) -> None:
        for key in keys:
            if key not in found:
                stamp = new_stamp()
                # add(), not set(): when two workers race, both then read the one that won.
                found[key] = stamp if cache.add(key, stamp, timeout=None) else cache.get(key, stamp)

    def current(self, scopes: Sequence[str]) -> tuple[str, ...]:
        keys = [self._key(scope) for scope in scopes]
        found = cache.get_many(keys)
        self._fill_missing(found, keys)
        return tuple(found[key] for key in keys)

    def lookup(self, page_key: str, scopes: Sequence[str]) -> tuple[tuple[str, ...], Any]:
        keys = [self._key(scope) for scope in scopes]
        found = cache.get_many([page_key, *keys])
        page = found.pop(page_key, None)
        self._fill_missing(found, keys)
        return tuple(found[key] for key in keys), page

    def save(self, page_key: str, page: tuple[Any, ...], timeout: int) -> None:
        cache.set(page_key, page, timeout=timeout)

    def bump(self, scopes: Iterable[str]) -> None:
        stamp = new_stamp()
        cache.set_many({self._key(scope): stamp for scope in scopes}, timeout=None)


class _WorkerPages:
    """The pages this worker served lately, at most ``max_bytes`` of them, each for ``ttl``
    seconds. Every entry still carries its stamps and is checked against the current ones."""

    def __init__(self, max_bytes: int, ttl: int) -> None:
        self._pages: cachetools.TTLCache = cachetools.TTLCache(
            maxsize=max(1, max_bytes), ttl=max(1, ttl), getsizeof=self._size
        )
        self._lock = threading.Lock()

    @staticmethod
    def _size(page: tuple[Any, ...]) -> int:
        return len(page[1]) + 512  # body plus the key, stamps and bookkeeping

    def get(self, key: str) -> Any:
        with self._lock:
            return self._pages.get(key)

    def put(self, key: str, page: tuple[Any, ...]) -> None:
        if self._size(page) > self._pages.maxsize:
            return
        with self._lock:
            self._pages[key] = page

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


class RedisGenerations:
    """Stamps in a Redis hash, mirrored in each worker process through a subscription; the
    pages themselves in Django's cache (Redis) and the newest of them in the worker's memory."""

    # Seconds between PINGs on an idle subscription: how long a silently dead connection can
    # keep a worker trusting its copy. Every change also crosses the connection, so a live
    # portal notices a broken one sooner.
    HEALTH_CHECK_SECONDS = 5
    RETRY_SECONDS = 1.0
    POLL_SECONDS = 1.0  # how soon stop() is noticed

    def __init__(self, url: str, name: str, *, worker_bytes: int = 0, ttl: int = 300) -> None:
        self._url = url
        self._pages = _WorkerPages(worker_bytes, ttl) if worker_bytes > 0 else None
        self.hash_key = f"{name}:portal:generations"
        self.channel = f"{name}:portal:generations"
        # Shown by CLIENT LIST: which process holds a subscription.
        self.client_name = f"gongkai-portal-generations-{secrets.token_hex(4)}"
        self._client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._lock = threading.Lock()
        self._stamps: dict[str, str] = {}
        self._epoch = 0  # bumped by every message and every (re)subscription
        self._synced = False
        self._pid: int | None = None
        self._stop = threading.Event()
        self.listener: threading.Thread | None = None

    # --- the subscription ---------------------------------------------------------------------

    def start(self) -> None:
        """Subscribe in a daemon thread, once per process (a forked worker starts its own)."""
        pid = os.getpid()
        if self._pid == pid:
            return
        with self._lock:
            if self._pid == pid:
                return
            self._pid = pid
            if self._pages is not None:
                self._pages.clear()
            self._stamps.clear()
            self._synced = False
            self._epoch += 1
            # After a fork the parent's connections are not ours; the pool notices the pid.
            self.listener = threading.Thread(
                target=self._listen, name="portal-generations", daemon=True
            )
            self.listener.start()

    def stop(self) -> None:
        self._stop.set()
        if self.listener is not None:
            self.listener.join(timeout=10)

    @property
    def synced(self) -> bool:
        return self._synced

    def _desync(self) -> None:
        with self._lock:
            self._synced = False
            self._stamps.clear()
            self._epoch += 1

    def _listen(self) -> None:
        while not self._stop.is_set():
            pubsub = None
            try:
                client = redis.Redis.from_url(
                    self._url,
                    socket_connect_timeout=5,
                    # get_message() PINGs an idle connection this often: a dead one fails.
                    health_check_interval=self.HEALTH_CHECK_SECONDS,
                    # No silent reconnection: messages sent while it was down would be lost
                    # with the copy still trusted. A failure ends this subscription instead.
                    retry=Retry(NoBackoff(), 0),
                    client_name=self.client_name,
                )
                pubsub = client.pubsub()
                pubsub.subscribe(self.channel)
                while not self._stop.is_set():
                    message = pubsub.get_message(timeout=self.POLL_SECONDS)
                    if message is not None:
                        self._receive(message)
            except Exception:  # any failure: distrust the copy, then try again
                logger.warning("门户缓存代际订阅中断，改为每次从 Redis 读取", exc_info=True)
            finally:
                self._desync()
                if pubsub is not None:
                    with contextlib.suppress(Exception):  # the connection is gone either way
                        pubsub.close()
            self._stop.wait(self.RETRY_SECONDS)

    def _receive(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "subscribe":
            with self._lock:
                self._stamps.clear()
                self._epoch += 1
                self._synced = True
        elif kind == "message":
            changed = json.loads(message["data"])
            with self._lock:
                self._stamps.update(changed)
                self._epoch += 1

    # --- reading and bumping ------------------------------------------------------------------

    def _read(self, scopes: Sequence[str]) -> list[str]:
        """The stamps in Redis; a missing one is created (HSETNX: racing workers agree)."""
        values = self._client.hmget(self.hash_key, list(scopes))
        missing = [scope for scope, value in zip(scopes, values, strict=True) if value is None]
        if missing:
            with self._client.pipeline(transaction=True) as pipe:
                for scope in missing:
                    pipe.hsetnx(self.hash_key, scope, new_stamp())
                pipe.hmget(self.hash_key, missing)
                created = dict(zip(missing, pipe.execute()[-1], strict=True))
            values = [created.get(scope, v) for scope, v in zip(scopes, values, strict=True)]
        return [value.decode() if isinstance(value, bytes) else value for value in values]

    def current(self, scopes: Sequence[str]) -> tuple[str, ...]:
        """The current stamps: from the worker's copy when it can be trusted, else from Redis."""
        self.start()
        with self._lock:
            synced, epoch = self._synced, self._epoch
            held = [s for s in map(self._stamps.get, scopes) if s is not None] if synced else []
        if len(held) == len(scopes):
            return tuple(held)
        values = self._read(scopes)
        if synced:
            with self._lock:
                # Kept only if no message came in meanwhile (it may be newer than what we read).
                if self._synced and self._epoch == epoch:
                    self._stamps.update(zip(scopes, values, strict=True))
        return tuple(values)

    def lookup(self, page_key: str, scopes: Sequence[str]) -> tuple[tuple[str, ...], Any]:
        stamps = self.current(scopes)
        if self._pages is None:
            return stamps, cache.get(page_key)
        page = self._pages.get(page_key)
        if page is None or page[0] != stamps:
            page = cache.get(page_key)  # another worker may have rendered it
            if page is not None and page[0] == stamps:
                self._pages.put(page_key, page)
        return stamps, page

    def save(self, page_key: str, page: tuple[Any, ...], timeout: int) -> None:
        cache.set(page_key, page, timeout=timeout)
        if self._pages is not None:
            self._pages.put(page_key, page)

    def bump(self, scopes: Iterable[str]) -> None:
        stamp = new_stamp()
        changed = dict.fromkeys(scopes, stamp)
        if not changed:
            return
        with self._lock:
            # Dropped before Redis is written, so that even a write that fails leaves no
            # trusted stale copy here; not set to the new stamp: a later change by another
            # process may already be in the copy. The next page reads Redis.
            for scope in changed:
                self._stamps.pop(scope, None)
            self._epoch += 1
        with self._client.pipeline(transaction=True) as pipe:
            pipe.hset(self.hash_key, mapping=changed)
            pipe.publish(self.channel, json.dumps(changed))
            pipe.execute()
