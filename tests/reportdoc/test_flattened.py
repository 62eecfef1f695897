"""Flattened crawler text: glued figures read back honestly, chrome dropped, bounded search.

The property tests render random *consistent* reports the way a crawler flattens a page (one
long line, no separator between cells) and read them back: every cell is the original figure,
or unread (None) and named by an R1 finding — never a different number. They draw a fixed set
of examples (derandomize), as the other property tests do.
"""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.law.findings import Severity
from gongkai.law.report_format import FORMAT_2021
from gongkai.reportdoc import glued
from gongkai.reportdoc.checks import audit
from gongkai.reportdoc.flattened import find_headings, strip_chrome
from gongkai.reportdoc.model import Report
from gongkai.reportdoc.parse import read_text_report
from gongkai.reportdoc.serialize import report_from_json, report_to_json
from gongkai.reportdoc.text import extract_text

F = FORMAT_2021
T3_GROUP_BEFORE = {
    "granted": "三、本年度办理结果",
    "denied_state_secret": "（三）不予公开",
    "unable_not_held": "（四）无法提供",
    "not_processed_petition_complaint": "（五）不予处理",
    "other_no_correction": "（六）其他处理",
}


def glue(values, sep=lambda: "") -> str:
    return "".join(str(v) + sep() for v in values)


def flatten(report: Report, sep=lambda: "") -> str:
    """The report as a crawler keeps it: header lines, then one line with everything glued
    (``sep`` may put a space after some figures, as the crawl does now and then)."""
    t2 = report.table2
    parts = [
        "当前位置： 首页政务公开政府信息公开年报 "
        f"{report.agency}{report.year}年度政府信息公开工作年度报告 来源：{report.agency} "
        f"时间：{report.year + 1}-01-20 09:30 微信 微博 QQ空间 全真版 文字版 相关链接： --> ",
        f"根据《中华人民共和国政府信息公开条例》要求，编制本报告。一、总体情况{report.year}年，"
        "本机关认真贯彻落实条例。",
        "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数",
        f"规章{glue(t2['regulations'].values())}",
        f"行政规范性文件{glue(t2['normative_documents'].values())}",
        f"第二十条第（五）项信息内容本年处理决定数量行政许可{t2['licensing']['decisions']}",
        f"第二十条第（六）项信息内容本年处理决定数量行政处罚{t2['penalty']['decisions']}"
        f"行政强制{t2['coercion']['decisions']}",
        "第二十条第（八）项信息内容本年收费金额（单位：万元）"
        f"行政事业性收费{t2['fees']['amount_wan_yuan']}",
        "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加"
        "第四项之和）申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他",
    ]
    for row in F.table3_rows:
        parts.append(T3_GROUP_BEFORE.get(row.key, ""))
        parts.append(f"{row.ordinal}{row.label}{glue(report.table3[row.key].values(), sep)}")
    parts.append(
        "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
        "未经复议直接起诉复议后起诉" + "结果维持结果纠正其他结果尚未审结总计" * 2
    )
    parts.append(glue((v for b in F.table4_block_keys for v in report.table4[b].values()), sep))
    parts.append("五、存在的主要问题及改进情况问题是规范性有待提高。")
    parts.append("六、其他需要报告的事项无。 附件下载")
    header = (
        f"标题: {report.agency}{report.year}年度政府信息公开工作年度报告\n"
        f"发布时间: {report.year + 1}-01-20 09:30\n文号: \n栏目: 政府信息公开年报\n"
        "原文链接: https://www.example.gov.cn/zwgk/t1.htm\n" + "=" * 20 + " 正文 " + "=" * 20 + "\n"
    )
    return header + "".join(parts) + "\n"


small = st.one_of(st.just(0), st.just(0), st.integers(1, 9), st.integers(10, 120))


