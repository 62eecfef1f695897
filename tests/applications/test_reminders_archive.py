"""The daily reminder run (claimed once per case per day) and the archive bundle."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

import pytest
from django.core.management import call_command

from gongkai.applications.archive import archive_bundle
from gongkai.applications.errors import IllegalTransitionError, NotPermittedError
from gongkai.applications.reminders import send_reminders
from gongkai.eventlog.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailboxes(handler, signer, agency_admin):
    for user, address in (
        (handler, "h@example.com"),
        (signer, "s@example.com"),
        (agency_admin, "a@example.com"),
    ):
        user.email = address
        user.save(update_fields=["email"])


def test_reminders_handler_and_office_head_once_a_day(make_application, mailboxes, mailoutbox):
    overdue = make_application(event_on=date(2026, 3, 2))  # due 2026-03-30
    make_application(event_on=date(2026, 3, 25))  # due 2026-04-23: not yet
    sent = send_reminders(date(2026, 3, 31))
    assert sent == 3  # the handler, and the signer and admin as office heads
    subjects = sorted(m.subject for m in mailoutbox)
    assert subjects == [
        "依申请公开办理提醒",
        "依申请公开超期提醒（请督办）",
        "依申请公开超期提醒（请督办）",
    ]
    assert overdue.number in mailoutbox[0].body
    assert "〔2026〕第0002号" not in mailoutbox[0].body
    assert Event.objects.filter(action="applications.reminder_sent").count() == 3
    assert send_reminders(date(2026, 3, 31)) == 0  # claimed: a second worker sends nothing
    # both cases in one mail to the handler; the overdue one again to the two office heads
    assert send_reminders(date(2026, 4, 20)) == 3
    assert len(mailoutbox) == 6


def test_due_soon_only_reminds_the_handler(make_application, mailboxes, mailoutbox, capsys):
    make_application(event_on=date(2026, 3, 2))
    call_command("applications", "remind", "--today", "2026-03-25")
    assert "已发送提醒邮件 1 封" in capsys.readouterr().out
    assert [m.to for m in mailoutbox] == [["h@example.com"]]


def test_archive_bundle_of_a_closed_case(make_application, handler, answer, drafter):
    app = make_application()
    with pytest.raises(IllegalTransitionError):
        archive_bundle(app, actor=handler)
    app = answer(app, "granted", date(2026, 3, 20))
    with pytest.raises(NotPermittedError):
        archive_bundle(app, actor=drafter)
    data = archive_bundle(app, actor=handler)
    bundle = zipfile.ZipFile(io.BytesIO(data))
    names = bundle.namelist()
    assert names[0] == "01-申请登记及受理记录.pdf"
    assert any("政府信息公开申请答复告知书-市信访局依申答" in n for n in names)
    history = json.loads(bundle.read("91-办理过程.json"))
    assert [h["action"] for h in history][:2] == ["applications.registered", "applications.decided"]
    assert all(bundle.read(n).startswith(b"%PDF") for n in names if n.endswith(".pdf"))
    assert Event.objects.filter(action="applications.archive_downloaded").count() == 1


def test_the_daily_job_sends_the_reminders_once(make_application, mailboxes, mailoutbox):
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from gongkai.jobs import schedule  # noqa: PLC0415

    make_application(event_on=date(2025, 1, 2))  # long overdue whatever today is
    names = schedule.enqueue_due(datetime.now(ZoneInfo("Asia/Shanghai")))
    assert "applications-daily-reminders" in names
    assert len(mailoutbox) == 3  # ran at enqueue (immediate backend in tests)
    names = schedule.enqueue_due(datetime.now(ZoneInfo("Asia/Shanghai")))
    assert "applications-daily-reminders" not in names
    assert len(mailoutbox) == 3
