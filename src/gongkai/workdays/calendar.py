"""The one adapter from database rows to the pure ``gongkai.law.workdays.Calendar``.

The built Calendar is cached per process and keyed by a cheap fingerprint of CalendarYear
(count, newest ``loaded_at``, highest id): one small query per call tells whether any year was
loaded, replaced or removed — also by another worker process — so no stale calendar survives an
import. Imports also clear the cache explicitly.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.models import Count, Max

from gongkai.law.workdays import Calendar
from gongkai.workdays.models import CalendarYear, DayKind, SpecialDay

_lock = threading.Lock()
_cached: dict[str, Any] = {"token": None, "calendar": None}


def _fingerprint() -> tuple[Any, ...]:
    agg = CalendarYear.objects.aggregate(n=Count("id"), latest=Max("loaded_at"), top=Max("id"))
    return (agg["n"], agg["latest"], agg["top"])


def _build() -> Calendar:
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    holidays: dict = {}
    workdays: dict = {}
    rows = SpecialDay.objects.filter(year__in=years).values_list("date", "kind", "name")
    for day, kind, name in rows:
        (holidays if kind == DayKind.HOLIDAY else workdays)[day] = name
    return Calendar.from_dates(holidays=holidays, workdays=workdays, years=years)


def current_calendar() -> Calendar:
    """The calendar as loaded in the database (years not loaded are provisional)."""
    token = _fingerprint()
    with _lock:
        if _cached["token"] == token and _cached["calendar"] is not None:
            return _cached["calendar"]
    calendar = _build()
    with _lock:
        _cached["token"], _cached["calendar"] = token, calendar
    return calendar


def invalidate_calendar_cache() -> None:
    with _lock:
        _cached["token"] = _cached["calendar"] = None
