"""The assembler on small hand-made layouts, and on fixtures built from LAW.md's formats."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.law.findings import Severity
from gongkai.law.report_format import FORMAT_2019, FORMAT_2021, normalize_label
from gongkai.reportdoc import labels as L  # noqa: N812
from gongkai.reportdoc.assemble import assemble, section_of_heading
from gongkai.reportdoc.checks import audit
from gongkai.reportdoc.extract import Extracted, Grid, Line
from gongkai.reportdoc.parse import parse_extracted, read_text_report
from gongkai.reportdoc.text import extract_text

FIXTURES = Path(__file__).parent / "fixtures" / "text"
COLS = FORMAT_2021.table3_column_keys
T = "\t"

HEAD = "示例局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"


def read(text: str, kind: str = "txt"):
    return parse_extracted(extract_text(text, f"test.{kind}", kind))


def rules(report, rule: str) -> list:
    return [f for f in report.findings if f.rule == rule]


# ---------------------------------------------------------------------------------------------
# Labels


def test_keywords_never_occur_in_another_rows_official_label() -> None:
    for key, words in L.T3_KEYWORDS.items():
        for row in FORMAT_2021.table3_rows:
            if row.key == key:
                continue
            for word in words:
                assert word not in normalize_label(row.label), (key, word, row.key)


@pytest.mark.parametrize("row", FORMAT_2021.table3_rows, ids=lambda r: r.key)
def test_every_official_label_matches_its_row(row) -> None:
    group = row.group if row.group in L.GROUP_ROWS else None
    assert L.match_t3_row(normalize_label(row.full_label), group) == row.key


@pytest.mark.parametrize(
    ("text", "group", "expected"),
    [
        ("3.其他", None, "other_other"),
        ("其他", "other", "other_other"),
        ("其他", None, None),  # the column 其他, not a row
        ("其他结果", None, None),  # table 四's cell
        ("(六)其他处理", None, L.COLLAPSED_OTHER),
        ("(三)不予公开", None, None),  # a group heading, never a leaf
        ("3.", "denied", "denied_three_safeties"),
        ("3.", None, None),  # a bare ordinal without its group is not guessed
        ("1.", "unable", "unable_not_held"),
        ("3.危及三安仝一稳定", None, "denied_three_safeties"),  # keyword survives OCR damage
        ("6.属于四类过桯性倍息", None, "denied_process_information"),  # keyword 过程性 lost: fuzzy
        ("5.属于三类内部事务信息6.属于四类过程性信息", None, L.AMBIGUOUS),
        ("(七)总计", None, "total_processed"),
        ("三、本年度办理结果 （七）总计", None, "total_processed"),
        ("总计", None, "total_processed"),
        ("总计结果", None, None),
        ("2.其他法律行政止公开", None, "denied_prohibited_by_law"),
        ("4年(二)部分公开(区分处理的,只计这一情形,不计其他情形)", None, "partially_granted"),
    ],
)
def test_match_t3_row(text: str, group: str | None, expected: str | None) -> None:
    assert L.match_t3_row(normalize_label(text), group) == expected


def test_fuzzy_refuses_a_close_call() -> None:
    # equally far from 予以公开 and 不予公开-style labels: no guess
    assert L.fuzzy_t3_row("属于某类信息") is None


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("## 一、总体情况", 0),
        ("#### 二、主动公开政府信息情况", 1),
        ("三、行政机关收到和处理政府信息公开申请情况", 2),
        ("（四）因政府信息公开工作被申请行政复议、提起行政诉讼的情况", 3),
        ("五、存在问题及改进情况", 4),
        ("六、其他需要报告的事项", 5),
        (
            "报告全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六部分",
            None,
        ),
    ],
)
def test_section_headings(text: str, index: int | None) -> None:
    assert section_of_heading(normalize_label(text)) == index


def test_header_labels_mask_longer_labels_first() -> None:
    keys, evidence = L.t2_header(normalize_label("信息内容 本年处理决定数量"))
    assert keys == ["decisions"]
    assert evidence == {"2021": 1, "2019": 0}
    assert L.t3_header_columns("法人或其他组织") == []


# ---------------------------------------------------------------------------------------------
# Table 三 rows


def _t3_text(rows: list[str]) -> str:
    return HEAD + "\n".join(rows) + "\n"


def test_tab_rows_with_leading_blank_cells() -> None:
    report = read(_t3_text([f"{T}一、本年新收政府信息公开申请数量{T}5{T}1{T}0{T}0{T}0{T}0{T}6"]))
    assert report.table3["new_received"] == dict(zip(COLS, [5, 1, 0, 0, 0, 0, 6], strict=True))
    assert report.provenance["table3.new_received.total"].line == 3


def test_short_row_is_unreadable_not_shifted() -> None:
    report = read(_t3_text([f"一、本年新收政府信息公开申请数量{T}5{T}1{T}6"]))
    assert set(report.table3["new_received"].values()) == {None}
    assert {f"table3.new_received.{c}" for c in COLS} <= set(rules(report, "R1")[0].cells)


def test_too_many_values_is_unreadable() -> None:
    report = read(_t3_text(["一、本年新收政府信息公开申请数量 5 1 0 0 0 0 6 9"]))
    assert set(report.table3["new_received"].values()) == {None}
    assert rules(report, "R1")


def test_merged_rows_on_one_line_are_split_by_their_labels() -> None:
    line = (
        "1.属于国家秘密 0 1 0 0 0 0 1   2.其他法律行政法规禁止公开 3 0 0 0 0 0 3"
        f"{T}3.危及“三安全一稳定”{T}2{T}0{T}0{T}0{T}0{T}0{T}2"
    )
    report = read(_t3_text([line]))
    assert report.table3["denied_state_secret"]["commercial"] == 1
    assert report.table3["denied_prohibited_by_law"]["total"] == 3
    assert report.table3["denied_three_safeties"]["total"] == 2


def test_consistent_duplicates_are_one_reading_conflicting_ones_void_the_cell() -> None:
    same = f"2.重复申请{T}1{T}0{T}0{T}0{T}0{T}0{T}1"
    other = f"2.重复申请{T}1{T}0{T}0{T}0{T}0{T}0{T}2"
    assert read(_t3_text([same, same])).table3["not_processed_repeated"]["total"] == 1
    report = read(_t3_text([same, other]))
    assert report.table3["not_processed_repeated"]["total"] is None
    assert report.table3["not_processed_repeated"]["natural_person"] == 1
    assert rules(report, "R1")[0].cells == ("table3.not_processed_repeated.total",)


@pytest.mark.parametrize("mark", ["-", "—", "/", "无", "－", ""])
def test_dash_marks_and_blanks_stay_none(mark: str) -> None:
    report = read(
        HEAD + f"| 一、本年新收政府信息公开申请数量 | 5 | {mark} | 0 | 0 | 0 | 0 | 5 |\n", "md"
    )
    assert report.table3["new_received"]["commercial"] is None
    assert report.table3["new_received"]["natural_person"] == 5
    assert any("table3.new_received.commercial" in f.cells for f in audit(report).findings)


def test_full_width_digits() -> None:
    report = read(_t3_text(["二、上年结转政府信息公开申请数量 ３ ０ ０ ０ ０ ０ ３"]))
    assert report.table3["carried_over"]["total"] == 3


def test_header_in_another_column_order_is_followed() -> None:
    header = f"{T}{T}总计{T}自然人{T}商业企业{T}科研机构{T}社会公益组织{T}法律服务机构{T}其他"
    row = f"{T}一、本年新收政府信息公开申请数量{T}9{T}7{T}1{T}0{T}0{T}1{T}0"
    report = read(_t3_text([header, row]))
    assert report.table3["new_received"]["total"] == 9
    assert report.table3["new_received"]["natural_person"] == 7
    assert not rules(report, "R2")


def test_unlabelled_rows_fill_an_exact_gap() -> None:
    rows = [
        "1.属于国家秘密 0 0 0 0 0 0 0",
        "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "| 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
        "4.保护第三方合法权益 0 0 0 0 0 0 0",
    ]
    report = read(_t3_text(rows), "md")
    assert report.table3["denied_prohibited_by_law"]["total"] == 1
    assert report.table3["denied_three_safeties"]["total"] == 2
    assert report.provenance["table3.denied_three_safeties.total"].note
    assert rules(report, "R2")


def test_unlabelled_rows_that_do_not_fit_are_not_placed() -> None:
    rows = [
        "1.属于国家秘密 0 0 0 0 0 0 0",
        "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "4.保护第三方合法权益 0 0 0 0 0 0 0",
    ]
    report = read(_t3_text(rows), "md")
    assert report.table3["denied_prohibited_by_law"]["total"] is None
    assert report.table3["denied_three_safeties"]["total"] is None
    cells = {c for f in rules(report, "R1") for c in f.cells}
    assert "table3.denied_three_safeties.total" in cells


def test_surplus_unlabelled_row_voids_its_labelled_neighbours() -> None:
    # a floating label glued to the wrong figures leaves a whole row without a label where
    # no row is missing: both neighbours are suspect
    rows = [
        "1.属于国家秘密 0 0 0 0 0 0 0",
        "2.其他法律行政法规禁止公开 | 6 | 0 | 0 | 0 | 0 | 0 | 6 |",
        "| 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "3.危及“三安全一稳定” 0 0 0 0 0 0 0",
    ]
    report = read(_t3_text(rows), "md")
    # the label before the row's first pipe is a line of its own that lost its line break,
    # so the run of unlabelled rows is one row too long: its neighbours may be voided too
    assert report.table3["denied_state_secret"]["total"] in (0, None)
    assert report.table3["denied_prohibited_by_law"]["total"] is None
    assert report.table3["denied_three_safeties"]["total"] is None
    cells = {c for f in rules(report, "R1") for c in f.cells}
    assert {"table3.denied_prohibited_by_law.total", "table3.denied_three_safeties.total"} <= cells


def test_stray_page_number_is_ignored() -> None:
    rows = [
        "1.属于国家秘密 0 0 0 0 0 0 0",
        "7",
        "2.其他法律行政法规禁止公开 0 0 0 0 0 0 0",
    ]
    report = read(_t3_text(rows))
    assert report.table3["denied_prohibited_by_law"]["total"] == 0
    unreadable = {c for f in rules(report, "R1") for c in f.cells}
    assert "table3.denied_prohibited_by_law.total" not in unreadable
    assert "table3.granted.total" in unreadable  # rows never printed are said to be missing


def test_prose_figures_are_not_table_rows() -> None:
    text = HEAD + "本年新收政府信息公开申请 34 件，上年结转政府信息公开申请 2 件。\n"
    report = read(text)
    assert report.table3["new_received"]["total"] is None
    assert report.table3["carried_over"]["total"] is None
    assert not rules(report, "R1")


# ---------------------------------------------------------------------------------------------
# Tables 二 and 四


def test_table2_by_header_labels_and_decimal_amount() -> None:
    text = (
        "二、主动公开政府信息情况\n第二十条第（一）项\n"
        f"信息内容{T}本年制发件数{T}本年废止件数{T}现行有效件数\n"
        f"行政规范性文件{T}2{T}1{T}30\n第二十条第（八）项\n"
        f"信息内容{T}本年收费金额（单位：万元）\n行政事业性收费{T}0.0000\n"
    )
    report = read(text)
    assert report.table2["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 30}
    assert report.table2["fees"]["amount_wan_yuan"] == Decimal("0.0000")
    assert isinstance(report.table2["fees"]["amount_wan_yuan"], Decimal)
    assert report.format == "2021"


def test_table2_merged_cell_repeated_over_its_span() -> None:
    grid = Grid(
        (
            ("第二十条第（五）项",) * 4,
            ("信息内容", "本年处理决定数量", "本年处理决定数量", "本年处理决定数量"),
            ("行政许可", "550", "550", "550"),
        ),
    )
    ex = Extracted("t.pdf", "pdf", lines=[Line("示例局2023年政府信息公开工作年度报告", 1)])
    ex.grids.append(grid)
    assert assemble(ex).table2["licensing"]["decisions"] == 550


def test_table4_fifteen_numbers_in_official_order() -> None:
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n"
        "结果维持 结果纠正 甘州社田 尚未审结 总计\n" + T.join(str(n) for n in range(1, 16)) + "\n"
    )
    table4 = read(text).table4
    assert table4["reconsideration"] == dict(
        zip(FORMAT_2021.table4_cell_keys, [1, 2, 3, 4, 5], strict=True)
    )
    assert table4["litigation_after_reconsideration"]["total"] == 15


def test_table4_fourteen_numbers_are_not_guessed() -> None:
    text = (
        "示例局2023年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n"
        "行政复议 行政诉讼\n" + T.join(str(n) for n in range(1, 15)) + "\n"
    )
    report = read(text)
    assert {v for b in report.table4.values() for v in b.values()} == {None}


def test_table4_five_figures_under_a_joint_header_are_not_placed() -> None:
    text = (
        "示例局2023年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n"
        "行政复议\t\t\t\t\t行政诉讼\n"
        + T.join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3)
        + "\n2\t1\t0\t1\t4\n"
    )
    report = read(text)
    assert {v for block in report.table4.values() for v in block.values()} == {None}


def test_table4_blocks_by_heading_and_cells_by_header() -> None:
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n### 行政诉讼（复议后起诉）\n"
        "| 尚未审结 | 结果维持 | 结果纠正 | 其他结果 | 总计 |\n|---|---|---|---|---|\n"
        "| 1 | 8 | 0 | 1 | 10 |\n"
    )
    block = read(text, "md").table4["litigation_after_reconsideration"]
    assert block == {"upheld": 8, "corrected": 0, "other": 1, "pending": 1, "total": 10}


# ---------------------------------------------------------------------------------------------
# Grids (HTML/DOCX/PDF shape)


def test_grid_table3_with_two_row_header_and_spans() -> None:
    head = (
        "",
        "",
        "申请人情况",
        "申请人情况",
        "申请人情况",
        "申请人情况",
        "申请人情况",
        "申请人情况",
        "申请人情况",
    )
    head2 = (
        "",
        "",
        "自然人",
        "法人或其他组织",
        "法人或其他组织",
        "法人或其他组织",
        "法人或其他组织",
        "法人或其他组织",
        "总计",
    )
    head3 = (
        "",
        "",
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    )
    rows = (
        head,
        head2,
        head3,
        (
            "一、本年新收政府信息公开申请数量",
            "一、本年新收政府信息公开申请数量",
            "3",
            "1",
            "0",
            "0",
            "0",
            "0",
            "4",
        ),
        ("三、本年度办理结果", "（六）其他处理", "", "1", "0", "0", "0", "0", "0", "1"),
    )
    ex = Extracted("t.docx", "docx", lines=[Line("示例局2023年政府信息公开工作年度报告", 1)])
    ex.grids.append(Grid(rows, index=0))
    result = assemble(ex, year=2023)
    assert result.table3["new_received"]["total"] == 4
    assert result.provenance["table3.new_received.total"].col == 8
    assert result.table3["other_other"]["natural_person"] == 1
    assert result.format == "2019"  # the collapsed row alone points at the trial format


# ---------------------------------------------------------------------------------------------
# Constructed fixtures (no real 2019-format report exists in the corpus)


def test_constructed_2019_format_reads_every_cell() -> None:
    report = audit(read_text_report(FIXTURES / "constructed_2019_format_2020.txt"))
    assert (report.format, report.year, report.published) == ("2019", 2020, "2021-01-25")
    assert set(report.table2) == {i.key for i in FORMAT_2019.table2}
    assert report.table2["licensing"] == {"previous_items": 120, "change": -5, "decisions": 900}
    assert report.table2["procurement"]["amount_wan_yuan"] == Decimal("1234.5600")
    assert set(report.table3) == set(FORMAT_2019.table3_row_keys)
    assert report.table3["other_other"] == dict(zip(COLS, [2, 1, 0, 0, 0, 0, 3], strict=True))
    assert report.table4["reconsideration"]["total"] == 4
    none = [p for p in report.provenance if report.cell(p) is None]
    assert none == []
    assert all(
        v is not None
        for t in (report.table2, report.table3, report.table4)
        for row in t.values()
        for v in row.values()
    )
    assert [f for f in report.findings if f.severity is not Severity.NOTICE] == []


def test_constructed_2019_format_in_a_2021_year_is_an_f1_error() -> None:
    text = (FIXTURES / "constructed_2019_format_2020.txt").read_text(encoding="utf-8")
    report = audit(read(text.replace("2020年政府信息公开", "2022年政府信息公开")))
    assert report.year == 2022
    assert [f.rule for f in report.findings if f.severity is Severity.ERROR] == ["F1"]


def test_constructed_collapsed_other_in_2021_format() -> None:
    report = audit(read_text_report(FIXTURES / "constructed_2021_collapsed_other_2023.md"))
    assert report.format == "2021"
    assert report.table3["other_other"]["total"] == 1
    assert set(report.table3["other_no_correction"].values()) == {None}
    assert set(report.table3["other_unpaid_fee"].values()) == {None}
    f2 = [f for f in report.findings if f.rule == "F2" and "其他处理" in f.message]
    assert len(f2) == 1
    assert "table3.other_unpaid_fee.total" in f2[0].cells
    # the two rows are explained by F2, not reported again as blanks
    assert not [f for f in report.findings if f.rule == "B1"]
    assert not [f for f in report.findings if f.severity is Severity.ERROR]


def test_every_key_of_the_format_is_present_even_when_nothing_is_read() -> None:
    report = read("示例局2023年政府信息公开工作年度报告\n一、总体情况\n无\n")
    assert report.format is None
    assert set(report.table3) == set(FORMAT_2021.table3_row_keys)
    assert all(set(cells) == set(COLS) for cells in report.table3.values())
    assert set(report.table4) == set(FORMAT_2021.table4_block_keys)


def test_label_wrapped_inside_a_word_is_joined_to_its_continuation() -> None:
    rows = [
        "一、本年新收政府信息公开申",
        "请数量 21 0 0 0 0 0 21",
        "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0",
        "4.无正当理由大量反复申",
        "请 0 0 0 0 0 0 0",
    ]
    report = read(_t3_text(rows))
    assert report.table3["new_received"]["total"] == 21
    assert report.table3["new_received"]["natural_person"] == 21
    assert report.table3["not_processed_excessive"]["total"] == 0


def test_a_label_line_is_not_glued_to_a_row_that_has_its_own_label() -> None:
    # the line above names its own row (figures elsewhere): the next row keeps its label
    rows = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作 3 0 0 0 0 0 3"]
    report = read(_t3_text(rows))
    assert report.table3["unable_requires_creation"]["total"] == 3
    assert report.table3["unable_not_held"]["total"] is None


def test_a_row_label_without_figures_is_reported_as_such() -> None:
    rows = [
        "1.属于国家秘密 0 0 0 0 0 0 0",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定” 0 0 0 0 0 0 0",
    ]
    messages = [f.message for f in rules(read(_t3_text(rows)), "R1")]
    assert any(
        "有行标签但没有读到数值（原表可能空白）：2.其他法律行政法规禁止公开" in m for m in messages
    )
    assert not any("找不到以下行：2.其他法律" in m for m in messages)


_T4_HEAD = "示例局2023年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n"
_CELLS = "结果维持 | 结果纠正 | 尚未审结 | 其他结果 | 总计"  # 尚未审结 before 其他结果


def test_table_four_follows_a_joint_header_in_another_cell_order() -> None:
    # 尚未审结 printed before 其他结果 in every block: the figures follow the header
    text = _T4_HEAD + (
        "| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        f"| {_CELLS} | 未经复议直接起诉 | | | | | 复议后起诉 | | | | |\n"
        f"| | | | | | {_CELLS} | {_CELLS} |\n"
        "| 3 | 1 | 4 | 2 | 10 | 7 | 5 | 8 | 6 | 26 | 11 | 9 | 12 | 10 | 42 |\n"
    )
    report = read(text, "md")
    assert report.table4["reconsideration"] == {
        "upheld": 3, "corrected": 1, "other": 2, "pending": 4, "total": 10
    }  # fmt: skip
    assert report.table4["litigation_after_reconsideration"]["pending"] == 12


def test_table_four_with_the_lawsuits_first_is_unread_not_misplaced() -> None:
    text = _T4_HEAD + (
        "行政诉讼 行政复议\n"
        "未经复议直接起诉 复议后起诉 结果维持 结果纠正 其他结果 尚未审结 总计\n"
        "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计\n"
        "7 5 6 8 26 11 9 10 12 42 3 1 2 4 10\n"
        "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n"
    )
    report = read(text)
    assert {v for block in report.table4.values() for v in block.values()} == {None}
    assert any("表四表头的块或列顺序" in f.message for f in rules(report, "R1"))


def test_table_two_under_the_other_formats_column_header_is_unread() -> None:
    # a 2021 report (its table 三 has the （六） sub-rows) printing table 二 under the 2019
    # columns 本年新制作/本年新公开/对外公开总数量: they are not 制发/废止/现行有效
    text = (
        "示例局2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n"
        "信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章 1 2 13\n"
        "信息内容 本年制发件数 本年废止件数 现行有效件数\n行政规范性文件 4 5 46\n"
        "三、收到和处理政府信息公开申请情况\n"
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0\n"
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0\n"
    )
    report = read(text)
    assert report.format == "2021"
    assert set(report.table2["regulations"].values()) == {None}
    assert report.table2["normative_documents"] == {"issued": 4, "repealed": 5, "in_force": 46}
    assert any("列标题不是2021年版格式的列" in f.message for f in rules(report, "R1"))
