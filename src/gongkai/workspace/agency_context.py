"""The agency a staff member is working in right now (the agency switcher).

The session stores the chosen agency; only agencies where the user holds an active membership
are offered. Supervisors and system administrators browse other agencies read-only through the
pages that take an object id, never by switching into them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Min
from django.http import Http404, HttpRequest

from gongkai.agencies.access import can_write
from gongkai.agencies.models import Agency

SESSION_KEY = "workspace_agency_id"
_CACHE_ATTR = "_workspace_agencies"


def member_agencies(request: HttpRequest) -> list[Agency]:
    """The user's membership agencies, once per request (the top bar needs them on every page)."""
    cached = getattr(request, _CACHE_ATTR, None)
    if cached is None:
        user = request.user
        cached = (
            list(
                Agency.objects.filter(memberships__user=user, memberships__active=True)
                # The agency joined first is the default: usually the person's home agency.
                .annotate(first_membership=Min("memberships__pk"))
                .order_by("first_membership", "name")
            )
            if user.is_authenticated and user.is_active
            else []
        )
        setattr(request, _CACHE_ATTR, cached)
    return cached


def current_agency(request: HttpRequest) -> Agency | None:
    agencies = member_agencies(request)
    chosen = request.session.get(SESSION_KEY)
    for agency in agencies:
        if agency.pk == chosen:
            return agency
    return agencies[0] if agencies else None


def switch_agency(request: HttpRequest, raw_pk: Any) -> Agency:
    """Make ``raw_pk`` the current agency; anything but a membership agency is a 404."""
    try:
        pk = int(raw_pk)
    except (TypeError, ValueError):
        raise Http404("没有找到该机关。") from None
    for agency in member_agencies(request):
        if agency.pk == pk:
            request.session[SESSION_KEY] = agency.pk
            return agency
    raise Http404("没有找到该机关。")


def page_context(request: HttpRequest, nav: str = "") -> dict[str, Any]:
    """What base.html needs on every page."""
    agency = current_agency(request)
    return {
        "nav": nav,
        "current_agency": agency,
        "switch_agencies": member_agencies(request),
        "can_write_current": agency is not None and can_write_cached(request, agency),
        "gongkai_demo": getattr(settings, "GONGKAI_DEMO", False),
    }


def can_write_cached(request: HttpRequest, agency: Agency) -> bool:
    # A membership agency is writable unless it was deactivated: no extra query needed.
    if any(a.pk == agency.pk for a in member_agencies(request)):
        return agency.active
    return can_write(request.user, agency)
