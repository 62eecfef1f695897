"""Publication-deadline reminders (30号 deadlines by level, from 1 January) and the list of
late reports a supervisor sees."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from gongkai.agencies.models import Agency, Membership, Role
from gongkai.annual.deadlines import deadline_for, should_remind
from gongkai.annual.models import AnnualReport, DeadlineReminder
from gongkai.annual.states import ReportStatus
from gongkai.eventlog.services import record

logger = logging.getLogger(__name__)
RECIPIENT_ROLES = (Role.AGENCY_ADMIN, Role.DRAFTER, Role.SIGNER)


@dataclass(frozen=True)
class Standing:
    agency: Any
    year: int
    deadline: date
    status: str  # a ReportStatus value, or "" when there is no report yet
    published_on: date | None

    @property
    def late(self) -> bool:
        return self.published_on > self.deadline if self.published_on else False

    def overdue(self, today: date) -> bool:
        return self.published_on is None and today > self.deadline


def standings(agencies: Any, year: int) -> list[Standing]:
    """Every agency's report for ``year``: its deadline, status and publication date."""
    agencies = list(agencies.select_related("region"))
    reports = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(
            agency__in=agencies, year=year, region__isnull=True
        ).exclude(status=ReportStatus.IMPORTED)
    }
    rows = []
    for agency in agencies:
        report = reports.get(agency.pk)
        level = agency.region.level if agency.region_id else None
        published = report.published_at.date() if report and report.published_at else None
        rows.append(
            Standing(
                agency=agency,
                year=year,
                deadline=deadline_for(agency, year, level=level),
                status=report.status if report else "",
                published_on=published,
            )
        )
    return rows


def late_reports(agencies: Any, year: int, today: date) -> list[Standing]:
    """Published after the deadline, or not published and the deadline has passed."""
    return [s for s in standings(agencies, year) if s.late or s.overdue(today)]


def send_deadline_reminders(today: date) -> int:
    """Remind agencies whose report for last year is not yet published; returns e-mails sent."""
    from gongkai.annual.services import sync_publication  # noqa: PLC0415

    year = today.year - 1
    for report in AnnualReport.objects.filter(
        year=year, status=ReportStatus.APPROVED, published_item__first_published_at__isnull=False
    ):
        sync_publication(report)
    agencies = Agency.objects.filter(active=True)
    due = [
        s
        for s in standings(agencies, year)
        if s.published_on is None and should_remind(today, s.deadline)
    ]
    sent = 0
    for standing in due:
        with transaction.atomic():
            _, created = DeadlineReminder.objects.get_or_create(
                agency=standing.agency,
                year=year,
                day=today,
                defaults={"overdue": standing.overdue(today)},
            )
            if not created:
                continue
            record(
                action="annual.deadline_reminded",
                obj=standing.agency,
                after={"year": year, "deadline": standing.deadline.isoformat(), "day": str(today)},
            )
        sent += _mail(standing, today)
    return sent


def _mail(standing: Standing, today: date) -> int:
    days = (standing.deadline - today).days
    when = f"还有{days}天" if days >= 0 else f"已超期{-days}天"
    subject = f"{standing.year}年政府信息公开工作年度报告公开期限提醒（{when}）"
    body = (
        f"{standing.agency.name}{standing.year}年度报告应于{standing.deadline.isoformat()}前公开"
        f"（国办公开办函〔2021〕30号），{when}。当前状态："
        f"{ReportStatus(standing.status).label if standing.status else '尚未生成'}。"
    )
    emails = sorted(
        set(
            Membership.objects.filter(
                agency=standing.agency, role__in=RECIPIENT_ROLES, active=True, user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if not emails:
        return 0
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails)
    except Exception:  # one broken mailbox must not stop the other agencies
        logger.exception("annual reminder for agency %s failed", standing.agency.pk)
        return 0
    return 1
