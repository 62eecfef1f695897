"""Snippets: escaped text with only our own <mark> tags (no database)."""

from __future__ import annotations

from gongkai.search.highlight import mark, snippet


def test_text_is_escaped_and_words_marked():
    out = mark("<b>信访</b> & 低保", ["信访", "低保"])
    assert out == "&lt;b&gt;<mark>信访</mark>&lt;/b&gt; &amp; <mark>低保</mark>"


def test_a_word_that_looks_like_markup_is_escaped_inside_the_mark():
    assert mark("a<i>b", ["<i>"]) == "a<mark>&lt;i&gt;</mark>b"


def test_longer_words_win_over_their_parts():
    assert mark("信访工作", ["信访", "信访工作"]) == "<mark>信访工作</mark>"


def test_case_insensitive_marks_keep_the_original_case():
    assert mark("GDP 增长", ["gdp"]) == "<mark>GDP</mark> 增长"


def test_snippet_is_a_window_around_the_first_match():
    text = "甲" * 300 + "信访" + "乙" * 300
    out = snippet(text, ["信访"], size=40)
    assert out.startswith("…")
    assert out.endswith("…")
    assert "<mark>信访</mark>" in out
    assert len(out) < 80


def test_snippet_without_a_match_is_the_start_of_the_text():
    assert snippet("正文  第一段\n第二段", ["信访"]) == "正文 第一段 第二段"
