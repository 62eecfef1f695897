"""The table-only consistency rules of LAW.md §1.4 (勾稽关系).

Rules S1, T1, T2, T4, N1, B1 look at one report's tables; F1 at its format and year; Y1, Y2 at
two consecutive reports of the same agency. Tables are dicts shaped like the Report JSON
(``table3[row][col]``); a row or column that is absent counts as blank.

Blank cells: B1 reports every blank as a warning and nothing fills it in. The arithmetic rules
still run, counting a blank as 0 — a column whose total is blank but whose parts add up to 5 is
an error — and their messages name the blank cells so a clerk sees why. A cell that is not a
number at all is reported by N1 and the arithmetic lines that need it are not evaluated.
Y2 is a heuristic: it only runs when both years' 现行有效件数 are filled in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from gongkai.law.findings import Finding, Severity
from gongkai.law.report_format import (
    FORMATS,
    ReportFormat,
    Table2Item,
    UnknownReportYearError,
    format_for_year,
)

Tables = Mapping[str, Mapping[str, Any]]

_ORG = "法人或其他组织·"
COLUMN_LABELS = {
    "natural_person": "自然人",
    "commercial": f"{_ORG}商业企业",
    "research": f"{_ORG}科研机构",
    "social_welfare": f"{_ORG}社会公益组织",
    "legal_services": f"{_ORG}法律服务机构",
    "other_org": f"{_ORG}其他",
    "total": "总计",
}
_MAX_NAMED_BLANKS = 6
_T2 = "第二部分表格"
_T3 = "第三部分表格"
_T4 = "第四部分表格"


# ---------------------------------------------------------------------------------------------
# Cells


def _cell(table: Tables | None, row: str, col: str) -> Any:
    # plain dicts first: the ABC check of Mapping is the slow path of every audit
    if type(table) is not dict and not isinstance(table, Mapping):
        return None
    cells = table.get(row)
    if type(cells) is dict or isinstance(cells, Mapping):
        return cells.get(col)
    return None


def _is_number(value: Any) -> bool:
    if type(value) is int:
        return True
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    return not isinstance(value, Decimal) or value.is_finite()


def _is_integral(value: Any) -> bool:
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, Decimal) and value == value.to_integral_value()


@dataclass(frozen=True)
class Term:
    """One cell in an arithmetic line: its path, Chinese name and value (None = blank)."""

    path: str
    name: str
    value: Any

    @property
    def blank(self) -> bool:
        return self.value is None

    @property
    def shown(self) -> str:
        return "空白" if self.value is None else _num(self.value)

    @property
    def amount(self) -> Any:
        return 0 if self.value is None else self.value


def _num(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _evaluable(terms: Iterable[Term]) -> bool:
    return all(t.blank or _is_number(t.value) for t in terms)


def _total(terms: Sequence[Term]) -> Any:
    return sum((t.amount for t in terms), 0)


def _blank_note(terms: Iterable[Term]) -> str:
    blanks = [f"“{t.name}”" for t in terms if t.blank]
    if not blanks:
        return ""
    shown = "、".join(blanks[:_MAX_NAMED_BLANKS])
    if len(blanks) > _MAX_NAMED_BLANKS:
        shown += f"等{len(blanks)}个单元格"
    return f"（空白单元格按0计算：{shown}）"


def _expr(terms: Sequence[Term]) -> str:
    return "+".join(f"{t.name}({t.shown})" for t in terms) + f"={_num(_total(terms))}"


# ---------------------------------------------------------------------------------------------
# Labels


def _row_label(fmt: ReportFormat, key: str) -> str:
    return _derived(fmt)[0][key]


# Per-format derived data, keyed by identity: hashing a whole ReportFormat costs more than
# deriving the labels again.
_DERIVED: dict[int, tuple[ReportFormat, dict[str, str], tuple[_Slot, ...]]] = {}


def _derived(fmt: ReportFormat) -> tuple[dict[str, str], tuple[_Slot, ...]]:
    entry = _DERIVED.get(id(fmt))
    if entry is None or entry[0] is not fmt:
        labels = {row.key: _make_row_label(fmt, row.key) for row in fmt.table3_rows}
        entry = (fmt, labels, _make_slots(fmt, labels))
        _DERIVED[id(fmt)] = entry
    return entry[1], entry[2]


def _make_row_label(fmt: ReportFormat, key: str) -> str:
    row = fmt.table3_row(key)
    label = row.label.split("（")[0] if row.variants else row.label
    groups = {g.key: g for g in fmt.table3_groups}
    if row.group in groups and row.group != "outcome":
        return f"{groups[row.group].full_label}{row.ordinal}{label}"
    return f"{row.ordinal}{label}"


def _t3_term(fmt: ReportFormat, table3: Tables, row: str, col: str, name: str = "") -> Term:
    return Term(f"table3.{row}.{col}", name or _row_label(fmt, row), _cell(table3, row, col))


# ---------------------------------------------------------------------------------------------
# S1, T1, T2, T4


def check_s1(fmt: ReportFormat, table3: Tables) -> list[Finding]:
    """new_received + carried_over = total_processed + carried_forward, per column."""
    findings = []
    for col in fmt.table3_column_keys:
        left = [
            _t3_term(fmt, table3, "new_received", col, "本年新收"),
            _t3_term(fmt, table3, "carried_over", col, "上年结转"),
        ]
        right = [
            _t3_term(fmt, table3, "total_processed", col, "办理结果总计"),
            _t3_term(fmt, table3, "carried_forward", col, "结转下年度"),
        ]
        if not _evaluable(left + right) or _total(left) == _total(right):
            continue
        findings.append(
            Finding(
                rule="S1",
                severity=Severity.ERROR,
                message=(
                    f"{_T3}“{COLUMN_LABELS[col]}”列：{_expr(left)}，但{_expr(right)}"
                    "（应满足：本年新收+上年结转=办理结果总计+结转下年度）"
                ),
                cells=tuple(t.path for t in left + right),
            )
        )
    return findings


def _holds(parts: Iterable[Any], total: Any) -> bool:
    """Whether a sum rule has nothing to report — it cannot be evaluated (a cell is not a
    number) or it adds up — from the raw values, before any Term is built (most rows hold)."""
    parts = list(parts)
    if not all(v is None or _is_number(v) for v in (*parts, total)):
        return True
    return sum((0 if v is None else v for v in parts), 0) == (0 if total is None else total)


def check_t1(fmt: ReportFormat, table3: Tables) -> list[Finding]:
    """total_processed = sum of the leaf outcome rows, per column."""
    findings = []
    n_leaves = len(fmt.table3_leaf_keys)
    for col in fmt.table3_column_keys:
        if _holds(
            (_cell(table3, row, col) for row in fmt.table3_leaf_keys),
            _cell(table3, "total_processed", col),
        ):
            continue
        parts = [_t3_term(fmt, table3, row, col) for row in fmt.table3_leaf_keys]
        total = _t3_term(fmt, table3, "total_processed", col, "（七）总计")
        if not _evaluable([*parts, total]) or _total(parts) == total.amount:
            continue
        findings.append(
            Finding(
                rule="T1",
                severity=Severity.ERROR,
                message=(
                    f"{_T3}“{COLUMN_LABELS[col]}”列：办理结果{n_leaves}项之和为"
                    f" {_num(_total(parts))}，但“（七）总计”为 {total.shown}"
                    f"{_blank_note([*parts, total])}"
                ),
                cells=(total.path, *(t.path for t in parts)),
            )
        )
    return findings


def check_t2(fmt: ReportFormat, table3: Tables) -> list[Finding]:
    """total = the six applicant columns, per row."""
    findings = []
    for row in fmt.table3_row_keys:
        if _holds(
            (_cell(table3, row, col) for col in fmt.table3_applicant_keys),
            _cell(table3, row, "total"),
        ):
            continue
        parts = [
            _t3_term(fmt, table3, row, col, COLUMN_LABELS[col]) for col in fmt.table3_applicant_keys
        ]
        total = _t3_term(fmt, table3, row, "total", "总计")
        if not _evaluable([*parts, total]) or _total(parts) == total.amount:
            continue
        findings.append(
            Finding(
                rule="T2",
                severity=Severity.ERROR,
                message=(
                    f"{_T3}“{_row_label(fmt, row)}”行：自然人至“其他”六列之和为"
                    f" {_num(_total(parts))}，但“总计”列为 {total.shown}"
                    f"{_blank_note([*parts, total])}"
                ),
                cells=(total.path, *(t.path for t in parts)),
            )
        )
    return findings


def check_t4(fmt: ReportFormat, table4: Tables) -> list[Finding]:
    """total = upheld + corrected + other + pending, per block."""
    findings = []
    cell_labels = {c.key: c.label for c in fmt.table4_cells}
    for block in fmt.table4_blocks:
        parts = [
            Term(f"table4.{block.key}.{c}", cell_labels[c], _cell(table4, block.key, c))
            for c in fmt.table4_cell_keys
            if c != "total"
        ]
        total = Term(f"table4.{block.key}.total", "总计", _cell(table4, block.key, "total"))
        if not _evaluable([*parts, total]) or _total(parts) == total.amount:
            continue
        findings.append(
            Finding(
                rule="T4",
                severity=Severity.ERROR,
                message=(
                    f"{_T4}“{_block_label(block.key)}”：{_expr(parts)}，但总计为 {total.shown}"
                ),
                cells=(total.path, *(t.path for t in parts)),
            )
        )
    return findings


def _block_label(key: str) -> str:
    return {
        "reconsideration": "行政复议",
        "litigation_direct": "行政诉讼·未经复议直接起诉",
        "litigation_after_reconsideration": "行政诉讼·复议后起诉",
    }.get(key, key)


# ---------------------------------------------------------------------------------------------
# N1 and B1: cell by cell


@dataclass(frozen=True)
class _Slot:
    """One cell the format expects, with what it may hold."""

    path: str
    table: str  # printable table name
    row: str  # printable row name
    col: str  # printable column name
    decimal: bool = False
    signed: bool = False

    @property
    def where(self) -> tuple[str, ...]:
        return _split_path(self.path)


def _slots(fmt: ReportFormat) -> tuple[_Slot, ...]:
    return _derived(fmt)[1]


def _make_slots(fmt: ReportFormat, row_labels: Mapping[str, str]) -> tuple[_Slot, ...]:
    slots = [
        _Slot(
            f"table2.{item.key}.{col.key}",
            _T2,
            item.label,
            col.label,
            decimal=_is_amount(item, col.key),
            signed=col.key in item.signed,
        )
        for item in fmt.table2
        for col in item.columns
    ]
    slots += [
        _Slot(f"table3.{row}.{col}", _T3, row_labels[row], COLUMN_LABELS[col])
        for row in fmt.table3_row_keys
        for col in fmt.table3_column_keys
    ]
    slots += [
        _Slot(f"table4.{block}.{cell.key}", _T4, _block_label(block), cell.label)
        for block in fmt.table4_block_keys
        for cell in fmt.table4_cells
    ]
    return tuple(slots)


def _is_amount(item: Table2Item, col: str) -> bool:
    # Only money columns may carry decimals; a decimal item may still have count columns.
    return item.decimal and col.startswith("amount")


@lru_cache(maxsize=1024)  # paths come from the formats' slots: a few hundred at most
def _split_path(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def _slot_values(
    fmt: ReportFormat, tables: Mapping[str, Tables | None]
) -> Iterator[tuple[_Slot, Any]]:
    """Every cell the format expects with its value, each table row looked up once."""
    last: tuple[str, str] | None = None
    cells: Any = None
    for slot in _slots(fmt):
        table, row, col = slot.where
        if (table, row) != last:
            last = (table, row)
            found = tables.get(table)
            cells = found.get(row) if type(found) is dict or isinstance(found, Mapping) else None
        value = cells.get(col) if type(cells) is dict or isinstance(cells, Mapping) else None
        yield slot, value


def _n1_problem(slot: _Slot, value: Any) -> str | None:
    if not _is_number(value):
        return f"不是数字（{value!r}）"
    if value < 0 and not slot.signed:
        return f"为负数（{_num(value)}）"
    if not slot.decimal and not _is_integral(value):
        return f"应为整数，实为 {_num(value)}"
    return None


def check_n1(fmt: ReportFormat, tables: Mapping[str, Tables | None]) -> list[Finding]:
    """Counts are non-negative integers, amounts non-negative decimals (2019 增/减 signed)."""
    findings = []
    for slot, value in _slot_values(fmt, tables):
        if value is None:
            continue
        problem = _n1_problem(slot, value)
        if problem:
            findings.append(
                Finding(
                    rule="N1",
                    severity=Severity.ERROR,
                    message=f"{slot.table}“{slot.row}”行“{slot.col}”列{problem}",
                    cells=(slot.path,),
                )
            )
    return findings


def check_b1(fmt: ReportFormat, tables: Mapping[str, Tables | None]) -> list[Finding]:
    """Blank cells, one finding per table row; they are reported, never filled in."""
    by_row: dict[tuple[str, str], list[_Slot]] = {}
    for slot, value in _slot_values(fmt, tables):
        if value is None:
            by_row.setdefault((slot.table, slot.row), []).append(slot)
    return [
        Finding(
            rule="B1",
            severity=Severity.WARNING,
            message=(
                f"{table}“{row}”行的{'、'.join(f'“{s.col}”' for s in slots)}列为空白："
                "空白不等于0，没有数据应填写0；系统不会代为填写"
            ),
            cells=tuple(s.path for s in slots),
        )
        for (table, row), slots in by_row.items()
    ]


# ---------------------------------------------------------------------------------------------
# Public entry points


def _format(fmt: ReportFormat | str) -> ReportFormat:
    return FORMATS[fmt] if isinstance(fmt, str) else fmt


def check_tables(
    fmt: ReportFormat | str,
    table2: Tables | None,
    table3: Tables | None,
    table4: Tables | None,
) -> list[Finding]:
    """S1, T1, T2, T4, N1, B1 over one report's tables."""
    fmt = _format(fmt)
    t3: Tables = table3 if isinstance(table3, Mapping) else {}
    t4: Tables = table4 if isinstance(table4, Mapping) else {}
    tables = {"table2": table2, "table3": table3, "table4": table4}
    return [
        *check_s1(fmt, t3),
        *check_t1(fmt, t3),
        *check_t2(fmt, t3),
        *check_t4(fmt, t4),
        *check_n1(fmt, tables),
        *check_b1(fmt, tables),
    ]


