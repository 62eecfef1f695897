"""The information-processing fee of 国办函〔2020〕109号 (LAW.md §3).

Two progressive schemes; one application is charged by exactly one of them:

* by count (按件): per applicant per calendar month, cumulative — the n-th application of the
  month falls in the band of n, whatever earlier applications cost;
* by volume (按量): per application, by pages.

Band reading [R]: 「以10件为一档，每增加一档，收费标准提高100元/件」 is read arithmetically:
31–40 at 200, 41–50 at 300, and so on without an upper limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

BASIS = "国办函〔2020〕109号"

ITEM_FREE = 10
ITEM_FIRST_PAID_TO = 30
ITEM_FIRST_RATE = 100
ITEM_BAND_SIZE = 10
ITEM_RATE_STEP = 100

# (from, to or None for open-ended, yuan per page)
PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (1, 30, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)


class FeeError(ValueError):
    """Bad fee input; the message is Chinese."""


@dataclass(frozen=True)
class Band:
    start: int
    end: int | None  # None: open-ended
    rate: int  # yuan per item/page
    count: int  # items/pages of this application in the band
    subtotal: int

    def as_dict(self) -> dict[str, int | None]:
        return {
            "from": self.start,
            "to": self.end,
            "rate": self.rate,
            "count": self.count,
            "subtotal": self.subtotal,
        }

    def __getitem__(self, key: str) -> int | None:
        # Callers may read a band like the JSON dict it becomes: band["from"].
        return self.as_dict()[key]


@dataclass(frozen=True)
class Fee:
    method: str  # "items" | "pages"
    amount_yuan: int
    bands: tuple[Band, ...]
    explanation: tuple[str, ...]
    quantity: int
    already_this_month: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "quantity": self.quantity,
            "already_this_month": self.already_this_month,
            "amount_yuan": self.amount_yuan,
            "bands": [b.as_dict() for b in self.bands],
            "explanation": list(self.explanation),
        }


def _check_count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FeeError(f"{what}必须是整数：{value!r}")
    if value < 0:
        raise FeeError(f"{what}不能为负数：{value}")
    return value


def _item_bands() -> Iterator[tuple[int, int | None, int]]:
    yield 1, ITEM_FREE, 0
    yield ITEM_FREE + 1, ITEM_FIRST_PAID_TO, ITEM_FIRST_RATE
    start, rate = ITEM_FIRST_PAID_TO + 1, ITEM_FIRST_RATE + ITEM_RATE_STEP
    while True:
        yield start, start + ITEM_BAND_SIZE - 1, rate
        start += ITEM_BAND_SIZE
        rate += ITEM_RATE_STEP


def _charge(
    first: int, last: int, bands: Iterator[tuple[int, int | None, int]]
) -> tuple[Band, ...]:
    """Split the units numbered ``first..last`` over the bands they fall in."""
    result: list[Band] = []
    for start, end, rate in bands:
        if start > last:
            break
        if end is not None and end < first:
            continue
        lo, hi = max(start, first), last if end is None else min(end, last)
        count = hi - lo + 1
        result.append(Band(start, end, rate, count, count * rate))
    return tuple(result)


def _unit_range(start: int, end: int | None, unit: str) -> str:
    return f"第{start}{unit}及以上" if end is None else f"第{start}–{end}{unit}"


def _band_line(band: Band, unit: str) -> str:
    where = _unit_range(band.start, band.end, unit)
    if band.rate == 0:
        return f"{where}免费：本次{band.count}{unit}"
    return f"{where}每{unit}{band.rate}元：{band.count}{unit} × {band.rate}元 = {band.subtotal}元"


def fee_by_items(n: int, already_this_month: int = 0) -> Fee:
    """Fee for an application of ``n`` items by an applicant who already applied for
    ``already_this_month`` items this calendar month (109号, 按件计收, cumulative)."""
    n = _check_count(n, "申请件数")
    already = _check_count(already_this_month, "本月此前已申请件数")
    bands = _charge(already + 1, already + n, _item_bands()) if n else ()
    amount = sum(b.subtotal for b in bands)
    lines = [f"按件计收（{BASIS}），同一申请人同一自然月内累计计算"]
    if n:
        lines.append(
            f"本月此前已申请 {already} 件，本次 {n} 件，为本月第{already + 1}–{already + n}件"
        )
    else:
        lines.append("本次申请件数为 0，不收费")
    lines += [_band_line(b, "件") for b in bands]
    lines.append(f"合计 {amount} 元")
    return Fee("items", amount, bands, tuple(lines), n, already)


def fee_by_pages(n: int) -> Fee:
    """Fee for ``n`` pages (109号, 按量计收: paper copies, e-mail, copied electronic data)."""
    n = _check_count(n, "页数")
    bands = _charge(1, n, iter(PAGE_BANDS)) if n else ()
    amount = sum(b.subtotal for b in bands)
    lines = [f"按量计收（{BASIS}），本次共 {n} 页"]
    lines += [_band_line(b, "页") for b in bands]
    lines.append(f"合计 {amount} 元")
    return Fee("pages", amount, bands, tuple(lines), n)


def fee_for_application(
    *, items: int | None = None, pages: int | None = None, already_this_month: int = 0
) -> Fee:
    """One application is charged by exactly one method (109号): refuse both or neither."""
    if items is not None and pages is not None:
        raise FeeError("同一申请只能选择一种计收方式：按件或按量，不能同时使用")
    if items is not None:
        return fee_by_items(items, already_this_month)
    if pages is not None:
        if already_this_month:
            raise FeeError("按量计收按单次申请计算，不累计本月此前的申请")
        return fee_by_pages(pages)
    raise FeeError("请指定计收方式：按件（件数）或按量（页数）")
