"""The information-processing fee of 国办函〔2020〕109号 (LAW.md §3), worked by hand.

按件: 1–10 free, 11–30 at 100, 31–40 at 200, 41–50 at 300, 51–60 at 400 …
按量: 1–30 free, 31–100 at 10, 101–200 at 20, 201+ at 40.
"""

import pytest

from gongkai.law.fees import FeeError, fee_by_items, fee_by_pages, fee_for_application


@pytest.mark.parametrize(
    ("n", "yuan"),
    [
        (0, 0),
        (1, 0),
        (10, 0),
        (11, 100),
        (30, 20 * 100),
        (31, 20 * 100 + 200),
        (35, 20 * 100 + 5 * 200),  # 3000, not 2500
        (40, 20 * 100 + 10 * 200),
        (41, 20 * 100 + 10 * 200 + 300),
        (50, 20 * 100 + 10 * 200 + 10 * 300),
        (55, 20 * 100 + 10 * 200 + 10 * 300 + 5 * 400),
    ],
)
def test_by_items(n, yuan):
    assert fee_by_items(n).amount_yuan == yuan


def test_35_items_bands():
    fee = fee_by_items(35)
    assert fee.method == "items"
    assert [b.as_dict() for b in fee.bands] == [
        {"from": 1, "to": 10, "rate": 0, "count": 10, "subtotal": 0},
        {"from": 11, "to": 30, "rate": 100, "count": 20, "subtotal": 2000},
        {"from": 31, "to": 40, "rate": 200, "count": 5, "subtotal": 1000},
    ]
    assert fee.explanation[-1] == "合计 3000 元"


@pytest.mark.parametrize(
    ("n", "already", "yuan"),
    [
        (5, 0, 0),  # items 1–5
        (5, 8, 2 * 0 + 3 * 100),  # items 9–13: 9, 10 free; 11, 12, 13 at 100
        (5, 28, 2 * 100 + 3 * 200),  # items 29–33
        (1, 40, 300),  # item 41
        (10, 30, 10 * 200),  # items 31–40
    ],
)
def test_by_items_cumulative_within_the_month(n, already, yuan):
    assert fee_by_items(n, already_this_month=already).amount_yuan == yuan


def test_cumulative_bands_show_only_this_applications_items():
    fee = fee_by_items(5, already_this_month=8)
    assert [(b.start, b.end, b.count) for b in fee.bands] == [(1, 10, 2), (11, 30, 3)]
    assert "本月此前已申请 8 件，本次 5 件，为本月第9–13件" in fee.explanation


@pytest.mark.parametrize(
    ("n", "yuan"),
    [
        (0, 0),
        (30, 0),
        (31, 10),
        (100, 70 * 10),
        (101, 70 * 10 + 20),
        (200, 70 * 10 + 100 * 20),
        (201, 70 * 10 + 100 * 20 + 40),
        (250, 70 * 10 + 100 * 20 + 50 * 40),  # 4700
    ],
)
def test_by_pages(n, yuan):
    fee = fee_by_pages(n)
    assert fee.method == "pages"
    assert fee.amount_yuan == yuan


def test_open_ended_page_band():
    last = fee_by_pages(250).bands[-1]
    assert (last.start, last.end, last.rate, last.count, last.subtotal) == (201, None, 40, 50, 2000)
    assert "第201页及以上每页40元：50页 × 40元 = 2000元" in fee_by_pages(250).explanation


def test_one_method_per_application():
    with pytest.raises(FeeError, match="只能选择一种"):
        fee_for_application(items=12, pages=40)
    with pytest.raises(FeeError, match="请指定"):
        fee_for_application()
    assert fee_for_application(items=12).method == "items"
    assert fee_for_application(pages=40).method == "pages"


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_bad_counts_are_refused(bad):
    with pytest.raises(FeeError):
        fee_by_items(bad)
    with pytest.raises(FeeError):
        fee_by_pages(bad)


def test_negative_monthly_count_is_refused():
    with pytest.raises(FeeError):
        fee_by_items(3, already_this_month=-2)


def test_pages_do_not_accumulate_over_the_month():
    with pytest.raises(FeeError):
        fee_for_application(pages=40, already_this_month=3)


def test_as_dict():
    data = fee_by_pages(31).as_dict()
    assert data["method"] == "pages"
    assert data["amount_yuan"] == 10
    assert data["bands"][1] == {"from": 31, "to": 100, "rate": 10, "count": 1, "subtotal": 10}


def test_band_reads_like_its_json_dict():
    band = fee_by_items(35).bands[2]
    assert (band["from"], band["to"], band["rate"], band["count"], band["subtotal"]) == (
        31,
        40,
        200,
        5,
        1000,
    )
