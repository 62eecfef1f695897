"""Rate limits of the public forms, counted in Django's cache by django-ratelimit.

The cache is LocMem in development and tests (per process) and Redis in production (shared by
every gunicorn worker, atomic increments). Rates come from settings (``GONGKAI_APPLY_RATE_IP``,
``GONGKAI_APPLY_RATE_IDENTITY``, ``GONGKAI_TRACK_RATE_IP``); the client address is the one the
event log trusts (``eventlog.middleware.client_ip``, aware of GONGKAI_BEHIND_PROXY).

With the cache unreachable the limits are not counted (fail open, logged): refusing every
application while Redis is down would deny the public a statutory channel, and the forms keep
their captcha (in the database) and tracking codes their 99 random bits.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from gongkai.eventlog.middleware import client_ip
from gongkai.portal.generations import UNAVAILABLE

logger = logging.getLogger(__name__)


def _ip_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _limited(request: HttpRequest, **kwargs: object) -> bool:
    try:
        return is_ratelimited(request, increment=True, **kwargs)
    except UNAVAILABLE:
        logger.error("限流计数不可用（缓存无法访问），本次请求未计数", exc_info=True)
        return False


def over_ip_limit(request: HttpRequest, group: str, rate: str) -> bool:
    """Count this request against the client's address; True once over ``rate``."""
    return _limited(request, group=f"portal.{group}.ip", key=_ip_key, rate=rate)


def over_identity_limit(request: HttpRequest, identity: str) -> bool:
    """Count one submission for this identity number (ratelimit hashes the value)."""
    return _limited(
        request,
        group="portal.apply.identity",
        key=lambda group, req: identity.upper(),
        rate=settings.GONGKAI_APPLY_RATE_IDENTITY,
    )


def too_many(request: HttpRequest, what: str) -> HttpResponse:
    response = render(request, "portal/429.html", {"what": what}, status=429)
    response["Retry-After"] = "3600"
    return response
