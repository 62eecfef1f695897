"""audit(): the law's table rules plus prose (X1), completeness (F2) and deadline (P1)."""

from __future__ import annotations

import pytest

from gongkai.law.findings import Finding, Severity
from gongkai.law.report_format import FORMAT_2021, SECTION_KEYS
from gongkai.reportdoc.checks import (
    audit,
    department_deadline,
    finalize,
    statutory_deadline,
)
from gongkai.reportdoc.model import Report


def _report(**changes) -> Report:
    """A consistent 2021-format report: 10 new + 2 carried = 11 processed + 1 forward."""
    tables = FORMAT_2021.empty_tables()
    for table in tables.values():
        for row in table.values():
            for col in row:
                row[col] = 0
    t3 = tables["table3"]
    for row, n in (
        ("new_received", 10),
        ("carried_over", 2),
        ("granted", 11),
        ("total_processed", 11),
        ("carried_forward", 1),
    ):
        t3[row]["natural_person"] = t3[row]["total"] = n
    t4 = tables["table4"]
    t4["reconsideration"].update(upheld=2, total=2)
    t4["litigation_direct"].update(pending=1, total=1)
    report = Report(
        format="2021",
        agency="示例局",
        year=2023,
        sections=dict.fromkeys(SECTION_KEYS, "无"),
        **tables,
    )
    for key, value in changes.items():
        setattr(report, key, value)
    return report


def _prose(text: str, **changes) -> Report:
    report = _report(**changes)
    report.sections["overview"] = text
    return report


def rules(report: Report, rule: str) -> list[Finding]:
    return [f for f in report.findings if f.rule == rule]


def test_consistent_report_has_no_findings() -> None:
    assert audit(_report()).findings == []


def test_audit_returns_a_copy() -> None:
    report = _report(table3={})
    audited = audit(report)
    assert report.findings == []
    assert audited.findings


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("本年共收到政府信息公开申请10件。", False),
        ("全年收到政府信息公开申请 10 件，上年结转2件。", False),
        ("本年共收到政府信息公开申请12件。", True),  # 收到 means new only
        ("共受理政府信息公开申请12件。", False),  # 受理 = new + carried over
        ("共受理政府信息公开申请10件。", False),  # 受理 = new
        ("共受理政府信息公开申请13件。", True),
        ("收到行政复议申请2件。", False),  # a 复议 count, not 收到…申请 of table 三
        ("结转下一年1件。", False),
        ("结转下一年3件。", True),
        ("全年被申请行政复议2件，行政诉讼1件。", False),
        ("有3件涉及政府信息公开工作的行政复议。", True),
        ("涉及的行政诉讼数为0件。", True),
        ("依法做好行政复议、行政诉讼案件的应诉工作，共办理相关案件3件。", False),
        ("依法做好行政复议、行政诉讼案件的应诉工作，共办理相关案件4件。", True),
        # wordings of real reports that quote a part, another period or a joint figure
        ("全年发生政府信息公开行政复议案件2件、行政诉讼案件1件。", False),
        ("全年发生政府信息公开行政复议案件2件、行政诉讼案件2件。", True),
        ("因政府信息公开工作被申请行政复议和提起行政诉讼共3件。", False),
        ("因政府信息公开工作被申请行政复议和提起行政诉讼共4件。", True),
        ("行政复议结果维持1件，纠正1件。", False),  # outcomes are parts of the total
        ("其中行政复议维持1件。", False),
        ("行政诉讼败诉0件。", False),
        ("未经复议直接提起行政诉讼1件，复议后起诉0件。", False),
        ("本年度共收到并受理政府信息公开申请12件，均按时答复。", False),
        ("共收到申请12件，其中本年新收10件，上年结转2件。", False),
        ("共收到申请13件，其中本年新收10件。", True),
        ("2022年共收到政府信息公开申请650件，2023年收到申请10件。", False),
        ("2022年共收到政府信息公开申请650件，2023年收到申请11件。", True),
        ("本年收到政府信息公开申请10件，较去年增加3件。", False),
        ("去年收到政府信息公开申请7件。", False),
    ],
)
def test_prose_against_tables(text: str, flagged: bool) -> None:
    findings = rules(audit(_prose(text)), "X1")
    assert bool(findings) is flagged, findings
    for finding in findings:
        assert finding.severity is Severity.WARNING
        assert finding.cells
        assert "正文称" in finding.message


