"""Admin changes go through the event log; the log and the calendar rows are read-only there."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.agencies.models import Agency
from gongkai.eventlog.chain import verify_chain
from gongkai.eventlog.models import Event
from gongkai.workdays.models import CalendarYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, sysadmin):
    client.force_login(sysadmin)
    return client


def test_admin_change_is_logged(admin_client, sysadmin, petition_bureau):
    url = f"/admin/agencies/agency/{petition_bureau.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update({"office_hours": "工作日 9:00–17:00", "active": "on"})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.filter(action="admin.update").get()
    assert event.actor == sysadmin
    assert event.agency_id == petition_bureau.pk
    assert event.before["office_hours"] == "工作日 8:30–12:00，14:30–17:30"
    assert event.after["office_hours"] == "工作日 9:00–17:00"
    assert Agency.objects.get(pk=petition_bureau.pk).office_hours == "工作日 9:00–17:00"
    assert verify_chain().ok


def test_admin_user_change_masks_password(admin_client, drafter):
    url = f"/admin/agencies/user/{drafter.pk}/change/"
    response = admin_client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "groups"}
    data.update(
        {
            "display_name": "王新名",
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-11-26",
            "date_joined_1": "10:00:00",
            "user_permissions": [],
        }
    )
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get(action="admin.update")
    assert event.after["password"] == "******"
    assert event.after["display_name"] == "王新名"


def test_event_admin_is_read_only(admin_client, petition_bureau):
    event = Event.objects.first()
    assert admin_client.get("/admin/eventlog/event/").status_code == 200
    assert admin_client.get("/admin/eventlog/event/add/").status_code == 403
    assert admin_client.get(f"/admin/eventlog/event/{event.pk}/delete/").status_code == 403
    page = admin_client.get(f"/admin/eventlog/event/{event.pk}/change/")
    assert page.status_code == 200  # view only
    assert admin_client.post(f"/admin/eventlog/event/{event.pk}/change/", {}).status_code == 403


def test_admin_calendar_import(admin_client, bundled_calendar, sysadmin):
    payload = {
        "year": 2027,
        "source": "国务院办公厅关于2027年部分节假日安排的通知（测试用）",
        "holidays": [{"date": "2027-01-01", "name": "元旦"}],
    }
    upload = SimpleUploadedFile(
        "2027.json", json.dumps(payload, ensure_ascii=False).encode(), "application/json"
    )
    url = "/admin/workdays/calendaryear/import/"
    response = admin_client.post(url, {"file": upload})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).loaded_by == sysadmin


def test_admin_calendar_import_errors_write_nothing(admin_client, bundled_calendar):
    upload = SimpleUploadedFile("bad.csv", b"date,kind,name\n2027-01-04,workday,\n")
    response = admin_client.post(
        "/admin/workdays/calendaryear/import/", {"file": upload, "source": "x"}
    )
    assert response.status_code == 200
    assert "不是周末" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_admin_pages_render(admin_client, petition_bureau, supervisor, bundled_calendar):
    for url in [
        "/admin/",
        "/admin/agencies/region/",
        "/admin/agencies/agency/",
        "/admin/agencies/section/",
        "/admin/agencies/membership/",
        "/admin/agencies/supervisorgrant/",
        "/admin/agencies/user/",
        "/admin/workdays/calendaryear/",
        "/admin/workdays/specialday/",
        "/admin/workdays/calendaryear/import/",
        f"/admin/agencies/region/{petition_bureau.region_id}/change/",
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_non_superuser_cannot_reach_admin(client, agency_admin):
    client.force_login(agency_admin)
    response = client.get("/admin/agencies/agency/")
    assert response.status_code == 302  # to the admin login
