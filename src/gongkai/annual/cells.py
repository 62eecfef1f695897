"""What a cell counts: the cases or items behind one cell of tables 二/三/四 (drill-down).

The queries repeat the counting rules of ``applications.stats.table3`` and
``disclosure.register.table2`` cell by cell, so a cell's list has exactly as many rows as the
cell counts (tested against the tables). They read the records as they are now; a report frozen
earlier, or a cell overridden by hand, can differ, and the page says so.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from gongkai.appeals import stats as appeals_stats
from gongkai.applications.models import Application
from gongkai.disclosure.models import Item, ItemKind, Validity
from gongkai.disclosure.states import ItemStatus
from gongkai.law.report_format import FORMAT_2021

FLOW_ROWS = ("new_received", "carried_over", "carried_forward", "total_processed")
DOCUMENT_KINDS = {"regulations": ItemKind.RULE, "normative_documents": ItemKind.NORMATIVE}
ENDED = (Validity.REPEALED, Validity.EXPIRED)


class NoDetailError(LookupError):
    """The cell is entered by hand (or not counted by the platform): no list behind it."""


def table3_cases(agency_ids: list[int], year: int, row: str, column: str) -> QuerySet:
    if row not in FORMAT_2021.table3_row_keys or column not in (
        *FORMAT_2021.table3_applicant_keys,
        "total",
    ):
        raise NoDetailError
    first, last = date(year, 1, 1), date(year, 12, 31)
    cases = Application.objects.filter(agency_id__in=agency_ids)
    if column != "total":
        cases = cases.filter(applicant_class=column)
    open_at_start = Q(closed_on__isnull=True) | Q(closed_on__gte=first)
    if row == "new_received":
        cases = cases.filter(received_on__gte=first, received_on__lte=last)
    elif row == "carried_over":
        cases = cases.filter(open_at_start, received_on__lt=first)
    elif row == "carried_forward":
        cases = cases.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=last), received_on__lte=last
        )
    else:
        cases = cases.filter(received_on__lte=last, closed_on__gte=first, closed_on__lte=last)
        if row != "total_processed":
            cases = cases.filter(outcome=row)
    return cases.order_by("received_on", "pk")


def table2_items(agency_ids: list[int], year: int, row: str, column: str) -> QuerySet:
    if row not in DOCUMENT_KINDS or column not in ("issued", "repealed", "in_force"):
        raise NoDetailError
    start, end = date(year, 1, 1), date(year, 12, 31)
    items = Item.objects.filter(
        agency_id__in=agency_ids, kind=DOCUMENT_KINDS[row], first_published_at__isnull=False
    ).exclude(status=ItemStatus.WITHDRAWN)
    if column == "issued":
        items = items.filter(written_date__gte=start, written_date__lte=end)
    elif column == "repealed":
        items = items.filter(
            validity__in=ENDED, validity_changed_on__gte=start, validity_changed_on__lte=end
        )
    else:
        items = items.filter(written_date__lte=end).exclude(
            validity__in=ENDED, validity_changed_on__lte=end
        )
    return items.order_by("written_date", "pk")


def table4_cases(scope: Any, year: int, block: str, column: str) -> QuerySet:
    try:
        return appeals_stats.table4_cases(scope, year, block, column)
    except KeyError:
        raise NoDetailError from None


def cell_records(report: Any, path: str) -> tuple[str, QuerySet]:
    """(kind, queryset) for a dotted cell path of ``report``; kind is 'application', 'item'
    or 'appeal'."""
    parts = path.split(".")
    if len(parts) != 3:
        raise NoDetailError
    table, row, column = parts
    if report.region_id is not None:  # a combined report: every agency of the region subtree
        from gongkai.annual.compute import region_ids  # noqa: PLC0415

        ids, scope = region_ids(report.region), report.region
    else:
        ids, scope = [report.agency_id], report.agency
    if table == "table3":
        return "application", table3_cases(ids, report.year, row, column)
    if table == "table2":
        return "item", table2_items(ids, report.year, row, column)
    if table == "table4":
        return "appeal", table4_cases(scope, report.year, row, column)
    raise NoDetailError


def agency_figures(report: Any, path: str) -> list[dict[str, Any]]:
    """A combined report's cell as each agency counted it at ``frozen_at`` (largest first);
    agencies whose figure is zero or blank are left out."""
    rows = [
        {"agency_id": int(pk), "name": part["name"], "value": part["cells"][path]}
        for pk, part in (report.parts or {}).items()
        if path in part["cells"]
    ]
    return sorted(rows, key=lambda r: (-r["value"], r["agency_id"]))
