"""Old staff URLs from before the workspace moved under ``/workspace/`` (issue 11).

Bookmarks, e-mailed links and printed QR codes still point at the root paths; they get a
permanent redirect to the same path below the workspace mount, query string kept.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.urls import re_path, reverse

from gongkai.security.methods import allow

# First path segments the workspace used at the site root. Anything else stays the portal's.
STAFF_PREFIXES = (
    "login",
    "logout",
    "agency",
    "submissions",
    "steps",
    "chains",
    "documents",
    "disclosure",
    "applications",
    "supervision",
)


@allow("GET", "POST")
def to_workspace(request: HttpRequest, rest: str) -> HttpResponsePermanentRedirect:
    # 308 for POST would replay a form body to a new origin path; staff forms post to their
    # own reversed URLs, so old POST targets only come from stale pages: send them to GET too.
    target = reverse("workspace:inbox") + rest
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


@allow("GET")
def calendar(request: HttpRequest, rest: str) -> HttpResponsePermanentRedirect:
    target = reverse("workdays:overview") + rest
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)


urlpatterns = [
    re_path(
        r"^(?P<rest>(?:{})/.*)$".format("|".join(STAFF_PREFIXES)),
        to_workspace,
        name="legacy_workspace",
    ),
    re_path(r"^calendar/(?P<rest>.*)$", calendar, name="legacy_calendar"),
]
