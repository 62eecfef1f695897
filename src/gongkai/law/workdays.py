"""Working-day arithmetic over an injected holiday calendar (LAW.md §2.1).

A :class:`Calendar` is an immutable value: the published holidays (放假) and make-up working days
(调休上班) of the years whose State Council schedule is loaded. It never derives holidays from
rules. A day in a year the calendar does not cover is judged on the weekends-only assumption and
every result that touches such a year is marked *provisional*, never an exception: an application
received in December must get a date even before next year's schedule is announced.

Counting follows 民法典第二百零一条: the start day is not counted, counting begins the next day.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType

from chinese_calendar import constants

ONE_DAY = timedelta(days=1)
WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# chinese_calendar names holidays in English; clerks read Chinese.
_HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def weekday_name(day: date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


def fmt_day(day: date) -> str:
    """``2026-10-10（星期六）`` — the form every explanation line uses."""
    return f"{day.isoformat()}（{weekday_name(day)}）"


DateNames = Mapping[date, str] | Iterable[date]


def _as_names(values: DateNames | None, default_name: str) -> dict[date, str]:
    if values is None:
        return {}
    if isinstance(values, Mapping):
        return {_check_date(d): str(name or default_name) for d, name in values.items()}
    return {_check_date(d): default_name for d in values}


def _check_date(value: object) -> date:
    # datetime is a date subclass; a datetime key would never match a date lookup.
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise TypeError(f"日历中的日期必须是 datetime.date：{value!r}")
    return value


@dataclass(frozen=True)
class Calendar:
    """Holidays and make-up working days of the years in ``years``.

    Outside ``years`` only Saturday and Sunday are rest days, and results are provisional.
    """

    holidays: Mapping[date, str] = field(default_factory=dict)
    workdays: Mapping[date, str] = field(default_factory=dict)
    years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        both = set(self.holidays) & set(self.workdays)
        if both:
            days = "、".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"日期不能同时是节假日和调休工作日：{days}")
        # Copy into read-only views so that a caller mutating its dict cannot change us.
        object.__setattr__(self, "holidays", MappingProxyType(dict(self.holidays)))
        object.__setattr__(self, "workdays", MappingProxyType(dict(self.workdays)))
        object.__setattr__(self, "years", frozenset(int(y) for y in self.years))

    def __hash__(self) -> int:
        return hash(
            (frozenset(self.holidays.items()), frozenset(self.workdays.items()), self.years)
        )

    @classmethod
    def from_dates(
        cls,
        *,
        holidays: DateNames | None = None,
        workdays: DateNames | None = None,
        years: Iterable[int] | None = None,
    ) -> Calendar:
        """Build from plain data (e.g. database rows).

        ``holidays``/``workdays`` are ``{date: name}`` or just dates. ``years`` are the years
        whose schedule is fully loaded; when omitted, every year that has at least one holiday
        counts as loaded (a year with holidays but no make-up days is normal).
        """
        hol = _as_names(holidays, "节假日")
        work = _as_names(workdays, "调休")
        covered = frozenset(years) if years is not None else frozenset(d.year for d in hol)
        return cls(holidays=hol, workdays=work, years=covered)

    @classmethod
    def weekends_only(cls) -> Calendar:
        """A calendar with no schedule loaded: everything is provisional."""
        return cls()

    def overlay(self, other: Calendar) -> Calendar:
        """This calendar with ``other``'s schedule replacing ours for the years ``other``
        covers (e.g. a 2027 schedule entered by an administrator on top of the bundled one)."""

        def keep(names: Mapping[date, str]) -> dict[date, str]:
            return {d: n for d, n in names.items() if d.year not in other.years}

        return Calendar(
            holidays={**keep(self.holidays), **other.holidays},
            workdays={**keep(self.workdays), **other.workdays},
            years=self.years | other.years,
        )

    # -- single days ---------------------------------------------------------------------------
    def covers(self, year: int) -> bool:
        return year in self.years

    def is_working_day(self, day: date) -> bool:
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        return day.weekday() < 5

    # -- spans ----------------------------------------------------------------------------------
    def add_working_days(self, start: date, n: int) -> tuple[date, bool]:
        """The n-th working day after ``start`` (``start`` itself not counted).

        Returns ``(day, provisional)``; ``provisional`` is true when any day from the day after
        ``start`` up to the result lies in a year the calendar does not cover. ``n == 0``
        returns ``start``.
        """
        if n < 0:
            raise ValueError("工作日数不能为负数")
        day = start
        counted = 0
        while counted < n:
            day += ONE_DAY
            if self.is_working_day(day):
                counted += 1
        return day, self.is_provisional(start, day)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for d in _days(start + ONE_DAY, end) if self.is_working_day(d))

    def uncovered_years(self, start: date, end: date) -> tuple[int, ...]:
        """Years touched by ``(start, end]`` whose schedule is not loaded."""
        if end <= start:
            return ()
        years = range((start + ONE_DAY).year, end.year + 1)
        return tuple(y for y in years if not self.covers(y))

    def is_provisional(self, start: date, end: date) -> bool:
        return bool(self.uncovered_years(start, end))

    def describe_span(self, start: date, end: date) -> list[str]:
        """Explanation lines for the days in ``(start, end]`` that are not plain weekdays.

        Holiday runs are shown once (``跳过 2026-10-01至2026-10-07 国庆节假期``), make-up
        working days one by one, and each uncovered year gets its provisional warning.
        """
        lines = [self._holiday_line(run) for run in self._holiday_runs(start, end)]
        lines += [
            f"{fmt_day(d)}为调休工作日"
            for d in _days(start + ONE_DAY, end)
            if d in self.workdays and d.weekday() >= 5
        ]
        lines += [provisional_line(y) for y in self.uncovered_years(start, end)]
        return lines

    def _holiday_runs(self, start: date, end: date) -> Iterator[list[date]]:
        run: list[date] = []
        for day in _days(start + ONE_DAY, end):
            if day in self.holidays:
                if run and day - run[-1] != ONE_DAY:
                    yield run
                    run = []
                run.append(day)
        if run:
            yield run

    def _holiday_line(self, run: list[date]) -> str:
        names = "、".join(dict.fromkeys(self.holidays[d] for d in run))
        first, last = run[0], run[-1]
        span = first.isoformat() if first == last else f"{first.isoformat()}至{last.isoformat()}"
        return f"跳过 {span} {names}假期"


def provisional_line(year: int) -> str:
    return f"{year}年节假日安排尚未载入，按仅周末休息推算，结果为暂定"


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


@cache
def default_calendar() -> Calendar:
    """The bundled calendar: the published schedules shipped in ``chinese_calendar``.

    The package marks ordinary weekends as neither holiday nor workday, so a year counts as
    covered only when the package lists holidays for it.
    """

    def zh(names: Mapping[date, str]) -> dict[date, str]:
        return {d: _HOLIDAY_NAMES_ZH.get(str(n), str(n)) for d, n in names.items()}

    return Calendar.from_dates(
        holidays=zh(constants.holidays),
        workdays=zh(constants.workdays),
        years={d.year for d in constants.holidays},
    )
