"""The one access function of the annual report aggregate (other agencies' reports are 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from gongkai.agencies.access import agencies_visible_to, regions_supervised_by
from gongkai.annual.models import AnnualReport
from gongkai.annual.states import ReportStatus


def reports_visible_to(user: Any) -> Any:
    """An agency's reports to whoever sees the agency; a region's combined report only to the
    supervisors of that region (not to the staff of the office that publishes it)."""
    return (
        AnnualReport.objects.filter(
            Q(region__isnull=True, agency__in=agencies_visible_to(user))
            | Q(region__in=regions_supervised_by(user))
        )
        .exclude(status=ReportStatus.IMPORTED)
        .select_related("agency__region", "region")
    )


def get_report_for_user(user: Any, pk: Any) -> AnnualReport:
    report = reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404("没有找到该年度报告。")
    return report
