"""Request id and client IP for every request, available to ``record()`` without plumbing.

Behind the configured proxy (``GONGKAI_BEHIND_PROXY``) an incoming well-formed ``X-Request-ID`` is
kept, so the proxy's id ties its access log to our events; anywhere else it was written by the
client, who could make their requests look like someone else's, so a fresh id is generated. The
id is echoed in the response.
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

_current_request: ContextVar[HttpRequest | None] = ContextVar("gongkai_request", default=None)


def current_request() -> HttpRequest | None:
    return _current_request.get()


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind a trusted proxy (GONGKAI_BEHIND_PROXY) the address it appended."""
    if getattr(settings, "GONGKAI_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The right-most entry was appended by our own proxy; the others are client-supplied.
            ip = _valid_ip(forwarded.split(",")[-1])
            if ip:
                return ip
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def request_id_for(request: HttpRequest) -> str:
    if getattr(settings, "GONGKAI_BEHIND_PROXY", False):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        if REQUEST_ID_RE.match(incoming):
            return incoming
    return uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_for(request)
        request.client_ip = client_ip(request)
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response["X-Request-ID"] = request.request_id
        return response
