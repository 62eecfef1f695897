"""Row building details: the per-document label cache and the label normaliser's shortcut."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gongkai.law.report_format import _CHAR_FOLD, normalize_label
from gongkai.reportdoc import labels as L  # noqa: N812 (read as a namespace)
from gongkai.reportdoc.extract import Line
from gongkai.reportdoc.rows import Normalized, build_row, rows_from_lines

# the characters that matter: everything the fold table changes, full-width forms, spaces
_INTERESTING = "".join(chr(c) for c in _CHAR_FOLD) + "０９．－（）：，　 \t\n\u00a0ＡＢ其他總計項"
_TEXT = st.text(
    alphabet=st.one_of(st.sampled_from(_INTERESTING), st.characters(codec="utf-8")),
    max_size=40,
)


def _plain_normalize(text: str) -> str:
    """The definition without the skip-the-translation shortcut."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_CHAR_FOLD))


@given(_TEXT)
def test_normalize_label_shortcut_changes_nothing(text):
    assert normalize_label(text) == _plain_normalize(text)


def test_normalize_label_on_report_labels():
    for text in ("（三）不予公开", "3.危及“三安全一稳定”", "社会公益 组织", "結轉下年度", "ａｂ"):
        assert normalize_label(text) == _plain_normalize(text)
    assert normalize_label("結轉下年度 繼續辦理") == "结转下年度继续办理"


def test_normalized_cache_remembers_per_instance():
    norm = Normalized()
    assert norm["（七） 总计"] == "(七)总计"
    assert "（七） 总计" in norm
    assert "（七） 总计" not in Normalized()  # a new document starts empty


def test_every_t2_column_label_holds_a_cheap_mark():
    """t2_header skips lines without these marks: it must never skip a real header."""
    for label, _key, _fmt in L.T2_COLUMNS:
        assert any(mark in label for mark in L._T2_MARKS), label
        assert L.t2_header(label)[0]
    assert L.t2_header("本年度主动公开政府信息") == ([], {"2021": 0, "2019": 0})


def test_page_headers_and_footers_are_not_rows():
    marks = ["- 3 -", "— 12 —", "第3页", "第 3 页 共 5 页", "3/5", "Page 2 of 6", "－４－"]
    kept = ["1.本机关不掌握相关政府信息 10 0 0 0 0 0 10", "3 0 0 0 0 0 3", "0 - 0"]
    lines = [Line(text, n) for n, text in enumerate([*marks, *kept], start=1)]
    rows = list(rows_from_lines(lines))
    assert [r.cells[0][1][1] for r in rows] == [8, 9, 10]


def test_ocr_look_alikes_in_a_figure_make_it_unreadable_not_a_smaller_number():
    for text, label in (
        ("行政处罚 4丨丨9", "行政处罚"),
        ("行政处罚4丨丨9", "行政处罚"),
        ("行政强制 丨95", "行政强制"),
    ):
        (segment,) = build_row([(text, (None, 1, None, None, None))], reliable=False).segments
        assert segment.labels == [label], text
        assert [(v.kind, v.value) for v in segment.values] == [("garbled", None)], text
    # a plain glued figure still reads, and look-alikes never make a label part a figure
    (segment,) = build_row([("行政处罚4119", (None, 1, None, None, None))], reliable=False).segments
    assert [(v.kind, v.value) for v in segment.values] == [("num", 4119)]


def test_a_grid_cell_with_two_figures_is_one_unreadable_cell():
    # 「9123」 wrapped in a narrow 总计 column as 「91」 over 「23」, beside a blank 自然人 cell:
    # one position each, so nothing slides left
    cells = ["1.属于国家秘密", "", "2", "3", "0", "1", "2", "91\n23"]
    row = build_row(
        [(c, (1, None, 0, 5, i)) for i, c in enumerate(cells)], reliable=True, one_per_cell=True
    )
    (segment,) = row.segments
    assert [v.kind for v in segment.trimmed(7)] == [
        "blank",
        "num",
        "num",
        "num",
        "num",
        "num",
        "garbled",
    ]


def test_a_trailing_blank_total_stays_in_its_column():
    # a Markdown row whose label spans three columns and whose total is blank
    line = "| 四、结转下年度继续办理 | | | 1 | 0 | 0 | 0 | 0 | 0 | |"
    header = "|---|---|---|---|---|---|---|---|---|---|"
    rows = list(rows_from_lines([Line(header, 1), Line(line, 2)]))
    values = rows[-1].segments[0].trimmed(7)
    assert [v.value for v in values] == [1, 0, 0, 0, 0, 0, None]
    assert values[-1].kind == "blank"


def test_cells_that_carry_their_unit():
    where = (None, 1, 0, 0, 0)
    row = build_row([("行政事业性收费", where), ("7730.28万元", where)], reliable=True)
    assert [(v.kind, v.value) for v in row.segments[0].values] == [("num", Decimal("7730.28"))]
    # 元 in the 万元 column is the unit confusion supervisors look for: never read as 万元
    row = build_row([("行政事业性收费", where), ("5000元", where)], reliable=True)
    assert [(v.kind, v.value) for v in row.segments[0].values] == [("garbled", None)]
    line = "1.属于国家秘密 1件 0件 0件 0件 0件 0件 1件"
    (segment,) = build_row([(line, where)], reliable=False).segments
    assert [v.value for v in segment.values] == [1, 0, 0, 0, 0, 0, 1]
    # prose keeps its figures to itself
    (segment,) = build_row([("全年共收到政府信息公开申请34件", where)], reliable=False).segments
    assert segment.values == []


def test_a_markdown_row_starting_with_empty_cells_stays_one_row():
    rows = list(rows_from_lines([Line("|  |  | 结果维持 | 3 |", 1)]))
    assert len(rows) == 1
    assert [c for c, _ in rows[0].cells] == ["", "", "结果维持", "3"]
    # text glued before a row is split off, figures cut from the row's start are not
    rows = list(rows_from_lines([Line("3.补正后申请内容仍不明确 | 6 | 0 | 6 |", 1)]))
    assert [[c for c, _ in r.cells] for r in rows] == [
        ["3.补正后申请内容仍不明确"],
        ["6", "0", "6"],
    ]
    rows = list(rows_from_lines([Line(" 10 | 2 | 0 | 12 |", 1)]))
    assert len(rows) == 1