def test_prose_check_skips_blank_cells() -> None:
    report = _prose("本年共收到政府信息公开申请12件。")
    report.table3["new_received"]["total"] = None
    assert rules(audit(report), "X1") == []


def test_fee_without_any_application() -> None:
    report = _report()
    report.sections["other"] = "本年度收取信息处理费共计380元。"
    assert rules(audit(report), "X1") == []
    for row in ("new_received", "carried_over", "granted", "total_processed", "carried_forward"):
        report.table3[row] = dict.fromkeys(FORMAT_2021.table3_column_keys, 0)
    found = rules(audit(report), "X1")
    assert len(found) == 1
    assert "380元" in found[0].message


def test_missing_sections_and_tables() -> None:
    report = _report()
    del report.sections["problems"]
    report.table4 = {}
    found = rules(audit(report), "F2")
    messages = " ".join(f.message for f in found)
    assert "第五部分" in messages
    assert "表四" in messages
    assert all(f.severity is Severity.WARNING for f in found)


@pytest.mark.parametrize(
    ("published", "late"),
    [("2024-01-31", False), ("2024-02-01", True), (None, False), ("not a date", False)],
)
def test_publication_deadline(published: str | None, late: bool) -> None:
    found = rules(audit(_report(published=published)), "P1")
    assert bool(found) is late
    if late:
        assert "2024-01-31" in found[0].message


def test_deadline_rules() -> None:
    county = _report(agency="示例县人民政府", published="2024-03-01")
    assert rules(audit(county, deadline_rule=statutory_deadline), "P1") == []
    assert rules(audit(county, deadline_rule=department_deadline), "P1")
    assert department_deadline(_report(year=None)) is None


def test_table_rules_come_from_the_law_core() -> None:
    report = _report()
    report.table3["granted"]["total"] = 12
    found = audit(report).findings
    assert {"T1", "T2"} <= {f.rule for f in found}
    assert found[0].severity is Severity.ERROR  # errors first


def test_format_year_and_cross_year() -> None:
    report = _report(year=2020)
    assert [f.rule for f in audit(report).findings if f.severity is Severity.ERROR] == ["F1"]
    previous = _report(year=2022)
    previous.table3["carried_forward"]["total"] = 5
    current = audit(_report(), previous=previous)
    assert any(f.rule == "Y1" and "table3.carried_over.total" in f.cells for f in current.findings)
    stale = audit(_report(), previous=_report(year=2020))
    assert [f.severity for f in rules(stale, "Y1")] == [Severity.NOTICE]


def test_undecided_format_still_checks_tables() -> None:
    report = _report(format=None)
    report.table3["granted"]["total"] = 12
    assert {"T1", "T2"} <= {f.rule for f in audit(report).findings}


def test_finalize_deduplicates_sorts_and_drops_blanks_that_are_unreadable() -> None:
    r1 = Finding("R1", Severity.WARNING, "无法读取", ("table3.granted.total",))
    b1 = Finding("B1", Severity.WARNING, "空白", ("table3.granted.total",))
    b1_other = Finding("B1", Severity.WARNING, "空白", ("table3.granted.commercial",))
    notice = Finding("R2", Severity.NOTICE, "推定")
    error = Finding("S1", Severity.ERROR, "不平衡", ("table3.new_received.total",))
    assert finalize([notice, r1, b1, b1_other, error, error, r1]) == [error, r1, b1_other, notice]


def test_arithmetic_over_an_unreadable_cell_is_a_notice_not_an_error() -> None:
    r1 = Finding("R1", Severity.WARNING, "无法读取", ("table3.unable_not_held.total",))
    t1 = Finding(
        "T1",
        Severity.ERROR,
        "之和为 8，但总计为 21",
        ("table3.total_processed.total", "table3.unable_not_held.total"),
    )
    s1 = Finding("S1", Severity.ERROR, "不平衡", ("table3.new_received.total",))
    result = finalize([t1, r1, s1])
    assert [(f.rule, f.severity) for f in result] == [
        ("S1", Severity.ERROR),  # no unreadable cell in it: stands
        ("R1", Severity.WARNING),
        ("T1", Severity.NOTICE),
    ]
    assert result[2].message.startswith("未能核对：涉及的 1 个单元格无法可靠读取")
    assert result[2].cells == t1.cells


