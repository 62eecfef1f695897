"""What the calendar page says about coverage (pure functions of "today" and the loaded years)."""

from __future__ import annotations

from datetime import date

# The State Council usually publishes next year's schedule in late October to December.
WARN_FROM_MONTH = 11


def missing_schedule_warnings(today: date, loaded_years: set[int]) -> list[str]:
    warnings = []
    if today.year not in loaded_years:
        warnings.append(
            f"本年度（{today.year}年）的节假日安排尚未载入：今年的期限均按仅周末休息推算，"
            "结果为暂定。请尽快导入。"
        )
    next_year = today.year + 1
    if today.month >= WARN_FROM_MONTH and next_year not in loaded_years:
        warnings.append(
            f"{next_year}年节假日安排尚未载入。国务院办公厅公布《关于{next_year}年部分节假日安排的通知》后，"
            f"请及时导入（gongkai calendar import 文件）；在此之前，跨入{next_year}年的期限"
            "均按仅周末休息推算，结果为暂定，载入后将自动重新计算。"
        )
    return warnings
