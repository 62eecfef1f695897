"""The register pages, driven through the test client."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkai.appeals import services
from gongkai.appeals.models import AppealCase

pytestmark = pytest.mark.django_db


def test_register_page_table4_and_drill_down_bounded_queries(
    client, handler, make_appeal, make_application, django_assert_max_num_queries
):
    app = make_application()
    for i in range(5):
        make_appeal(app, case_number=f"示政复〔2025〕{i}号")
    decided = make_appeal(app, kind="litigation_direct", case_number="（2025）行初1号")
    services.record_decision(decided, actor=handler, outcome="upheld", decided_on=date(2025, 7, 1))
    client.force_login(handler)
    url = reverse("workspace:appeal_list")
    with django_assert_max_num_queries(12):
        response = client.get(url + "?year=2025")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-cell="reconsideration.pending">5<' in text
    assert 'data-cell="litigation_direct.upheld">1<' in text
    assert "张*" in text
    assert "张三" not in text
    with django_assert_max_num_queries(12):
        response = client.get(url + "?year=2025&block=litigation_direct&column=upheld")
    text = response.content.decode()
    assert "（2025）行初1号" in text
    assert "示政复〔2025〕0号" not in text
    assert client.get(url + "?year=2025&block=x&column=upheld").status_code == 404
    assert client.get(url + "?year=abc").status_code == 200  # falls back to this year


def test_register_a_case_through_the_form(client, handler, make_application):
    app = make_application()
    client.force_login(handler)
    url = reverse("workspace:appeal_create")
    data = {
        "application_number": app.number,
        "kind": "reconsideration",
        "appellant": "张三",
        "body": "示范市人民政府",
        "filed_on": "2025-05-06",
        "answer_due_on": "2025-05-16",
    }
    response = client.post(url, data | {"application_number": "nope"})
    assert response.status_code == 200
    assert "本机关没有该编号的申请" in response.content.decode()
    response = client.post(url, data)
    case = AppealCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:appeal_detail", args=[case.pk])
    assert case.answer_due_on == date(2025, 5, 16)


def test_case_page_decision_corrected_links_the_new_application(
    client, handler, make_appeal, django_assert_max_num_queries
):
    case = make_appeal()
    client.force_login(handler)
    detail = reverse("workspace:appeal_detail", args=[case.pk])
    with django_assert_max_num_queries(12):
        assert client.get(detail).status_code == 200
    act = reverse("workspace:appeal_act", args=[case.pk, "record_decision"])
    bad = client.post(
        act, {"record_decision-outcome": "pending", "record_decision-decided_on": "x"}
    )
    assert bad.status_code == 400
    response = client.post(
        act,
        {"record_decision-outcome": "corrected", "record_decision-decided_on": "2025-07-01"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.reopened_application is not None
    text = client.get(detail).content.decode()
    assert case.reopened_application.number in text
    # decided: no second decision form, amend still offered
    assert "record_decision-outcome" not in text
    assert "amend-reason" in text
    response = client.post(
        reverse("workspace:appeal_act", args=[case.pk, "amend"]),
        {
            "amend-case_number": "示政复〔2025〕99号",
            "amend-body": case.body,
            "amend-filed_on": "2025-05-06",
            "amend-reason": "",
        },
    )
    assert response.status_code == 400
    assert client.post(reverse("workspace:appeal_act", args=[case.pk, "nope"])).status_code == 404


def test_other_agency_case_is_404(client, make_appeal, make_member, other_agency):
    case = make_appeal()
    client.force_login(make_member("outsider", other_agency, "handler"))
    assert client.get(reverse("workspace:appeal_detail", args=[case.pk])).status_code == 404


def test_demo_register_has_every_outcome(demo_db):
    from gongkai.appeals import stats  # noqa: PLC0415
    from gongkai.workspace.demo_data import PETITION_BUREAU  # noqa: PLC0415

    bureau = AppealCase.objects.filter(agency__name=PETITION_BUREAU).first().agency
    table = stats.table4(bureau, 2026)
    assert table["reconsideration"] == {
        "upheld": 1,
        "corrected": 1,
        "other": 0,
        "pending": 1,
        "total": 3,
    }
    assert table["litigation_direct"]["pending"] == 1
    assert table["litigation_after_reconsideration"]["other"] == 1
