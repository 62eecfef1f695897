"""The font-size / 长辈版 switch: one cookie, one parser, no open redirect."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from gongkai.portal import prefs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("large.1", prefs.Prefs("large", True)),
        ("xlarge.0", prefs.Prefs("xlarge", False)),
        ("huge.1", prefs.Prefs()),
        ("large.2", prefs.Prefs()),
        ("large", prefs.Prefs()),
        ("", prefs.Prefs()),
        ("<script>.1", prefs.Prefs()),
    ],
)
def test_cookie_values_outside_the_choices_are_ignored(raw, expected):
    request = RequestFactory().get("/")
    request.COOKIES[prefs.COOKIE] = raw
    assert prefs.from_request(request) == expected


def test_cache_keys_are_stable_and_few():
    keys = {prefs.Prefs(size, elder).cache_key for size in prefs.SIZES for elder in (False, True)}
    assert len(keys) == 6
    assert prefs.Prefs().cache_key == "standard.0"
    assert prefs.parse(prefs.Prefs("large", True).cookie_value) == prefs.Prefs("large", True)


def test_switch_sets_the_cookie_and_the_page_renders_the_classes(client, petition_bureau):
    agency_url = reverse("portal:agency", args=[petition_bureau.pk])
    response = client.get(reverse("portal:prefs"), {"size": "xlarge", "next": agency_url})
    assert response.status_code == 302
    assert response["Location"] == agency_url
    assert client.cookies[prefs.COOKIE].value == "xlarge.0"
    client.get(reverse("portal:prefs"), {"elder": "1", "next": agency_url})
    assert client.cookies[prefs.COOKIE].value == "xlarge.1"
    html = client.get(agency_url).content.decode()
    assert '<html lang="zh-CN" class="size-xlarge mode-elder">' in html
    assert "退出长辈版" in html


def test_bad_values_change_nothing_and_default_clears_the_cookie(client):
    client.get(reverse("portal:prefs"), {"size": "large"})
    client.get(reverse("portal:prefs"), {"size": "gigantic", "elder": "yes"})
    assert client.cookies[prefs.COOKIE].value == "large.0"
    client.get(reverse("portal:prefs"), {"size": "standard"})
    assert client.cookies[prefs.COOKIE].value == ""  # deleted: defaults need no cookie


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
    ],
)
def test_next_outside_this_site_goes_home(client, target):
    response = client.get(reverse("portal:prefs"), {"size": "large", "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_a_next_with_line_breaks_is_no_header_injection(client):
    response = client.get(
        reverse("portal:prefs"), {"size": "large", "next": "/x\r\nSet-Cookie: a=b"}
    )
    assert response.status_code == 302
    assert "\n" not in response["Location"]
    assert "a" not in response.cookies


def test_switch_links_carry_the_current_page(client, petition_bureau):
    url = reverse("portal:agency", args=[petition_bureau.pk])
    html = client.get(url + "?x=1").content.decode()
    prefs_url = reverse("portal:prefs")
    assert f"{prefs_url}?size=large&amp;next={url}%3Fx%3D1" in html


def test_demo_ribbon_shows_on_the_portal_in_demo_mode(client, settings):
    settings.GONGKAI_DEMO = True
    assert "演示数据" in client.get(reverse("portal:home")).content.decode()
    settings.GONGKAI_DEMO = False
    assert "演示数据" not in client.get(reverse("portal:home")).content.decode()
