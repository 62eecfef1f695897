"""Table 四 of the annual report, counted from the register (docs/appeals.md).

Counting rule for the year Y (30号: every figure as at 12月31日 of Y):

* a case decided in Y counts in the column of its outcome;
* a case filed by 31 December of Y and not decided by then counts as 尚未审结 — so a case
  pending over several year ends counts in each of those years (carried over), and is counted
  in its outcome column only in the year it is decided;
* cases decided before 1 January of Y, or filed after 31 December of Y, do not count.

A case belongs to the original agency (the respondent) only, which is 30号's note on suits
where the reconsideration body is co-defendant.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from gongkai.agencies.models import Agency, Region
from gongkai.appeals.models import AppealCase
from gongkai.appeals.states import Outcome
from gongkai.law.report_format import FORMAT_2021

BLOCKS = FORMAT_2021.table4_block_keys
CELLS = FORMAT_2021.table4_cell_keys  # upheld, corrected, other, pending, total
OUTCOME_CELLS = ("upheld", "corrected", "other")


def _scope(scope: Agency | Region) -> QuerySet[AppealCase]:
    if isinstance(scope, Agency):
        return AppealCase.objects.filter(agency=scope)
    return AppealCase.objects.filter(agency__region__path__startswith=scope.path)


def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _cell_filter(year: int, column: str) -> Q:
    first, last = _bounds(year)
    pending = Q(decided_on__isnull=True) | Q(decided_on__gt=last)
    if column == "pending":
        return pending
    decided = Q(decided_on__gte=first, decided_on__lte=last)
    if column == "total":
        return pending | decided
    return decided & Q(outcome=column)


def _counted(scope: Agency | Region, year: int) -> QuerySet[AppealCase]:
    first, last = _bounds(year)
    return _scope(scope).filter(
        Q(filed_on__lte=last) & (Q(decided_on__isnull=True) | Q(decided_on__gte=first))
    )


def table4(scope: Agency | Region, year: int) -> dict[str, dict[str, int]]:
    """Table 四 for an agency or a region (the region and every region below it): one
    aggregate query grouped by block."""
    groups = (
        _counted(scope, year)
        .values("kind")
        .annotate(**{c: Count("pk", filter=_cell_filter(year, c)) for c in CELLS})
    )
    table = {block: dict.fromkeys(CELLS, 0) for block in BLOCKS}
    for item in groups:
        for cell in CELLS:
            table[item["kind"]][cell] += item[cell]
    return table


def table4_cases(
    scope: Agency | Region, year: int, block: str, column: str
) -> QuerySet[AppealCase]:
    """The cases behind one cell of table 四 (drill-down); unknown keys raise ``KeyError``."""
    if block not in BLOCKS:
        raise KeyError(block)
    if column not in CELLS:
        raise KeyError(column)
    return (
        _counted(scope, year)
        .filter(_cell_filter(year, column), kind=block)
        .select_related("agency", "application")
        .order_by("filed_on", "pk")
    )


assert set(OUTCOME_CELLS) | {"pending"} == set(Outcome.values)
