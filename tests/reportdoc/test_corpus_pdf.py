"""The real 洪泽区 2023 PDF, end to end: every cell against the hand-verified truth, and the
real violation found there (both non-zero table-四 totals printed as 0)."""

from __future__ import annotations

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
