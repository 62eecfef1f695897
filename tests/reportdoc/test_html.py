"""HTML extractor on Word-pasted government pages (constructed fixture and small snippets)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from gongkai.reportdoc import assemble as assemble_module
from gongkai.reportdoc.extract import ReportReadError
from gongkai.reportdoc.html import decode_html, extract_html, iso_date
from gongkai.reportdoc.parse import parse_extracted
from gongkai.reportdoc.reader import read_report
from gongkai.reportdoc.render_html import render_report

FIXTURE = Path(__file__).parent / "fixtures" / "html" / "word_pasted_2022.html"


def _grid_row(grid, label: str) -> tuple[str, ...]:
    return next(row for row in grid.rows if row[0].startswith(label) or row[2].startswith(label))


def test_word_pasted_page_lines_drop_scripts_styles_and_office_markup_constructed():
    ex = extract_html(FIXTURE.read_bytes(), "page.html")
    text = ex.text
    assert "统计代码" not in text
    assert "mso-" not in text
    assert "WordSection1" not in text
    assert "一、总体情况" in [line.text for line in ex.lines]
    # Word wraps its HTML inside sentences: the wrap must not split or space the sentence
    assert "本机关认真贯彻落实《中华人民共和国政府信息公开条例》。" in text
    assert [line.number for line in ex.lines] == list(range(1, len(ex.lines) + 1))


def test_published_date_from_pubdate_meta_constructed():
    assert extract_html(FIXTURE.read_bytes(), "p").published == "2023-01-18"


def test_published_date_from_text_when_no_meta():
    page = "<html><body><div>发布日期：2024年1月9日</div><p>正文</p></body></html>"
    assert extract_html(page, "p").published == "2024-01-09"


def test_innermost_tables_only_layout_table_becomes_lines_constructed():
    ex = extract_html(FIXTURE.read_bytes(), "p")
    assert [g.width for g in ex.grids] == [4, 10, 15]
    assert [g.index for g in ex.grids] == [0, 1, 2]
    # the layout table's cells are prose; its breadcrumb cell is site chrome
    assert any(line.text.startswith("本报告依据") for line in ex.lines)
    assert any("网站标识码" in line.text for line in ex.lines)
    assert not any("首页" in line.text for line in ex.lines)


def test_rowspan_colspan_expanded_with_text_repeated_constructed():
    expected = json.loads(FIXTURE.with_suffix(".expected.json").read_text("utf-8"))
    t3 = extract_html(FIXTURE.read_bytes(), "p").grids[1]
    assert t3.rows[0][:3] == (t3.rows[0][0],) * 3
    assert t3.rows[2][0].startswith("（本列数据")
    assert t3.rows[0][3:] == ("申请人情况",) * 7
    assert t3.rows[1][3:] == ("自然人",) + ("法人或其他组织",) * 5 + ("总计",)
    assert t3.rows[2][3] == "自然人"
    assert t3.rows[2][9] == "总计"
    assert t3.rows[2][4] == "商业\n企业"  # <br> inside a cell is a line break in the cell
    granted = _grid_row(t3, "（一）予以公开")
    assert granted[0] == "三、本年度办理结果"  # the group label repeats on every row it spans
    row = [granted[3 + i] for i in range(7)]
    want = expected["table3"]["granted"]
    assert row == ["" if v is None else str(v) for v in want.values()]  # &nbsp; cell is blank
    secret = _grid_row(t3, "1.属于国家秘密")
    assert secret[:2] == ("三、本年度办理结果", "（三）不予公开")


def test_full_width_digits_in_cells_become_ascii_constructed():
    ex = extract_html(FIXTURE.read_bytes(), "p")
    expected = json.loads(FIXTURE.with_suffix(".expected.json").read_text("utf-8"))
    regs = _grid_row(ex.grids[0], "规章")
    assert regs[1:] == tuple(str(v) for v in expected["table2"]["regulations"].values())


def test_gbk_page_decoded_by_declared_charset():
    page = '<html><head><meta charset="gb2312"></head><body><p>沭阳县</p></body></html>'
    assert decode_html(page.encode("gb18030")).count("沭阳县") == 1


def test_undeclared_gbk_falls_back_from_utf8():
    assert "年度报告" in decode_html("<p>年度报告</p>".encode("gbk"))


def test_cell_spans_are_clamped():
    page = '<table><tr><td colspan="99999999">a</td><td>1</td></tr></table>'
    (grid,) = extract_html(page, "p").grids
    assert grid.width == 101


def test_deep_nesting_is_refused_quickly_not_crashed():
    page = "<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000 + "</body></html>"
    start = time.monotonic()
    with pytest.raises(ReportReadError, match=r"deep\.html.*嵌套"):
        extract_html(page, "deep.html")
    assert time.monotonic() - start < 3


def test_iso_date_rejects_impossible_dates():
    assert iso_date("2024-13-01") is None
    assert iso_date("２０２４年０１月３０日") == "2024-01-30"


def test_word_pasted_page_end_to_end_constructed():
    expected = json.loads(FIXTURE.with_suffix(".expected.json").read_text("utf-8"))
    report = read_report(FIXTURE)
    data = report.to_json()
    assert (data["format"], data["agency"], data["year"]) == ("2021", "某市生态环境局", 2022)
    assert data["published"] == "2023-01-18"
    for table in ("table2", "table3", "table4"):
        assert data[table] == expected[table], table
    found = {(f.rule, f.cells[0]) for f in report.findings if f.cells}
    assert ("T2", "table3.new_received.total") in found  # the deliberately wrong total
    assert ("B1", "table3.granted.research") in found  # the &nbsp; cell: blank, not 0
    assert "X1" in {f.rule for f in report.findings}  # prose says 193, table says 194


def test_hidden_elements_are_not_read():
    page = (
        "<html><body><p>看得见</p><div style='display: none'>隐藏的旧表格</div>"
        "<p><span style='mso-hide:all'>Word 隐藏文字</span>正文</p><div hidden>也隐藏</div>"
        "</body></html>"
    )
    assert [line.text for line in extract_html(page, "p").lines] == ["看得见", "正文"]


def test_2019_figure_merged_over_spare_columns_counts_once_constructed(constructed_2019):
    """The page prints （八）/（九）'s last figure in a cell spanning the spare column
    (``colspan``), as many 2019 pages do: two figures, not three repeated ones."""
    page = render_report(constructed_2019)
    spread = re.sub(
        r'(<td class="[^"]*" data-cell="table2\.(?:fees\.change|procurement\.amount_wan_yuan)")'
        r"([^>]*>[^<]*</td>)<td></td>",
        r'\1 colspan="2"\2',
        page,
    )
    assert spread.count('colspan="2"') == page.count('colspan="2"') + 2
    ex = extract_html(spread, "p")
    grid = ex.grids[0]
    fees = next(r for r, row in enumerate(grid.rows) if row[0] == "行政事业性收费")
    assert grid.rows[fees][2] == grid.rows[fees][3] != ""
    assert grid.repeats_left(fees, 3)
    assert not grid.repeats_left(fees, 2)
    report = parse_extracted(ex)
    assert report.format == "2019"
    assert report.table2 == constructed_2019.table2
    assert not [f for f in report.findings if f.rule == "R1"]


def test_rowspan_origins_name_the_merged_cell():
    page = (
        "<table><tr><td rowspan='2'>组</td><td colspan='2'>7</td></tr>"
        "<tr><td>1</td><td>2</td></tr></table>"
    )
    grid = extract_html(page, "p").grids[0]
    assert grid.rows == (("组", "7", "7"), ("组", "1", "2"))
    assert grid.origins == (((0, 0), (0, 1), (0, 1)), ((0, 0), (1, 1), (1, 2)))
    assert grid.repeats_left(0, 2)
    assert not grid.repeats_left(1, 2)


def test_page_tables_with_a_blank_cell_skip_the_text_line_scan(constructed_2021, monkeypatch):
    """An HTML table shows every cell itself: a blank read beside its labels is a reading,
    so the grids alone decide and the text lines are not scanned for figures again."""
    constructed_2021.table3["granted"]["research"] = None
    ex = extract_html(render_report(constructed_2021), "p")

    def no_line_scan(*_args, **_kwargs):
        raise AssertionError("the text lines were scanned")

    monkeypatch.setattr("gongkai.reportdoc.assemble.rows_from_lines", no_line_scan)
    report = parse_extracted(ex)
    assert report.table3 == constructed_2021.table3
    assert (report.table2, report.table4) == (constructed_2021.table2, constructed_2021.table4)
    assert "table3.granted.research" in report.provenance
    assert not [f for f in report.findings if f.rule == "R1"]


def test_page_tables_with_an_unread_row_still_scan_the_text_lines(constructed_2021, monkeypatch):
    page = render_report(constructed_2021)
    damaged = re.sub(r'<td[^>]*data-cell="table3\.granted\.research"[^>]*>[^<]*</td>', "", page)
    assert damaged != page
    # the short row is padded to the table's width: that blank is no cell the page shows
    assert not any(g.padded for g in extract_html(page, "p").grids)
    assert any(g.padded for g in extract_html(damaged, "p").grids)
    scanned = []
    real = assemble_module.rows_from_lines

    def counting(*args, **kwargs):
        scanned.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(assemble_module, "rows_from_lines", counting)
    parse_extracted(extract_html(damaged, "p"))
    assert scanned


def test_grid_result_reused_for_the_pooled_reading_is_the_same(constructed_2021, monkeypatch):
    """When the grids leave a cell unread, both sources are resolved under the pooled format
    evidence; the grids' own first resolution is reused only when it cannot differ."""
    constructed_2021.table3["granted"]["research"] = None
    page = render_report(constructed_2021)
    damaged = re.sub(r'<td[^>]*data-cell="table3\.granted\.total"[^>]*>[^<]*</td>', "", page)
    copy = "".join(f"<p>{line}</p>" for line in render_lines(page))
    ex = extract_html(damaged.replace("</body>", copy + "</body>"), "p")
    reused = assemble_module.assemble(ex)
    real = assemble_module._complete_from_grids

    def forgetting(readings, **kwargs):
        found = real(readings, **kwargs)
        readings.resolved = None
        return found

    monkeypatch.setattr(assemble_module, "_complete_from_grids", forgetting)
    fresh = assemble_module.assemble(ex)
    assert reused == fresh
    assert reused.table3 == constructed_2021.table3  # the text copy's fuller reading wins