@st.composite
def reports(draw) -> Report:
    tables = F.empty_tables()
    applicant = F.table3_applicant_keys
    t3 = tables["table3"]
    for key in F.table3_leaf_keys:
        for col in applicant:
            t3[key][col] = draw(small)
    for col in applicant:
        processed = sum(t3[k][col] for k in F.table3_leaf_keys)
        forward = draw(st.integers(0, 3))
        carried = draw(st.integers(0, processed + forward))
        t3["total_processed"][col] = processed
        t3["carried_forward"][col] = forward
        t3["carried_over"][col] = carried
        t3["new_received"][col] = processed + forward - carried
    for row in t3.values():
        row["total"] = sum(row[c] for c in applicant)
    t4 = tables["table4"]
    for block in F.table4_block_keys:
        cells = {c: draw(small) for c in ("upheld", "corrected", "other", "pending")}
        t4[block] = {**cells, "total": sum(cells.values())}
    t2 = tables["table2"]
    for item in F.table2:
        for column in item.columns:
            if item.decimal:
                t2[item.key][column.key] = Decimal(draw(st.integers(0, 99999))) / 100
            else:
                t2[item.key][column.key] = draw(small)
    return Report(format="2021", agency="某市某区人民政府", year=2023, **tables)


def _true_or_unread(report: Report, original: Report) -> None:
    r1 = {c for f in report.findings if f.rule == "R1" for c in f.cells}
    for table in ("table2", "table3", "table4"):
        for row, cols in getattr(original, table).items():
            for col, expected in cols.items():
                path = f"{table}.{row}.{col}"
                got = report.cell(path)
                if got is None:
                    assert path in r1, f"{path}: unread without R1"
                else:
                    assert Decimal(str(got)) == Decimal(str(expected)), (
                        f"{path}: read {got}, was {expected}"
                    )


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(original=reports())
def test_glued_figures_read_back_as_the_original_or_unread(original) -> None:
    report = read_text_report(flatten(original).encode("utf-8"), "crawl.txt")
    _true_or_unread(report, original)
    assert report.agency == original.agency
    assert report.year == original.year


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(original=reports(), data=st.data())
def test_stray_spaces_in_labels_and_between_figures_change_nothing(original, data) -> None:
    text = flatten(original, sep=lambda: data.draw(st.sampled_from(["", "", "", " "])))
    body_start = text.index("三、收到和处理")
    chars = list(text)
    # labels broken mid-word by a space (「本年度办 理结果」「社会公益 组织」)
    for _ in range(data.draw(st.integers(0, 8))):
        at = data.draw(st.integers(body_start, len(chars) - 2))
        if "\u4e00" <= chars[at] <= "\u9fff" and "\u4e00" <= chars[at + 1] <= "\u9fff":
            chars.insert(at + 1, " ")
    report = read_text_report("".join(chars).encode("utf-8"), "crawl.txt")
    _true_or_unread(report, original)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    cells=st.lists(st.integers(0, 300), min_size=6, max_size=6),
)
def test_a_row_split_by_t2_alone_keeps_the_true_reading_among_its_candidates(cells) -> None:
    row = (*cells, sum(cells))
    reading = glued.read_row(glue(row), 7, "sum", glued.Budget())
    if reading.forced:
        assert reading.candidates == [row]
    elif not reading.exhausted and not reading.more:
        assert row in reading.candidates
        assert all(sum(c[:6]) == c[6] for c in reading.candidates)


def test_an_ambiguous_split_is_never_guessed() -> None:
    # 「270020130」: 27/0/0/2/0/1/30 and 2/7/0/0/20/1/30 both satisfy T2; with （七）总计
    # unreadable neither T1 nor S1 can decide, so the row stays unread with both readings
    base = read_text_report(flatten(_example()).encode("utf-8"), "crawl.txt")
    assert base.table3["granted"]["total"] == 30
    text = flatten(_example()).replace("（七）总计630020469", "（七）总计")
    report = read_text_report(text.encode("utf-8"), "crawl.txt")
    assert all(v is None for v in report.table3["granted"].values())
    [finding] = [f for f in report.findings if "table3.granted.total" in f.cells]
    assert finding.rule == "R1"
    assert "27/0/0/2/0/1/30" in finding.message
    assert "2/7/0/0/20/1/30" in finding.message


