"""Title, agency and year from a report's first lines."""

from __future__ import annotations

import pytest

from gongkai.law.report_format import normalize_label
from gongkai.reportdoc.assemble import section_of_heading
from gongkai.reportdoc.checks import audit
from gongkai.reportdoc.extract import Line
from gongkai.reportdoc.meta import read_title
from gongkai.reportdoc.parse import read_text_report


def _lines(*texts: str) -> list[Line]:
    return [Line(t, n) for n, t in enumerate(texts, start=1)]


@pytest.mark.parametrize(
    ("texts", "agency", "year"),
    [
        (("某市交通运输局2023年政府信息公开工作年度报告",), "某市交通运输局", 2023),
        (("某市交通运输局", "2023年政府信息公开工作年度报告"), "某市交通运输局", 2023),
        # a CMS sidebar's last link right above the title is not part of the agency
        (
            ("首页", "公开指南", "某市交通运输局2023年政府信息公开工作年度报告"),
            "某市交通运输局",
            2023,
        ),
        (("淮安市洪泽區人民政府2023年政府信息公開工作年度報告",), "淮安市洪泽区人民政府", 2023),
        (("2023年政府信息公开工作年度报告",), None, 2023),
        (("关于印发某县2022年度政务公开工作年度报告的通知",), "某县", 2022),
    ],
)
def test_read_title(texts, agency, year) -> None:
    title, found_agency, found_year = read_title(_lines(*texts))
    assert (found_agency, found_year) == (agency, year)
    assert title


def test_no_title() -> None:
    assert read_title(_lines("一、总体情况", "本年度……")) == (None, None, None)


def test_a_title_broken_over_two_lines_wins_over_a_later_sentence() -> None:
    lines = _lines(
        "某市交通运输局",
        "2023年政府信息公开工作年度报告",
        "根据条例要求，现公布某市交通运输局2023年政府信息公开工作年度报告。",
    )
    assert read_title(lines)[1:] == ("某市交通运输局", 2023)


# Section headings as real agencies word them (issue 14): each variant of the label table
# labels.SECTION_MEANINGS, found by its ordinal and key words.
HEADING_VARIANTS = [
    ("一、总体情况", 0),
    ("一、概述", 0),
    ("一、工作概况", 0),
    ("一、基本情况", 0),
    ("一、政府信息公开工作总体情况", 0),
    ("二、主动公开情况", 1),
    ("二、主动公开政府信息工作情况", 1),
    ("三、依申请公开情况", 2),
    ("三、依申请公开政府信息办理情况", 2),
    ("四、行政复议和行政诉讼情况", 3),
    ("四、因政府信息公开申请行政复议、提起行政诉讼的情况", 3),
    ("五、存在的主要问题及改进情况", 4),
    ("五、存在的主要问题及整改情况", 4),
    ("五、存在问题及下一步工作打算", 4),
    ("五、工作中存在的不足及改进措施", 4),
    ("五、存在的主要问题和改进方向", 4),
    ("五、政府信息公开工作存在的主要问题及改进措施", 4),
    ("六、其他需要报告的事项", 5),
    ("六、其他需要说明的事项", 5),
    ("六、其他事项", 5),
    ("六、其它需要报告的事项", 5),
    ("第五部分 存在的主要问题及改进情况", 4),
]


@pytest.mark.parametrize(("heading", "index"), HEADING_VARIANTS)
def test_section_headings_worded_differently(heading, index) -> None:
    assert section_of_heading(normalize_label(heading)) == index


@pytest.mark.parametrize(
    "text",
    [
        "一、本年新收政府信息公开申请数量",  # table 三's own rows
        "四、结转下年度继续办理",
        "三、本年度办理结果",
        "二、上年结转政府信息公开申请数量",
        "四、推进行政复议案件办理",  # a list item in the prose
        "三、开拓创新不够有力",
        "二、加强政策解读",
        "五、加强主动公开",  # the wrong ordinal's words
    ],
)
def test_rows_and_list_items_are_not_headings(text) -> None:
    assert section_of_heading(normalize_label(text)) is None


def test_a_report_with_reworded_headings_has_no_missing_section() -> None:
    text = "\n".join(
        [
            "某县人民政府2023年政府信息公开工作年度报告",
            "一、概述",
            "本年度工作。",
            "二、主动公开情况",
            "三、依申请公开情况",
            "四、行政复议和行政诉讼情况",
            "五、工作中存在的不足及改进措施",
            "不足是规范性有待提高。",
            "六、其他需要说明的事项",
            "无。",
        ]
    )
    report = audit(read_text_report(text.encode(), "reworded.txt"))
    assert len(report.sections) == 6
    assert not [f for f in report.findings if f.rule == "F2" and "部分" in f.message]
