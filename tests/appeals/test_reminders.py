"""Register deadlines are reminded once a day; overdue ones also go to the office heads."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.appeals import actions, services
from gongkai.appeals.reminders import send_reminders
from gongkai.eventlog.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailboxes(handler, signer):
    for user, address in ((handler, "h@example.com"), (signer, "s@example.com")):
        user.email = address
        user.save(update_fields=["email"])


def test_due_soon_reminds_the_handler_once_a_day(make_appeal, mailboxes, mailoutbox):
    make_appeal(answer_due_on=date(2025, 5, 16))
    make_appeal(answer_due_on=date(2025, 8, 1))  # far away: no mail
    assert send_reminders(date(2025, 5, 13)) == 1
    assert mailoutbox[0].to == ["h@example.com"]
    assert "答复（答辩）期限 2025-05-16，即将到期" in mailoutbox[0].body
    assert send_reminders(date(2025, 5, 13)) == 0  # claimed today
    assert Event.objects.filter(action=actions.REMINDER_SENT).count() == 1


def test_overdue_copies_the_head_and_decided_cases_are_quiet(
    make_appeal, handler, mailboxes, mailoutbox
):
    late = make_appeal(evidence_due_on=date(2025, 5, 20))
    done = make_appeal(answer_due_on=date(2025, 5, 20))
    services.record_decision(done, actor=handler, outcome="upheld", decided_on=date(2025, 5, 21))
    assert send_reminders(date(2025, 5, 26)) == 2
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == ["h@example.com", "s@example.com"]
    assert all(late.case_number in m.body and "举证期限" in m.body for m in mailoutbox)
    assert all("已超期" in m.body for m in mailoutbox)
