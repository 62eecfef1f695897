"""DOCX extractor on the real blank 2021 template, filled with constructed numbers."""

from __future__ import annotations

import copy
import io

import docx as python_docx
from lxml import etree

from gongkai.law.report_format import FORMAT_2021
from gongkai.reportdoc.docx import extract_docx
from gongkai.reportdoc.reader import read_report

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_constructed_docx_paragraphs_become_lines(docx_builder, constructed_2021):
    ex = extract_docx(docx_builder(constructed_2021), "r.docx")
    texts = [line.text for line in ex.lines]
    assert texts[0] == "某市交通运输局2023年政府信息公开工作年度报告"
    assert "一、总体情况" in texts
    assert "六、其他需要报告的事项" in texts
    assert ex.kind == "docx"
    assert ex.published is None


def test_constructed_docx_merged_cells_expanded(docx_builder, constructed_2021):
    ex = extract_docx(docx_builder(constructed_2021), "r.docx")
    t2, t3, t4 = ex.grids
    assert (t2.width, t3.width, t4.width) == (4, 10, 15)
    # gridSpan: the 本年处理决定数量 value cell spans three columns, text repeated
    licensing = next(r for r in t2.rows if r[0] == "行政许可")
    assert licensing[1:] == (str(constructed_2021.table2["licensing"]["decisions"]),) * 3
    # vMerge: the outcome group label is on every row it spans
    rows = {r[2]: r for r in t3.rows[3:]}
    secret = next(r for k, r in rows.items() if k.startswith("1.属于国家秘密"))
    assert secret[0] == "三、本年度办理结果"
    assert secret[1] == "（三）不予公开"
    want = [
        str(constructed_2021.table3["denied_state_secret"][c])
        for c in FORMAT_2021.table3_column_keys
    ]
    assert list(secret[3:]) == want
    assert t4.rows[0][:5] == ("行政复议",) * 5
    expected = [
        str(constructed_2021.table4[b][c])
        for b in FORMAT_2021.table4_block_keys
        for c in FORMAT_2021.table4_cell_keys
    ]
    assert list(t4.rows[3]) == expected


def test_blank_template_cells_stay_blank(corpus):
    ex = extract_docx((corpus / "TEMPLATE_2021_format_blank.docx").read_bytes(), "t.docx")
    t3 = ex.grids[1]
    assert all(cell == "" for row in t3.rows[3:] for cell in row[3:])  # ideographic spaces too


def test_table_inside_table_is_layout_constructed():
    document = python_docx.Document()
    outer = document.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.paragraphs[0].text = "外层说明文字"
    inner = cell.add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "信息内容", "本年处理决定数量"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "行政许可", "７"
    out = io.BytesIO()
    document.save(out)
    ex = extract_docx(out.getvalue(), "n.docx")
    assert [line.text for line in ex.lines] == ["外层说明文字"]
    assert [g.rows for g in ex.grids] == [(("信息内容", "本年处理决定数量"), ("行政许可", "7"))]


def test_constructed_2021_template_docx_reads_back_exactly(
    tmp_path, docx_builder, constructed_2021
):
    path = tmp_path / "report.docx"
    path.write_bytes(docx_builder(constructed_2021))
    report = read_report(path)
    assert (report.format, report.agency, report.year) == ("2021", "某市交通运输局", 2023)
    assert report.table2 == constructed_2021.table2
    assert report.table3 == constructed_2021.table3
    assert report.table4 == constructed_2021.table4
    assert [f for f in report.findings if f.severity == "error"] == []


def test_constructed_2019_docx_with_word_merges_reads_back(tmp_path, docx_writer, constructed_2019):
    path = tmp_path / "report2019.docx"
    path.write_bytes(docx_writer(constructed_2019))
    ex = extract_docx(path.read_bytes(), path.name)
    t3 = ex.grids[1]
    assert t3.rows[5][0] == "三、本年度办理结果"  # vMerge made by python-docx, expanded
    report = read_report(path)
    assert (report.format, report.year) == ("2019", 2020)
    assert report.table2 == constructed_2019.table2
    assert report.table3 == constructed_2019.table3
    assert report.table4 == constructed_2019.table4


def test_constructed_docx_with_a_wrong_total_is_caught(tmp_path, docx_builder, constructed_2021):
    constructed_2021.table4["litigation_direct"]["total"] += 2
    path = tmp_path / "bad.docx"
    path.write_bytes(docx_builder(constructed_2021))
    findings = read_report(path).findings
    assert ("T4", ("table4.litigation_direct.total",)) in {(f.rule, f.cells[:1]) for f in findings}


def test_constructed_2019_docx_figure_merged_over_spare_columns_counts_once(
    tmp_path, docx_writer, constructed_2019
):
    """（八）行政事业性收费 has two figures in a three-column table: its last figure's cell spans
    the spare column (gridSpan), and must still be read as two figures, not three."""
    path = tmp_path / "report2019_spread.docx"
    path.write_bytes(docx_writer(constructed_2019, spread_last=True))
    grid = extract_docx(path.read_bytes(), path.name).grids[0]
    fees = next(r for r, row in enumerate(grid.rows) if row[0] == "行政事业性收费")
    assert grid.rows[fees][2] == grid.rows[fees][3] != ""  # the merged cell, expanded
    assert grid.repeats_left(fees, 3)
    assert not grid.repeats_left(fees, 2)
    report = read_report(path)
    assert report.format == "2019"
    assert report.table2 == constructed_2019.table2
    assert not [f for f in report.findings if f.rule == "R1"]


_TEXT_BOX = (
    '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent/>'
    "</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent/>"
    "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
)


def test_constructed_docx_table_inside_a_text_box_is_read_once(
    tmp_path, docx_builder, constructed_2021
):
    """WPS and Word users put a table in a text box; Word writes the box twice (DrawingML and
    a VML fallback) — the table must be read, and only once."""
    document = python_docx.Document(io.BytesIO(docx_builder(constructed_2021)))
    table3 = next(t for t in document.tables if "申请人情况" in t._tbl.xml)._tbl
    box = etree.fromstring(_TEXT_BOX)
    choice, fallback = box.iter(f"{{{_W}}}txbxContent")
    fallback.append(copy.deepcopy(table3))
    choice.append(table3)  # moves the table out of the body into the box
    document.element.body.insert(len(document.element.body) - 1, box)
    path = tmp_path / "boxed.docx"
    document.save(path)
    assert (
        sum(
            1
            for g in extract_docx(path.read_bytes(), "b.docx").grids
            if "申请人情况" in str(g.rows)
        )
        == 1
    )
    report = read_report(path)
    assert report.table3 == constructed_2021.table3


def test_constructed_docx_superscript_footnote_run_is_not_a_digit(tmp_path):
    document = python_docx.Document()
    document.add_paragraph("某县政府2023年政府信息公开工作年度报告")
    document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "信息内容", "本年处理决定数量"
    table.cell(1, 0).text = "行政许可"
    paragraph = table.cell(1, 1).paragraphs[0]
    paragraph.add_run("1207")
    paragraph.add_run("1").font.superscript = True
    path = tmp_path / "sup.docx"
    document.save(path)
    assert read_report(path).table2["licensing"]["decisions"] == 1207
