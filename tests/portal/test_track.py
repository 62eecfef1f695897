"""Tracking an application by code and contact: no enumeration, no other case, ever."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from tests.applications.conftest import RESIDENT_ID

from gongkai.applications import online, services
from gongkai.eventlog.models import Event
from gongkai.portal.views_apply import TRACK_FAILED, TRACK_SESSION_KEY

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TRACK = "/track/"


@pytest.fixture(autouse=True)
def _clean_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def submit(bundled_calendar, petition_bureau):
    def run(**overrides):
        fields = {
            "agency": petition_bureau,
            "applicant_class": "natural_person",
            "applicant_name": "李四",
            "id_type": "resident_id",
            "id_number": RESIDENT_ID,
            "contact_phone": "13812345678",
            "contact_email": "lisi@example.com",
            "request_text": "请公开2025年本局信访事项办理情况统计。",
            "proof_data": PNG,
            "submitted_on": date(2026, 3, 2),
        }
        fields.update(overrides)
        return online.submit_online(**fields)

    return run


def _without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_code_and_contact_open_the_status(client, submit):
    result = submit()
    assert reverse("portal:track") == TRACK
    response = client.post(TRACK, {"code": result.code.lower(), "contact": "13812345678"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:track_status")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert result.application.number in html
    assert "正在办理" in html
    assert "2026年3月30日" in html  # the due date: 20 working days from 2 March 2026
    assert "李四" not in html
    assert RESIDENT_ID not in html
    assert "no-store" in page["Cache-Control"]


def test_wrong_code_and_wrong_contact_look_identical(client, submit):
    result = submit()
    wrong_code = client.post(TRACK, {"code": online.new_code(), "contact": "13812345678"})
    wrong_contact = client.post(TRACK, {"code": result.code, "contact": "13900000000"})
    assert wrong_code.status_code == wrong_contact.status_code == 200
    assert _without_csrf(wrong_code) == _without_csrf(wrong_contact)
    assert TRACK_FAILED in wrong_code.content.decode()
    assert TRACK_SESSION_KEY not in client.session


def test_unknown_code_does_the_same_comparisons(submit, monkeypatch):
    result = submit()
    calls: list[tuple[bytes, bytes]] = []
    real = online.hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(online.hmac, "compare_digest", spy)
    assert online.track(online.new_code(), "13812345678") is None
    unknown = len(calls)
    calls.clear()
    assert online.track(result.code, "13900000000") is None
    assert unknown == len(calls) == 2  # phone and e-mail, compared in constant time either way


def test_lookups_are_rate_limited_per_ip(client, submit, settings):
    settings.GONGKAI_TRACK_RATE_IP = "3/h"
    result = submit()
    for _ in range(3):
        client.post(TRACK, {"code": online.new_code(), "contact": "13812345678"})
    # even the right code is refused now: guessing cannot continue from this address
    response = client.post(TRACK, {"code": result.code, "contact": "13812345678"})
    assert response.status_code == 429
    assert "查询申请的次数过多" in response.content.decode()
    other = client.post(
        TRACK, {"code": result.code, "contact": "13812345678"}, REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 302


def test_blank_and_hostile_input(client):
    response = client.post(TRACK, {"code": "", "contact": ""})
    html = response.content.decode()
    assert "请填写查询码。" in html
    assert "请填写联系电话或电子邮箱。" in html
    payload = '"><script>alert(1)</script>'
    response = client.post(TRACK, {"code": payload, "contact": payload})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    response = client.post(TRACK, {"code": "A" * 500, "contact": "x" * 5000})
    assert response.status_code == 200


def test_status_needs_a_fresh_lookup(client, submit):
    result = submit()
    assert client.get(reverse("portal:track_status"))["Location"].endswith("?expired=1")
    client.post(TRACK, {"code": result.code, "contact": "lisi@example.com"})
    assert client.get(reverse("portal:track_status")).status_code == 200
    session = client.session
    session[TRACK_SESSION_KEY] = {"pk": result.application.pk, "until": time.time() - 1}
    session.save()
    assert client.get(reverse("portal:track_status")).status_code == 302
    client.post(TRACK, {"code": result.code, "contact": "lisi@example.com"})
    client.post(reverse("portal:track_end"))
    assert client.get(reverse("portal:track_status")).status_code == 302


def test_status_follows_the_handler_and_letters_download_scoped(
    client, submit, handler, sign, make_application
):
    mine = submit().application
    theirs = submit(id_type="passport", id_number="E12345678", contact_phone="13700000000")
    other_app = theirs.application
    for case in (mine, other_app):
        app = services.decide(
            case, actor=handler, outcome="granted", decided_on=date(2026, 3, 10), note="公开"
        )
        sign(app.letters.get(kind="answer"))
        services.record_answer(app, actor=handler, delivery="online", on=date(2026, 3, 11))
    mine_letter = mine.letters.get(kind="answer")
    their_letter = other_app.letters.get(kind="answer")
    staff_case = make_application()  # a letter-channel case: never reachable from the portal

    client.post(TRACK, {"code": theirs.code, "contact": "13700000000"})
    html = client.get(reverse("portal:track_status")).content.decode()
    assert "已办结" in html
    assert reverse("portal:track_letter", args=[their_letter.pk]) in html
    assert reverse("portal:track_letter", args=[mine_letter.pk]) not in html
    response = client.get(reverse("portal:track_letter", args=[their_letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    downloads = Event.objects.filter(action="applications.letter_downloaded_by_applicant")
    assert [e.after["letter"] for e in downloads] == [their_letter.pk]
    assert client.get(reverse("portal:track_letter", args=[mine_letter.pk])).status_code == 404
    assert staff_case.pk  # exists, but nothing in the portal names it
    client.post(reverse("portal:track_end"))
    assert client.get(reverse("portal:track_letter", args=[their_letter.pk])).status_code == 404


def test_status_page_query_count(client, submit, django_assert_max_num_queries):
    result = submit()
    client.post(TRACK, {"code": result.code, "contact": "13812345678"})
    with django_assert_max_num_queries(6):
        assert client.get(reverse("portal:track_status")).status_code == 200


def test_demo_codes_track(client, petition_bureau, handler, signer, bundled_calendar):
    from gongkai.workspace.demo_online import DEMO_CASES, DEMO_CONTACT, load_demo_online  # noqa: PLC0415

    users = {"handler": handler, "signer": signer}
    assert load_demo_online(petition_bureau, users) == 2
    assert load_demo_online(petition_bureau, users) == 0
    (open_code, *_), (answered_code, *_) = DEMO_CASES
    assert online.track(open_code, DEMO_CONTACT).status == "in_progress"
    answered = online.track(answered_code, DEMO_CONTACT)
    assert [letter.kind for letter in online.applicant_letters(answered)] == ["answer"]
