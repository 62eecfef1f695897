"""Fixture builders for the report reader's tests.

Real reports come from the shared corpus; the DOCX and 2019-format reports are *constructed*
(the corpus has no real ones): a DOCX by filling the real blank 2021 template with numbers, a
2019-format report from the format definitions. Nothing binary is committed for them.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest

from corpus import CORPUS
from gongkai.law.report_format import (
    FORMAT_2019,
    FORMAT_2021,
    FORMATS,
    SECTION_KEYS,
    SECTION_TITLES,
    ReportFormat,
)
from gongkai.reportdoc.model import Report
from gongkai.reportdoc.serialize import report_from_json

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE_DOCX = CORPUS / "TEMPLATE_2021_format_blank.docx"
HUAIAN_PDF = CORPUS / "huaian_hongzequ_2023.pdf"

SECTION_TEXT = {
    "overview": "本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。",
    "proactive": "主动公开政府信息情况如下表。",
    "applications": "收到和处理政府信息公开申请情况如下表。",
    "appeals": "政府信息公开行政复议、行政诉讼情况如下表。",
    "problems": "存在的主要问题是依申请公开工作规范性有待提高。",
    "other": "本年度未收取信息处理费。",
}


# truth files written in this repository (the shared corpus is read-only): looked up first
LOCAL_TRUTH = Path(__file__).parent / "truth"


def truth(name: str) -> dict[str, Any]:
    local = LOCAL_TRUTH / f"{name}.json"
    path = local if local.is_file() else CORPUS / "truth" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def truth_report(name: str) -> Report:
    data = truth(name)
    report = report_from_json(data)
    report.sections = dict(SECTION_TEXT)
    return report


def constructed_report(fmt: ReportFormat, *, agency: str, year: int, base: int = 3) -> Report:
    """A consistent report (every rule holds) with different numbers in every cell."""
    tables = fmt.empty_tables()
    table2 = tables["table2"]
    for i, item in enumerate(fmt.table2):
        for j, column in enumerate(item.columns):
            if item.decimal and column.key.startswith("amount"):
                table2[item.key][column.key] = Decimal(f"{base + i}{j}.25")
            elif column.key == "change":
                table2[item.key][column.key] = -(i + 1)  # 2019 本年增/减 may be negative
            else:
                table2[item.key][column.key] = base * 10 + i * 3 + j
    table3 = tables["table3"]
    leaves = fmt.table3_leaf_keys
    applicant = fmt.table3_applicant_keys
    for n, key in enumerate(leaves):
        for m, col in enumerate(applicant):
            table3[key][col] = (n + m + base) % 4
    for col in applicant:
        processed = sum(table3[k][col] for k in leaves)
        table3["total_processed"][col] = processed
        table3["carried_over"][col] = base % 3
        table3["carried_forward"][col] = (base + 1) % 3
        table3["new_received"][col] = processed + table3["carried_forward"][col] - (base % 3)
    for row in table3.values():
        row["total"] = sum(row[c] for c in applicant)
    table4 = tables["table4"]
    for b, block in enumerate(fmt.table4_block_keys):
        cells = {"upheld": b + base, "corrected": b, "other": 1, "pending": (b + base) % 2}
        table4[block] = {**cells, "total": sum(cells.values())}
    return Report(
        format=fmt.id,
        agency=agency,
        year=year,
        sections=dict(SECTION_TEXT),
        table2=table2,
        table3=table3,
        table4=table4,
    )


def fill_template_docx(report: Report, template: Path = TEMPLATE_DOCX) -> bytes:
    """The real blank 2021 template with the report's numbers typed into its cells."""
    document = docx.Document(str(template))
    paragraphs = document.paragraphs
    paragraphs[1].text = f"{report.agency}{report.year}年政府信息公开工作年度报告"
    paragraphs[4].text = report.sections.get("overview", "")
    paragraphs[29].text = report.sections.get("problems", "")
    paragraphs[31].text = report.sections.get("other", "")
    t2, t3, t4 = document.tables
    cell_rows = {
        "regulations": 2,
        "normative_documents": 3,
        "licensing": 6,
        "penalty": 9,
        "coercion": 10,
        "fees": 13,
    }
    for item in FORMAT_2021.table2:
        row = t2.rows[cell_rows[item.key]].cells
        for j, column in enumerate(item.columns, start=1):
            row[j].text = _cell(report.table2.get(item.key, {}).get(column.key))
    for r, key in enumerate(FORMAT_2021.table3_row_keys, start=3):
        row = t3.rows[r].cells
        for c, col in enumerate(FORMAT_2021.table3_column_keys, start=3):
            row[c].text = _cell(report.table3.get(key, {}).get(col))
    row = t4.rows[3].cells
    n = 0
    for block in FORMAT_2021.table4_block_keys:
        for cell in FORMAT_2021.table4_cell_keys:
            row[n].text = _cell(report.table4.get(block, {}).get(cell))
            n += 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _cell(value: int | Decimal | None) -> str:
    return "" if value is None else format(value, "f") if isinstance(value, Decimal) else str(value)


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"shared corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture
def constructed_2021() -> Report:
    return constructed_report(FORMAT_2021, agency="某市交通运输局", year=2023)


@pytest.fixture
def constructed_2019() -> Report:
    return constructed_report(FORMAT_2019, agency="某县自然资源局", year=2020, base=5)


@pytest.fixture
def docx_builder() -> Callable[[Report], bytes]:
    if not TEMPLATE_DOCX.is_file():
        pytest.fail(f"blank template not found at {TEMPLATE_DOCX}")
    return fill_template_docx


@pytest.fixture
def load_truth() -> Callable[[str], dict[str, Any]]:
    return truth