def test_uncheckable_sums_fold_into_one_notice_per_rule() -> None:
    r1 = Finding(
        "R1",
        Severity.WARNING,
        "无法读取",
        ("table3.granted.total", "table3.denied_state_secret.total"),
    )
    t2a = Finding(
        "T2",
        Severity.ERROR,
        "予以公开行不平衡",
        ("table3.granted.total", "table3.granted.natural_person"),
    )
    t2b = Finding("T2", Severity.ERROR, "国家秘密行不平衡", ("table3.denied_state_secret.total",))
    result = finalize([t2a, t2b, r1])
    assert [(f.rule, f.severity) for f in result] == [
        ("R1", Severity.WARNING),
        ("T2", Severity.NOTICE),
    ]
    notice = result[1]
    assert notice.message.startswith("未能核对等2处：涉及的 2 个单元格无法可靠读取")
    assert notice.cells == (
        "table3.granted.total",
        "table3.granted.natural_person",
        "table3.denied_state_secret.total",
    )


def test_arithmetic_over_a_collapsed_other_row_still_stands() -> None:
    # the collapsed （六） sub-rows are absent from the source, not unread: T1 over them is real
    f2 = Finding("F2", Severity.WARNING, "（六）合并为一行", ("table3.other_no_correction.total",))
    t1 = Finding("T1", Severity.ERROR, "不平衡", ("table3.other_no_correction.total",))
    assert [f.severity for f in finalize([t1, f2])] == [Severity.ERROR, Severity.WARNING]


def test_prose_sentence_wrapped_across_lines_is_still_checked() -> None:
    # PDF text breaks sentences at the line end: 「…共收到政府信息公开\n申请12件。」
    assert rules(audit(_prose("本年共收到政府信息公开\n申请12件。")), "X1")
    assert not rules(audit(_prose("本年共收到政府信息公开\n申请10件。")), "X1")


@pytest.mark.parametrize(
    "text",
    [
        "2022年，本机关发生行政复议案件5件，其中结果维持3件；行政诉讼4件。",
        "2022年共收到政府信息公开申请650件；受理13件。",
    ],
)
def test_a_sentence_led_by_another_year_is_about_that_year(text: str) -> None:
    assert not rules(audit(_prose(text)), "X1")


def test_a_blank_block_is_one_b1_naming_its_columns_and_rows(make_report) -> None:
    report = make_report(FORMAT_2021, agency="某区人民政府", year=2023)
    organisations = ("commercial", "research", "social_welfare", "legal_services", "other_org")
    for row in report.table3.values():
        for col in organisations:
            row[col] = None
    report.table2["licensing"]["decisions"] = None
    blanks = [f for f in audit(report).findings if f.rule == "B1"]
    assert len(blanks) == 2  # the table-三 block once, the lone table-二 blank on its own
    [block] = [f for f in blanks if f.cells[0].startswith("table3.")]
    assert len(block.cells) == 25 * 5
    assert "25行" in block.message
    assert "三安全一稳定" in block.message  # a row name with quotes in it is kept whole
    assert "法律服务机构" in block.message
    [lone] = [f for f in blanks if f.cells[0].startswith("table2.")]
    assert lone.cells == ("table2.licensing.decisions",)


def test_blanks_in_different_columns_are_not_merged(make_report) -> None:
    report = make_report(FORMAT_2021, agency="某区人民政府", year=2023)
    report.table3["granted"]["research"] = None
    report.table3["partially_granted"]["commercial"] = None
    blanks = [f for f in audit(report).findings if f.rule == "B1"]
    assert sorted(f.cells for f in blanks) == [
        ("table3.granted.research",),
        ("table3.partially_granted.commercial",),
    ]
