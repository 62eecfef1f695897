"""Rate limits of the public forms, counted in Django's cache by django-ratelimit.

The cache is LocMem in development and tests (per process) and Redis in production (shared by
every gunicorn worker, atomic increments). Rates come from settings (``GONGKAI_APPLY_RATE_IP``,
``GONGKAI_APPLY_RATE_IDENTITY``, ``GONGKAI_TRACK_RATE_IP``); the client address is the one the
event log trusts (``eventlog.middleware.client_ip``, aware of GONGKAI_BEHIND_PROXY).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from gongkai.eventlog.middleware import client_ip


def _ip_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def over_ip_limit(request: HttpRequest, group: str, rate: str) -> bool:
    """Count this request against the client's address; True once over ``rate``."""
    return is_ratelimited(
        request, group=f"portal.{group}.ip", key=_ip_key, rate=rate, increment=True
    )


def over_identity_limit(request: HttpRequest, identity: str) -> bool:
    """Count one submission for this identity number (ratelimit hashes the value)."""
    return is_ratelimited(
        request,
        group="portal.apply.identity",
        key=lambda group, req: identity.upper(),
        rate=settings.GONGKAI_APPLY_RATE_IDENTITY,
        increment=True,
    )


def too_many(request: HttpRequest, what: str) -> HttpResponse:
    response = render(request, "portal/429.html", {"what": what}, status=429)
    response["Retry-After"] = "3600"
    return response
