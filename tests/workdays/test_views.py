import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse, reverse_lazy

from gongkai.agencies.services import create_user
from gongkai.workdays import views
from gongkai.workdays.importing import parse_json
from gongkai.workdays.services import import_year
from gongkai.workdays.status import missing_schedule_warnings

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = reverse_lazy("workdays:overview")
MISSING_2027 = "2027年节假日安排尚未载入"


@pytest.fixture
def today(monkeypatch):
    def pin(year, month, day):
        moment = datetime(year, month, day, 9, 30, tzinfo=SHANGHAI)
        monkeypatch.setattr(views, "now", lambda: moment)

    pin(2026, 11, 26)
    return pin


def import_2027():
    data = {
        "year": 2027,
        "source": "国务院办公厅关于2027年部分节假日安排的通知（测试用）",
        "holidays": [{"date": "2027-01-01", "name": "元旦"}],
    }
    import_year(parse_json(json.dumps(data, ensure_ascii=False)))


def test_login_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('workspace:login')}?next={URL}")


def test_non_staff_refused(client, db):
    client.force_login(create_user(username="loner"))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["drafter", "handler", "supervisor", "sysadmin"])
def test_staff_see_the_page(client, request, today, bundled_calendar, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert "节假日安排" in response.content.decode()


def test_warns_when_next_year_missing_after_november(
    client, drafter, today, bundled_calendar, django_assert_num_queries
):
    client.force_login(drafter)
    # session, user, staff check, the header's agency switcher, years (with counts), days of
    # the year, and the session re-save of SESSION_SAVE_EVERY_REQUEST (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client.get(URL)
    html = response.content.decode()
    assert MISSING_2027 in html
    assert "2026年放假与调休安排" in html
    assert "2026-10-01" in html  # 国庆节
    assert "国庆节" in html
    assert len(response.context["years"]) == 23


def test_no_warning_once_loaded(client, drafter, today, bundled_calendar):
    import_2027()
    client.force_login(drafter)
    html = client.get(URL).content.decode()
    assert MISSING_2027 not in html
    assert "2027年" in html


def test_no_warning_before_november(client, drafter, today, bundled_calendar):
    today(2026, 10, 31)
    client.force_login(drafter)
    assert MISSING_2027 not in client.get(URL).content.decode()


def test_year_parameter(client, drafter, today, bundled_calendar):
    client.force_login(drafter)
    response = client.get(URL, {"year": "2020"})
    assert response.context["selected_year"] == 2020
    assert "2020-01-19" in response.content.decode()  # 春节调休上班（星期日）
    assert client.get(URL, {"year": "abc"}).context["selected_year"] == 2026
    assert client.get(URL, {"year": "1999"}).context["selected_year"] == 2026


def test_warning_rules():
    loaded = set(range(2004, 2027))
    assert missing_schedule_warnings(date(2026, 10, 31), loaded) == []
    assert len(missing_schedule_warnings(date(2026, 11, 1), loaded)) == 1
    assert missing_schedule_warnings(date(2026, 12, 31), loaded | {2027}) == []
    current_missing = missing_schedule_warnings(date(2027, 3, 1), loaded)
    assert len(current_missing) == 1
    assert "本年度（2027年）" in current_missing[0]
