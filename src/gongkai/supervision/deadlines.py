"""Publication deadlines of 30号 by level (LAW.md §1): departments 1月31日, county-level
governments' summary 2月20日, prefecture level 3月10日, provincial level 3月31日.

A "government" here is an agency whose name ends with 人民政府 (its report is the region's
summary); every other agency is a department. Township governments are not named in 30号 and
are held to the department date, the strictest reading [R].
"""

from __future__ import annotations

from datetime import date

from gongkai.agencies.models import Agency, RegionLevel

_GOVERNMENT_DEADLINES = {
    RegionLevel.COUNTY: (2, 20),
    RegionLevel.CITY: (3, 10),
    RegionLevel.PROVINCE: (3, 31),
}


def deadline_for(agency: Agency | None, year: int | None) -> date | None:
    if agency is None or year is None:
        return None
    if agency.name.endswith("人民政府"):
        month, day = _GOVERNMENT_DEADLINES.get(agency.region.level, (1, 31))
        return date(year + 1, month, day)
    return date(year + 1, 1, 31)
