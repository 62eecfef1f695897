"""PDF extractor on the real 洪泽区 2023 report: every table cell is where the truth says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.law.report_format import FORMAT_2021, normalize_label
from gongkai.reportdoc import pdf as pdf_module
from gongkai.reportdoc.extract import ReportReadError
from gongkai.reportdoc.pdf import extract_pdf
from gongkai.reportdoc.reader import read_report


@pytest.fixture(scope="module")
def huaian(huaian_pdf):
    return extract_pdf(huaian_pdf.read_bytes(), huaian_pdf.name)


def _find(grids, label: str, label_cols: int) -> tuple[str, ...]:
    want = normalize_label(label)
    for grid in grids:
        for row in grid.rows:
            if any(want in normalize_label(c) for c in row[:label_cols]):
                return row
    raise AssertionError(f"row {label} not found")


def test_lines_carry_page_numbers(huaian):
    assert {line.page for line in huaian.lines} == {1, 2, 3, 4, 5}
    assert huaian.lines[0].page == 1
    assert any(line.text == "一、总体情况" for line in huaian.lines)


def test_tables_only_searched_on_pages_with_table_labels(huaian):
    assert {g.page for g in huaian.grids} == {2, 3, 4}
    assert [g.index for g in huaian.grids] == list(range(len(huaian.grids)))


def test_every_table3_cell_matches_truth(huaian, load_truth):
    t3 = load_truth("huaian_hongzequ_2023")["table3"]
    labels = {r.key: r.full_label for r in FORMAT_2021.table3_rows}
    labels["denied_prohibited_by_law"] = "2.其他法律行政止公开"  # the PDF's own typo
    labels["other_other"] = "（六）其他处理"  # printed as one collapsed row
    for key, cells in t3.items():
        if key in {"other_no_correction", "other_unpaid_fee"}:
            continue
        row = _find(huaian.grids, labels[key].split("（区分")[0], 3)
        assert row[3:] == tuple(str(v) for v in cells.values()), key


def test_table3_split_across_pages_stays_two_grids(huaian):
    first = next(g for g in huaian.grids if any("本年新收" in c for r in g.rows for c in r))
    second = next(g for g in huaian.grids if any("结转下年度" in c for r in g.rows for c in r))
    assert (first.page, second.page) == (3, 4)
    assert first.width == second.width == 10


def test_table2_cells_match_truth(huaian, load_truth):
    t2 = load_truth("huaian_hongzequ_2023")["table2"]
    assert _find(huaian.grids, "规章", 1)[1:4] == ("0", "0", "0")
    assert _find(huaian.grids, "行政规范性文件", 1)[1:4] == ("0", "5", "5")
    assert _find(huaian.grids, "行政许可", 1)[1] == str(t2["licensing"]["decisions"])
    assert _find(huaian.grids, "行政处罚", 1)[1] == "4119"
    assert _find(huaian.grids, "行政强制", 1)[1] == "195"
    assert _find(huaian.grids, "行政事业性收费", 1)[1] == "7730.28"


def test_table4_values_including_the_printed_zero_totals(huaian, load_truth):
    t4 = load_truth("huaian_hongzequ_2023")["table4"]
    grid = next(g for g in huaian.grids if g.width == 15)
    assert grid.rows[0][:5] == ("行政复议",) * 5  # merged header expanded
    values = [
        str(t4[b][c]) for b in FORMAT_2021.table4_block_keys for c in FORMAT_2021.table4_cell_keys
    ]
    assert list(grid.rows[-1]) == values
    assert grid.rows[-1][4] == "0"
    assert grid.rows[-1][14] == "0"


def test_page_cap(huaian_pdf):
    with pytest.raises(ReportReadError, match="超过 3 页"):
        extract_pdf(huaian_pdf.read_bytes(), "big.pdf", max_pages=3)


def test_deadline_stops_reading(huaian_pdf):
    with pytest.raises(ReportReadError, match="超时"):
        extract_pdf(huaian_pdf.read_bytes(), "slow.pdf", deadline=0.0)


def test_damaged_pdf_is_a_read_error(huaian_pdf):
    data = huaian_pdf.read_bytes()[:5000]
    with pytest.raises(ReportReadError, match=r"damaged\.pdf"):
        extract_pdf(data, "damaged.pdf")


def test_text_only_mode_skips_tables(huaian_pdf):
    ex = extract_pdf(huaian_pdf.read_bytes(), "h.pdf", find_tables=False)
    assert ex.grids == []
    assert len(ex.lines) > 100


def test_pdfplumber_fallback_when_pdfium_finds_no_table(huaian_pdf, monkeypatch, huaian):
    monkeypatch.setattr(pdf_module, "pdfium_tables", lambda page, textpage, *edges: [])
    slow = pdf_module.extract_pdf(huaian_pdf.read_bytes(), "h.pdf")
    assert [(g.page, g.width, len(g.rows)) for g in slow.grids] == [
        (g.page, g.width, len(g.rows)) for g in huaian.grids
    ]
    fast_cells = [normalize_label(c) for g in huaian.grids for r in g.rows for c in r]
    slow_cells = [normalize_label(c) for g in slow.grids for r in g.rows for c in r]
    assert slow_cells == fast_cells  # the two table paths agree cell for cell


def test_words_grid_when_no_ruled_table_at_all(huaian_pdf, monkeypatch):
    monkeypatch.setattr(pdf_module, "pdfium_tables", lambda page, textpage, *edges: [])
    monkeypatch.setattr(pdf_module.Page, "find_tables", lambda self, *a, **k: [])
    ex = pdf_module.extract_pdf(huaian_pdf.read_bytes(), "h.pdf")
    rows = [r for g in ex.grids for r in g.rows]
    licensing = next(r for r in rows if r[0] == "行政许可")
    assert licensing[1] == "550"
    assert {g.page for g in ex.grids} == {2, 3, 4}


def test_constructed_2019_chromium_pdf_reads_back_exactly():
    """Another producer (Chromium/Skia), and table 三 cut by a page break inside merged cells."""
    folder = Path(__file__).parent / "fixtures" / "pdf"
    expected = json.loads((folder / "constructed_2019_chromium.expected.json").read_text("utf-8"))
    report = read_report(folder / "constructed_2019_chromium.pdf")
    data = report.to_json()
    assert (data["format"], data["agency"], data["year"]) == ("2019", "某县自然资源局", 2020)
    for table in ("table2", "table3", "table4"):
        assert data[table] == expected[table], table
    assert report.findings == []  # consistent, and every label read from the grids


def test_page_break_closes_the_merged_cell_constructed():
    path = Path(__file__).parent / "fixtures" / "pdf" / "constructed_2019_chromium.pdf"
    ex = extract_pdf(path.read_bytes(), path.name)
    t3 = next(g for g in ex.grids if g.page == 2 and g.width == 10)
    granted = next(r for r in t3.rows if r[1] == "（一）予以公开")
    assert normalize_label(granted[0]) == normalize_label("三、本年度办理结果")


def test_merged_cells_share_an_origin_figures_do_not(huaian):
    """The PDF grids name each position's source cell: a merged group label spans rows and
    columns under one origin, while every figure of table 三 is its own cell."""
    t3 = next(g for g in huaian.grids if any("本年新收" in c for r in g.rows for c in r))
    assert t3.origins is not None
    denied = [r for r, row in enumerate(t3.rows) if row[1] == "（三）不予公开"]
    assert len(denied) >= 5
    assert len({t3.origins[r][1] for r in denied}) == 1  # one merged cell down the rows
    new = next(r for r, row in enumerate(t3.rows) if row[0].startswith("一、本年新收"))
    assert t3.repeats_left(new, 1)  # the row label spans three columns
    assert t3.repeats_left(new, 2)
    assert not any(t3.repeats_left(new, c) for c in range(3, t3.width))


def test_borderless_tables_are_read_from_pdfium_words_without_pdfminer(monkeypatch):
    """A table drawn without rules (text layout only) is read from PDFium's character boxes;
    pdfplumber's own parse (pdfminer, ~0.2 s a page) is not started for it."""
    folder = Path(__file__).parent / "fixtures" / "pdf"
    ruled = extract_pdf((folder / "constructed_2019_chromium.pdf").read_bytes(), "ruled.pdf")

    def no_rules(page, height):
        return []

    def no_pdfminer(*args, **kwargs):
        raise AssertionError("pdfplumber fallback started for a page without rules")

    monkeypatch.setattr(pdf_module, "_edges", no_rules)
    monkeypatch.setattr(pdf_module, "_plumber_grids", no_pdfminer)
    ex = pdf_module.extract_pdf((folder / "constructed_2019_chromium.pdf").read_bytes(), "b.pdf")
    assert {g.page for g in ex.grids} == {g.page for g in ruled.grids}
    expected = json.loads((folder / "constructed_2019_chromium.expected.json").read_text("utf-8"))
    data = read_report(folder / "constructed_2019_chromium.pdf").to_json()
    for table in ("table2", "table3", "table4"):
        assert data[table] == expected[table], table
