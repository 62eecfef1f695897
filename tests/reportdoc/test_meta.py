"""Title, agency and year from a report's first lines."""

from __future__ import annotations

import pytest

from gongkai.reportdoc.extract import Line
from gongkai.reportdoc.meta import read_title


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
