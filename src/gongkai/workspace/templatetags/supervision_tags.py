"""Template helpers of the supervision pages."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.supervision.access import is_supervisor

register = template.Library()


SESSION_KEY = "gongkai_supervises"


@register.simple_tag(takes_context=True)
def supervises(context: Any) -> bool:
    """Whether the signed-in user collects reports for some region, for the top bar's link.

    Remembered in the session at login (``supervision.apps``), so no page pays a query for a
    link; access itself is checked on every supervision page, so a grant revoked since login
    only leaves a link that leads to a 404.
    """
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is None:
        return False
    if SESSION_KEY not in session:  # a session older than this feature
        session[SESSION_KEY] = is_supervisor(request.user)
    return bool(session[SESSION_KEY])


@register.filter
def severity_label(value: str) -> str:
    return {"error": "错误", "warning": "警告", "notice": "提示"}.get(value, value)


@register.filter
def signed(value: Any) -> str:
    """A change with its sign (+3 / −2 / 0); a blank is "—", never 0."""
    if value is None:
        return "—"
    return f"+{value}" if value > 0 else f"−{-value}" if value < 0 else "0"
