"""Consistency rules of LAW.md §1.4: each has a passing and a failing case, worked by hand."""

import copy
import json
from decimal import Decimal

import pytest

from corpus import TRUTH
from gongkai.law.consistency import (
    check_cross_year,
    check_format_year,
    check_s1,
    check_tables,
)
from gongkai.law.findings import Severity
from gongkai.law.report_format import FORMAT_2019, FORMAT_2021

APPLICANTS = FORMAT_2021.table3_applicant_keys


def t3_row(natural_person=0, commercial=0, research=0, social=0, legal=0, other=0):
    values = (natural_person, commercial, research, social, legal, other)
    cells = dict(zip(APPLICANTS, values, strict=True))
    cells["total"] = natural_person + commercial + research + social + legal + other
    return cells


def clean_2021():
    """A consistent 2021-format report, every cell filled.

    自然人: 30 new + 2 carried = 30 processed + 2 forward; outcomes 10+5+1+8+3+3 = 30.
    商业企业: 4 new = 3 granted + 1 partially granted.
    """
    t3 = {row: t3_row() for row in FORMAT_2021.table3_row_keys}
    t3["new_received"] = t3_row(30, 4)
    t3["carried_over"] = t3_row(2)
    t3["granted"] = t3_row(10, 3)
    t3["partially_granted"] = t3_row(5, 1)
    t3["denied_state_secret"] = t3_row(1)
    t3["unable_not_held"] = t3_row(8)
    t3["not_processed_repeated"] = t3_row(3)
    t3["other_no_correction"] = t3_row(3)
    t3["total_processed"] = t3_row(30, 4)
    t3["carried_forward"] = t3_row(2)
    t2 = {
        "regulations": {"issued": 2, "repealed": 1, "in_force": 11},
        "normative_documents": {"issued": 5, "repealed": 0, "in_force": 40},
        "licensing": {"decisions": 550},
        "penalty": {"decisions": 12},
        "coercion": {"decisions": 0},
        "fees": {"amount_wan_yuan": Decimal("7730.28")},
    }
    t4 = {
        "reconsideration": {"upheld": 1, "corrected": 1, "other": 0, "pending": 1, "total": 3},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
        "litigation_after_reconsideration": {
            "upheld": 2,
            "corrected": 0,
            "other": 0,
            "pending": 0,
            "total": 2,
        },
    }
    return {"table2": t2, "table3": t3, "table4": t4}


def run(tables, fmt=FORMAT_2021):
    return check_tables(fmt, tables["table2"], tables["table3"], tables["table4"])


def rules(findings):
    return sorted(f.rule for f in findings)


def test_clean_report_has_no_findings():
    assert run(clean_2021()) == []


class TestS1:
    def test_fails_with_the_clerk_message_of_the_brief(self):
        table3 = {
            "new_received": {"total": 34},
            "carried_over": {"total": 2},
            "total_processed": {"total": 35},
        }
        (finding,) = [f for f in check_s1(FORMAT_2021, table3) if "“总计”列" in f.message]
        assert finding.rule == "S1"
        assert finding.severity == Severity.ERROR
        assert finding.message.startswith(
            "第三部分表格“总计”列：本年新收(34)+上年结转(2)=36，"
            "但办理结果总计(35)+结转下年度(空白)=35"
        )
        assert finding.cells == (
            "table3.new_received.total",
            "table3.carried_over.total",
            "table3.total_processed.total",
            "table3.carried_forward.total",
        )

    def test_fails_when_carry_forward_is_wrong(self):
        tables = clean_2021()
        # 自然人: 30 + 2 = 32 but 30 + 3 = 33; the total column follows (36 vs 37)
        tables["table3"]["carried_forward"] = t3_row(3)
        s1 = [f for f in run(tables) if f.rule == "S1"]
        assert [f.cells[0] for f in s1] == [
            "table3.new_received.natural_person",
            "table3.new_received.total",
        ]
        assert "本年新收(30)+上年结转(2)=32，但办理结果总计(30)+结转下年度(3)=33" in s1[0].message