def render_lines(page: str) -> list[str]:
    """The page's own tables as pipe-separated text lines (as a pasted copy would print)."""
    grids = extract_html(page, "p").grids
    return ["| " + " | ".join(row) + " |" for grid in grids for row in grid.rows]


_T4_TRANSPOSED = (
    "<html><body><h1>某市交通运输局2023年政府信息公开工作年度报告</h1>"
    "<p>四、政府信息公开行政复议、行政诉讼情况</p><table border=1>"
    "<tr><td>项目</td><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td>"
    "<td>总计</td></tr>"
    "<tr><td>行政复议</td><td>3</td><td>1</td><td>2</td><td>4</td><td>10</td></tr>"
    "<tr><td>行政诉讼（未经复议直接起诉）</td><td>7</td><td>5</td><td>6</td><td>8</td><td>26</td></tr>"
    "<tr><td>行政诉讼（复议后起诉）</td><td>11</td><td>9</td><td>10</td><td>12</td><td>42</td></tr>"
    "</table></body></html>"
)


def test_table_four_printed_a_block_per_row_constructed():
    report = parse_extracted(extract_html(_T4_TRANSPOSED.encode(), "t4.html"))
    assert report.table4 == {
        "reconsideration": {"upheld": 3, "corrected": 1, "other": 2, "pending": 4, "total": 10},
        "litigation_direct": {"upheld": 7, "corrected": 5, "other": 6, "pending": 8, "total": 26},
        "litigation_after_reconsideration": {
            "upheld": 11,
            "corrected": 9,
            "other": 10,
            "pending": 12,
            "total": 42,
        },
    }


