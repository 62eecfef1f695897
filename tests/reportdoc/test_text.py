"""Plain-text and Markdown extraction, metadata and the not-a-report error."""

from __future__ import annotations

import pytest

from gongkai.reportdoc.extract import ReportReadError
from gongkai.reportdoc.meta import read_meta
from gongkai.reportdoc.parse import parse_extracted, read_text_report
from gongkai.reportdoc.text import extract_text

TITLE = "示例局2023年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    "data",
    [
        TITLE.encode("utf-8"),
        b"\xef\xbb\xbf" + TITLE.encode("utf-8"),
        TITLE.encode("gb18030"),
        TITLE,
        "\ufeff" + TITLE,
    ],
    ids=["utf8", "utf8-bom", "gb18030", "str", "str-bom"],
)
def test_decoding(data: bytes | str) -> None:
    ex = extract_text(data, "a.txt")
    assert ex.lines[0].text == TITLE
    assert ex.kind == "txt"


def test_undecodable_bytes_are_a_chinese_error() -> None:
    with pytest.raises(ReportReadError, match="编码"):
        extract_text(b"\xff\xfe\xfa" * 10 + b"\x81", "bad.txt")


def test_lines_keep_their_numbers_and_markdown_tables_become_grids() -> None:
    text = "标题\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n正文\n| c |\n"
    ex = extract_text(text, "a.md", "md")
    assert [(line.number, line.text) for line in ex.lines][:2] == [(1, "标题"), (3, "| a | b |")]
    assert [g.rows for g in ex.grids] == [(("a", "b"), ("1", "2")), (("c",),)]


@pytest.mark.parametrize(
    ("first_lines", "agency", "year"),
    [
        (["# 信访局2022年政府信息公开工作年度报告"], "信访局", 2022),
        (["宿迁市沭阳县2025年政府信息公开工作年度报告"], "宿迁市沭阳县", 2025),
        (["正文", "2024 年上海市科委政府信息公开工作", "年度报告"], "上海市科委", 2024),
        (["示例市财政局关于2021年度政府信息公开工作年度报告"], "示例市财政局", 2021),
    ],
)
def test_title_agency_year(first_lines: list[str], agency: str, year: int) -> None:
    meta = read_meta(extract_text("\n".join(first_lines), "a.txt"))
    assert (meta.agency, meta.year) == (agency, year)


def test_year_from_the_statistics_period_when_the_title_has_none() -> None:
    text = "政府信息公开工作年度报告\n本报告所列数据统计期限从2025年1月1日至2025年12月31日止。"
    assert read_meta(extract_text(text, "a.txt")).year == 2025


@pytest.mark.parametrize(
    ("text", "published"),
    [
        (f"{TITLE}\n正文\n发布日期：2024-01-20\n", "2024-01-20"),
        (f"{TITLE}\n正文\n示例局\n2024年1月20日\n", "2024-01-20"),
        (f"{TITLE}\n（2024年2月3日）\n正文\n", "2024-02-03"),
        (f"{TITLE}\n正文中提到2024年1月20日召开会议。\n", None),
        (f"{TITLE}\n正文\n2024年2月30日\n", None),  # not a date
    ],
)
def test_publication_date(text: str, published: str | None) -> None:
    assert read_meta(extract_text(text, "a.txt")).published == published


def test_container_date_is_used_when_the_text_states_none() -> None:
    ex = extract_text(f"{TITLE}\n正文\n", "a.txt")
    ex.published = "2024-01-10"
    assert read_meta(ex).published == "2024-01-10"


@pytest.mark.parametrize(
    "text",
    ["", "随便写点什么，和年度报告无关。\n第二行", "1 2 3 4 5 6 7\n其他 0 0 0"],
)
def test_not_a_report_is_a_read_error(text: str) -> None:
    with pytest.raises(ReportReadError, match="不是政府信息公开工作年度报告"):
        parse_extracted(extract_text(text, "x.txt"))


def test_read_text_report_from_bytes_and_missing_path(tmp_path) -> None:
    report = read_text_report(f"{TITLE}\n一、总体情况\n无\n".encode(), "a.md")
    assert report.source == "a.md"
    assert report.sections == {"overview": "无"}
    with pytest.raises(ReportReadError, match="无法读取"):
        read_text_report(tmp_path / "missing.txt")


def test_template_notes_are_flagged() -> None:
    report = read_text_report(f"{TITLE}\n一、总体情况\n（编写说明：此处概述全年工作）\n".encode())
    assert any(f.rule == "F2" and "模板说明" in f.message for f in report.findings)
