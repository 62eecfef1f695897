"""Maintenance of ``CaseTally`` (the counts behind table 三): called by the verbs inside their
transaction, so a rolled-back verb leaves no count behind."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.functions import ExtractYear

from gongkai.applications.models import Application, CaseTally, TallyKind

Key = tuple[int, int, str, str, str]  # agency id, year, kind, applicant class, outcome


def _add(key: Key, n: int) -> None:
    agency_id, year, kind, applicant_class, outcome = key
    match = CaseTally.objects.filter(
        agency_id=agency_id, year=year, kind=kind, applicant_class=applicant_class, outcome=outcome
    )
    if match.update(count=F("count") + n):
        return
    try:
        with transaction.atomic():
            CaseTally.objects.create(
                agency_id=agency_id,
                year=year,
                kind=kind,
                applicant_class=applicant_class,
                outcome=outcome,
                count=n,
            )
    except IntegrityError:  # a concurrent verb created the row first
        match.update(count=F("count") + n)


def _keys(application: Application, *, received: bool, closed: bool) -> list[Key]:
    keys: list[Key] = []
    if received:
        keys.append(
            (
                application.agency_id,
                application.received_on.year,
                TallyKind.RECEIVED,
                application.applicant_class,
                "",
            )
        )
    if closed and application.closed_on is not None:
        keys.append(
            (
                application.agency_id,
                application.closed_on.year,
                TallyKind.CLOSED,
                application.applicant_class,
                application.outcome,
            )
        )
    return keys


def count_received(application: Application) -> None:
    for key in _keys(application, received=True, closed=False):
        _add(key, 1)


def count_closed(application: Application) -> None:
    for key in _keys(application, received=False, closed=True):
        _add(key, 1)


def count_many(applications: Iterable[Application]) -> None:
    """Bulk intake (import): one update per distinct key, not per case."""
    totals: Counter[Key] = Counter()
    for application in applications:
        totals.update(_keys(application, received=True, closed=True))
    for key in sorted(totals):  # a fixed order: two imports never deadlock on the rows
        _add(key, totals[key])


def recount(agency_ids: Iterable[int] | None = None) -> dict[Key, int]:
    """The tallies as they should be, counted from the cases (two grouped queries)."""
    cases = Application.objects.all()
    if agency_ids is not None:
        cases = cases.filter(agency_id__in=list(agency_ids))
    out: dict[Key, int] = {}
    received = (
        cases.annotate(y=ExtractYear("received_on"))
        .values("agency_id", "y", "applicant_class")
        .annotate(n=Count("pk"))
    )
    for r in received:
        out[(r["agency_id"], r["y"], TallyKind.RECEIVED, r["applicant_class"], "")] = r["n"]
    closed = (
        cases.filter(closed_on__isnull=False)
        .annotate(y=ExtractYear("closed_on"))
        .values("agency_id", "y", "applicant_class", "outcome")
        .annotate(n=Count("pk"))
    )
    for r in closed:
        key = (r["agency_id"], r["y"], TallyKind.CLOSED, r["applicant_class"], r["outcome"])
        out[key] = r["n"]
    return out


def stored(agency_ids: Iterable[int] | None = None) -> dict[Key, int]:
    rows = CaseTally.objects.filter(count__gt=0)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=list(agency_ids))
    return {
        (t.agency_id, t.year, t.kind, t.applicant_class, t.outcome): t.count
        for t in rows.only("agency_id", "year", "kind", "applicant_class", "outcome", "count")
    }


@transaction.atomic
def rebuild(agency_ids: Iterable[int] | None = None) -> int:
    """Replace the tallies by a recount (after cases were written outside the verbs, e.g. the
    bench's generated rows, or to repair). Returns the number of tally rows written."""
    ids = None if agency_ids is None else list(agency_ids)
    counts = recount(ids)
    old = CaseTally.objects.all()
    if ids is not None:
        old = old.filter(agency_id__in=ids)
    old.delete()
    CaseTally.objects.bulk_create(
        CaseTally(agency_id=a, year=y, kind=k, applicant_class=c, outcome=o, count=n)
        for (a, y, k, c, o), n in counts.items()
    )
    return len(counts)
