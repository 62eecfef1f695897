"""The daily reminder run for the register, like the applications' one: the handler of a
pending case whose answer or evidence deadline falls within 5 working days (or has passed) gets
one e-mail a day; for passed deadlines the disclosure office's heads get a copy. Each case is
claimed once per day with a conditional UPDATE, so two workers never send the same reminder
twice; every message sent is an event."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q

from gongkai.agencies.models import Membership
from gongkai.appeals import actions
from gongkai.appeals.models import AppealCase
from gongkai.appeals.states import Status
from gongkai.applications.queues import due_soon_limit
from gongkai.applications.reminders import HEAD_ROLES, _mail
from gongkai.eventlog.services import record


def _claim(pks: list[int], today: date) -> list[int]:
    return [
        pk
        for pk in pks
        if AppealCase.objects.filter(pk=pk).exclude(reminded_on=today).update(reminded_on=today)
    ]


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
        AppealCase.objects.filter(pk__in=_claim(pks, today))
        .select_related("agency", "handler")
        .order_by("agency_id", "pk")
    )
    per_handler: dict[tuple[Any, Any], list[AppealCase]] = defaultdict(list)
    overdue: dict[Any, list[AppealCase]] = defaultdict(list)
    for case in cases:
        if case.handler is not None:
            per_handler[(case.agency, case.handler)].append(case)
        if case.next_deadline is not None and case.next_deadline < today:
            overdue[case.agency].append(case)
    messages = [
        (agency, user, items, "行政复议、行政诉讼期限提醒")
        for (agency, user), items in per_handler.items()
    ]
    heads = Membership.objects.filter(
        agency__in=list(overdue), role__in=HEAD_ROLES, active=True, user__is_active=True
    ).select_related("user", "agency")
    seen: set[tuple[int, int]] = set()
    for membership in heads:
        key = (membership.agency_id, membership.user_id)
        if key not in seen:
            seen.add(key)
            messages.append(
                (
                    membership.agency,
                    membership.user,
                    overdue[membership.agency],
                    "复议诉讼期限已超期（请督办）",
                )
            )
    sent = 0
    for agency, user, items, subject in messages:
        ok = _mail(agency, user, [_line(c, today) for c in items], subject)
        sent += ok
        with transaction.atomic():
            record(
                action=actions.REMINDER_SENT,
                obj=agency,
                after={
                    "to": user.pk,
                    "subject": subject,
                    "sent": ok,
                    "cases": [c.pk for c in items],
                    "day": today.isoformat(),
                },
            )
    return sent
