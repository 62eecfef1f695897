"""The workspace lives under /workspace/; its old root paths redirect; / is the public home."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_workspace_is_mounted_under_workspace():
    assert reverse("workspace:inbox") == "/workspace/"
    assert reverse("workspace:login") == "/workspace/login/"
    assert reverse("workdays:overview") == "/workspace/calendar/"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/login/", "/workspace/login/"),
        ("/login/?next=/disclosure/", "/workspace/login/?next=/disclosure/"),
        ("/disclosure/12/edit/", "/workspace/disclosure/12/edit/"),
        ("/applications/?status=open&page=2", "/workspace/applications/?status=open&page=2"),
        ("/supervision/batches/3/", "/workspace/supervision/batches/3/"),
        ("/calendar/?year=2027", "/workspace/calendar/?year=2027"),
    ],
)
def test_old_staff_urls_redirect_permanently_keeping_the_query(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_anonymous_workspace_goes_to_the_new_login(client):
    response = client.get(reverse("workspace:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workspace:login") + "?next=/workspace/")


def test_root_is_the_public_home_not_the_login(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-CN"' in html
    assert reverse("workspace:login") in html  # the staff entrance stays reachable


def test_home_lists_active_agencies_by_region(client, petition_bureau):
    html = client.get("/").content.decode()
    assert petition_bureau.name in html
    assert petition_bureau.region.name in html


def test_unknown_root_path_is_404_not_a_redirect(client):
    assert client.get("/no-such-page/").status_code == 404
