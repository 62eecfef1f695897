from __future__ import annotations

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.agencies.access import is_staff_member
from gongkai.security.methods import allow
from gongkai.workdays.models import CalendarYear, DayKind, SpecialDay
from gongkai.workdays.status import missing_schedule_warnings
from gongkai.workspace.agency_context import page_context


def now() -> datetime:
    """Indirection so tests can pin "today"."""
    return timezone.now()


def _count(kind: str) -> Subquery:
    days = (
        SpecialDay.objects.filter(year=OuterRef("year"), kind=kind)
        .order_by()
        .values("year")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Subquery(days, output_field=IntegerField())


def _selected_year(request: HttpRequest, loaded: list[int], today_year: int) -> int | None:
    raw = request.GET.get("year", "")
    # isdigit() accepts "²" and other digits int() refuses: only ASCII digits are a year.
    if raw.isascii() and raw.isdigit() and len(raw) <= 4 and int(raw) in loaded:
        return int(raw)
    if today_year in loaded:
        return today_year
    return max(loaded) if loaded else None


@allow("GET")
@login_required
def calendar_overview(request: HttpRequest) -> HttpResponse:
    if not is_staff_member(request.user):
        raise PermissionDenied
    today = timezone.localdate(now())
    years = list(
        CalendarYear.objects.annotate(
            holiday_count=_count(DayKind.HOLIDAY), workday_count=_count(DayKind.WORKDAY)
        ).order_by("-year")
    )
    loaded = [y.year for y in years]
    selected = _selected_year(request, loaded, today.year)
    days = list(SpecialDay.objects.filter(year=selected)) if selected else []
    context = {
        "today": today,
        "years": years,
        "selected_year": selected,
        "days": days,
        "warnings": missing_schedule_warnings(today, set(loaded)),
    }
    # Same header as every workspace page: agency switcher, navigation, demo ribbon.
    return render(request, "workdays/calendar.html", page_context(request, "calendar") | context)
