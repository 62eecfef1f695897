"""Publication deadlines of 30号 by level, reminders from 1 January, late reports."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core import mail

from gongkai.agencies.models import Agency
from gongkai.annual import services
from gongkai.annual.deadlines import deadline_for, should_remind
from gongkai.annual.models import AnnualReport
from gongkai.annual.reminders import late_reports, send_deadline_reminders
from gongkai.annual.states import ReportStatus


def test_deadlines_by_level():
    class A:
        def __init__(self, name):
            self.name = name

    assert deadline_for(A("示范市信访局"), 2026, level="city") == date(2027, 1, 31)
    assert deadline_for(A("示范县人民政府"), 2026, level="county") == date(2027, 2, 20)
    assert deadline_for(A("示范市人民政府"), 2026, level="city") == date(2027, 3, 10)
    assert deadline_for(A("示范省人民政府"), 2026, level="province") == date(2027, 3, 31)


def test_reminder_days():
    deadline = date(2027, 1, 31)
    assert should_remind(date(2027, 1, 1), deadline)
    assert should_remind(date(2027, 1, 24), deadline)  # 7 days left
    assert not should_remind(date(2027, 1, 2), deadline)  # a Saturday, 29 days left
    assert should_remind(date(2027, 2, 1), deadline)  # Monday after the deadline
    assert not should_remind(date(2027, 2, 2), deadline)


@pytest.mark.django_db
def test_reminders_once_a_day_and_late_list(drafter, petition_bureau, city, bundled_calendar):
    drafter.email = "drafter@example.com"
    drafter.save(update_fields=["email"])
    mail.outbox.clear()
    assert send_deadline_reminders(date(2027, 1, 1)) >= 1
    sent = len(mail.outbox)
    assert any("drafter@example.com" in m.to for m in mail.outbox)
    assert send_deadline_reminders(date(2027, 1, 1)) == 0  # claimed already
    assert len(mail.outbox) == sent
    agencies = Agency.objects.filter(region__path__startswith=city.path)
    assert petition_bureau not in [
        s.agency for s in late_reports(agencies, 2026, date(2027, 1, 31))
    ]
    assert petition_bureau in [s.agency for s in late_reports(agencies, 2026, date(2027, 2, 1))]
    report = services.generate_draft(
        actor=drafter, agency=petition_bureau, year=2026, now=datetime(2027, 1, 5, tzinfo=UTC)
    )
    AnnualReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.PUBLISHED, published_at=datetime(2027, 2, 3, 2, tzinfo=UTC)
    )
    late = late_reports(agencies, 2026, date(2027, 3, 1))
    assert [s.late for s in late if s.agency == petition_bureau] == [True]
    mail.outbox.clear()
    send_deadline_reminders(date(2027, 2, 8))
    assert not any("drafter@example.com" in m.to for m in mail.outbox)  # published: no more