def _example() -> Report:
    """The 2021 平潭 figures: a consistent table with an ambiguous first reading."""
    tables = F.empty_tables()
    t3 = tables["table3"]
    for key in t3:
        t3[key] = dict.fromkeys(t3[key], 0)
    rows = {
        "new_received": (64, 0, 0, 2, 0, 4, 70),
        "granted": (27, 0, 0, 2, 0, 1, 30),
        "partially_granted": (5, 0, 0, 0, 0, 0, 5),
        "denied_internal_affairs": (1, 0, 0, 0, 0, 0, 1),
        "denied_enforcement_files": (6, 0, 0, 0, 0, 0, 6),
        "denied_administrative_query": (1, 0, 0, 0, 0, 0, 1),
        "unable_not_held": (22, 0, 0, 0, 0, 3, 25),
        "other_other": (1, 0, 0, 0, 0, 0, 1),
        "total_processed": (63, 0, 0, 2, 0, 4, 69),
        "carried_forward": (1, 0, 0, 0, 0, 0, 1),
    }
    for key, values in rows.items():
        t3[key] = dict(zip(F.table3_column_keys, values, strict=True))
    for block, values in zip(
        F.table4_block_keys, ((1, 0, 2, 0, 3), (12, 0, 0, 0, 12), (0,) * 5), strict=True
    ):
        tables["table4"][block] = dict(zip(F.table4_cell_keys, values, strict=True))
    for item in F.table2:
        tables["table2"][item.key] = dict.fromkeys((c.key for c in item.columns), 0)
    return Report(format="2021", agency="某县人民政府", year=2021, **tables)


def test_the_example_reads_whole_with_inferences_noted() -> None:
    report = audit(read_text_report(flatten(_example()).encode("utf-8"), "crawl.txt"))
    assert report.table3["unable_not_held"] == dict(
        zip(F.table3_column_keys, (22, 0, 0, 0, 0, 3, 25), strict=True)
    )
    assert not [f for f in report.findings if f.severity == Severity.ERROR]
    assert report.published == "2022-01-20"
    assert report.title == "某县人民政府2021年度政府信息公开工作年度报告"


def test_splits_never_start_a_number_with_zero() -> None:
    assert list(glued.splits("000", 3)) == [(0, 0, 0)]
    assert (0, 5) not in glued.splits("05", 1)
    assert list(glued.splits("105", 2)) == [(10, 5)]  # not 1/05


def test_a_row_with_as_many_digits_as_cells_is_read_even_if_it_does_not_add_up() -> None:
    reading = glued.read_row("1000002", 7, "sum", glued.Budget())
    assert reading.forced
    assert reading.candidates == [(1, 0, 0, 0, 0, 0, 2)]


def test_no_reading_that_adds_up_leaves_the_row_unread() -> None:
    reading = glued.read_row("91000002", 7, "sum", glued.Budget())
    assert not reading.forced
    assert reading.candidates == []


@pytest.mark.parametrize(
    ("digits", "cells", "rule"),
    [("1" * 400, 7, "sum"), ("9" * 300, 15, "t4"), ("123456789" * 40, 7, "sum")],
)
def test_a_pathological_run_costs_a_bounded_time(digits, cells, rule) -> None:
    started = time.perf_counter()
    reading = glued.read_row(digits, cells, rule, glued.Budget())
    assert time.perf_counter() - started < 2.0
    assert not reading.unique


def test_a_pathological_table_is_read_fast_and_unread() -> None:
    text = flatten(_example()).replace("640020470", "1" * 3000)
    started = time.perf_counter()
    report = read_text_report(text.encode("utf-8"), "crawl.txt")
    assert time.perf_counter() - started < 3.0
    assert all(v is None for v in report.table3["new_received"].values())


