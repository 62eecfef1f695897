"""Year on year: the figures a supervisor compares (new applications, outcomes, appeals)."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.reportdoc.model import Number, Report

ROWS: tuple[tuple[str, str], ...] = (
    ("table3.new_received.total", "本年新收申请"),
    ("table3.carried_over.total", "上年结转申请"),
    ("table3.granted.total", "予以公开"),
    ("table3.partially_granted.total", "部分公开"),
    ("table3.unable_not_held.total", "本机关不掌握相关政府信息"),
    ("table3.total_processed.total", "办理结果总计"),
    ("table3.carried_forward.total", "结转下年度继续办理"),
    ("table4.reconsideration.total", "行政复议总计"),
    ("table4.reconsideration.corrected", "行政复议结果纠正"),
    ("table4.litigation_direct.total", "未经复议直接起诉总计"),
    ("table4.litigation_after_reconsideration.total", "复议后起诉总计"),
)


@dataclass(frozen=True)
class Change:
    label: str
    this_year: Number
    last_year: Number

    @property
    def delta(self) -> Number:
        if self.this_year is None or self.last_year is None:
            return None  # a blank is not zero: no change can be computed
        return self.this_year - self.last_year


def change_table(current: Report, previous: Report) -> list[Change]:
    return [Change(label, current.cell(path), previous.cell(path)) for path, label in ROWS]
