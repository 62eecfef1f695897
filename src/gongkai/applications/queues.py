"""The handler's queues (one query each) and the repeat/excessive suggestions.

Suggestions never decide anything: they show the handler earlier cases that look alike
(条例第三十六条第（六）项 repeated applications) or a burst of applications by one applicant
(条例第三十五条), with the earlier cases linked.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from gongkai.applications.models import (
    Application,
    ClockEvent,
    ClockKind,
    ExtensionRequest,
    ExtensionStatus,
)
from gongkai.applications.states import AWAITING_APPLICANT, OPEN_STATES, Status
from gongkai.workdays.calendar import current_calendar

DUE_SOON_WORKING_DAYS = 5
REPEAT_WINDOW_DAYS = 365
REPEAT_SIMILARITY = 0.6
EXCESSIVE_WINDOW_DAYS = 30
EXCESSIVE_COUNT = 10
# the clock runs in these states (the applicant's own waits stop it)
CLOCK_RUNNING = sorted(OPEN_STATES - AWAITING_APPLICANT)

QUEUES = {
    "mine": "我的案件",
    # filed on the portal and not yet taken by a handler
    "unassigned": "未分配承办人",
    "due_soon": "5个工作日内到期",
    "overdue": "已超期",
    "answering": "已决定待送达",
    "awaiting_applicant": "等待申请人（补正/缴费）",
    "open": "全部在办",
    "closed": "已办结",
}


def due_soon_limit(today: date) -> date:
    day, _ = current_calendar().add_working_days(today, DUE_SOON_WORKING_DAYS)
    return day


def queue(base: QuerySet[Application], name: str, *, user: Any, today: date) -> QuerySet:
    if name == "mine":
        return base.filter(handler=user, status__in=sorted(OPEN_STATES)).order_by("due_on", "pk")
    if name == "unassigned":
        return base.filter(handler__isnull=True, status__in=sorted(OPEN_STATES)).order_by(
            "due_on", "pk"
        )
    if name == "due_soon":
        return base.filter(
            status__in=CLOCK_RUNNING, due_on__gte=today, due_on__lte=due_soon_limit(today)
        ).order_by("due_on", "pk")
    if name == "overdue":
        return base.filter(status__in=CLOCK_RUNNING, due_on__lt=today).order_by("due_on", "pk")
    if name == "answering":
        return base.filter(status=Status.ANSWERING).order_by("due_on", "pk")
    if name == "awaiting_applicant":
        return base.filter(status__in=sorted(AWAITING_APPLICANT)).order_by("applicant_due_on", "pk")
    if name == "closed":
        return base.filter(status=Status.CLOSED).order_by("-closed_on", "-pk")
    return base.filter(status__in=sorted(OPEN_STATES)).order_by("due_on", "pk")


def deadline_alerts(base: QuerySet[Application], *, today: date) -> QuerySet:
    """For the inbox: overdue or due within 5 working days, and cases whose one 补正 notice
    could still be sent but only for 2 more working days (条例第三十条: within 7 working days)."""
    soon = due_soon_limit(today)
    notice_soon, _ = current_calendar().add_working_days(today, 2)
    notice_sent = ClockEvent.objects.filter(
        application=OuterRef("pk"), kind=ClockKind.CORRECTION_NOTICE
    )
    return (
        base.filter(
            Q(status__in=CLOCK_RUNNING, due_on__lte=soon)
            | (
                Q(
                    status=Status.IN_PROGRESS,
                    correction_notice_due_on__gte=today,
                    correction_notice_due_on__lte=notice_soon,
                )
                & ~Exists(notice_sent)
            )
        )
        .select_related("agency")
        .order_by("due_on", "pk")
    )


EXTENSION_NEWS_DAYS = 30


def extension_requests(agency: Any, *, today: date) -> QuerySet:
    """For the handlers' inbox: the agency's extension requests in review, and those rejected
    or lapsed in the last 30 days (so the handler sees the reason); one query."""
    since = today - timedelta(days=EXTENSION_NEWS_DAYS)
    return (
        ExtensionRequest.objects.filter(agency=agency, application__status__in=sorted(OPEN_STATES))
        .filter(
            Q(status=ExtensionStatus.IN_REVIEW)
            | Q(
                status__in=[ExtensionStatus.REJECTED, ExtensionStatus.LAPSED],
                decided_on__gte=since,
            )
        )
        .select_related("application", "decided_by")
        .order_by("due_before", "pk")
    )


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "repeat" | "excessive"
    message: str
    earlier: list[Application]


def suggestions(application: Application) -> list[Suggestion]:
    """Two queries: the applicant's earlier cases, then the similar ones among them."""
    if application.id_number:
        same = Q(id_number=application.id_number)
    else:
        same = Q(applicant_name=application.applicant_name, id_number="")
    since = application.received_on - timedelta(days=REPEAT_WINDOW_DAYS)
    earlier = list(
        Application.objects.filter(same, agency=application.agency, received_on__gte=since)
        .filter(received_on__lte=application.received_on)
        .exclude(pk=application.pk)
        .order_by("-received_on", "-pk")[:200]
    )
    found: list[Suggestion] = []
    similar = [
        e
        for e in earlier
        if difflib.SequenceMatcher(None, e.request_text, application.request_text).ratio()
        >= REPEAT_SIMILARITY
    ]
    if similar:
        found.append(
            Suggestion(
                "repeat",
                f"同一申请人此前 {REPEAT_WINDOW_DAYS} 天内有 {len(similar)} 件内容相近的申请，"
                "请核查是否属于重复申请（条例第三十六条第（六）项）。",
                similar[:10],
            )
        )
    burst_since = application.received_on - timedelta(days=EXCESSIVE_WINDOW_DAYS)
    burst = [e for e in earlier if e.received_on >= burst_since]
    if len(burst) + 1 >= EXCESSIVE_COUNT:
        found.append(
            Suggestion(
                "excessive",
                f"同一申请人 {EXCESSIVE_WINDOW_DAYS} 天内已提出 {len(burst) + 1} 件申请，"
                "数量、频次明显超过合理范围的，可要求说明理由（条例第三十五条）。",
                burst[:10],
            )
        )
    return found
