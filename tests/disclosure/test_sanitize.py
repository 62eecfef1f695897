"""The body allow-list (nh3) and the text alternative every public image gets."""

from __future__ import annotations

import pytest

from gongkai.disclosure.sanitize import sanitize_html


@pytest.mark.parametrize(
    "raw",
    [
        "<p>x<script>alert(1)</script></p>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">链接</a>',
        '<p style="color:red;position:fixed">x</p>',
    ],
)
def test_active_content_is_removed(raw):
    out = sanitize_html(raw)
    for bad in ("<script", "onerror", "javascript:", "position"):
        assert bad not in out


def test_an_image_without_alt_gets_an_empty_one_and_a_given_alt_is_kept():
    assert sanitize_html('<p><img src="https://a.example/b.png"></p>') == (
        '<p><img alt="" src="https://a.example/b.png"></p>'
    )
    kept = sanitize_html('<img src="https://a.example/b.png?alt=1" alt="组织机构图">')
    assert kept.count("alt=") == 2  # the query string's and the attribute, nothing added
    assert 'alt="组织机构图"' in kept


def test_an_alt_lookalike_inside_another_attribute_does_not_count():
    out = sanitize_html('<img src="https://a.example/x" width="1" height=" alt=">')
    assert out.startswith('<img alt=""')


def test_sanitising_twice_changes_nothing():
    once = sanitize_html(
        '<p>正文<img src="https://a.example/b.png"></p><table><tr><td>1</td></tr></table>'
    )
    assert sanitize_html(once) == once
