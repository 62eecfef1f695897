"""Reading a year's holiday schedule from a file, validating everything before anything is written.

Two formats:

JSON::

    {"year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知（…）",
     "holidays": [{"date": "2027-01-01", "name": "元旦"}, ...],
     "workdays": [{"date": "2027-02-07", "name": "春节"}, ...]}

CSV (UTF-8, header ``date,kind,name``; kind is ``holiday``/``workday`` or 放假/上班; the year comes
from the dates and the source from ``--source``).

Every problem is collected (with its line or field) so one run shows them all; nothing is returned
unless the whole file is valid.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gongkai.security.text import CONTROL_MESSAGE, has_forbidden_chars

WEEKDAY_NAMES = "一二三四五六日"
KIND_ALIASES = {
    "holiday": "holiday",
    "放假": "holiday",
    "节假日": "holiday",
    "workday": "workday",
    "上班": "workday",
    "调休上班": "workday",
    "调休": "workday",
}
JSON_KEYS = {"year", "source", "holidays", "workdays"}
CSV_HEADER = ["date", "kind", "name"]
MIN_YEAR, MAX_YEAR = 1949, 2200
# A real year's schedule is a few KB; anything far larger is not one (and is not read into memory
# twice to find out).
MAX_FILE_BYTES = 256 * 1024
MAX_NAME = 100  # SpecialDay.name


class CalendarImportError(Exception):
    """The file (or the request) is not acceptable; ``errors`` lists every problem in Chinese."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))

    @property
    def message(self) -> str:
        return "\n".join(self.errors)


@dataclass(frozen=True)
class YearSchedule:
    year: int
    source: str
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: dict[date, str] = field(default_factory=dict)


@dataclass
class _Entry:
    where: str  # "第 3 行" or "holidays[2]"
    day: date
    kind: str
    name: str


def _parse_date(text: Any, where: str, errors: list[str]) -> date | None:
    if not isinstance(text, str) or not text.strip():
        errors.append(f"{where}：缺少日期。")
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        shown = text[:40] if not has_forbidden_chars(text) else "（含控制字符）"
        errors.append(f"{where}：日期「{shown}」无效，应为 YYYY-MM-DD 格式的真实日期。")
        return None


def _check_name(name: str, where: str, errors: list[str]) -> str:
    text = name.strip()
    if has_forbidden_chars(text):
        errors.append(f"{where}：{CONTROL_MESSAGE}")
        return ""
    if len(text) > MAX_NAME:
        errors.append(f"{where}：名称过长，不得超过 {MAX_NAME} 个字符。")
        return ""
    return text


def _check_entries(entries: list[_Entry], year: int | None, errors: list[str]) -> None:
    """Rules that need all entries: one year, no duplicates, weekend/weekday sanity."""
    seen: dict[date, _Entry] = {}
    for entry in entries:
        weekday = entry.day.weekday()
        label = f"{entry.day.isoformat()}（星期{WEEKDAY_NAMES[weekday]}）"
        if year is not None and entry.day.year != year:
            errors.append(f"{entry.where}：日期 {entry.day.isoformat()} 不属于 {year} 年。")
        previous = seen.get(entry.day)
        if previous is not None:
            if previous.kind != entry.kind:
                errors.append(
                    f"{entry.where}：日期 {entry.day.isoformat()} 同时被列为放假和调休上班"
                    f"（另见{previous.where}）。"
                )
            else:
                errors.append(
                    f"{entry.where}：日期 {entry.day.isoformat()} 重复（另见{previous.where}）。"
                )
            continue
        seen[entry.day] = entry
        if entry.kind == "workday" and weekday < 5:
            errors.append(
                f"{entry.where}：调休上班日 {label}不是周末——工作日本来就上班，请检查日期或类型。"
            )
        if entry.kind == "holiday" and weekday >= 5 and not entry.name:
            errors.append(
                f"{entry.where}：放假日 {label}是周末，周末本来就休息；"
                "如确属节日假期的一部分，请填写节日名称。"
            )


def _schedule(entries: list[_Entry], year: int, source: str) -> YearSchedule:
    return YearSchedule(
        year=year,
        source=source,
        holidays={e.day: e.name for e in entries if e.kind == "holiday"},
        workdays={e.day: e.name for e in entries if e.kind == "workday"},
    )


def _require_source(source: Any, errors: list[str]) -> str:
    if source is not None and not isinstance(source, str):
        errors.append("来源（source）应为文字（通知名称及文号），不能是数字、列表或对象。")
        return ""
    text = (source or "").strip()
    if has_forbidden_chars(text):
        errors.append(f"来源（source）{CONTROL_MESSAGE}")
        return ""
    if not text:
        errors.append("缺少来源（source）：请填写所依据的国务院办公厅通知名称及文号。")
    elif len(text) > 500:
        errors.append("来源（source）过长：不得超过 500 个字符。")
    return text