def check_format_year(format_id: str | None, year: int | None) -> list[Finding]:
    """F1: the 2019 trial format for the 2019–2020 reports, the 2021 format from 2021 on.

    Nothing to say when the format or the year is unknown. A report year before 2019 has no
    statutory form to compare with: a notice, not an error.
    """
    if format_id is None or year is None:
        return []
    used = FORMATS.get(str(format_id))
    if used is None:
        return [Finding("F1", Severity.ERROR, f"未知的年度报告格式：{format_id}", ("format",))]
    try:
        expected = format_for_year(int(year))
    except UnknownReportYearError as exc:
        return [Finding("F1", Severity.NOTICE, str(exc), ("format", "year"))]
    if expected.id == used.id:
        return []
    return [
        Finding(
            "F1",
            Severity.ERROR,
            (
                f"{year}年度报告应使用{expected.name}（{expected.basis}），"
                f"但使用的是{used.name}（{used.basis}）"
            ),
            ("format", "year"),
        )
    ]


def check_cross_year(
    fmt: ReportFormat | str,
    current_tables: Mapping[str, Tables | None],
    previous_tables: Mapping[str, Tables | None],
    previous_fmt: ReportFormat | str | None = None,
) -> list[Finding]:
    """Y1 (carry-over chain) and Y2 (rules in force) between year N and year N−1."""
    fmt = _format(fmt)
    prev_fmt = _format(previous_fmt) if previous_fmt is not None else fmt
    return [
        *check_y1(fmt, current_tables.get("table3"), previous_tables.get("table3")),
        *check_y2(fmt, prev_fmt, current_tables.get("table2"), previous_tables.get("table2")),
    ]


