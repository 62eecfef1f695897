"""Table 三 of the annual report, and the report JSON around it.

``table3`` reads the running tallies (``CaseTally``, kept by the verbs): one grouped query over
at most a few hundred rows per agency and year, whatever the number of cases. ``table3_recount``
counts the same table from the cases themselves (one aggregate scan) and is the reference the
tallies are tested against.

Counting rule (docs/applications.md), by the legal receipt date (条例第三十一条) and the answer
(办结) date, for the year Y:

* new_received — received in Y;
* carried_over — received before 1 January of Y and not closed before it;
* outcomes — closed in Y, each in the row of its outcome;
* carried_forward — received by 31 December of Y and not closed by then.

Every counted case is then either closed in Y or carried forward, so S1 (new + carried over =
processed + carried forward), T1 and T2 hold by construction (``check``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from gongkai.agencies.models import Agency, Region
from gongkai.applications.models import FORMAT, Application, CaseTally, TallyKind
from gongkai.law import consistency

COLUMNS = FORMAT.table3_applicant_keys  # the six applicant columns (total is their sum)
LEAVES = FORMAT.table3_leaf_keys


def _scope(scope: Agency | Region) -> QuerySet[Application]:
    if isinstance(scope, Agency):
        return Application.objects.filter(agency=scope)
    # the agencies first (a small query), so the count is a plain agency_id IN (…) over the
    # covering index instead of a join through agencies and regions
    agencies = Agency.objects.filter(region__path__startswith=scope.path).values("pk")
    return Application.objects.filter(agency_id__in=agencies)


def _empty() -> dict[str, dict[str, int]]:
    return {row: dict.fromkeys((*COLUMNS, "total"), 0) for row in FORMAT.table3_row_keys}


def _totals(table: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    for cells in table.values():
        cells["total"] = sum(cells[c] for c in COLUMNS)
    return table


def table3(scope: Agency | Region, year: int) -> dict[str, dict[str, int]]:
    """Table 三 for an agency or a region, from the tallies.

    With R(<Y), R(Y) the cases received before / in the year and C(<Y), C(Y) those closed
    before / in it: carried over = R(<Y) − C(<Y) (a case closed before Y was received before
    it), new = R(Y), processed = C(Y) by outcome, carried forward = new + carried over −
    processed. Same counting rule as ``table3_recount``.
    """
    if isinstance(scope, Agency):
        rows = CaseTally.objects.filter(agency=scope)
    else:
        rows = CaseTally.objects.filter(
            agency__in=Agency.objects.filter(region__path__startswith=scope.path).values("pk")
        )
    groups = (
        rows.filter(year__lte=year)
        .values("kind", "applicant_class", "outcome")
        .annotate(
            before=Sum("count", filter=Q(year__lt=year), default=0),
            this=Sum("count", filter=Q(year=year), default=0),
        )
    )
    table = _empty()
    for item in groups:
        column = item["applicant_class"]
        if column not in COLUMNS:
            continue
        if item["kind"] == TallyKind.RECEIVED:
            table["new_received"][column] += item["this"]
            table["carried_over"][column] += item["before"]
        else:
            table["carried_over"][column] -= item["before"]
            if item["this"]:
                table[item["outcome"]][column] += item["this"]
                table["total_processed"][column] += item["this"]
    for column in COLUMNS:
        table["carried_forward"][column] = (
            table["new_received"][column]
            + table["carried_over"][column]
            - table["total_processed"][column]
        )
    return _totals(table)


def table3_recount(scope: Agency | Region, year: int) -> dict[str, dict[str, int]]:
    """Table 三 counted from the cases (the reference for ``table3``).

    One aggregate query: every case closed in the year also satisfies the filter of the flows
    (received by 31 December, not closed before 1 January), so a single scan grouped by
    applicant class and outcome yields all four kinds of counts.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    open_at_start = Q(closed_on__isnull=True) | Q(closed_on__gte=first)
    relevant = _scope(scope).filter(Q(received_on__lte=last) & open_at_start)
    groups = relevant.values("applicant_class", "outcome").annotate(
        new_received=Count("pk", filter=Q(received_on__gte=first)),
        carried_over=Count("pk", filter=Q(received_on__lt=first)),
        carried_forward=Count("pk", filter=Q(closed_on__isnull=True) | Q(closed_on__gt=last)),
        processed=Count("pk", filter=Q(closed_on__lte=last)),
    )
    table = _empty()
    for item in groups:
        column = item["applicant_class"]
        for row in ("new_received", "carried_over", "carried_forward"):
            table[row][column] += item[row]
        if item["processed"]:
            table[item["outcome"]][column] += item["processed"]
            table["total_processed"][column] += item["processed"]
    return _totals(table)


def check(table: dict[str, dict[str, int]]) -> list[dict[str, object]]:
    """S1/T1/T2 over a computed table (should always be empty; a finding means a bug)."""
    findings = [
        *consistency.check_s1(FORMAT, table),
        *consistency.check_t1(FORMAT, table),
        *consistency.check_t2(FORMAT, table),
    ]
    return [f.as_dict() for f in findings]


def report_json(scope: Agency | Region, year: int) -> dict[str, Any]:
    """The report JSON of DESIGN.md: table 三 complete; tables 二 and 四 are not counted from
    applications, so their cells stay blank (null), never 0."""
    table = table3(scope, year)
    blank = FORMAT.empty_tables()
    data: dict[str, Any] = {
        "format": FORMAT.id,
        "agency": scope.name if isinstance(scope, Agency) else None,
        "year": year,
        "table2": blank["table2"],
        "table3": table,
        "table4": blank["table4"],
        "findings": check(table),
    }
    if isinstance(scope, Region):
        data["region"] = scope.name
    return data


def row_label(key: str) -> str:
    return FORMAT.table3_row(key).full_label