class TestT1:
    def test_fails_when_outcomes_do_not_add_up(self):
        tables = clean_2021()
        tables["table3"]["granted"]["natural_person"] = 11  # outcomes now 31, total says 30
        tables["table3"]["granted"]["total"] = 14
        found = run(tables)
        t1 = [f for f in found if f.rule == "T1"]
        assert [f.cells[0] for f in t1] == [
            "table3.total_processed.natural_person",
            "table3.total_processed.total",
        ]
        assert "“自然人”列：办理结果21项之和为 31，但“（七）总计”为 30" in t1[0].message
        assert "table3.granted.natural_person" in t1[0].cells

    def test_blank_total_counts_as_zero_and_is_named(self):
        tables = clean_2021()
        tables["table3"]["total_processed"]["commercial"] = None
        found = run(tables)
        t1 = [f for f in found if f.rule == "T1"]
        assert len(t1) == 1
        assert "办理结果21项之和为 4，但“（七）总计”为 空白" in t1[0].message
        assert "空白单元格按0计算：“（七）总计”" in t1[0].message
        # the row total 34 no longer matches 30 + blank; S1 for 商业企业 fails too
        assert rules(found) == ["B1", "S1", "T1", "T2"]

    def test_2019_format_sums_19_leaves(self):
        tables = clean_2021()
        t3 = tables["table3"]
        # the 2019 form prints （六）其他处理 as one row: move the 3 no-correction cases there
        t3["other_other"] = t3.pop("other_no_correction")
        del t3["other_unpaid_fee"]
        tables["table2"] = {}
        found = [f for f in run(tables, FORMAT_2019) if f.rule != "B1"]
        assert found == []
        t3["other_other"] = t3_row(2)
        assert {f.rule for f in run(tables, FORMAT_2019)} >= {"T1"}
        assert "办理结果19项之和为 29" in next(
            f.message for f in run(tables, FORMAT_2019) if f.rule == "T1"
        )


class TestT2:
    def test_fails_when_row_total_is_wrong(self):
        tables = clean_2021()
        tables["table3"]["new_received"]["total"] = 35
        t2 = [f for f in run(tables) if f.rule == "T2"]
        assert len(t2) == 1
        assert t2[0].cells[0] == "table3.new_received.total"
        assert t2[0].message == (
            "第三部分表格“一、本年新收政府信息公开申请数量”行：自然人至“其他”六列之和为 34，"
            "但“总计”列为 35"
        )

    def test_passes_on_the_clean_table(self):
        assert [f for f in run(clean_2021()) if f.rule == "T2"] == []


class TestT4:
    def test_fails_when_block_total_is_wrong(self):
        tables = clean_2021()
        tables["table4"]["reconsideration"]["total"] = 0
        (t4,) = [f for f in run(tables) if f.rule == "T4"]
        assert t4.message == (
            "第四部分表格“行政复议”：结果维持(1)+结果纠正(1)+其他结果(0)+尚未审结(1)=3，但总计为 0"
        )
        assert t4.cells[0] == "table4.reconsideration.total"

    def test_blank_part_is_shown_as_blank(self):
        tables = clean_2021()
        tables["table4"]["reconsideration"]["pending"] = None
        (t4,) = [f for f in run(tables) if f.rule == "T4"]
        assert "尚未审结(空白)=2，但总计为 3" in t4.message


