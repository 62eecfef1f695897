"""Report JSON both ways (the DESIGN.md contract): ``Report.to_json`` and back.

Amounts come back as ``Decimal`` (through their decimal text, so 7730.28 stays 7730.28), counts
as ``int``, blanks as ``None``; findings and provenance are restored when present.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from gongkai.law.findings import Finding, Severity
from gongkai.law.report_format import FORMATS
from gongkai.reportdoc.model import Number, Provenance, Report, Table

_TABLES = ("table2", "table3", "table4")


def report_to_json(report: Report, *, with_provenance: bool = False) -> dict[str, Any]:
    """``Report.to_json`` plus the title (an extra key; the contract's keys are unchanged)."""
    data = report.to_json(with_provenance=with_provenance)
    data["title"] = report.title
    if with_provenance and report.glued:
        # the batch parks reports with provenance: ambiguous glued rows go along for Y1
        data["glued"] = {path: [list(c) for c in cands] for path, cands in report.glued.items()}
    return data


def report_to_text(report: Report, *, with_provenance: bool = False) -> str:
    return json.dumps(report_to_json(report, with_provenance=with_provenance), ensure_ascii=False)


def report_from_json(data: dict[str, Any] | str) -> Report:
    """Rebuild a :class:`Report`; raises ``ValueError`` (Chinese) on data that is not one."""
    if isinstance(data, str):
        data = json.loads(data)
    if not isinstance(data, dict):
        raise ValueError("报告 JSON 应为对象")
    fmt = data.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"未知的报告格式：{fmt!r}")
    decimal_cells = _decimal_cells(fmt)
    report = Report(
        format=fmt,
        agency=data.get("agency"),
        year=data.get("year"),
        published=data.get("published"),
        title=data.get("title"),
        sections=dict(data.get("sections") or {}),
        source=data.get("source"),
    )
    for name in _TABLES:
        setattr(report, name, _table(data.get(name) or {}, name, decimal_cells))
    report.findings = [_finding(f) for f in data.get("findings") or []]
    report.provenance = {
        path: Provenance(**{k: v for k, v in where.items() if k in Provenance.__annotations__})
        for path, where in (data.get("provenance") or {}).items()
    }
    report.glued = {
        str(path): [tuple(int(v) for v in cand) for cand in cands]
        for path, cands in (data.get("glued") or {}).items()
        if isinstance(cands, list)
    }
    return report


def _decimal_cells(fmt: str | None) -> set[tuple[str, str]]:
    formats = [FORMATS[fmt]] if fmt else list(FORMATS.values())
    return {
        (item.key, column.key)
        for f in formats
        for item in f.table2
        if item.decimal
        for column in item.columns
        if column.key.startswith("amount")
    }


def _table(raw: dict[str, Any], name: str, decimal_cells: set[tuple[str, str]]) -> Table:
    if not isinstance(raw, dict):
        raise ValueError(f"{name} 应为对象")
    return {
        str(row): {
            str(col): _number(value, name == "table2" and (row, col) in decimal_cells)
            for col, value in (cells or {}).items()
        }
        for row, cells in raw.items()
    }


def _number(value: Any, decimal: bool) -> Number:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"单元格的值应为数字或 null：{value!r}")
    if decimal:
        try:
            return Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(f"金额无法识别：{value!r}") from exc
    if isinstance(value, float) and not value.is_integer():
        return Decimal(str(value))
    return int(value)


def _finding(raw: dict[str, Any]) -> Finding:
    return Finding(
        rule=str(raw["rule"]),
        severity=Severity(raw["severity"]),
        message=str(raw.get("message", "")),
        cells=tuple(raw.get("cells") or ()),
    )
