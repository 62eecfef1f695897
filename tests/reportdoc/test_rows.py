"""Row building details: the per-document label cache and its fast normaliser."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gongkai.law.report_format import _CHAR_FOLD, normalize_label
from gongkai.reportdoc import labels as L  # noqa: N812 (read as a namespace)
from gongkai.reportdoc.rows import Normalized, fast_normalize

# the characters that matter: everything the fold table changes, full-width forms, spaces
_INTERESTING = "".join(chr(c) for c in _CHAR_FOLD) + "０９．－（）：，　 \t\n\u00a0ＡＢ其他總計項"
_TEXT = st.text(
    alphabet=st.one_of(st.sampled_from(_INTERESTING), st.characters(codec="utf-8")),
    max_size=40,
)


@given(_TEXT)
def test_fast_normalize_is_normalize_label(text):
    assert fast_normalize(text) == normalize_label(text)


def test_fast_normalize_on_report_labels():
    for text in ("（三）不予公开", "3.危及“三安全一稳定”", "社会公益 组织", "結轉下年度", "ａｂ"):
        assert fast_normalize(text) == normalize_label(text)


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