def test_statistics_table_in_the_overview_does_not_override_table_two_constructed():
    # 「一、总体情况」 with its own table naming 行政许可/规章 (other figures), then table 二
    rendered = render_report(
        parse_extracted(extract_html(_T4_TRANSPOSED.encode(), "t4.html")), findings=False
    )
    overview = (
        "<p>一、总体情况</p><table border=1><tr><td>公开渠道</td><td>数量（条）</td></tr>"
        "<tr><td>政府网站</td><td>1234</td></tr><tr><td>行政许可</td><td>88</td></tr>"
        "<tr><td>规章</td><td>3</td></tr></table>"
    )
    table2 = (
        "<p>二、主动公开政府信息情况</p><table border=1>"
        "<tr><td colspan=4>第二十条第（一）项</td></tr>"
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>规章</td><td>1</td><td>2</td><td>13</td></tr>"
        "<tr><td colspan=4>第二十条第（五）项</td></tr>"
        "<tr><td>信息内容</td><td colspan=3>本年处理决定数量</td></tr>"
        "<tr><td>行政许可</td><td colspan=3>1207</td></tr></table>"
    )
    page = rendered.replace("<body>", "<body>" + overview + table2, 1)
    report = parse_extracted(extract_html(page.encode(), "overview.html"))
    assert report.table2["regulations"] == {"issued": 1, "repealed": 2, "in_force": 13}
    assert report.table2["licensing"]["decisions"] == 1207
    unread = {c for f in report.findings if f.rule == "R1" for c in f.cells}
    assert not {c for c in unread if c.startswith(("table2.regulations", "table2.licensing"))}


