"""Template helpers of the supervision pages."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.supervision.access import is_supervisor

register = template.Library()


@register.simple_tag(takes_context=True)
def supervises(context: Any) -> bool:
    """Whether the signed-in user collects reports for some region (once per request)."""
    request = context.get("request")
    if request is None:
        return False
    cached = getattr(request, "_gongkai_supervises", None)
    if cached is None:
        cached = is_supervisor(request.user)
        request._gongkai_supervises = cached
    return cached


@register.filter
def severity_label(value: str) -> str:
    return {"error": "错误", "warning": "警告", "notice": "提示"}.get(value, value)


@register.filter
def signed(value: Any) -> str:
    """A change with its sign (+3 / −2 / 0); a blank is "—", never 0."""
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else f"−{-value}" if value < 0 else "0"
