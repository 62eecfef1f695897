"""A glued row no rule can split, settled from another file of the same report in the batch."""

from __future__ import annotations

from dataclasses import replace

from corpus import CORPUS
from gongkai.law.findings import Finding, Severity
from gongkai.law.report_format import FORMAT_2021
from gongkai.reportdoc.batch import audit_batch
from gongkai.reportdoc.copies import row_cells, settle_with_copy
from gongkai.reportdoc.model import Provenance, Report

TEXT_2024 = CORPUS / "pingtan_guanweihui_2024.txt"
PAGE_2024 = CORPUS / "pingtan_guanweihui_2024.html"
ROW = "table2.normative_documents"
CELLS = [f"{ROW}.issued", f"{ROW}.repealed", f"{ROW}.in_force"]
READINGS = [(6, 2, 33440), (62, 33, 440), (623, 3, 440)]


def _glued_report() -> Report:
    report = Report(format="2021", agency="某县财政局", year=2024)
    report.table2 = {"normative_documents": dict.fromkeys(("issued", "repealed", "in_force"))}
    report.glued = {ROW: list(READINGS)}
    report.findings = [Finding("R1", Severity.WARNING, "连写“6233440”", tuple(CELLS))]
    return report


def _copy(values: tuple[int, int, int], *, note: str | None = None, year: int = 2024) -> Report:
    copy = Report(format="2021", agency="某县财政局", year=year)
    copy.table2 = {
        "normative_documents": dict(zip(("issued", "repealed", "in_force"), values, strict=True))
    }
    if note:
        copy.provenance = {c: Provenance(note=note) for c in CELLS}
    return copy


def test_a_direct_reading_among_the_candidates_settles_the_row_and_says_so():
    settled = settle_with_copy(_glued_report(), _copy((62, 33, 440)), "/crawl/2024.html")
    assert settled.table2["normative_documents"] == {"issued": 62, "repealed": 33, "in_force": 440}
    assert settled.glued == {}
    assert not [f for f in settled.findings if f.rule == "R1"]
    [notice] = [f for f in settled.findings if f.rule == "R2"]
    assert notice.severity == Severity.NOTICE
    assert set(notice.cells) == set(CELLS)
    assert "2024.html" in notice.message
    assert "表二" in notice.message
    assert "属推定" in settled.provenance[f"{ROW}.in_force"].note


def test_a_copy_that_reads_none_of_the_candidates_settles_nothing():
    report = _glued_report()
    assert settle_with_copy(report, _copy((60, 33, 440)), "x.html") is report


def test_a_copy_that_inferred_the_row_itself_settles_nothing():
    report = _glued_report()
    inferred = _copy((62, 33, 440), note="连写数字按勾稽关系唯一确定拆分，属推定")
    assert settle_with_copy(report, inferred, "x.txt") is report


def test_a_copy_of_another_year_or_format_settles_nothing():
    report = _glued_report()
    assert settle_with_copy(report, _copy((62, 33, 440), year=2023), "x.html") is report
    other_format = replace(_copy((62, 33, 440)), format="2019")
    assert settle_with_copy(report, other_format, "x.html") is report


def test_a_copy_with_a_blank_cell_settles_nothing():
    report = _glued_report()
    copy = _copy((62, 33, 440))
    copy.table2["normative_documents"]["in_force"] = None
    assert settle_with_copy(report, copy, "x.html") is report


def test_row_cells_name_the_cells_in_reading_order():
    assert row_cells(FORMAT_2021, ROW) == CELLS
    assert row_cells(FORMAT_2021, "table3.granted")[-1] == "table3.granted.total"
    table4 = row_cells(FORMAT_2021, "table4")
    assert len(table4) == 15
    assert table4[0] == "table4.reconsideration.upheld"
    assert row_cells(FORMAT_2021, "table2.nothing") is None


def test_the_2024_crawl_text_and_page_read_the_same_tables_in_one_batch():
    text, page = (o.report for o in audit_batch([TEXT_2024, PAGE_2024]))
    assert text is not None
    assert page is not None
    for table in ("table2", "table3", "table4"):
        assert getattr(text, table) == getattr(page, table), table
    assert text.table2["normative_documents"] == {"issued": 62, "repealed": 33, "in_force": 440}
    note = text.provenance[f"{ROW}.issued"].note
    assert "pingtan_guanweihui_2024.html" in note
    assert not [f for f in text.findings if f.rule == "R1" and f"{ROW}.issued" in f.cells]
    assert not [f for f in text.findings if f.severity == Severity.ERROR]


def test_alone_the_text_still_leaves_the_row_unread():
    [alone] = (o.report for o in audit_batch([TEXT_2024]))
    assert alone.table2["normative_documents"]["issued"] is None
    assert [f for f in alone.findings if f.rule == "R1" and f"{ROW}.issued" in f.cells]
