"""Request and response rules that hold for every URL, so no view can forget them.

``RequestGuardMiddleware`` (early): methods outside ``GONGKAI_ALLOWED_METHODS`` are 405 for the
whole site (TRACE, PUT, DELETE … answered 200 on some pages before); a request body declared in a
charset other than UTF-8 is a 400 (Django would decode it lazily, fail inside the CSRF check and
then fail again in the error reporter, writing a long traceback per request); responses carry a
Permissions-Policy; a HEAD response has no body whatever the view or server does.

``NoStoreMiddleware`` (after authentication): pages rendered for a signed-in user are never
stored by a browser or proxy cache, so the back button after sign-out shows nothing private.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers

DEFAULT_ALLOWED_METHODS = ("GET", "HEAD", "POST")
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)
_UTF8 = codecs.lookup("utf-8").name
_ASCII = codecs.lookup("ascii").name


def _declared_charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def charset_acceptable(content_type: str) -> bool:
    charset = _declared_charset(content_type)
    if charset is None:
        return True
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return False
    return name in (_UTF8, _ASCII)


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.allowed = tuple(getattr(settings, "GONGKAI_ALLOWED_METHODS", DEFAULT_ALLOWED_METHODS))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._guarded(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.method == "HEAD" and not response.streaming:
            response.content = b""
            response.headers.pop("Content-Length", None)
        return response

    def _guarded(self, request: HttpRequest) -> HttpResponse:
        if request.method not in self.allowed:
            return HttpResponseNotAllowed(self.allowed, content="不支持该请求方法。".encode())
        if not charset_acceptable(request.META.get("CONTENT_TYPE", "")):
            return HttpResponseBadRequest(
                "请求的字符编码不受支持：请以 UTF-8 提交。".encode(),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
