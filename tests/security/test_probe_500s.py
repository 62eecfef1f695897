"""Each input that gave a 500 in the probe of issue 8, now a clear 4xx or a normal page."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.conftest import PASSWORD

from gongkai.agencies.services import create_user
from gongkai.workdays.importing import CalendarImportError, parse_bytes, parse_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_client(client):
    """A client that returns the 500 instead of raising, so the assertion names the status."""
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("year", ["²", "٢٠٢٦", "２０２６", "9" * 40, "-1", "2026.0"])
def test_calendar_odd_digits_are_ignored(quiet_client, drafter, bundled_calendar, year):
    quiet_client.force_login(drafter)
    response = quiet_client.get(reverse("workdays:overview"), {"year": year})
    assert response.status_code == 200


def test_login_next_login_when_signed_in_is_no_loop(quiet_client, drafter):
    quiet_client.force_login(drafter)
    login = reverse("workspace:login")
    response = quiet_client.get(login, {"next": login})
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:inbox")


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "latin-1", "gb2312", "no-such-codec"])
def test_login_post_in_another_charset_is_400(quiet_client, db, charset, caplog):
    body = "username=someone&password=x"
    try:
        raw = body.encode(charset)
    except LookupError:
        raw = body.encode()
    response = quiet_client.generic(
        "POST",
        reverse("workspace:login"),
        data=raw,
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert "Traceback" not in caplog.text


def test_utf8_charset_still_accepted(quiet_client, drafter):
    response = quiet_client.generic(
        "POST",
        reverse("workspace:login"),
        data=f"username=drafter&password={PASSWORD}".encode(),
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert response.status_code == 302


def _staff_non_superuser():
    user = create_user(username="staffonly", password=PASSWORD)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.mark.parametrize("method", ["get", "post"])
def test_calendar_import_for_staff_non_superuser_is_403(quiet_client, method):
    quiet_client.force_login(_staff_non_superuser())
    response = getattr(quiet_client, method)(reverse("admin:workdays_calendaryear_import"))
    assert response.status_code == 403


@pytest.mark.parametrize("source", [5, 3.5, True, ["通知"], {"a": "b"}, "通知\x00", "a\u202eb"])
def test_calendar_json_source_of_wrong_type_is_an_error(source):
    data = {"year": 2027, "source": source, "holidays": [{"date": "2027-01-01", "name": "元旦"}]}
    with pytest.raises(CalendarImportError, match="source"):
        parse_json(json.dumps(data))


def test_calendar_json_nested_deeply_is_an_error():
    with pytest.raises(CalendarImportError, match="嵌套"):
        parse_json("[" * 200_000 + "]" * 200_000)


def test_calendar_file_too_large_is_an_error():
    with pytest.raises(CalendarImportError, match="过大"):
        parse_bytes(b" " * (1024 * 1024), filename="x.json")


@pytest.mark.parametrize("name", ["元旦\x00", "x" * 101])
def test_calendar_day_name_checked(name):
    data = {"year": 2027, "source": "通知", "holidays": [{"date": "2027-01-01", "name": name}]}
    with pytest.raises(CalendarImportError, match="name"):
        parse_json(json.dumps(data))


def test_calendar_import_view_shows_type_errors(quiet_client, sysadmin):
    quiet_client.force_login(sysadmin)
    data = {"year": 2027, "source": [1, 2], "holidays": ["2027-01-01"]}
    upload = SimpleUploadedFile("2027.json", json.dumps(data).encode(), "application/json")
    response = quiet_client.post(
        reverse("admin:workdays_calendaryear_import"), {"file": upload, "source": ""}
    )
    assert response.status_code == 200
    assert "应为文字" in response.content.decode()


@pytest.mark.parametrize("username", ["u" * 256, "u" * 5000, "a\x00b"])
def test_login_with_absurd_username_is_a_form_error(quiet_client, db, username):
    """Runs on PostgreSQL too: the name used to reach django-axes' 255-character column."""
    response = quiet_client.post(
        reverse("workspace:login"), {"username": username, "password": "whatever"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "错误" in response.content.decode()