def test_column_rules_fix_a_row_only_when_every_solution_agrees() -> None:
    a, b = (1, 2), (2, 1)
    constraint = glued.Constraint("T1", {"x": 1, "y": 1, "sum": -1})
    both = glued.solve_columns(
        {"x": [a, b], "y": [(0, 0)], "sum": [(1, 2)]}, [constraint], glued.Budget(), width=2
    )
    assert both.rows["x"] == a
    assert both.rules["x"] == ("T1",)
    open_ = glued.solve_columns(
        {"x": [a, b], "y": [a, b], "sum": [(3, 3)]}, [constraint], glued.Budget(), width=2
    )
    assert open_.rows["x"] is None
    assert open_.rows["y"] is None


def test_chrome_is_dropped_and_headings_found_by_meaning() -> None:
    text = strip_chrome(
        "当前位置： 首页政务公开 某区2023年度报告 来源：某区政府 时间：2024-01-05 10:00 微信 微博 "
        "QQ空间 根据条例编制。一、概述本年。二、主动公开政府信息情况。"
        "五、存在问题和整改措施尚有不足。附件下载"
    )
    assert text.startswith("根据条例编制")
    assert not text.endswith("附件下载")
    assert [h[0] for h in find_headings(text)] == [0, 1, 4]


def _needs_last_year() -> Report:
    """本年新收 and 上年结转 glued as 「270020130」 each: 27/0/0/2/0/1/30 (A) and 2/7/0/0/20/1/30
    (B) both satisfy T2, and S1 holds for new = B, carried = A as well as the other way round."""
    a, b = (27, 0, 0, 2, 0, 1, 30), (2, 7, 0, 0, 20, 1, 30)
    tables = F.empty_tables()
    t3 = tables["table3"]
    for key in t3:
        t3[key] = dict.fromkeys(t3[key], 0)
    # the outcome rows: single digits only, so each is read without any rule
    target = [x + y for x, y in zip(a, b, strict=True)][:6]
    leaves = iter(F.table3_leaf_keys)
    while any(target):
        row = [0] * 6
        room = 9
        for j in range(6):
            take = min(target[j], room, 9)
            row[j] = take
            target[j] -= take
            room -= take
        t3[next(leaves)] = dict(zip(F.table3_column_keys, (*row, sum(row)), strict=True))
    processed = [sum(t3[k][c] for k in F.table3_leaf_keys) for c in F.table3_column_keys]
    t3["total_processed"] = dict(zip(F.table3_column_keys, processed, strict=True))
    t3["new_received"] = dict(zip(F.table3_column_keys, b, strict=True))
    t3["carried_over"] = dict(zip(F.table3_column_keys, a, strict=True))
    for block in F.table4_block_keys:
        tables["table4"][block] = dict.fromkeys(F.table4_cell_keys, 0)
    for item in F.table2:
        tables["table2"][item.key] = dict.fromkeys((c.key for c in item.columns), 0)
    return Report(format="2021", agency="某县人民政府", year=2022, **tables)


def test_last_years_carried_forward_decides_what_the_table_cannot() -> None:
    original = _needs_last_year()
    read = read_text_report(flatten(original).encode("utf-8"), "crawl.txt")
    assert all(v is None for v in read.table3["carried_over"].values())
    assert all(v is None for v in read.table3["new_received"].values())
    assert "table3.carried_over" in read.glued
    previous = _example()  # 2021: its 结转下年度 must be A for the pairing to decide
    previous.table3["carried_forward"] = dict(
        zip(F.table3_column_keys, (27, 0, 0, 2, 0, 1, 30), strict=True)
    )
    audited = audit(read, previous=previous)
    assert audited.table3["carried_over"] == original.table3["carried_over"]
    assert audited.table3["new_received"] == original.table3["new_received"]
    assert "Y1" in audited.provenance["table3.new_received.total"].note
    assert not [f for f in audited.findings if f.rule == "R1"]
    assert [f for f in audited.findings if f.rule == "R2" and "上一年度" in f.message]
    # without last year the ambiguity stays, said with both readings
    alone = audit(read)
    [finding] = [
        f for f in alone.findings if "table3.carried_over.total" in f.cells and f.rule == "R1"
    ]
    assert "27/0/0/2/0/1/30" in finding.message
    assert "2/7/0/0/20/1/30" in finding.message


