"""Server-side cache of the portal's public pages, invalidated by generation stamps.

A public page depends on one agency's published items, columns and settings (its 专栏 pages) or
on the whole deployment (home, search). Each scope has a *generation*: a stamp in the cache that
changes with anything that changes what the public sees there. A stored page records the
stamps it was rendered under; a hit compares them with the current ones, any difference is a
miss. So a publication, withdrawal, edit, column or agency change makes every older page of its
scope stale at once, on every worker, without finding or deleting anything; the next request
re-renders and overwrites it, the TTL reclaims the rest. Where the stamps live
(:mod:`gongkai.portal.generations`): with Redis, in a hash whose changes every worker hears on a
channel, so that a hit is answered from the worker's memory; otherwise in Django's cache, page
and stamps read in one ``get_many``.

Stamps are unique values (clock plus random), never counters: if a stamp is evicted, its
replacement is a value no key has ever used, so an eviction can never bring a stale page back.

Only complete ``200`` HTML answers to anonymous-equivalent requests are stored: nothing that sets
a cookie or embeds a CSRF token (a form that posts), no streamed file. The variant part of the key
(font size, elder mode) comes from the visitor's display preferences.

An unreachable cache (Redis down) never takes the portal or publishing with it: pages are then
rendered fresh and not stored, and a change's invalidation is *owed* — kept by the process and
delivered before its next read of the cache. For ``OUTAGE_SECONDS`` after a failure the cache
is not tried at all, so a dead server costs no time per request. A page other processes stored
before the outage can outlive a change made during it only if this process ends before it
delivers what it owes, and then for at most the TTL.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from gongkai.portal import prefs
from gongkai.portal.generations import (
    UNAVAILABLE,
    CacheGenerations,
    Generations,
    RedisGenerations,
)

logger = logging.getLogger(__name__)

# Anything public changed anywhere: home and search.
SITE = "site"
# The regions and agencies themselves (names, which are active): every page's header and trail.
STRUCTURE = "structure"
_PAGE = "portal:page:"


def agency_scope(agency_id: int) -> str:
    return f"agency:{agency_id}"


def ttl() -> int:
    return int(getattr(settings, "GONGKAI_PORTAL_CACHE_SECONDS", 0))


class _Chosen:
    store: Generations | None = None


def generations() -> Generations:
    """Where the stamps live: Redis with a per-worker copy when ``GONGKAI_PORTAL_REDIS_URL`` is
    set (production, from ``REDIS_URL``), else Django's cache (see :mod:`.generations`). Chosen
    once per process, again when the settings change (tests override them)."""
    if _Chosen.store is None:
        url = settings.GONGKAI_PORTAL_REDIS_URL
        _Chosen.store = (
            RedisGenerations(
                url,
                _namespace(),
                worker_bytes=int(settings.GONGKAI_PORTAL_WORKER_CACHE_BYTES),
                ttl=ttl(),
            )
            if url
            else CacheGenerations()
        )
    return _Chosen.store


@receiver(setting_changed)
def _settings_changed(**_kwargs: Any) -> None:
    if isinstance(_Chosen.store, RedisGenerations):
        _Chosen.store.stop()
    _Chosen.store = None
    _Outage.reset()


OUTAGE_SECONDS = 5.0


class _Outage:
    """This process's view of an unreachable cache: until when not to try it, and the scopes
    whose invalidation it still owes."""

    until = 0.0
    owed: set[str] = set()  # noqa: RUF012 - process state, guarded by the lock
    lock = threading.Lock()

    @classmethod
    def reset(cls) -> None:
        with cls.lock:
            cls.until, cls.owed = 0.0, set()

    @classmethod
    def down(cls) -> bool:
        return time.monotonic() < cls.until

    @classmethod
    def failed(cls, doing: str) -> None:
        cls.until = time.monotonic() + OUTAGE_SECONDS
        logger.error(
            "门户缓存不可用（%s），%s 秒内页面不经缓存生成，失效通知稍后补发",
            doing,
            OUTAGE_SECONDS,
            exc_info=True,
        )

    @classmethod
    def settle(cls) -> None:
        """Deliver what is owed; raises what the cache raises."""
        if not cls.owed:
            return
        with cls.lock:
            owed = sorted(cls.owed)
        generations().bump(owed)
        with cls.lock:
            cls.owed.difference_update(owed)


def _namespace() -> str:
    """Deployments sharing one Redis keep apart by their cache key prefix."""
    return settings.CACHES["default"].get("KEY_PREFIX", "") or "gongkai"


def bump(*scopes: str) -> None:
    """Make every cached page of these scopes stale: now, and again when the transaction commits.

    Now, so that this process never serves its own stale page; again after commit, because a
    request racing the transaction may have re-cached the old content under the first new stamp.
    A rolled-back change costs one needless invalidation, never a stale page.
    """
    if not scopes:
        return

    def _bump() -> None:
        with _Outage.lock:
            _Outage.owed.update(scopes)
        if _Outage.down():
            return
        try:
            _Outage.settle()
        except UNAVAILABLE:
            _Outage.failed("失效")

    _bump()
    transaction.on_commit(_bump)


def bump_agency(agency_id: int) -> None:
    """An agency's public content changed: its own pages and the site-wide ones (home, search)."""
    bump(SITE, agency_scope(agency_id))


