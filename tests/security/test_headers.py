"""Response headers that hold for every page: CSP, Permissions-Policy, no-store when signed in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = list((Path(__file__).parents[2] / "src" / "gongkai").glob("*/templates"))


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in header.split(";")
        if part.strip()
    }


@pytest.mark.parametrize("name", ["workspace:login", "workspace:inbox", "workdays:overview"])
def test_csp_forbids_inline_script_and_framing(client, drafter, bundled_calendar, name):
    client.force_login(drafter)
    response = client.get(reverse(name))
    policy = _csp(response)
    assert policy["script-src"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_csp_on_anonymous_and_error_pages(client, db):
    for response in (client.get(reverse("workspace:login")), client.get("/no-such-page/")):
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert response["Permissions-Policy"]


def test_no_inline_script_or_handler_in_templates():
    """The policy would silently break these in the browser; keep them out of the source."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|hx-on", re.I)
    offenders = [
        f"{path}: {match.group(0)}"
        for folder in TEMPLATE_DIRS
        for path in folder.rglob("*.html")
        for match in inline.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_htmx_is_configured_for_the_policy(client, drafter):
    client.force_login(drafter)
    html = client.get(reverse("workspace:inbox")).content.decode()
    assert '"allowEval":false' in html
    assert '"includeIndicatorStyles":false' in html


def test_signed_in_pages_are_not_stored(client, drafter):
    client.force_login(drafter)
    for name in ("workspace:inbox", "workspace:submissions", "workspace:disclosure_item_create"):
        assert "no-store" in client.get(reverse(name))["Cache-Control"]


def test_signed_in_admin_pages_are_not_stored(client, sysadmin):
    client.force_login(sysadmin)
    assert "no-store" in client.get(reverse("admin:index"))["Cache-Control"]


def test_static_files_keep_their_caching(client, drafter):
    client.force_login(drafter)
    response = client.get("/static/workspace/workspace.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