def test_an_extra_subtotal_column_never_shifts_a_row_with_a_blank_total_constructed():
    # a 法人或其他组织「小计」 column the form does not have: rows print eight figures, and a
    # row whose 总计 is blank must not be read as seven figures with the 小计 as its total
    header = "".join(
        f"<td>{c}</td>"
        for c in (
            "",
            "自然人",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
            "小计",
            "总计",
        )
    )
    rows = [
        ("一、本年新收政府信息公开申请数量", "32 2 0 0 0 0 2 34"),
        ("二、上年结转政府信息公开申请数量", "2 0 0 0 0 0 0 2"),
        ("四、结转下年度继续办理", "1 0 0 0 0 0 0 "),
    ]
    body = "".join(
        f"<tr><td>{label}</td>" + "".join(f"<td>{v}</td>" for v in figures.split(" ")) + "</tr>"
        for label, figures in rows
    )
    page = (
        "<html><body><h1>某局2024年政府信息公开工作年度报告</h1>"
        f"<p>三、收到和处理政府信息公开申请情况</p><table border=1><tr>{header}</tr>{body}</table>"
        "</body></html>"
    )
    report = parse_extracted(extract_html(page.encode(), "subtotal.html"))
    assert set(report.table3["carried_forward"].values()) == {None}
    assert set(report.table3["new_received"].values()) == {None}
    unread = {c for f in report.findings if f.rule == "R1" for c in f.cells}
    assert "table3.carried_forward.total" in unread


def test_a_superscript_footnote_mark_is_not_a_digit_of_its_figure_constructed():
    page = (
        "<html><body><h1>某县政府2023年政府信息公开工作年度报告</h1><p>二、主动公开政府信息情况</p>"
        "<table border=1><tr><td colspan=2>第二十条第（五）项</td></tr>"
        "<tr><td>信息内容</td><td>本年处理决定数量</td></tr>"
        "<tr><td>行政许可</td><td>1207<sup>1</sup></td></tr>"
        '<tr><td>行政处罚</td><td>308<span style="vertical-align:super">2</span></td></tr>'
        "</table><p>注1：含承诺制审批事项。</p></body></html>"
    )
    report = parse_extracted(extract_html(page.encode(), "sup.html"))
    assert report.table2["licensing"]["decisions"] == 1207
    assert report.table2["penalty"]["decisions"] == 308