def test_a_last_year_that_fits_no_reading_decides_nothing() -> None:
    read = read_text_report(flatten(_needs_last_year()).encode("utf-8"), "crawl.txt")
    previous = _example()
    previous.table3["carried_forward"] = dict.fromkeys(F.table3_column_keys, 5)
    audited = audit(read, previous=previous)
    assert all(v is None for v in audited.table3["carried_over"].values())


def test_the_ambiguous_rows_survive_the_batch_parking() -> None:
    read = read_text_report(flatten(_needs_last_year()).encode("utf-8"), "crawl.txt")
    back = report_from_json(report_to_json(read, with_provenance=True))
    assert back.glued == read.glued
    assert "glued" not in report_to_json(read)  # the public JSON is unchanged


def test_a_crawler_header_above_an_ordinary_text_report() -> None:
    text = "\n".join(
        [
            "标题: 某市交通运输局2023年政府信息公开工作年度报告",
            "发布时间: 2024-01-18 09:00",
            "文号: ",
            "原文链接: https://www.example.gov.cn/t1.htm",
            "页面链接与图片详见 links.tsv(同目录)",
            "==================== 正文 ====================",
            "某市交通运输局2023年政府信息公开工作年度报告",
            "一、总体情况",
            "本年度，本局认真贯彻落实条例。",
        ]
    )
    report = read_text_report(text.encode("utf-8"), "crawl.txt")
    assert report.agency == "某市交通运输局"
    assert report.title == "某市交通运输局2023年政府信息公开工作年度报告"
    assert report.published == "2024-01-18"
    assert "标题" not in (report.title or "")


def test_header_like_lines_inside_a_report_are_kept() -> None:
    # one 「来源：」 line is no crawler header: the text is left as it is
    text = "某县人民政府2023年政府信息公开工作年度报告\n来源：县政府办\n发布时间：2024-01-02\n"
    text += "一、总体情况\n本年度工作。\n"
    ex = extract_text(text.encode("utf-8"), "plain.txt")
    assert [line.text for line in ex.lines][:2] == [
        "某县人民政府2023年政府信息公开工作年度报告",
        "来源：县政府办",
    ]


def test_table3_columns_in_another_order_are_not_split() -> None:
    text = flatten(_example()).replace(
        "自然人法人或其他组织总计商业企业科研机构", "自然人法人或其他组织总计科研机构商业企业"
    )
    report = read_text_report(text.encode("utf-8"), "crawl.txt")
    assert all(v is None for v in report.table3["new_received"].values())
    [finding] = [f for f in report.findings if "table3.new_received.total" in f.cells]
    assert "列顺序" in finding.message


def test_the_text_after_table4_is_prose_not_figures() -> None:
    text = flatten(_example()).replace(
        "五、存在的主要问题", "注：含上年结转案件2件。五、存在的主要问题"
    )
    report = read_text_report(text.encode("utf-8"), "crawl.txt")
    assert report.table4["litigation_direct"]["total"] == 12
    assert report.sections["appeals"].endswith("注：含上年结转案件2件。")


def test_a_flattened_page_whose_tables_were_lost_is_still_read_as_a_report() -> None:
    text = flatten(_example())
    start, end = text.index("二、主动公开"), text.index("五、存在的主要问题")
    prose = "本机关认真贯彻落实条例，依法做好政府信息公开工作。" * 30
    lost = text[:start] + "二、主动公开政府信息情况" + prose + "三、收到和处理政府信息公开申请情况"
    lost += prose + "四、政府信息公开行政复议、行政诉讼情况" + prose + text[end:]
    report = audit(read_text_report(lost.encode("utf-8"), "crawl.txt"))
    assert len(report.sections) == 6
    assert report.agency == "某县人民政府"
    assert all(v is None for row in report.table3.values() for v in row.values())
    assert [f for f in report.findings if f.rule == "F2" and f.cells[0].startswith("table3.")]
