"""The daily reminder run: handlers get their cases due within 5 working days or overdue; for
overdue cases the head of the disclosure office (members holding the signer or agency-admin
role) gets a copy. Each case is claimed once per day with a conditional UPDATE, so two workers
running the job never send the same reminder twice; every message sent is an event.

Run it daily: ``gongkai applications remind`` (cron) — to be wrapped as a periodic job once
``gongkai.jobs`` lands (docs/applications.md).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from gongkai.agencies.models import Membership, Role
from gongkai.applications import actions
from gongkai.applications.models import Application
from gongkai.applications.queues import CLOCK_RUNNING, due_soon_limit
from gongkai.eventlog.services import record

logger = logging.getLogger(__name__)
HEAD_ROLES = (Role.SIGNER, Role.AGENCY_ADMIN)


def _claim(pks: list[int], today: date) -> list[int]:
    claimed = []
    for pk in pks:
        won = Application.objects.filter(pk=pk).exclude(reminded_on=today).update(reminded_on=today)
        if won:
            claimed.append(pk)
    return claimed


def _line(app: Application, today: date) -> str:
    state = "已超期" if app.due_on < today else "即将到期"
    received, due = app.received_on.isoformat(), app.due_on.isoformat()
    return f"{app.number}（收到 {received}）答复期限 {due}，{state}"


def _mail(agency: Any, user: Any, lines: list[str], subject: str) -> bool:
    if not user.email:
        return False
    body = "\n".join([f"{user.label}：", "", *lines, "", f"{agency.name} · 公开 Gongkai 工作台"])
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:  # one broken mailbox must not stop the others
        logger.exception("reminder to %s failed", user.pk)
        return False
    return True


def send_reminders(today: date) -> int:
    """Send today's reminders; returns the number of e-mails sent."""
    limit = due_soon_limit(today)
    pks = list(
        Application.objects.filter(status__in=CLOCK_RUNNING, due_on__lte=limit)
        .exclude(reminded_on=today)
        .values_list("pk", flat=True)
    )
    cases = (
        Application.objects.filter(pk__in=_claim(pks, today))
        .select_related("agency", "handler")
        .order_by("agency_id", "due_on", "pk")
    )
    per_handler: dict[tuple[Any, Any], list[Application]] = defaultdict(list)
    overdue: dict[Any, list[Application]] = defaultdict(list)
    unassigned: dict[Any, list[Application]] = defaultdict(list)
    for app in cases:
        if app.handler is not None:
            per_handler[(app.agency, app.handler)].append(app)
        else:  # filed on the portal, nobody has taken it yet: every handler of the agency hears
            unassigned[app.agency].append(app)
        if app.due_on < today:
            overdue[app.agency].append(app)
    if unassigned:
        for membership in Membership.objects.filter(
            agency__in=list(unassigned), role=Role.HANDLER, active=True, user__is_active=True
        ).select_related("user", "agency"):
            per_handler[(membership.agency, membership.user)].extend(unassigned[membership.agency])
    messages: list[tuple[Any, Any, list[Application], str]] = [
        (agency, user, apps, "依申请公开办理提醒") for (agency, user), apps in per_handler.items()
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
                    "依申请公开超期提醒（请督办）",
                )
            )
    sent = 0
    for agency, user, apps, subject in messages:
        ok = _mail(agency, user, [_line(a, today) for a in apps], subject)
        sent += ok
        with transaction.atomic():
            record(
                action=actions.REMINDER_SENT,
                obj=agency,
                after={
                    "to": user.pk,
                    "subject": subject,
                    "sent": ok,
                    "cases": [a.number for a in apps],
                    "day": today.isoformat(),
                },
            )
    return sent
