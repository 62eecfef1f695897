"""The region board: every agency × year with its state, a ranking and a findings heatmap.

Query functions only (no rendering): a handful of queries whatever the region's size — the
agencies, the current versions of the years shown, the files still being read, the open
notices and one aggregate of findings by agency and rule.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from gongkai.agencies.models import Agency, Region
from gongkai.law.report_format import normalize_label
from gongkai.supervision.models import (
    OPEN_NOTICE_STATES,
    FileStatus,
    Finding,
    Notice,
    ReportFile,
    ReportVersion,
)

STATES = {
    "missing": "未收到",
    "received": "已收到",
    "clean": "已检查·未发现问题",
    "findings": "已检查·有问题",
}
FILTERS = {
    "": "全部",
    "missing": "有年度未收到",
    "errors": "有错误",
    "late": "逾期发布",
    "notice": "有未办结整改通知",
}
SORTS = {"name": "按名称", "errors": "按错误数", "warnings": "按警告数", "late": "按逾期次数"}


@dataclass
class Cell:
    year: int
    state: str = "missing"
    version_id: int | None = None
    errors: int = 0
    warnings: int = 0
    notices: int = 0
    late: bool = False

    @property
    def label(self) -> str:
        return STATES[self.state]


@dataclass(frozen=True)
class AgencyRef:
    """What the board shows of an agency: plain values, no model instances to build."""

    pk: int
    name: str
    short_name: str
    region_name: str
    region_path: str

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


@dataclass
class Row:
    agency: AgencyRef
    cells: list[Cell]
    open_notices: int = 0

    @property
    def errors(self) -> int:
        return sum(c.errors for c in self.cells)

    @property
    def warnings(self) -> int:
        return sum(c.warnings for c in self.cells)

    @property
    def late(self) -> int:
        return sum(1 for c in self.cells if c.late)

    @property
    def missing(self) -> int:
        return sum(1 for c in self.cells if c.state == "missing")


@dataclass
class Board:
    region: Region
    years: list[int]
    rows: list[Row]
    heatmap_rules: list[str] = field(default_factory=list)
    heatmap: dict[int, dict[str, int]] = field(default_factory=dict)

    @property
    def ranking(self) -> list[Row]:
        """Most errors first, then warnings; agencies with nothing found are not ranked."""
        ranked = [r for r in self.rows if r.errors or r.warnings]
        return sorted(ranked, key=lambda r: (-r.errors, -r.warnings, r.agency.name))


def region_agencies(region: Region, q: str = "") -> list[AgencyRef]:
    agencies = Agency.objects.filter(region__path__startswith=region.path, active=True)
    if q:
        agencies = agencies.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    rows = agencies.order_by("region__path", "name").values_list(
        "pk", "name", "short_name", "region__name", "region__path"
    )
    return [AgencyRef(*row) for row in rows]


def build_board(
    region: Region, years: list[int], *, q: str = "", only: str = "", sort: str = "name"
) -> Board:
    agencies = region_agencies(region, q.strip())
    # the region's agencies as a join, not a list of thousands of ids in every query
    in_region = {"agency__region__path__startswith": region.path}
    cells: dict[tuple[int, int], Cell] = {}
    for v in (
        ReportVersion.objects.filter(**in_region, year__in=years, is_current=True)
        .order_by()
        .values("pk", "agency_id", "year", "errors", "warnings", "notices", "late")
    ):
        state = "findings" if v["errors"] or v["warnings"] else "clean"
        cells[v["agency_id"], v["year"]] = Cell(
            v["year"], state, v["pk"], v["errors"], v["warnings"], v["notices"], v["late"]
        )
    for agency_id, year in (
        ReportFile.objects.filter(
            **in_region, year__in=years, status__in=[FileStatus.QUEUED, FileStatus.PARSED]
        )
        .values_list("agency_id", "year")
        .distinct()
    ):
        cells.setdefault((agency_id, year), Cell(year, "received"))
    notices = dict(
        Notice.objects.filter(**in_region, state__in=OPEN_NOTICE_STATES)
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    rows = [
        Row(a, [cells.get((a.pk, y)) or Cell(y) for y in years], notices.get(a.pk, 0))
        for a in agencies
    ]
    rows = [r for r in rows if _keep(r, only)]
    rows.sort(key=_sort_key(sort))
    board = Board(region, years, rows)
    _heatmap(board, region, years)
    return board


def _keep(row: Row, only: str) -> bool:
    if only == "missing":
        return row.missing > 0
    if only == "errors":
        return row.errors > 0
    if only == "late":
        return row.late > 0
    if only == "notice":
        return row.open_notices > 0
    return True


def _sort_key(sort: str):
    if sort == "errors":
        return lambda r: (-r.errors, -r.warnings, normalize_label(r.agency.name))
    if sort == "warnings":
        return lambda r: (-r.warnings, -r.errors, normalize_label(r.agency.name))
    if sort == "late":
        return lambda r: (-r.late, normalize_label(r.agency.name))
    return lambda r: (r.agency.region_path, r.agency.name)


def _heatmap(board: Board, region: Region, years: list[int]) -> None:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rules: set[str] = set()
    for agency_id, rule, n in (
        Finding.objects.filter(
            agency__region__path__startswith=region.path,
            active=True,
            version__is_current=True,
            version__year__in=years,
        )
        .exclude(state="dismissed")
        .values("agency_id", "rule")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "rule", "n")
    ):
        counts[agency_id][rule] = n
        rules.add(rule)
    board.heatmap = dict(counts)
    board.heatmap_rules = sorted(rules)
