"""The one access function of the annual report aggregate (other agencies' reports are 404)."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from gongkai.agencies.access import agencies_visible_to
from gongkai.annual.models import AnnualReport
from gongkai.annual.states import ReportStatus


def reports_visible_to(user: Any) -> Any:
    return (
        AnnualReport.objects.filter(agency__in=agencies_visible_to(user))
        .exclude(status=ReportStatus.IMPORTED)
        .select_related("agency__region")
    )


def get_report_for_user(user: Any, pk: Any) -> AnnualReport:
    report = reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404("没有找到该年度报告。")
    return report
