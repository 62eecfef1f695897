"""The daily reminder run for the register, like the applications' one: the handler of a
pending case whose answer or evidence deadline falls within 5 working days (or has passed) gets
one e-mail a day; for passed deadlines the disclosure office's heads get a copy. Each case is
claimed once per day with a conditional UPDATE, so two workers never send the same reminder
twice; every message sent is an event."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from gongkai.appeals import actions
from gongkai.appeals.models import AppealCase
from gongkai.appeals.states import Status
from gongkai.applications.digest import claim_daily, send_digest
from gongkai.applications.queues import due_soon_limit


def _line(case: AppealCase, today: date) -> str:
    due = case.next_deadline
    assert due is not None
    state = "已超期" if due < today else "即将到期"
    which = "答复（答辩）期限" if due == case.answer_due_on else "举证期限"
    number = case.case_number or f"#{case.pk}"
    return f"{case.get_kind_display()} {number}（{case.body}）{which} {due.isoformat()}，{state}"


def send_reminders(today: date) -> int:
    """Send today's reminders; returns the number of e-mails sent."""
    limit = due_soon_limit(today)
    near = Q(answer_due_on__lte=limit) | Q(evidence_due_on__lte=limit)
    pks = list(
        AppealCase.objects.filter(near, status=Status.PENDING)
        .exclude(reminded_on=today)
        .values_list("pk", flat=True)
    )
    cases = (
        AppealCase.objects.filter(pk__in=claim_daily(AppealCase, pks, today))
        .select_related("agency", "handler")
        .order_by("agency_id", "pk")
    )
    return send_digest(
        cases,
        today=today,
        overdue=lambda case: case.next_deadline is not None and case.next_deadline < today,
        line=_line,
        ref=lambda case: case.pk,
        subject="行政复议、行政诉讼期限提醒",
        head_subject="复议诉讼期限已超期（请督办）",
        action=actions.REMINDER_SENT,
    )