@pytest.fixture
def load_truth_report() -> Callable[[str], Report]:
    return truth_report


@pytest.fixture(scope="session")
def huaian_pdf() -> Path:
    if not HUAIAN_PDF.is_file():
        pytest.fail(f"corpus PDF not found at {HUAIAN_PDF}")
    return HUAIAN_PDF


@pytest.fixture
def make_report() -> Callable[..., Report]:
    return constructed_report


@pytest.fixture(scope="session")
def constructed_2021_docx() -> bytes:
    """The blank template filled with the constructed 2021 report's numbers (built once)."""
    if not TEMPLATE_DOCX.is_file():
        pytest.fail(f"blank template not found at {TEMPLATE_DOCX}")
    return fill_template_docx(constructed_report(FORMAT_2021, agency="某市交通运输局", year=2023))


def build_docx(report: Report, *, spread_last: bool = False) -> bytes:
    """A DOCX written from scratch in the official layout, merged cells made by Word's own
    gridSpan/vMerge (python-docx ``merge``) — for the 2019 format, which has no template here.

    ``spread_last``: a table-二 row with fewer figures than the table is wide stretches its
    last cell over the spare columns (as many 2019 reports print （八）/（九）) instead of
    leaving empty cells after it."""
    fmt = FORMATS[report.format or "2021"]
    document = docx.Document()
    document.add_paragraph(f"{report.agency}{report.year}年政府信息公开工作年度报告")
    ordinals = "一二三四五六"
    for index, key in enumerate(SECTION_KEYS):
        document.add_paragraph(f"{ordinals[index]}、{SECTION_TITLES[index][0]}")
        document.add_paragraph(report.sections.get(key, ""))
        if key == "proactive":
            _docx_table2(document, report, fmt, spread_last=spread_last)
        elif key == "applications":
            _docx_table3(document, report, fmt)
        elif key == "appeals":
            _docx_table4(document, report, fmt)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table2(
    document: Any, report: Report, fmt: ReportFormat, *, spread_last: bool = False
) -> None:
    width = max(len(item.columns) for item in fmt.table2)
    plan: list[tuple[str, Any]] = []
    previous = None
    for item in fmt.table2:
        if item.item != previous:
            plan += [("item", item), ("head", item)]
        plan.append(("row", item))
        previous = item.item
    table = document.add_table(rows=len(plan), cols=width + 1)
    for r, (kind, item) in enumerate(plan):
        cells = table.rows[r].cells
        spread = len(item.columns) == 1
        if kind == "item":
            cells[0].merge(cells[width]).text = item.item
            continue
        cells[0].text = "信息内容" if kind == "head" else item.label
        last = len(item.columns)
        for j, column in enumerate(item.columns, start=1):
            stretch = spread or (spread_last and j == last < width)
            target = cells[j].merge(cells[width]) if stretch else cells[j]
            value = report.table2.get(item.key, {}).get(column.key)
            target.text = column.label if kind == "head" else _cell(value)


def _docx_table3(document: Any, report: Report, fmt: ReportFormat) -> None:
    rows = fmt.table3_rows
    table = document.add_table(rows=3 + len(rows), cols=10)
    cell = table.cell
    cell(0, 0).merge(
        cell(2, 2)
    ).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    cell(0, 3).merge(cell(0, 9)).text = "申请人情况"
    cell(1, 3).merge(cell(2, 3)).text = "自然人"
    cell(1, 4).merge(cell(1, 8)).text = "法人或其他组织"
    cell(1, 9).merge(cell(2, 9)).text = "总计"
    for j, column in enumerate(fmt.table3_columns[1:6], start=4):
        cell(2, j).text = column.label
    groups = {g.key: g for g in fmt.table3_groups}
    outcome = [
        i for i, row in enumerate(rows, start=3) if row.group or row.key == "total_processed"
    ]
    cell(outcome[0], 0).merge(cell(outcome[-1], 0)).text = groups["outcome"].full_label
    for group in ("denied", "unable", "not_processed", "other"):
        members = [i for i, row in enumerate(rows, start=3) if row.group == group]
        if members:
            cell(members[0], 1).merge(cell(members[-1], 1)).text = groups[group].full_label
    for i, row in enumerate(rows, start=3):
        if row.group is None and row.key != "total_processed":
            cell(i, 0).merge(cell(i, 2)).text = row.full_label
        elif row.group in {"denied", "unable", "not_processed", "other"}:
            cell(i, 2).text = row.full_label
        else:
            cell(i, 1).merge(cell(i, 2)).text = row.full_label
        for j, col in enumerate(fmt.table3_column_keys, start=3):
            cell(i, j).text = _cell(report.table3.get(row.key, {}).get(col))


def _docx_table4(document: Any, report: Report, fmt: ReportFormat) -> None:
    table = document.add_table(rows=4, cols=15)
    cell = table.cell
    blocks, cells = fmt.table4_blocks, fmt.table4_cells
    cell(0, 0).merge(cell(0, 4)).text = blocks[0].label
    cell(0, 5).merge(cell(0, 14)).text = "行政诉讼"
    for j, c in enumerate(cells):
        cell(1, j).merge(cell(2, j)).text = c.label
    cell(1, 5).merge(cell(1, 9)).text = blocks[1].label
    cell(1, 10).merge(cell(1, 14)).text = blocks[2].label
    for j in range(5, 15):
        cell(2, j).text = cells[(j - 5) % 5].label
    for b, block in enumerate(blocks):
        for j, c in enumerate(cells):
            cell(3, b * 5 + j).text = _cell(report.table4.get(block.key, {}).get(c.key))


@pytest.fixture
def docx_writer() -> Callable[[Report], bytes]:
    return build_docx
