"""Which HTTP methods a view answers, declared once on the view and checked by a test.

``@allow("GET")`` answers GET and HEAD (a GET-only view refused HEAD before), ``@allow("POST")``
only POST, ``@allow("GET", "POST")`` a form page. The declared set is kept on the view as
``allowed_methods`` so tests/security/test_methods.py can walk every URL pattern and fail for a
view that declares nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.views.decorators.http import require_http_methods


def allow(*methods: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    allowed = {m.upper() for m in methods}
    if "GET" in allowed:
        allowed.add("HEAD")
    ordered = sorted(allowed)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        wrapped = require_http_methods(ordered)(view)
        wrapped.allowed_methods = frozenset(ordered)  # type: ignore[attr-defined]
        return wrapped

    return decorate
