"""The daily deadline digest shared by the reminder runs of 依申请公开 (applications/reminders.py)
and of the 复议/诉讼 register (appeals/reminders.py).

Each case is claimed once per day with a conditional UPDATE of its ``reminded_on`` column, so
two workers running the job never send the same reminder twice; each handler gets one e-mail
listing their cases, and for overdue cases the heads of the disclosure office (signer and
agency-administrator roles) get a copy; every message, sent or failed, is an event.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from gongkai.agencies.models import Membership, Role
from gongkai.eventlog.services import record

logger = logging.getLogger(__name__)
HEAD_ROLES = (Role.SIGNER, Role.AGENCY_ADMIN)


def claim_daily(model: Any, pks: Iterable[int], today: date) -> list[int]:
    """The cases of ``pks`` this run wins for ``today`` (one conditional UPDATE each)."""
    return [
        pk
        for pk in pks
        if model.objects.filter(pk=pk).exclude(reminded_on=today).update(reminded_on=today)
    ]


def mail(agency: Any, user: Any, lines: list[str], subject: str) -> bool:
    if not user.email:
        return False
    body = "\n".join([f"{user.label}：", "", *lines, "", f"{agency.name} · 公开 Gongkai 工作台"])
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:  # one broken mailbox must not stop the others
        logger.exception("reminder to %s failed", user.pk)
        return False
    return True


def send_digest(
    cases: Iterable[Any],
    *,
    today: date,
    overdue: Callable[[Any], bool],
    line: Callable[[Any, date], str],
    ref: Callable[[Any], Any],
    subject: str,
    head_subject: str,
    action: str,
    unassigned_roles: tuple[str, ...] = (),
) -> int:
    """Mail the claimed ``cases`` (with ``agency`` and ``handler`` loaded): one message per
    handler, one per office head for the overdue ones; returns the number of e-mails sent. A
    case with no handler goes to every member of its agency holding one of ``unassigned_roles``.
    """
    per_handler: dict[tuple[Any, Any], list[Any]] = defaultdict(list)
    late: dict[Any, list[Any]] = defaultdict(list)
    unassigned: dict[Any, list[Any]] = defaultdict(list)
    for case in cases:
        if case.handler is not None:
            per_handler[(case.agency, case.handler)].append(case)
        elif unassigned_roles:
            unassigned[case.agency].append(case)
        if overdue(case):
            late[case.agency].append(case)
    if unassigned:
        members = Membership.objects.filter(
            agency__in=list(unassigned), role__in=unassigned_roles, active=True,
            user__is_active=True,
        ).select_related("user", "agency")  # fmt: skip
        reached: set[tuple[int, int]] = set()
        for membership in members:
            if (membership.agency_id, membership.user_id) not in reached:
                reached.add((membership.agency_id, membership.user_id))
                key = (membership.agency, membership.user)
                per_handler[key].extend(unassigned[membership.agency])
    messages = [(agency, user, items, subject) for (agency, user), items in per_handler.items()]
    heads = Membership.objects.filter(
        agency__in=list(late), role__in=HEAD_ROLES, active=True, user__is_active=True
    ).select_related("user", "agency")
    seen: set[tuple[int, int]] = set()
    for membership in heads:
        key = (membership.agency_id, membership.user_id)
        if key not in seen:
            seen.add(key)
            messages.append(
                (membership.agency, membership.user, late[membership.agency], head_subject)
            )
    sent = 0
    for agency, user, items, title in messages:
        ok = mail(agency, user, [line(c, today) for c in items], title)
        sent += ok
        with transaction.atomic():
            record(
                action=action,
                obj=agency,
                after={
                    "to": user.pk,
                    "subject": title,
                    "sent": ok,
                    "cases": [ref(c) for c in items],
                    "day": today.isoformat(),
                },
            )
    return sent
