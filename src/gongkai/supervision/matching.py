"""Which agency of the region, and which year, a report belongs to.

The name read from the report (its title or signature) is compared with every agency of the
supervised region, full name and short name, after ``normalize_label`` (spaces, full-width
forms, traditional characters). Only an exact match is taken on trust: a name that merely ends
with an agency's name (「宿迁市沭阳县人民政府」 / 「沭阳县人民政府」) is *likely* the same
agency, but 「某县信访局」 also ends with 「县信访局」 — so it is suggested and queued for the
supervisor, never filed silently under the wrong agency.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.agencies.models import Agency, Region
from gongkai.law.report_format import normalize_label
from gongkai.reportdoc.batch import same_agency

FIRST_REPORT_YEAR = 2008  # the first year of 政府信息公开条例 (2007年版) reports


@dataclass(frozen=True)
class Match:
    state: str  # a MatchState value
    agency: Agency | None
    year: int | None
    note: str


def region_agencies(region: Region) -> list[Agency]:
    return list(
        Agency.objects.filter(region__path__startswith=region.path).only(
            "pk", "name", "short_name", "region_id"
        )
    )


def match_report(
    read_name: str | None, year: int | None, candidates: list[Agency], *, this_year: int
) -> Match:
    agency, state, note = _match_agency(read_name, candidates)
    if year is None or not FIRST_REPORT_YEAR <= year <= this_year:
        shown = "" if year is None else f"（读到 {year}）"
        note = "；".join(p for p in (note, f"未能读出有效的报告年度{shown}") if p)
        return Match("doubtful" if agency else "unmatched", agency, None, note)
    return Match(state, agency, year, note)


def _match_agency(
    read_name: str | None, candidates: list[Agency]
) -> tuple[Agency | None, str, str]:
    if not read_name:
        return None, "unmatched", "报告中未读出机关名称"
    key = normalize_label(read_name)
    exact = [
        a
        for a in candidates
        if normalize_label(a.name) == key or (a.short_name and normalize_label(a.short_name) == key)
    ]
    if len(exact) == 1:
        return exact[0], "matched", ""
    if len(exact) > 1:
        return None, "doubtful", f"「{read_name}」与 {len(exact)} 个机关同名，请指定"
    # short names are too short to compare by their ending (「市信访局」 ends 「邻近市信访局」)
    loose = [a for a in candidates if same_agency(read_name, a.name)]
    if len(loose) == 1:
        return (
            loose[0],
            "doubtful",
            f"报告中的名称「{read_name}」与「{loose[0].name}」不完全一致，请确认",
        )
    if loose:
        return None, "doubtful", f"「{read_name}」可能是 {len(loose)} 个机关之一，请指定"
    return None, "unmatched", f"本区域没有名为「{read_name}」的机关"
