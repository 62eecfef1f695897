"""The same report in two files (a crawl's page text beside the original page).

A glued run of digits that no rule can split stays null with an R1 finding listing its
readings (:mod:`gongkai.reportdoc.flattened`). When the batch also holds another copy of the same
report — same agency, same year — whose cells for that row were read directly, and that copy's
figures are one of the readings, the row is settled from the copy. It is still an inference
about *this* file, so the cells say where the figures came from and one R2 notice says it once.
A copy that is itself inferred, or unread, or whose figures are none of the readings, settles
nothing: two disagreeing copies are the supervisor's question, not ours to answer.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath

from gongkai.law.findings import Finding, Severity
from gongkai.law.report_format import FORMATS, ReportFormat
from gongkai.reportdoc.model import Provenance, Report


def row_cells(fmt: ReportFormat, row_path: str) -> list[str] | None:
    """The cell paths of a glued row path (「table2.normative_documents」, 「table3.granted」 or
    「table4」), in the order its candidate readings list them; ``None`` for an unknown path."""
    table, _, key = row_path.partition(".")
    if table == "table2":
        item = next((it for it in fmt.table2 if it.key == key), None)
        return [f"table2.{key}.{c.key}" for c in item.columns] if item else None
    if table == "table3" and key in fmt.table3_row_keys:
        return [f"table3.{key}.{c}" for c in fmt.table3_column_keys]
    if table == "table4" and not key:
        return [f"table4.{b}.{c}" for b in fmt.table4_block_keys for c in fmt.table4_cell_keys]
    return None


def _value(report: Report, path: str) -> object:
    table, row, col = path.split(".")
    return getattr(report, table).get(row, {}).get(col)


def _read_directly(copy: Report, cells: list[str]) -> tuple[int, ...] | None:
    values = [_value(copy, p) for p in cells]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return None
    if any((copy.provenance.get(p) or Provenance()).note for p in cells):
        return None  # the copy placed or inferred these cells itself: not a reading to lean on
    return tuple(values)  # type: ignore[arg-type]


def settle_with_copy(report: Report, copy: Report, copy_name: str) -> Report:
    """``report`` with the glued rows that ``copy`` (the same report, another file) reads
    directly and unambiguously filled in from it."""
    if not report.glued or report.year is None or report.year != copy.year:
        return report
    fmt = FORMATS.get(report.format or "") or FORMATS.get(copy.format or "")
    if fmt is None or (copy.format and report.format and copy.format != report.format):
        return report
    name = PurePath(copy_name).name
    settled: dict[str, tuple[int, ...]] = {}
    for row_path, candidates in report.glued.items():
        cells = row_cells(fmt, row_path)
        if cells is None:
            continue
        values = _read_directly(copy, cells)
        if values is not None and values in {tuple(c) for c in candidates}:
            settled[row_path] = values
    if not settled:
        return report
    tables = {t: {r: dict(c) for r, c in getattr(report, t).items()} for t in _TABLES}
    provenance = dict(report.provenance)
    filled: list[str] = []
    for row_path, values in settled.items():
        cells = row_cells(fmt, row_path) or []
        for path, value in zip(cells, values, strict=True):
            table, row, col = path.split(".")
            tables[table].setdefault(row, {})[col] = value
            provenance[path] = replace(
                provenance.get(path, Provenance()),
                note=f"连写数字无法按勾稽关系唯一拆分，按同一报告的另一份文件（{name}）"
                "中直接读取的数值确定，属推定",
            )
            filled.append(path)
    done = set(filled)
    findings = [
        f for f in report.findings if not (f.rule == "R1" and f.cells and set(f.cells) <= done)
    ]
    findings.append(
        Finding(
            "R2",
            Severity.NOTICE,
            f"{'、'.join(_names(settled))}中有{len(settled)}行连写的数值按勾稽关系无法唯一拆分，"
            f"已按同一报告的另一份文件"
            f"（{name}）中直接读取的数值确定（该数值是原有读法之一）；这些数值是推定的，"
            "请以原件核对",
            tuple(filled),
        )
    )
    return replace(
        report,
        **tables,
        provenance=provenance,
        findings=findings,
        glued={p: c for p, c in report.glued.items() if p not in settled},
    )


_TABLES = ("table2", "table3", "table4")
_TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}


def _names(rows: dict[str, object]) -> list[str]:
    return list(dict.fromkeys(_TABLE_NAMES[p.partition(".")[0]] for p in rows))