def _check_year(value: Any, where: str, errors: list[str]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(f"{where}：年份「{value}」无效，应为整数，例如 2027。")
        return None
    if not MIN_YEAR <= value <= MAX_YEAR:
        errors.append(f"{where}：年份 {value} 超出合理范围（{MIN_YEAR}–{MAX_YEAR}）。")
        return None
    return value


def _json_entries(data: dict[str, Any], key: str, kind: str, errors: list[str]) -> list[_Entry]:
    items = data.get(key, [])
    if not isinstance(items, list):
        errors.append(f"字段 {key}：应为列表。")
        return []
    entries = []
    for index, raw in enumerate(items):
        where = f"字段 {key}[{index}]"
        item = {"date": raw} if isinstance(raw, str) else raw  # a bare date string is allowed too
        if not isinstance(item, dict):
            errors.append(f'{where}：应为 {{"date": ..., "name": ...}} 形式的对象。')
            continue
        extra = sorted(set(item) - {"date", "name"})
        if extra:
            errors.append(f"{where}：不认识的字段 {', '.join(extra)}（只允许 date、name）。")
        name = item.get("name") or ""
        if not isinstance(name, str):
            errors.append(f"{where}.name：名称应为文字。")
            name = ""
        name = _check_name(name, f"{where}.name", errors)
        day = _parse_date(item.get("date"), f"{where}.date", errors)
        if day is not None:
            entries.append(_Entry(where, day, kind, name))
    return entries


def parse_json(text: str, *, source: str | None = None) -> YearSchedule:
    errors: list[str] = []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalendarImportError(
            [f"第 {exc.lineno} 行第 {exc.colno} 列：不是有效的 JSON（{exc.msg}）。"]
        ) from None
    except RecursionError:  # "[[[[…" nested thousands deep: no schedule looks like that
        raise CalendarImportError(["JSON 嵌套层次过深，不是节假日安排文件。"]) from None
    if not isinstance(data, dict):
        raise CalendarImportError(['JSON 顶层应为对象：{"year": ..., "holidays": [...]}。'])
    unknown = sorted(set(data) - JSON_KEYS)
    if unknown:
        errors.append(
            f"不认识的字段 {', '.join(unknown)}（只允许 year、source、holidays、workdays）。"
        )
    if "year" not in data:
        errors.append("缺少字段 year（年份）。")
        year = None
    else:
        year = _check_year(data["year"], "字段 year", errors)
    chosen_source = _require_source(source or data.get("source"), errors)
    entries = _json_entries(data, "holidays", "holiday", errors)
    entries += _json_entries(data, "workdays", "workday", errors)
    if not any(e.kind == "holiday" for e in entries) and not errors:
        errors.append("字段 holidays 为空：一年的安排至少应有放假日期。")
    _check_entries(entries, year, errors)
    if errors or year is None:
        raise CalendarImportError(errors)
    return _schedule(entries, year, chosen_source)


def parse_csv(text: str, *, source: str | None = None) -> YearSchedule:
    errors: list[str] = []
    chosen_source = _require_source(source, errors)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise CalendarImportError(["CSV 文件为空：第 1 行应为表头 date,kind,name。", *errors])
    header = [cell.strip().lower() for cell in rows[0]]
    if header != CSV_HEADER:
        raise CalendarImportError(
            [f"第 1 行：表头应为 date,kind,name，实为 {','.join(rows[0])}。", *errors]
        )
    entries: list[_Entry] = []
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = f"第 {lineno} 行"
        if len(row) not in (2, 3):
            errors.append(f"{where}：应有 2–3 列（date,kind,name），实有 {len(row)} 列。")
            continue
        raw_kind = row[1].strip()
        kind = KIND_ALIASES.get(raw_kind.lower())
        if kind is None:
            errors.append(f"{where} kind 列：类型「{raw_kind}」无效，应为 holiday 或 workday。")
        day = _parse_date(row[0], f"{where} date 列", errors)
        name = _check_name(row[2] if len(row) == 3 else "", f"{where} name 列", errors)
        if day is not None and kind is not None:
            entries.append(_Entry(where, day, kind, name))
    years = sorted({e.day.year for e in entries})
    if len(years) > 1:
        errors.append(
            f"文件中的日期跨越多个年份（{'、'.join(map(str, years))}）：一个文件只能导入一年。"
        )
    if not entries and not errors:
        errors.append("CSV 文件没有任何日期行。")
    elif entries and not any(e.kind == "holiday" for e in entries):
        errors.append("文件中没有放假日期：一年的安排至少应有放假日期。")
    year = years[0] if len(years) == 1 else None
    _check_entries(entries, year, errors)
    if errors or year is None:
        raise CalendarImportError(errors)
    return _schedule(entries, year, chosen_source)


def decode(raw: bytes, where: str = "文件") -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CalendarImportError([f"{where}不是 UTF-8 编码：请另存为 UTF-8 后再导入。"]) from None


def parse_bytes(raw: bytes, *, filename: str = "", source: str | None = None) -> YearSchedule:
    """Parse by extension (.json/.csv), or by content when the extension says nothing."""
    if len(raw) > MAX_FILE_BYTES:
        raise CalendarImportError(
            [f"文件过大：节假日安排文件不应超过 {MAX_FILE_BYTES // 1024} KB。"]
        )
    text = decode(raw)
    suffix = Path(filename).suffix.lower()
    is_json = suffix == ".json" or (suffix != ".csv" and text.lstrip().startswith("{"))
    return parse_json(text, source=source) if is_json else parse_csv(text, source=source)


def parse_file(path: Path, *, source: str | None = None) -> YearSchedule:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CalendarImportError([f"无法读取文件 {path}：{exc.strerror or exc}。"]) from None
    return parse_bytes(raw, filename=path.name, source=source)


def check_schedule(schedule: YearSchedule) -> None:
    """The same rules for a schedule built in code (bundled data, admin forms)."""
    errors: list[str] = []
    _check_year(schedule.year, "年份", errors)
    _require_source(schedule.source, errors)
    entries = [_Entry(f"放假日 {d}", d, "holiday", n) for d, n in schedule.holidays.items()]
    entries += [_Entry(f"调休上班日 {d}", d, "workday", n) for d, n in schedule.workdays.items()]
    if not schedule.holidays:
        errors.append(f"{schedule.year} 年的安排没有放假日期。")
    _check_entries(entries, schedule.year, errors)
    if errors:
        raise CalendarImportError(errors)
