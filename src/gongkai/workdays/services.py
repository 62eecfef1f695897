"""Loading a year's holiday schedule: validate, then replace that year's rows in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.eventlog.services import record
from gongkai.law.workdays import default_calendar
from gongkai.workdays import actions
from gongkai.workdays.calendar import invalidate_calendar_cache
from gongkai.workdays.importing import CalendarImportError, YearSchedule, check_schedule
from gongkai.workdays.models import CalendarYear, DayKind, SpecialDay
from gongkai.workdays.signals import calendar_year_loaded

BUNDLED_SOURCE = "国务院办公厅历年部分节假日安排的通知（随 chinesecalendar 软件包提供的数据）"


def _announce(year: int) -> None:
    invalidate_calendar_cache()
    calendar_year_loaded.send(sender=CalendarYear, year=year)


def import_year(
    schedule: YearSchedule,
    *,
    replace: bool = False,
    actor: Any = None,
    action: str = actions.YEAR_IMPORT,
) -> CalendarYear:
    """Load (or with ``replace`` re-load) one year's schedule; all or nothing.

    Raises CalendarImportError when the schedule breaks a rule or the year is already loaded
    and ``replace`` is false. ``calendar_year_loaded`` is sent after the commit.
    """
    check_schedule(schedule)
    with transaction.atomic():
        existing = CalendarYear.objects.select_for_update().filter(year=schedule.year).first()
        if existing is not None and not replace:
            raise CalendarImportError(
                [
                    f"{schedule.year} 年的节假日安排已经载入（来源：{existing.source}）。"
                    "如需覆盖，请使用 --replace。"
                ]
            )
        before = _year_summary(existing) if existing is not None else None
        SpecialDay.objects.filter(year=schedule.year).delete()
        SpecialDay.objects.bulk_create(_rows(schedule))
        now = timezone.now()
        if existing is None:
            loaded = CalendarYear.objects.create(
                year=schedule.year, source=schedule.source, loaded_at=now, loaded_by=_user(actor)
            )
        else:
            loaded = existing
            loaded.source, loaded.loaded_at, loaded.loaded_by = schedule.source, now, _user(actor)
            loaded.save(update_fields=["source", "loaded_at", "loaded_by"])
        record(action=action, actor=actor, obj=loaded, before=before, after=_year_summary(loaded))
        invalidate_calendar_cache()
        year = schedule.year
        transaction.on_commit(lambda: _announce(year))
    return loaded


def seed_bundled_years(*, actor: Any = None, years: set[int] | None = None) -> list[int]:
    """Load every bundled year (2004–2026 in chinesecalendar 1.11) not loaded yet. Idempotent."""
    bundled = default_calendar()
    wanted = sorted(bundled.years if years is None else set(years) & set(bundled.years))
    loaded = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    done = []
    for year in wanted:
        if year in loaded:
            continue
        import_year(bundled_schedule(year), actor=actor, action=actions.YEAR_SEED)
        done.append(year)
    return done


def bundled_schedule(year: int) -> YearSchedule:
    bundled = default_calendar()
    if not bundled.covers(year):
        raise CalendarImportError([f"内置数据不包含 {year} 年的节假日安排。"])
    return YearSchedule(
        year=year,
        source=BUNDLED_SOURCE,
        holidays={d: n for d, n in bundled.holidays.items() if d.year == year},
        workdays={d: n for d, n in bundled.workdays.items() if d.year == year},
    )


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _rows(schedule: YearSchedule) -> list[SpecialDay]:
    rows = [
        SpecialDay(date=d, year=d.year, kind=DayKind.HOLIDAY, name=n, source_notice=schedule.source)
        for d, n in schedule.holidays.items()
    ]
    rows += [
        SpecialDay(date=d, year=d.year, kind=DayKind.WORKDAY, name=n, source_notice=schedule.source)
        for d, n in schedule.workdays.items()
    ]
    return sorted(rows, key=lambda r: r.date)


def _year_summary(loaded: CalendarYear) -> dict[str, Any]:
    counts = dict.fromkeys(DayKind.values, 0)
    for kind in SpecialDay.objects.filter(year=loaded.year).values_list("kind", flat=True):
        counts[kind] += 1
    return {
        "year": loaded.year,
        "source": loaded.source,
        "holidays": counts[DayKind.HOLIDAY],
        "workdays": counts[DayKind.WORKDAY],
    }