def bump_structure() -> None:
    """A region or agency was added, renamed, moved or (de)activated: every page."""
    bump(SITE, STRUCTURE)


def _variant(request: HttpRequest) -> str:
    return prefs.from_request(request).cache_key


def _deployment() -> str:
    """What a page's HTML depends on besides the data: the release (``GONGKAI_RELEASE``, e.g. the
    deployed commit) and the demo ribbon, so that an upgrade or a switch out of demo mode never
    serves pages rendered before it."""
    return f"{settings.GONGKAI_RELEASE}:{int(bool(settings.GONGKAI_DEMO))}"


def _page_key(request: HttpRequest, scopes: list[str]) -> str:
    raw = "\n".join([request.get_full_path(), _variant(request), _deployment(), *scopes])
    return _PAGE + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # {% csrf_token %} in the page: a token is bound to one visitor's cookie, never shared.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(response, "portal_no_cache", False)
    )


@dataclass
class _Lookup:
    key: str
    stamps: tuple[str, ...] | None  # None: the cache could not be read, nothing is stored
    page: tuple[Any, ...] | None

    def response(self) -> HttpResponse:
        assert self.page is not None
        response = HttpResponse(self.page[1], content_type=self.page[2])
        response["X-Portal-Cache"] = "hit"
        patch_vary_headers(response, ["Cookie"])
        return response


def _lookup(request: HttpRequest, scopes: list[str]) -> _Lookup:
    """The stored page if it is current: the page records the stamps it was rendered under,
    any difference from the current ones is a miss."""
    key = _page_key(request, scopes)
    if _Outage.down():
        return _Lookup(key, None, None)
    try:
        _Outage.settle()  # first what this process owes: the stamps read next include it
        stamps, page = generations().lookup(key, scopes)
    except UNAVAILABLE:
        _Outage.failed("读取")
        return _Lookup(key, None, None)
    return _Lookup(key, stamps, page if page is not None and page[0] == stamps else None)


def _cacheable(request: HttpRequest) -> bool:
    return ttl() > 0 and request.method in ("GET", "HEAD")


def cached_page(*, scope: Callable[..., list[str]]) -> Callable[[Callable], Callable]:
    """Cache a public view's GET/HEAD answers; ``scope(**view_kwargs)`` names what it shows.

    The view must already be decorated with ``@allow``; this goes inside it. Hits are normally
    answered by :class:`FetchMiddleware` before the view is reached; the view stores misses.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            lookup = getattr(request, "_portal_cache", None) or _lookup(request, scope(**kwargs))
            if lookup.page is not None:
                return lookup.response()
            response = view(request, *args, **kwargs)
            if lookup.stamps is not None and _storable(request, response):
                value = (lookup.stamps, response.content, response["Content-Type"])
                try:
                    generations().save(lookup.key, value, ttl())
                except UNAVAILABLE:
                    _Outage.failed("保存")
                    return response
                response["X-Portal-Cache"] = "miss"
                patch_vary_headers(response, ["Cookie"])
            return response

        # Read by FetchMiddleware through the URL resolver (@allow copies it outward).
        wrapper.portal_cache_scope = scope  # type: ignore[attr-defined]
        return wrapper

    return decorator


class FetchMiddleware:
    """Answer a current cached page before the session, CSRF, authentication, messages and
    django-axes layers run: a hit needs none of them (Django's FetchFromCacheMiddleware does the
    same). It sits after the layers every answer needs — security headers, WhiteNoise, the
    method guard, CSP, the request id, X-Frame-Options. A miss goes on to the view with the
    lookup attached, so the cache is read once per request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _cacheable(request):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            scope = getattr(match.func, "portal_cache_scope", None)
            if scope is not None:
                lookup = _lookup(request, scope(**match.kwargs))
                if lookup.page is not None:
                    return lookup.response()
                request._portal_cache = lookup  # type: ignore[attr-defined]
        return self.get_response(request)


def site(**_kwargs: Any) -> list[str]:
    return [SITE]


def agency(*, agency: Any, **_kwargs: Any) -> list[str]:
    """Pages of one agency's 专栏; an id that is not a number is the view's 404, not a scope."""
    try:
        return [STRUCTURE, agency_scope(int(agency))]
    except (TypeError, ValueError):
        return [STRUCTURE]