class TestN1:
    @pytest.mark.parametrize(
        ("path", "value", "problem"),
        [
            ("table3.granted.natural_person", -1, "负数"),
            ("table3.granted.natural_person", 2.5, "整数"),
            ("table3.granted.natural_person", "十", "不是数字"),
            ("table4.reconsideration.upheld", Decimal("0.5"), "整数"),
            ("table2.licensing.decisions", -3, "负数"),
            ("table2.fees.amount_wan_yuan", Decimal("-1.5"), "负数"),
        ],
    )
    def test_fails(self, path, value, problem):
        tables = clean_2021()
        table, row, col = path.split(".")
        tables[table][row][col] = value
        n1 = [f for f in run(tables) if f.rule == "N1"]
        assert [f.cells for f in n1] == [(path,)]
        assert problem in n1[0].message
        assert n1[0].severity == Severity.ERROR

    def test_amounts_may_be_decimal_and_integral_floats_pass(self):
        tables = clean_2021()
        tables["table2"]["fees"]["amount_wan_yuan"] = 4068.208
        tables["table2"]["licensing"]["decisions"] = 550.0
        assert [f for f in run(tables) if f.rule == "N1"] == []

    def test_2019_change_may_be_negative_but_counts_may_not(self):
        t2 = {
            "licensing": {"previous_items": 10, "change": -2, "decisions": 8},
            "procurement": {"items": 3, "amount_wan_yuan": Decimal("12.5")},
        }
        assert [f for f in check_tables(FORMAT_2019, t2, {}, {}) if f.rule == "N1"] == []
        t2["licensing"]["previous_items"] = -1
        t2["procurement"]["items"] = 2.5  # a count column of a decimal item
        n1 = [f for f in check_tables(FORMAT_2019, t2, {}, {}) if f.rule == "N1"]
        assert [f.cells[0] for f in n1] == [
            "table2.licensing.previous_items",
            "table2.procurement.items",
        ]

    def test_non_number_skips_the_arithmetic_it_would_break(self):
        tables = clean_2021()
        tables["table3"]["granted"]["natural_person"] = "十"
        assert rules(run(tables)) == ["N1"]


class TestB1:
    def test_blank_cell_is_a_warning_and_not_filled_in(self):
        tables = clean_2021()
        tables["table3"]["granted"]["research"] = None
        snapshot = copy.deepcopy(tables)
        found = run(tables)
        assert tables == snapshot  # nothing filled in
        (b1,) = [f for f in found if f.rule == "B1"]
        assert b1.severity == Severity.WARNING
        assert b1.cells == ("table3.granted.research",)
        assert "“（一）予以公开”行的“法人或其他组织·科研机构”列为空白" in b1.message
        assert rules(found) == ["B1"]  # blank = 0 keeps the arithmetic closed here

    def test_absent_rows_and_tables_are_blank(self):
        tables = clean_2021()
        del tables["table3"]["carried_over"]
        tables["table4"] = {}
        found = run(tables)
        b1 = [f for f in found if f.rule == "B1"]
        paths = {p for f in b1 for p in f.cells}
        assert "table3.carried_over.total" in paths
        assert "table4.litigation_direct.pending" in paths
        assert len([f for f in b1 if f.cells[0].startswith("table4.")]) == 3  # one per block
        # 自然人 and 总计 columns: 30 + (blank) ≠ 30 + 2
        assert [f.cells[1] for f in found if f.rule == "S1"] == [
            "table3.carried_over.natural_person",
            "table3.carried_over.total",
        ]

    def test_every_table_missing(self):
        found = check_tables(FORMAT_2021, None, None, None)
        assert {f.rule for f in found} == {"B1"}
        cells = sum(len(f.cells) for f in found)
        # table 二 (3+3+1+1+1+1) + table 三 25 rows × 7 + table 四 3 × 5
        assert cells == 10 + 25 * 7 + 15


class TestF1:
    @pytest.mark.parametrize(
        ("fmt", "year"),
        [
            ("2021", 2021),
            ("2021", 2025),
            ("2019", 2019),
            ("2019", 2020),
            (None, 2022),
            ("2021", None),
        ],
    )
    def test_passes(self, fmt, year):
        assert check_format_year(fmt, year) == []

    def test_old_format_in_new_year(self):
        (f1,) = check_format_year("2019", 2022)
        assert f1.rule == "F1"
        assert f1.severity == Severity.ERROR
        assert f1.message == (
            "2022年度报告应使用2021年版格式（国办公开办函〔2021〕30号），"
            "但使用的是2019年版试行格式（国办公开办函〔2019〕60号）"
        )

    def test_new_format_in_old_year(self):
        (f1,) = check_format_year("2021", 2020)
        assert f1.severity == Severity.ERROR

    def test_unknown_format_and_pre_2019_year(self):
        assert check_format_year("2008", 2022)[0].severity == Severity.ERROR
        assert check_format_year("2021", 2018)[0].severity == Severity.NOTICE


