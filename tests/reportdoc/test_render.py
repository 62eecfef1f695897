"""Rendering back to HTML: official layout, highlighted cells, and a lossless round trip
(render → HTML extractor → assembler) on the truth tables and on parsed corpus files."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from gongkai.law.findings import Finding, Severity
from gongkai.reportdoc.html import extract_html
from gongkai.reportdoc.parse import parse_extracted
from gongkai.reportdoc.reader import read_report
from gongkai.reportdoc.render_html import cell_label, render_report
from gongkai.reportdoc.serialize import report_from_json, report_to_json

TRUTHS = [
    "huaian_hongzequ_2023",
    "ruzhou_xinfang_2022",
    "shanghai_kewei_2024_pdf-extracted",
    "suqian_shuyangxian_2025_ocr-markdown",
]
CORPUS_FILES = [
    "huaian_hongzequ_2023.pdf",
    "ruzhou_xinfang_2022.txt",
    "shanghai_kewei_2024_pdf-extracted.md",
    "suqian_shuyangxian_2025_ocr-markdown.txt",
]


def _round_trip(report):
    return parse_extracted(extract_html(render_report(report), "rendered.html"))


def _assert_same(before, after):
    assert after.format == before.format
    assert after.year == before.year
    assert after.agency == before.agency
    assert after.table2 == before.table2
    assert after.table3 == before.table3
    assert after.table4 == before.table4


@pytest.mark.parametrize("name", TRUTHS)
def test_round_trip_is_lossless_on_truth_tables(load_truth_report, name):
    report = load_truth_report(name)
    _assert_same(report, _round_trip(report))


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_round_trip_is_lossless_on_parsed_corpus_files(corpus, name):
    report = read_report(corpus / name)
    after = _round_trip(report)
    _assert_same(report, after)
    assert after.published == report.published


def test_round_trip_constructed_2019_format(constructed_2019):
    after = _round_trip(constructed_2019)
    _assert_same(constructed_2019, after)
    assert "other_no_correction" not in after.table3


def test_round_trip_keeps_blanks_blank_and_decimals_exact_constructed(constructed_2021):
    constructed_2021.table3["granted"]["research"] = None
    after = _round_trip(constructed_2021)
    assert after.table3["granted"]["research"] is None
    assert (
        after.table2["fees"]["amount_wan_yuan"]
        == constructed_2021.table2["fees"]["amount_wan_yuan"]
    )


def test_offending_cells_are_highlighted_with_the_finding_constructed(constructed_2021):
    constructed_2021.findings = [
        Finding("T4", Severity.ERROR, "总计不等于各项之和", ("table4.reconsideration.total",)),
        Finding("B1", Severity.WARNING, "空白", ("table3.granted.research",)),
    ]
    page = lxml_html.fromstring(render_report(constructed_2021))
    (bad,) = page.xpath('//td[@data-cell="table4.reconsideration.total"]')
    assert "gk-bad-error" in bad.get("class")
    assert "总计不等于各项之和" in bad.get("title")
    (warn,) = page.xpath('//td[@data-cell="table3.granted.research"]')
    assert "gk-bad-warning" in warn.get("class")
    marked = page.xpath('//td[contains(@class, "gk-bad-")]')
    assert len(marked) == 2
    findings = page.xpath('//ol[@class="gk-findings"]/li')
    assert [li.get("class") for li in findings] == ["gk-error", "gk-warning"]
    assert "表四「行政复议」「总计」" in findings[0].text_content()


def test_official_layout_has_every_cell_once_constructed(constructed_2021):
    page = lxml_html.fromstring(render_report(constructed_2021, findings=False))
    cells = page.xpath("//td/@data-cell")
    assert len(cells) == len(set(cells)) == 2 * 3 + 4 * 1 + 25 * 7 + 3 * 5


def test_standalone_page_has_no_external_assets_constructed(constructed_2021):
    text = render_report(constructed_2021)
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(link|script|img)\b|src=|@import|https?://", text)


def test_fragment_is_not_a_page_constructed(constructed_2021):
    assert "<html" not in render_report(constructed_2021, standalone=False)


def test_cell_label_speaks_the_form():
    assert cell_label("table3.granted.natural_person") == "表三「（一）予以公开」「自然人」"
    assert cell_label("table2.fees.amount_wan_yuan").startswith("表二「行政事业性收费」")
    assert cell_label("sections.overview") == "sections.overview"


def test_json_round_trip_restores_everything(corpus):
    report = read_report(corpus / "huaian_hongzequ_2023.pdf")
    again = report_from_json(report_to_json(report, with_provenance=True))
    assert again == report


def test_report_from_json_rejects_non_reports():
    with pytest.raises(ValueError, match="格式"):
        report_from_json({"format": "1999"})
    with pytest.raises(ValueError, match="数字"):
        report_from_json({"format": "2021", "table3": {"granted": {"total": [1]}}})
