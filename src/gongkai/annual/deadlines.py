"""Publication deadlines of the annual report (30号, LAW.md §1): departments by 1月31日;
county-level summary reports by 2月20日; prefecture level by 3月10日; provincial level and
vertically managed systems by 3月31日.

An agency is a *department* unless it is the region's 人民政府 (the one that publishes the
region's summary report); the government's deadline follows its region's level.
"""

from __future__ import annotations

from datetime import date
from typing import Any

GOVERNMENT_DEADLINES = {  # (month, day) of year N+1 by region level
    "county": (2, 20),
    "city": (3, 10),
    "province": (3, 31),
}
DEPARTMENT_DEADLINE = (1, 31)


def is_government(agency: Any) -> bool:
    return agency.name.endswith("人民政府")


def deadline_for(agency: Any, year: int | None, *, level: str | None = None) -> date | None:
    if not year:
        return None
    month, day = DEPARTMENT_DEADLINE
    if is_government(agency):
        month, day = GOVERNMENT_DEADLINES.get(level or "", (3, 31))
    return date(year + 1, month, day)


REMIND_DAYS_LEFT = frozenset({21, 14, 7, 3, 1, 0})


def should_remind(today: date, deadline: date) -> bool:
    """From 1 January: on the first day, every Monday, and 21/14/7/3/1/0 days before the
    deadline; after it, every Monday until the report is published."""
    if today.month == 1 and today.day == 1:
        return True
    if today > deadline:
        return today.weekday() == 0
    return (deadline - today).days in REMIND_DAYS_LEFT or today.weekday() == 0
