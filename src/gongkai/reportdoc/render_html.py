"""Render a :class:`Report` back as HTML in the official table layout, findings highlighted.

Tables 二/三/四 are laid out as in the official forms (same merged header cells, the labels of
``gongkai.law.report_format``), so the page reads like the published report and the HTML
extractor reads it back to the same cells. Cells named by a finding get a coloured background
and a tooltip with the finding; the findings list follows. Our own annotations carry the class
``gk-annotation`` so that reading the page back skips them. No external assets: one page can be
mailed or archived as it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from html import escape

from gongkai.law.findings import SEVERITY_ORDER, Finding, Severity
from gongkai.law.report_format import (
    FORMAT_2021,
    FORMATS,
    SECTION_KEYS,
    SECTION_TITLES,
    ReportFormat,
)
from gongkai.reportdoc.model import Number, Report

MAX_CELLS_LISTED = 8  # the cells are highlighted in the tables anyway
SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.NOTICE: "提示"}
_ORDINALS = ("一", "二", "三", "四", "五", "六")
_TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}
_T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:1.5em;
color:#222;line-height:1.6}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.4em}
table.gk-table{border-collapse:collapse;margin:.6em 0;font-size:.9em}
table.gk-table td,table.gk-table th{border:1px solid #888;padding:.2em .45em;text-align:center}
table.gk-table td.gk-label{text-align:left}
td.gk-num{font-variant-numeric:tabular-nums;min-width:2.2em}
td.gk-blank{background:#f4f4f4}
td.gk-bad-error{background:#f8c9c4;outline:2px solid #c0392b}
td.gk-bad-warning{background:#fde8b0;outline:2px solid #d68910}
td.gk-bad-notice{background:#dbe9f7;outline:1px solid #2e86c1}
ol.gk-findings li.gk-error{color:#a93226}ol.gk-findings li.gk-warning{color:#9a6500}
.gk-annotation{border-left:4px solid #999;padding-left:.8em;margin:1em 0}
table.gk-summary{border-collapse:collapse}table.gk-summary td,table.gk-summary th{
border:1px solid #aaa;padding:.2em .5em}tr.gk-failed td{background:#f8c9c4}
article.gk-report{border-top:3px solid #555;margin-top:2em;padding-top:.5em}
.gk-meta{color:#555}
"""


def render_report(
    report: Report, *, standalone: bool = True, findings: bool = True, prose: bool = True
) -> str:
    """``prose=False`` leaves out the sections' text (headings stay): a supervisor's batch
    page wants the tables and the findings, not every report's full text."""
    fmt = FORMATS.get(report.format or "", FORMAT_2021)
    marks = _cell_marks(report.findings)
    parts = [f'<article class="gk-report" data-format="{escape(fmt.id)}">']
    parts.append(f"<h1>{escape(report_title(report))}</h1>")
    if report.published:
        parts.append(f"<p>发布日期：{escape(report.published)}</p>")
    for index, key in enumerate(SECTION_KEYS):
        parts.append(f"<h2>{_ORDINALS[index]}、{escape(SECTION_TITLES[index][0])}</h2>")
        if prose:
            parts.extend(
                f"<p>{escape(line)}</p>"
                for line in (report.sections.get(key) or "").splitlines()
                if line.strip()
            )
        if key == "proactive":
            parts.append(_table2(report, fmt, marks))
        elif key == "applications":
            parts.append(_table3(report, fmt, marks))
        elif key == "appeals":
            parts.append(_table4(report, fmt, marks))
    if findings:
        parts.append(render_findings(report.findings, fmt))
    parts.append("</article>")
    body = "\n".join(parts)
    return page(report_title(report), body) if standalone else body


def report_title(report: Report) -> str:
    if report.title:
        return report.title
    year = f"{report.year}年" if report.year else ""
    return f"{report.agency or ''}{year}政府信息公开工作年度报告"


def page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n<body>\n{body}\n"
        "</body></html>\n"
    )


