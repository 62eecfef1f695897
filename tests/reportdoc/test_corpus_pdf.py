"""The real 洪泽区 2023 PDF, end to end: every cell against the hand-verified truth, and the
real violation found there (both non-zero table-四 totals printed as 0)."""

from __future__ import annotations

import io

import pdfplumber
import pypdfium2 as pdfium
import pytest

from gongkai.reportdoc.reader import read_report


@pytest.fixture(scope="module")
def report(huaian_pdf):
    return read_report(huaian_pdf)


def test_every_cell_matches_truth(report, load_truth):
    truth = load_truth("huaian_hongzequ_2023")
    assert report.format == truth["format"]
    assert report.year == truth["year"]
    for table in ("table2", "table3", "table4"):
        mine = report.to_json()[table]
        assert mine == truth[table], table


def test_provenance_points_at_pages(report):
    assert report.provenance["table4.reconsideration.total"].page == 4
    assert report.provenance["table3.new_received.total"].page == 3


def test_the_two_zero_totals_are_errors(report):
    t4 = [f for f in report.findings if f.rule == "T4"]
    assert {f.cells[0] for f in t4} == {
        "table4.reconsideration.total",
        "table4.litigation_after_reconsideration.total",
    }
    assert all(f.severity == "error" for f in t4)


def test_no_other_arithmetic_errors(report):
    assert {f.rule for f in report.findings if f.severity == "error"} == {"T4"}


def _pdfplumber_text(pdf, layout: bool) -> str:
    with pdfplumber.open(pdf) as doc:
        return "\n".join(page.extract_text(layout=layout) for page in doc.pages)


@pytest.mark.parametrize("layout", [False, True], ids=["plain", "layout"])
def test_the_same_pdf_as_another_tools_text_extraction(huaian_pdf, load_truth, tmp_path, layout):
    # the text a supervisor gets from another tool: labels centred below their figures, a
    # 「- 3 -」 page footer inside table 三, split labels (「4.无正当理由大量反复 申请」)
    path = tmp_path / "hongze.txt"
    path.write_text(_pdfplumber_text(huaian_pdf, layout), encoding="utf-8")
    report = read_report(path)
    truth = load_truth("huaian_hongzequ_2023")
    for table in ("table2", "table3", "table4"):
        assert report.to_json()[table] == truth[table], table
    assert {f.rule for f in report.findings if f.severity == "error"} == {"T4"}


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_rotate_flag_does_not_change_the_reading(huaian_pdf, load_truth, tmp_path, degrees):
    # /Rotate turns pages for display only; at 180° PDFium would read every line backwards
    document = pdfium.PdfDocument(huaian_pdf.read_bytes())
    for page in document:
        page.set_rotation(degrees)
    rotated = io.BytesIO()
    document.save(rotated)
    path = tmp_path / "rotated.pdf"
    path.write_bytes(rotated.getvalue())
    report = read_report(path)
    truth = load_truth("huaian_hongzequ_2023")
    for table in ("table2", "table3", "table4"):
        assert report.to_json()[table] == truth[table], table


def test_a_page_drawn_upside_down_is_read_turned_back(huaian_pdf, load_truth, tmp_path):
    # every object turned 180° in the content itself (no /Rotate flag): read as lines in
    # order, never as a mirrored grid (table 四 would come out reversed)
    document = pdfium.PdfDocument(huaian_pdf.read_bytes())
    for page in document:
        width, height = page.get_size()
        turn = pdfium.PdfMatrix().rotate(180).translate(width, height)
        for obj in list(page.get_objects()):
            obj.transform(turn)
        page.gen_content()
    baked = io.BytesIO()
    document.save(baked)
    path = tmp_path / "upside-down.pdf"
    path.write_bytes(baked.getvalue())
    report = read_report(path)
    truth = load_truth("huaian_hongzequ_2023")
    for table in ("table2", "table3", "table4"):
        assert report.to_json()[table] == truth[table], table
