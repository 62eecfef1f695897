"""XLSX export of the board's reports: one row per cell and one row per finding.

Only the current versions of the rows and years the board shows (its filters are kept). Text
read from a document that starts with ``= + - @`` is prefixed with ``'`` so that Excel shows it
instead of running it as a formula. Blank cells stay empty, never 0.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from gongkai.law.report_format import FORMAT_2021, FORMATS
from gongkai.reportdoc.model import Provenance
from gongkai.reportdoc.render_html import cell_label
from gongkai.supervision.auditing import valid_cells
from gongkai.supervision.models import ReportVersion

CELL_HEADERS = ("机关", "年度", "文件", "单元格", "单元格名称", "识别值", "更正值", "读取位置")
FINDING_HEADERS = ("机关", "年度", "文件", "规则", "级别", "审阅状态", "说明", "单元格", "理由")
SEVERITY = {"error": "错误", "warning": "警告", "notice": "提示"}


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    if isinstance(value, Decimal):
        return float(value)
    return value


def export_versions(version_ids: list[int]) -> bytes:
    workbook = Workbook()
    cells = workbook.active
    cells.title = "单元格"
    findings = workbook.create_sheet("问题")
    cells.append(CELL_HEADERS)
    findings.append(FINDING_HEADERS)
    versions = (
        ReportVersion.objects.filter(pk__in=version_ids)
        .select_related("agency", "file")
        .prefetch_related("corrections", "findings")
        .order_by("agency__name", "year")
    )
    for version in versions:
        _version_rows(version, cells, findings)
    for sheet, widths in (
        (cells, (28, 8, 30, 36, 44, 10, 10, 30)),
        (findings, (28, 8, 30, 8, 8, 10, 70, 40, 30)),
    ):
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _version_rows(version: ReportVersion, cells: Any, findings: Any) -> None:
    fmt = FORMATS.get(version.format or "", FORMAT_2021)
    data = version.report_json
    agency = version.agency.name if version.agency else version.file.read_agency
    provenance = data.get("provenance") or {}
    corrected = {c.cell: c.value for c in version.corrections.all()}  # latest wins (ordered)
    for path in sorted(valid_cells(fmt.id), key=_cell_order(fmt)):
        table, row, col = path.split(".")
        value = (data.get(table) or {}).get(row, {}).get(col)
        where = provenance.get(path)
        place = Provenance(**where).describe() if where else ""
        cells.append(
            [
                _safe(agency),
                version.year,
                _safe(version.file.name),
                path,
                cell_label(path, fmt),
                value,
                _safe(corrected.get(path)),
                place,
            ]
        )
    for f in version.findings.all():
        if not f.active:
            continue
        findings.append(
            [
                _safe(agency),
                version.year,
                _safe(version.file.name),
                f.rule,
                SEVERITY.get(f.severity, f.severity),
                f.get_state_display(),
                _safe(f.message),
                "、".join(cell_label(c, fmt) for c in f.cells),
                _safe(f.reason),
            ]
        )


def _cell_order(fmt: Any):
    order: dict[str, int] = {}
    for table, rows in fmt.empty_tables().items():
        for row, cols in rows.items():
            for col in cols:
                order[f"{table}.{row}.{col}"] = len(order)
    return lambda path: order.get(path, 0)