def render_findings(findings: Iterable[Finding], fmt: ReportFormat = FORMAT_2021) -> str:
    ordered = sorted(findings, key=lambda f: -SEVERITY_ORDER.get(f.severity, 0))
    if not ordered:
        return '<section class="gk-annotation"><h3>检查结果</h3><p>未发现问题。</p></section>'
    items = []
    for f in ordered:
        cells = "、".join(cell_label(c, fmt) for c in f.cells[:MAX_CELLS_LISTED])
        if len(f.cells) > MAX_CELLS_LISTED:
            cells += f" 等共 {len(f.cells)} 个单元格"
        where = f"<br><small>涉及单元格：{escape(cells)}</small>" if cells else ""
        items.append(
            f'<li class="gk-{escape(str(f.severity))}"><b>［{SEVERITY_LABELS.get(f.severity, "")}］'
            f"{escape(f.rule)}</b> {escape(f.message)}{where}</li>"
        )
    return (
        '<section class="gk-annotation"><h3>检查结果</h3><ol class="gk-findings">'
        + "".join(items)
        + "</ol></section>"
    )


def cell_label(path: str, fmt: ReportFormat = FORMAT_2021) -> str:
    """A dotted cell path in the words of the form: ``表三「（一）予以公开」「自然人」``."""
    if path.startswith("previous."):  # a cell of last year's report (rules Y1/Y2)
        return "上一年度" + cell_label(path.removeprefix("previous."), fmt)
    parts = path.split(".")
    if len(parts) != 3 or parts[0] not in _TABLE_NAMES:
        return path
    table, row, col = parts
    labels = _labels(fmt)
    row_label = labels.get((table, "row", row), row)
    col_label = labels.get((table, "col", row, col), labels.get((table, "col", col), col))
    return f"{_TABLE_NAMES[table]}「{row_label}」「{col_label}」"


def _labels(fmt: ReportFormat) -> dict[tuple[str, ...], str]:
    labels: dict[tuple[str, ...], str] = {}
    for item in fmt.table2:
        labels["table2", "row", item.key] = item.label
        for column in item.columns:
            labels["table2", "col", item.key, column.key] = column.label
    for row in fmt.table3_rows:
        labels["table3", "row", row.key] = row.full_label
    for column in fmt.table3_columns:
        labels["table3", "col", column.key] = column.label
    for block in fmt.table4_blocks:
        labels["table4", "row", block.key] = block.label
    for cell in fmt.table4_cells:
        labels["table4", "col", cell.key] = cell.label
    return labels


def _cell_marks(findings: Iterable[Finding]) -> dict[str, tuple[Severity, list[str]]]:
    worst: dict[str, Severity] = {}
    messages: dict[str, list[str]] = defaultdict(list)
    for f in findings:
        for path in f.cells:
            if path not in worst or SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[worst[path]]:
                worst[path] = f.severity
            messages[path].append(f"{f.rule}：{f.message}")
    return {path: (worst[path], messages[path]) for path in worst}


def format_number(value: Number) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _value_cell(path: str, value: Number, marks: dict, colspan: int = 1) -> str:
    classes = ["gk-num"]
    attrs = [f'data-cell="{escape(path)}"']
    if value is None:
        classes.append("gk-blank")
    if path in marks:
        severity, messages = marks[path]
        classes.append(f"gk-bad-{severity}")
        attrs.append(f'title="{escape(chr(10).join(messages))}"')
    if colspan > 1:
        attrs.append(f'colspan="{colspan}"')
    return f'<td class="{" ".join(classes)}" {" ".join(attrs)}>{format_number(value)}</td>'