def check_y1(fmt: ReportFormat, current3: Tables | None, previous3: Tables | None) -> list[Finding]:
    findings = []
    for col in fmt.table3_column_keys:
        now = Term(
            f"table3.carried_over.{col}", "本年“上年结转”", _cell(current3, "carried_over", col)
        )
        before = Term(
            f"previous.table3.carried_forward.{col}",
            "上一年度报告“结转下年度继续办理”",
            _cell(previous3, "carried_forward", col),
        )
        if not _evaluable([now, before]) or now.amount == before.amount:
            continue
        findings.append(
            Finding(
                rule="Y1",
                severity=Severity.WARNING,
                message=(
                    f"{_T3}“{COLUMN_LABELS[col]}”列：{now.name}为 {now.shown}，"
                    f"但{before.name}为 {before.shown}，两者应相等"
                    f"{_blank_note([now, before])}"
                ),
                cells=(now.path, before.path),
            )
        )
    return findings


_Y2_COLUMNS = ("issued", "repealed", "in_force")


def _has_in_force(fmt: ReportFormat, key: str) -> bool:
    try:
        item = fmt.table2_item(key)
    except KeyError:
        return False
    return all(c in {col.key for col in item.columns} for c in _Y2_COLUMNS)


def check_y2(
    fmt: ReportFormat,
    previous_fmt: ReportFormat,
    current2: Tables | None,
    previous2: Tables | None,
) -> list[Finding]:
    findings = []
    for item in fmt.table2:
        if not (_has_in_force(fmt, item.key) and _has_in_force(previous_fmt, item.key)):
            continue
        now = _cell(current2, item.key, "in_force")
        before = _cell(previous2, item.key, "in_force")
        if now is None or before is None:
            continue  # a heuristic on a blank would only add noise; B1 already reports it
        terms = [
            Term(f"previous.table2.{item.key}.in_force", "上年现行有效", before),
            Term(f"table2.{item.key}.issued", "本年制发", _cell(current2, item.key, "issued")),
            Term(f"table2.{item.key}.repealed", "本年废止", _cell(current2, item.key, "repealed")),
        ]
        if not _evaluable([*terms, Term("", "", now)]):
            continue
        expected = terms[0].amount + terms[1].amount - terms[2].amount
        if expected == now:
            continue
        findings.append(
            Finding(
                rule="Y2",
                severity=Severity.NOTICE,
                message=(
                    f"{_T2}“{item.label}”：{terms[0].name}({terms[0].shown})+"
                    f"{terms[1].name}({terms[1].shown})−{terms[2].name}({terms[2].shown})"
                    f"={_num(expected)}，但本年现行有效为 {_num(now)}"
                    f"{_blank_note(terms)}。修订、失效等可能造成合理差异，请核实"
                ),
                cells=(f"table2.{item.key}.in_force", *(t.path for t in terms)),
            )
        )
    return findings