class TestCrossYear:
    def previous(self):
        """Year N−1: carries 2 (自然人) forward; 10 rules and 35 normative documents in force.

        Year N (clean_2021): 10 + 2 − 1 = 11 rules, 35 + 5 − 0 = 40 documents in force.
        """
        tables = clean_2021()
        tables["table2"]["regulations"]["in_force"] = 10
        tables["table2"]["normative_documents"]["in_force"] = 35
        return tables

    def test_passes_when_carry_over_chain_holds(self):
        assert check_cross_year(FORMAT_2021, clean_2021(), self.previous()) == []

    def test_y1_break(self):
        current = clean_2021()
        previous = self.previous()
        previous["table3"]["carried_forward"] = t3_row(1)
        y1 = check_cross_year(FORMAT_2021, current, previous)
        assert [f.rule for f in y1] == ["Y1", "Y1"]  # 自然人 and 总计
        assert all(f.severity == Severity.WARNING for f in y1)
        assert y1[0].cells == (
            "table3.carried_over.natural_person",
            "previous.table3.carried_forward.natural_person",
        )
        assert "本年“上年结转”为 2，但上一年度报告“结转下年度继续办理”为 1" in y1[0].message

    def test_y2_notice(self):
        current = clean_2021()
        current["table2"]["regulations"]["in_force"] = 12
        (y2,) = check_cross_year(FORMAT_2021, current, self.previous())
        assert y2.rule == "Y2"
        assert y2.severity == Severity.NOTICE
        assert y2.message.startswith(
            "第二部分表格“规章”：上年现行有效(10)+本年制发(2)−本年废止(1)=11，但本年现行有效为 12"
        )
        assert y2.cells[0] == "table2.regulations.in_force"

    def test_y2_skipped_against_a_2019_format_year(self):
        current = clean_2021()
        previous = {"table2": {}, "table3": clean_2021()["table3"], "table4": {}}
        assert check_cross_year(FORMAT_2021, current, previous, FORMAT_2019) == []

    def test_y2_skipped_when_in_force_blank(self):
        current = clean_2021()
        current["table2"]["regulations"]["in_force"] = None
        current["table2"]["normative_documents"]["in_force"] = 99
        previous = self.previous()
        previous["table2"]["normative_documents"]["in_force"] = None
        assert check_cross_year(FORMAT_2021, current, previous) == []


def corpus(name):
    return json.loads((TRUTH / f"{name}.json").read_text(encoding="utf-8"))


class TestCorpus:
    """The truth files record the defects of the published reports (source_violations)."""

    def test_huaian_2023_zero_totals_in_table_4(self):
        d = corpus("huaian_hongzequ_2023")
        found = check_tables(d["format"], d["table2"], d["table3"], d["table4"])
        errors = [f for f in found if f.severity == Severity.ERROR]
        assert [(f.rule, f.cells[0]) for f in errors] == [
            ("T4", "table4.reconsideration.total"),
            ("T4", "table4.litigation_after_reconsideration.total"),
        ]

    def test_shanghai_2024_blank_carry_forward(self):
        d = corpus("shanghai_kewei_2024_pdf-extracted")
        found = check_tables(d["format"], d["table2"], d["table3"], d["table4"])
        assert rules(found) == ["B1", "S1", "T2"]
        s1 = next(f for f in found if f.rule == "S1")
        assert "结转下年度(空白)" in s1.message

    @pytest.mark.parametrize(
        "name", ["ruzhou_xinfang_2022", "suqian_shuyangxian_2025_ocr-markdown"]
    )
    def test_clean_reports(self, name):
        d = corpus(name)
        found = check_tables(d["format"], d["table2"], d["table3"], d["table4"])
        assert found == []
        assert check_format_year(d["format"], d["year"]) == []
