"""The freshness monitor: blank and stale columns, 19号 single-veto, 条例第二十六条 window.

A column's last publication is denormalised on ``Column.last_published_at`` by the publish
verb, so the report for a whole region is one scan of its columns plus one grouped count of
late items (``Item.publish_deadline`` is a stored, indexed date).

Rules (国办秘函〔2019〕19号, LAW.md §4.1):
- blank: a column that takes items and never had one published;
- stale: a column with an update requirement whose last publication is older than it;
- due soon: not stale yet, but stale within ``warn_days``;
- single veto: 5 or more stale columns, or 5 or more blank columns without a no-content
  statement, fail the whole site.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from gongkai.disclosure.models import Column, ColumnKind, Item
from gongkai.disclosure.states import ItemStatus

VETO_STALE = 5
VETO_BLANK = 5
DEFAULT_WARN_DAYS = 7


@dataclass
class ColumnState:
    pk: int
    name: str
    kind: str
    update_days: int | None
    last_published: date | None
    has_statement: bool
    owner_section_id: int | None
    state: str = "ok"  # ok | blank | stale | due_soon
    due: date | None = None
    days_idle: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "column": self.name,
            "kind": self.kind,
            "state": self.state,
            "update_days": self.update_days,
            "last_published": self.last_published.isoformat() if self.last_published else None,
            "due": self.due.isoformat() if self.due else None,
            "days_idle": self.days_idle,
            "no_content_statement": self.has_statement,
        }


@dataclass
class AgencyFreshness:
    agency_id: int
    agency: str
    today: date
    columns: list[ColumnState] = field(default_factory=list)
    late_published: int = 0
    overdue_unpublished: int = 0

    def by_state(self, state: str) -> list[ColumnState]:
        return [c for c in self.columns if c.state == state]

    @property
    def blank_without_statement(self) -> list[ColumnState]:
        return [c for c in self.by_state("blank") if not c.has_statement]

    @property
    def veto(self) -> list[str]:
        reasons = []
        if len(self.by_state("stale")) >= VETO_STALE:
            reasons.append(
                f"不更新栏目 {len(self.by_state('stale'))} 个（≥{VETO_STALE} 个即单项否决）"
            )
        blank = len(self.blank_without_statement)
        if blank >= VETO_BLANK:
            reasons.append(f"空白栏目（无说明）{blank} 个（≥{VETO_BLANK} 个即单项否决）")
        return reasons

    def to_json(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "today": self.today.isoformat(),
            "blank": [c.name for c in self.by_state("blank")],
            "blank_without_statement": [c.name for c in self.blank_without_statement],
            "stale": [c.name for c in self.by_state("stale")],
            "due_soon": [c.name for c in self.by_state("due_soon")],
            "single_veto": bool(self.veto),
            "single_veto_reasons": self.veto,
            "article_26": {
                "published_late": self.late_published,
                "overdue_unpublished": self.overdue_unpublished,
            },
            "columns": [c.to_json() for c in self.columns],
        }


def _local_date(value: datetime | None, tz: Any) -> date | None:
    return value.astimezone(tz).date() if value is not None else None


def classify(column: ColumnState, today: date, warn_days: int) -> None:
    if column.last_published is None:
        column.state = "blank"
        return
    column.days_idle = (today - column.last_published).days
    if column.update_days is None:
        return
    column.due = column.last_published + timedelta(days=column.update_days)
    if today > column.due:
        column.state = "stale"
    elif (column.due - today).days <= warn_days:
        column.state = "due_soon"


def report(
    agencies: Any, *, today: date | None = None, warn_days: int = DEFAULT_WARN_DAYS
) -> list[AgencyFreshness]:
    """Freshness of every agency in ``agencies`` (a queryset or list), in the given order."""
    today = today or timezone.localdate()
    agency_list = list(agencies)
    result = {a.pk: AgencyFreshness(a.pk, a.name, today) for a in agency_list}
    rows = (
        Column.objects.filter(agency__in=[a.pk for a in agency_list], active=True)
        .exclude(kind=ColumnKind.GROUP)
        .order_by("agency_id", "parent_id", "position", "pk")
        .values_list(
            "pk",
            "agency_id",
            "name",
            "kind",
            "update_days",
            "last_published_at",
            "no_content_statement",
            "owner_section_id",
        )
    )
    tz = timezone.get_current_timezone()  # once: per-row lookups cost more than the query
    # A plain fetch, not a server-side cursor: a region's columns are thousands of small rows.
    for pk, agency_id, name, kind, days, last, statement, section in rows:
        state = ColumnState(pk, name, kind, days, _local_date(last, tz), bool(statement), section)
        classify(state, today, warn_days)
        result[agency_id].columns.append(state)
    for agency_id, late, overdue in _article_26(result.keys(), today):
        result[agency_id].late_published = late
        result[agency_id].overdue_unpublished = overdue
    return [result[a.pk] for a in agency_list]


def _article_26(agency_ids: Any, today: date) -> list[tuple[int, int, int]]:
    """Per agency: items published after their 20-working-day deadline, and items whose
    deadline has passed without publication (withdrawn items excluded)."""
    counts = (
        Item.objects.filter(agency_id__in=list(agency_ids), publish_deadline__isnull=False)
        .exclude(status=ItemStatus.WITHDRAWN)
        .annotate(first_day=TruncDate("first_published_at"))
        .values("agency_id")
        .annotate(
            late=Count(
                "pk",
                filter=Q(first_published_at__isnull=False) & Q(publish_deadline__lt=F("first_day")),
            ),
            overdue=Count(
                "pk", filter=Q(first_published_at__isnull=True, publish_deadline__lt=today)
            ),
        )
        .order_by()
    )
    return [(row["agency_id"], row["late"], row["overdue"]) for row in counts]


def columns_to_warn(
    agencies: Any, *, today: date | None = None, warn_days: int = DEFAULT_WARN_DAYS
) -> dict[int, list[ColumnState]]:
    """Columns about to go stale (or already stale), grouped by agency id."""
    grouped: dict[int, list[ColumnState]] = defaultdict(list)
    for entry in report(agencies, today=today, warn_days=warn_days):
        grouped[entry.agency_id].extend(
            c for c in entry.columns if c.state in ("due_soon", "stale")
        )
    return dict(grouped)