def _label(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    span = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    return f'<td class="gk-label"{span}>{escape(text)}</td>'


def _table2(report: Report, fmt: ReportFormat, marks: dict) -> str:
    """A row with fewer figures than the widest item gets one wide cell (2021: 本年处理决定数量
    over three columns, as in the official form) or, when it has several figures (2019 （八）
    and （九）), empty filler cells — a spanned figure would read back as one figure too many."""
    width = max(len(item.columns) for item in fmt.table2)
    rows: list[str] = []
    previous_item = None
    previous_columns = None
    for item in fmt.table2:
        columns = tuple(c.key for c in item.columns)
        spread = width - len(item.columns) + 1 if len(item.columns) == 1 else 1
        filler = "" if len(item.columns) == 1 else "<td></td>" * (width - len(item.columns))
        if item.item != previous_item:
            rows.append(f"<tr>{_label(item.item, colspan=width + 1)}</tr>")
        if item.item != previous_item or columns != previous_columns:
            heads = [_label("信息内容")]
            heads += [_label(c.label, colspan=spread) for c in item.columns]
            rows.append(f"<tr>{''.join(heads)}{filler}</tr>")
        cells = [_label(item.label)]
        values = report.table2.get(item.key, {})
        for column in item.columns:
            path = f"table2.{item.key}.{column.key}"
            cells.append(_value_cell(path, values.get(column.key), marks, spread))
        rows.append(f"<tr>{''.join(cells)}{filler}</tr>")
        previous_item, previous_columns = item.item, columns
    return _wrap("table2", rows)


def _table3(report: Report, fmt: ReportFormat, marks: dict) -> str:
    col_keys = fmt.table3_column_keys
    rows = [
        f"<tr>{_label(_T3_NOTE, rowspan=3, colspan=3)}{_label('申请人情况', colspan=7)}</tr>",
        f"<tr>{_label('自然人', rowspan=2)}{_label('法人或其他组织', colspan=5)}"
        f"{_label('总计', rowspan=2)}</tr>",
        "<tr>" + "".join(_label(c.label) for c in fmt.table3_columns[1:6]) + "</tr>",
    ]
    groups = {g.key: g for g in fmt.table3_groups}
    outcome_rows = [r for r in fmt.table3_rows if r.group is not None or r.key == "total_processed"]
    group_sizes: dict[str, int] = defaultdict(int)
    for row in fmt.table3_rows:
        if row.group and row.group != "outcome":
            group_sizes[row.group] += 1
    seen_groups: set[str] = set()
    for row in fmt.table3_rows:
        labels = ""
        if row.group is None and row.key != "total_processed":
            labels = _label(row.full_label, colspan=3)
        else:
            if row is outcome_rows[0]:
                labels += _label(groups["outcome"].full_label, rowspan=len(outcome_rows))
            if row.group in group_sizes:
                if row.group not in seen_groups:
                    seen_groups.add(row.group)
                    labels += _label(groups[row.group].full_label, rowspan=group_sizes[row.group])
                labels += _label(row.full_label)
            else:
                labels += _label(row.full_label, colspan=2)
        values = report.table3.get(row.key, {})
        cells = "".join(
            _value_cell(f"table3.{row.key}.{key}", values.get(key), marks) for key in col_keys
        )
        rows.append(f"<tr>{labels}{cells}</tr>")
    return _wrap("table3", rows)


def _table4(report: Report, fmt: ReportFormat, marks: dict) -> str:
    blocks = fmt.table4_blocks
    cells = fmt.table4_cells
    n = len(cells)
    rows = [
        f"<tr>{_label(blocks[0].label, colspan=n)}{_label('行政诉讼', colspan=2 * n)}</tr>",
        "<tr>"
        + "".join(_label(c.label, rowspan=2) for c in cells)
        + "".join(_label(b.label, colspan=n) for b in blocks[1:])
        + "</tr>",
        "<tr>" + "".join(_label(c.label) for _ in blocks[1:] for c in cells) + "</tr>",
    ]
    values = "".join(
        _value_cell(f"table4.{b.key}.{c.key}", report.table4.get(b.key, {}).get(c.key), marks)
        for b in blocks
        for c in cells
    )
    rows.append(f"<tr>{values}</tr>")
    return _wrap("table4", rows)


def _wrap(name: str, rows: list[str]) -> str:
    return f'<table class="gk-table" data-table="{name}">\n' + "\n".join(rows) + "\n</table>"
