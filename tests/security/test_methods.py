"""Every URL answers only the methods its view serves; GET views answer HEAD.

Walks every pattern of the workspace and the calendar, so a view added later without an
``@allow(...)`` declaration fails here instead of answering PUT with 200.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

WALKED_NAMESPACES = ("workspace", "workdays", "portal", "legacy")
NEVER = ("PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "CONNECT", "PROPFIND")


def _patterns():
    found = []

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace in WALKED_NAMESPACES:
                found.append((f"{namespace}:{entry.name}", entry))

    walk(get_resolver(), "")
    return found


PATTERNS = _patterns()


def test_walk_found_the_views():
    names = {name for name, _ in PATTERNS}
    assert {"workspace:inbox", "workspace:disclosure_item", "workdays:overview"} <= names
    assert "portal:search" in names  # /search/ (issue 11 §2)


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[n for n, _ in PATTERNS])
def test_every_view_declares_its_methods(name, pattern):
    allowed = getattr(pattern.callback, "allowed_methods", None)
    assert allowed, f"{name}: use gongkai.security.methods.allow(...) on the view"
    if "GET" in allowed:
        assert "HEAD" in allowed


@pytest.fixture
def world(item, chain, step):
    return {"item": item, "chain": chain, "step": step}


# Values for the non-pk parts of a route: the method check runs before the view looks at them.
ROUTE_SAMPLES = {
    "fmt": "pdf",
    "verb": "record_correction",
    "rest": "login/",
    # portal routes: any id will do, an unknown one answers 404 after the method check
    "agency": 1,
    "column": 1,
    "item": 1,
    # the portal's captcha image: an unknown key answers 410 after the method check
    "key": "unknown-key",
}


def _url(name, pattern, world):
    # re_path patterns (the legacy redirects) name their groups without converters.
    converters = pattern.pattern.converters or dict.fromkeys(pattern.pattern.regex.groupindex)
    if not converters:
        return reverse(name)
    obj = {"step": world["step"], "chain": world["chain"]}.get(name.split(":")[1].split("_")[0])
    kwargs = {
        key: (obj or world["item"]).pk if key == "pk" else ROUTE_SAMPLES.get(key, "x")
        for key in converters
    }
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[n for n, _ in PATTERNS])
def test_methods_outside_the_declaration_are_405(client, reviewer, world, name, pattern):
    client.force_login(reviewer)
    url = _url(name, pattern, world)
    allowed = pattern.callback.allowed_methods
    for method in NEVER:
        assert client.generic(method, url).status_code == 405, method
    for method in {"GET", "POST"} - allowed:
        assert client.generic(method, url).status_code == 405, method


@pytest.mark.parametrize(
    ("name", "pattern"),
    [(n, p) for n, p in PATTERNS if "GET" in p.callback.allowed_methods],
    ids=[n for n, p in PATTERNS if "GET" in p.callback.allowed_methods],
)
def test_get_views_answer_head_like_get(client, reviewer, bundled_calendar, world, name, pattern):
    client.force_login(reviewer)
    url = _url(name, pattern, world)
    get, head = client.get(url), client.head(url)
    assert head.status_code == get.status_code
    assert head.content == b""


def test_admin_refuses_trace_too(client, sysadmin):
    client.force_login(sysadmin)
    assert client.generic("TRACE", reverse("admin:index")).status_code == 405


def test_walk_covers_the_online_application():
    names = {name for name, _ in PATTERNS}
    assert {
        "portal:apply",
        "portal:captcha_image",
        "portal:track",
        "portal:track_status",
        "portal:track_end",
        "portal:track_letter",
    } <= names
