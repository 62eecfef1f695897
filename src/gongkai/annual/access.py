"""The one access function of the annual report aggregate (other agencies' reports are 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from gongkai.agencies.access import agencies_visible_to, regions_supervised_by
from gongkai.annual.models import AnnualReport
from gongkai.annual.states import ReportStatus


def reports_visible_to(user: Any) -> Any:
    """An agency's reports to whoever sees the agency. A region's combined report to the
    supervisors of that region (who write it) and, read-only, to the staff of the office that
    signs and publishes it (its reviewers must see what they sign); to nobody else."""
    from gongkai.agencies.models import Membership  # noqa: PLC0415

    staff_of = Membership.objects.filter(user=user, active=True).values("agency")
    if not getattr(user, "is_authenticated", False):
        staff_of = Membership.objects.none().values("agency")
    return (
        AnnualReport.objects.filter(
            Q(region__isnull=True, agency__in=agencies_visible_to(user))
            | Q(region__in=regions_supervised_by(user))
            | Q(region__isnull=False, agency__in=staff_of)
        )
        .exclude(status=ReportStatus.IMPORTED)
        .select_related("agency__region", "region")
    )


def get_report_for_user(user: Any, pk: Any) -> AnnualReport:
    report = reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404("没有找到该年度报告。")
    return report
