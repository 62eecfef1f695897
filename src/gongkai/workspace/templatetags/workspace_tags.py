"""Small display helpers for the staff workspace templates."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def person(user: Any) -> str:
    """A user's name as colleagues know it (姓名), else the login name; never empty."""
    if user is None:
        return "—"
    return getattr(user, "display_name", "") or user.get_username()


@register.filter
def short_hash(value: str | None) -> str:
    """The first 12 hex digits: enough to compare two revisions by eye."""
    return (value or "")[:12] or "—"
