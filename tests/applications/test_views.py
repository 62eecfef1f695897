"""The workspace pages of 依申请公开, driven through the test client."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.applications.models import OUTCOME_KEYS, Application
from gongkai.applications.states import Status
from gongkai.eventlog.models import Event
from gongkai.workspace.demo_data import PETITION_BUREAU, load_demo_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def test_list_masks_personal_data_and_bounds_queries(
    client, handler, make_application, today, django_assert_max_num_queries
):
    for i in range(5):
        make_application(event_on=today, request_text=f"第{i}件")
    client.force_login(handler)
    for queue in ("open", "mine", "due_soon", "overdue", "awaiting_applicant", "closed", "x"):
        # 11: the 告知书模板 link checks the agency-admin role (one query, not per row)
        with django_assert_max_num_queries(11):
            response = client.get(reverse("workspace:application_list") + f"?queue={queue}")
        assert response.status_code == 200
    response = client.get(reverse("workspace:application_list") + "?queue=open")
    text = response.content.decode()
    assert text.count("〔") >= 5
    assert "张*" in text
    assert "张三" not in text
    assert "13812345678" not in text


def test_intake_form_registers(client, handler, bundled_calendar, today):
    client.force_login(handler)
    response = client.post(
        reverse("workspace:application_create"),
        {
            "channel": "post",
            "event_on": today.isoformat(),
            "applicant_class": "natural_person",
            "applicant_name": "李四",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "contact_phone": "13900001111",
            "request_text": "请公开信访事项办理规定",
            "form_wanted": "paper",
            "delivery_wanted": "post",
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert application.number == f"〔{today.year}〕第0001号"


def test_intake_form_errors_are_shown(client, handler, bundled_calendar, today):
    client.force_login(handler)
    data = {
        "channel": "post",
        "event_on": (today + timedelta(days=3)).isoformat(),
        "applicant_class": "natural_person",
        "applicant_name": "李四",
        "id_type": "resident_id",
        "id_number": "110105194912310021",
        "contact_phone": "1",
        "request_text": "x\x00",
        "form_wanted": "paper",
        "delivery_wanted": "post",
    }
    response = client.post(reverse("workspace:application_create"), data)
    assert response.status_code == 200
    assert "日期不能晚于今天" in response.content.decode()
    data["event_on"] = today.isoformat()
    data["request_text"] = "请公开"
    response = client.post(reverse("workspace:application_create"), data)
    assert "校验位错误" in response.content.decode()
    assert not Application.objects.exists()


def test_detail_full_view_is_logged(client, handler, supervisor, make_application, today):
    app = make_application(event_on=today)
    client.force_login(handler)
    response = client.get(app.get_absolute_url())
    body = response.content.decode()
    assert "110105********002X" in body
    assert "答复期限届满日" in body
    assert not Event.objects.filter(action="applications.personal_data_viewed").exists()
    body = client.get(app.get_absolute_url() + "?full=1").content.decode()
    assert "11010519491231002X" in body
    assert Event.objects.filter(action="applications.personal_data_viewed").count() == 1
    client.force_login(supervisor)
    body = client.get(app.get_absolute_url() + "?full=1").content.decode()
    assert "11010519491231002X" not in body
    assert Event.objects.filter(action="applications.personal_data_viewed").count() == 1


def test_action_errors_render_400_and_success_redirects(client, handler, make_application, today):
    app = make_application(event_on=today)
    client.force_login(handler)
    url = reverse("workspace:application_act", args=[app.pk, "request_correction"])
    response = client.post(
        url,
        {
            "request_correction-sent_on": today.isoformat(),
            "request_correction-reply_by": today.isoformat(),
            "request_correction-note": "请补正",
        },
    )
    assert response.status_code == 400
    assert "补正期限应晚于" in response.content.decode()
    response = client.post(
        reverse("workspace:application_act", args=[app.pk, "decide"]),
        {"decide-outcome": "granted", "decide-decided_on": today.isoformat()},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "answering"
    response = client.post(reverse("workspace:application_act", args=[app.pk, "decide"]), {})
    assert response.status_code == 400
    assert (
        client.post(reverse("workspace:application_act", args=[app.pk, "nope"])).status_code == 404
    )


def test_import_page_dry_run_then_write(client, handler, bundled_calendar):
    client.force_login(handler)
    csv = "收到日期,渠道,申请人类别,申请人,申请内容\n2025-03-02,邮寄,自然人,张三,请公开\n"
    upload = SimpleUploadedFile("h.csv", csv.encode(), content_type="text/csv")
    response = client.post(
        reverse("workspace:application_import"), {"file": upload, "dry_run": "on"}
    )
    assert "检查通过（未写入）：1 件" in response.content.decode()
    assert not Application.objects.exists()
    upload = SimpleUploadedFile("h.csv", (csv + "2025-02-30,x,y,z,\n").encode())
    response = client.post(reverse("workspace:application_import"), {"file": upload})
    body = response.content.decode()
    assert "第 3 行" in body
    assert not Application.objects.exists()
    upload = SimpleUploadedFile("h.csv", csv.encode())
    client.post(reverse("workspace:application_import"), {"file": upload})
    assert Application.objects.count() == 1


def test_stats_page(client, handler, make_application):
    make_application(event_on=date(2026, 3, 2))
    client.force_login(handler)
    body = client.get(reverse("workspace:application_stats") + "?year=2026").content.decode()
    assert "一、本年新收政府信息公开申请数量" in body
    assert "勾稽关系" in body
    assert client.get(reverse("workspace:application_stats") + "?year=abc").status_code == 200


def test_inbox_lists_overdue_cases(client, handler, make_application, drafter):
    make_application(event_on=date(2025, 6, 2))
    client.force_login(handler)
    body = client.get(reverse("workspace:inbox")).content.decode()
    assert "依申请公开：期限提醒" in body
    assert "已超期" in body
    client.force_login(drafter)
    assert "依申请公开：期限提醒" not in client.get(reverse("workspace:inbox")).content.decode()


def test_demo_has_every_state_and_outcome_and_a_provisional_december_case(demo_db):
    cases = Application.objects.filter(agency__name=PETITION_BUREAU)
    assert set(cases.values_list("status", flat=True)) == set(Status.values)
    closed = set(cases.filter(status="closed").values_list("outcome", flat=True))
    assert closed == set(OUTCOME_KEYS)
    december = cases.get(received_on=date(2026, 12, 1))
    assert december.due_provisional
    assert december.due_on.year == 2027
    assert load_demo_data().total == 0


def test_extension_request_from_the_case_page_to_the_inbox(
    client, handler, signer, make_application, today, django_assert_max_num_queries
):
    app = make_application(event_on=today)
    client.force_login(handler)
    url = reverse("workspace:application_act", args=[app.pk, "extend"])
    response = client.post(url, {"extend-days": "21", "extend-reason": "x", "extend-on": today})
    assert response.status_code == 400
    response = client.post(
        url, {"extend-days": "10", "extend-reason": "需调取档案", "extend-on": today.isoformat()}
    )
    assert response.status_code == 302
    with django_assert_max_num_queries(40):
        body = client.get(app.get_absolute_url()).content.decode()
    assert "审批中" in body
    assert "需调取档案" in body
    assert "正在审批" in body  # why the form is gone
    assert 'action="' + url not in body
    inbox = client.get(reverse("workspace:inbox")).content.decode()
    assert "依申请公开：延长答复期限审批" in inbox
    client.force_login(signer)
    inbox = client.get(reverse("workspace:inbox")).content.decode()
    assert "延长答复期限 10 个工作日" in inbox  # in 待我审核
