"""The verbs one by one, and the scenarios of the issue's "Done when" walked end to end."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from gongkai.applications import services
from gongkai.applications.errors import (
    IllegalTransitionError,
    InvalidInputError,
    NotPermittedError,
)
from gongkai.applications.models import Application, ApplicationCounter
from gongkai.eventlog.models import Event
from gongkai.workdays.importing import parse_json
from gongkai.workdays.services import import_year

pytestmark = pytest.mark.django_db


def _actions(application):
    return list(
        Event.objects.filter(object_id=str(application.pk), action__startswith="applications.")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_register_numbers_receipt_and_deadline(
    make_application, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = make_application()
    second = make_application(channel="email", event_on=date(2026, 3, 3))
    assert first.number == "〔2026〕第0001号"
    assert second.number == "〔2026〕第0002号"
    assert first.received_on == date(2026, 3, 2)
    assert "签收之日" in first.receipt_explanation
    # 2026-03-02 (Mon) + 20 working days = 2026-03-30 (no holiday in March 2026)
    assert first.due_on == date(2026, 3, 30)
    assert first.due_provisional is False
    assert first.due_explanation[-1].startswith("答复期限届满日：2026-03-30")
    assert first.correction_notice_due_on == date(2026, 3, 11)
    assert ApplicationCounter.objects.get().last == 2
    assert _actions(first) == ["applications.registered", "applications.applicant_notified"]
    assert len(mailoutbox) == 1
    assert "〔2026〕第0001号" in mailoutbox[0].body
    event = Event.objects.get(action="applications.registered", object_id=str(first.pk))
    assert "13812345678" not in json.dumps(event.after, ensure_ascii=False)


def test_register_validates_the_boundary(make_application, drafter):
    with pytest.raises(InvalidInputError, match="校验位"):
        make_application(id_number="110105194912310021")
    with pytest.raises(InvalidInputError, match="联系方式"):
        make_application(contact_phone="", contact_email="")
    with pytest.raises(InvalidInputError, match="控制字符"):
        make_application(request_text="请公开\x00信息")
    with pytest.raises(InvalidInputError, match="口头申请"):
        make_application(oral=True)
    with pytest.raises(NotPermittedError):
        make_application(actor=drafter)
    assert not Application.objects.exists()
    assert not ApplicationCounter.objects.filter(last__gt=0).exists()


def test_numbers_restart_each_year_and_per_agency(make_application, far_agency, sysadmin):
    make_application(event_on=date(2025, 12, 30))
    a = make_application()
    b = make_application(actor=sysadmin, agency=far_agency)
    assert a.number == b.number == "〔2026〕第0001号"


def test_scenario_correction_then_answer(
    make_application, mailoutbox, django_capture_on_commit_callbacks, handler, sign
):
    app = make_application()
    with django_capture_on_commit_callbacks(execute=True):
        app = services.request_correction(
            app,
            actor=handler,
            sent_on=date(2026, 3, 5),
            reply_by=date(2026, 3, 20),
            note="请明确所需信息的时间范围。",
        )
    assert app.status == "awaiting_correction"
    assert app.applicant_due_on == date(2026, 3, 20)
    services.record_correction(app, actor=handler, received_on=date(2026, 3, 10))
    with pytest.raises(InvalidInputError, match="只能发出一次"):
        services.request_correction(
            app, actor=handler, sent_on=date(2026, 3, 11), reply_by=date(2026, 3, 20), note="x"
        )
    app.refresh_from_db()
    # the clock restarted on 2026-03-10: + 20 working days = 2026-04-08 (清明 4/6 is off)
    assert app.clock_start_on == date(2026, 3, 10)
    assert app.due_on == date(2026, 4, 8)
    assert any("重新起算" in line for line in app.due_explanation)
    app = services.decide(
        app, actor=handler, outcome="granted", decided_on=date(2026, 3, 25), note=""
    )
    assert app.status == "answering"
    letter = app.letters.get(kind="answer")
    assert "第三十六条第（二）项" in letter.cited_article
    with pytest.raises(InvalidInputError, match="尚未签发"):
        services.record_answer(app, actor=handler, delivery="email", on=date(2026, 3, 26))
    letter = sign(letter)
    assert letter.status == "signed"
    assert letter.doc_number.startswith("市信访局依申答〔")
    assert letter.doc_number.endswith("〕1号")
    assert app.letters.get(kind="correction").cited_article.endswith("第三十条")
    with django_capture_on_commit_callbacks(execute=True):
        app = services.record_answer(
            app, actor=handler, delivery="post", on=date(2026, 3, 26), detail="EMS 1234567890"
        )
    assert (app.status, app.outcome, app.closed_on) == ("closed", "granted", date(2026, 3, 26))
    assert [m.subject for m in mailoutbox] == ["政府信息公开申请补正通知", "政府信息公开申请答复"]
    assert _actions(app) == [
        "applications.registered",
        "applications.correction_requested",
        "applications.applicant_notified",
        "applications.correction_received",
        "applications.decided",
        "applications.letter_signed",
        "applications.answered",
        "applications.applicant_notified",
    ]


def test_correction_notice_after_seven_working_days_refused(make_application, handler):
    app = make_application()
    with pytest.raises(InvalidInputError, match="7个工作日"):
        services.request_correction(
            app, actor=handler, sent_on=date(2026, 3, 12), reply_by=date(2026, 3, 30), note="x"
        )


def test_no_correction_closes_as_other_no_correction(make_application, handler):
    app = make_application()
    app = services.request_correction(
        app, actor=handler, sent_on=date(2026, 3, 3), reply_by=date(2026, 3, 17), note="请补正"
    )
    with pytest.raises(InvalidInputError, match="尚未届满"):
        services.close_no_correction(app, actor=handler, on=date(2026, 3, 17))
    app = services.close_no_correction(app, actor=handler, on=date(2026, 3, 18))
    assert (app.status, app.outcome) == ("closed", "other_no_correction")


def test_scenario_consultation_pause_then_extension(make_application, handler, extend):
    app = make_application()
    # the third party received the letter on 2026-03-04 and answered on 2026-03-13:
    # 7 working days (03-05..03-13) are not counted
    app = services.start_consultation(
        app, actor=handler, party="third_party", party_name="某公司", received_on=date(2026, 3, 4)
    )
    assert app.status == "consulting"
    # no reply yet: the whole 15-day window is assumed paused
    assert app.due_on == date(2026, 4, 21)
    app = services.record_consultation_reply(
        app, actor=handler, replied_on=date(2026, 3, 13), note="不同意公开"
    )
    assert app.status == "in_progress"
    assert app.due_on == date(2026, 4, 9)
    app = extend(app, 20, "需调取档案", on=date(2026, 3, 16))
    assert app.extension_days == 20
    # 04-09 + 20: 5/1–5/5 劳动节 off, Saturday 5/9 a make-up working day
    assert app.due_on == date(2026, 5, 11)
    assert any("延长 20 个工作日" in line for line in app.due_explanation)
    assert any("暂停 7 个工作日" in line for line in app.due_explanation)
    with pytest.raises(InvalidInputError, match="已延长过一次"):
        services.request_extension(app, actor=handler, days=1, reason="再延", on=date(2026, 3, 17))


def test_extension_limits(make_application, handler):
    app = make_application()
    with pytest.raises(InvalidInputError, match="1 至 20"):
        services.request_extension(app, actor=handler, days=21, reason="x", on=date(2026, 3, 3))


def test_scenario_fee_notice_that_lapses(
    make_application, handler, django_capture_on_commit_callbacks, mailoutbox
):
    # the applicant's 12th application this month: 109号 charges from the 11th item
    for day in range(1, 12):
        make_application(event_on=date(2026, 3, 2), request_text=f"第{day}件申请")
    app = make_application(event_on=date(2026, 3, 2))
    assert services.month_count_before(app) == 11
    with django_capture_on_commit_callbacks(execute=True):
        app = services.send_fee_notice(app, actor=handler, received_on=date(2026, 3, 5), items=1)
    assert app.status == "awaiting_fee"
    event = app.clock_events.get(kind="fee_notice")
    assert event.amount_yuan == 100
    assert app.applicant_due_on == date(2026, 4, 2)
    assert mailoutbox[-1].subject == "政府信息公开信息处理费收费通知"
    with pytest.raises(InvalidInputError, match="尚未届满"):
        services.lapse_fee(app, actor=handler, on=date(2026, 4, 2))
    app = services.lapse_fee(app, actor=handler, on=date(2026, 4, 3))
    assert (app.status, app.outcome, app.closed_on) == (
        "closed",
        "other_unpaid_fee",
        date(2026, 4, 3),
    )


def test_fee_paid_pauses_the_clock(make_application, handler):
    app = make_application()
    app = services.send_fee_notice(app, actor=handler, received_on=date(2026, 3, 5), pages=40)
    assert app.clock_events.get(kind="fee_notice").amount_yuan == 100
    app = services.record_fee_payment(app, actor=handler, paid_on=date(2026, 3, 12))
    assert app.status == "in_progress"
    # 03-06..03-12 = 5 working days paused: 2026-03-30 -> 2026-04-07 (4/6 清明)
    assert app.due_on == date(2026, 4, 7)


def test_free_fee_refused(make_application, handler):
    app = make_application()
    with pytest.raises(InvalidInputError, match="不收费"):
        services.send_fee_notice(app, actor=handler, received_on=date(2026, 3, 5), pages=10)


def test_illegal_transitions(make_application, handler):
    app = make_application()
    with pytest.raises(IllegalTransitionError):
        services.record_answer(app, actor=handler, delivery="email", on=date(2026, 3, 5))
    with pytest.raises(IllegalTransitionError):
        services.record_correction(app, actor=handler, received_on=date(2026, 3, 5))
    with pytest.raises(InvalidInputError, match="表三"):
        services.decide(app, actor=handler, outcome="denied", decided_on=date(2026, 3, 5), note="x")


def test_outcome_constraint_in_database(make_application):
    app = make_application()
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=app.pk).update(outcome="denied")
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=app.pk).update(status="closed")


GOOD_2027 = {
    "year": 2027,
    "source": "国务院办公厅关于2027年部分节假日安排的通知（测试数据）",
    "holidays": [
        {"date": "2027-01-01", "name": "元旦"},
        {"date": "2027-01-04", "name": "元旦"},
        {"date": "2027-01-05", "name": "元旦"},
    ],
    "workdays": [],
}


def test_scenario_december_receipt_provisional_then_recomputed(
    make_application, django_capture_on_commit_callbacks, sysadmin
):
    app = make_application(event_on=date(2026, 12, 21))
    # weekends only: 2026-12-21 + 20 working days = 2027-01-18, provisional
    assert app.due_provisional is True
    assert app.due_on == date(2027, 1, 18)
    schedule = parse_json(json.dumps(GOOD_2027, ensure_ascii=False))
    with django_capture_on_commit_callbacks(execute=True):
        import_year(schedule, actor=sysadmin)
    app.refresh_from_db()
    assert app.due_provisional is False
    # the three holidays (Fri 1/1, Mon 1/4, Tue 1/5) push it three working days later
    assert app.due_on == date(2027, 1, 21)
    assert "applications.deadline_recomputed" in _actions(app)


def test_personal_data_view_is_logged(make_application, handler, supervisor):
    app = make_application()
    assert app.masked_name == "张*"
    assert app.masked_id_number == "110105********002X"
    assert app.masked_phone == "138****5678"
    services.view_personal_data(app, actor=handler)
    assert "applications.personal_data_viewed" in _actions(app)
    with pytest.raises(NotPermittedError):
        services.view_personal_data(app, actor=supervisor)


def test_a_late_applicant_email_says_what_was_true_when_the_notice_went_out(
    make_application, mailoutbox, django_capture_on_commit_callbacks, handler
):
    """The e-mail is written with the verb, not when the commit hook (or a late job) sends it:
    by then the correction may already be in and the case has no 补正 deadline any more."""
    app = make_application()
    with django_capture_on_commit_callbacks(execute=False) as later:
        app = services.request_correction(
            app, actor=handler, sent_on=date(2026, 3, 5), reply_by=date(2026, 3, 20), note="x"
        )
    services.record_correction(app, actor=handler, received_on=date(2026, 3, 10))
    mailoutbox.clear()
    for callback in later:
        callback()
    assert len(mailoutbox) == 1
    assert "2026-03-20 前补正" in mailoutbox[0].body
