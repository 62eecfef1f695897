"""Import of historical cases from CSV (UTF-8, with or without BOM) or XLSX — all or nothing.

Columns (Chinese header or English alias; order free): 收到日期 ``received`` (required,
YYYY-MM-DD), 渠道 ``channel`` (required), 申请人类别 ``applicant_class`` (required), 申请人
``applicant`` (required), 证件号码 ``id_number``, 联系方式 ``contact``, 申请内容 ``request``
(required), 办结日期 ``decided`` (blank = still open), 办理结果 ``outcome`` (required exactly
when 办结日期 is given), 编号 ``number``. Every problem is reported with its line number; one bad
line and nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.agencies.validators import normalize_code, validate_credit_code
from gongkai.applications import actions, tally
from gongkai.applications.deadline import answer_deadline
from gongkai.applications.identity import validate_resident_id
from gongkai.applications.models import (
    FORMAT,
    NUMBER_FORMAT,
    ApplicantClass,
    Application,
    ApplicationCounter,
    IdType,
)
from gongkai.applications.services import NUMBER_RE, _require_handler
from gongkai.applications.states import Status
from gongkai.eventlog.services import record
from gongkai.law import clock
from gongkai.law.report_format import normalize_label
from gongkai.workdays.calendar import current_calendar

MAX_ERRORS = 200  # beyond this the file is clearly the wrong one; listing more helps nobody
MAX_BYTES = 50 * 1024 * 1024

COLUMNS: dict[str, tuple[str, ...]] = {
    "received": ("收到日期",),
    "channel": ("渠道",),
    "applicant_class": ("申请人类别",),
    "applicant": ("申请人",),
    "id_number": ("证件号码",),
    "contact": ("联系方式",),
    "request": ("申请内容",),
    "decided": ("办结日期",),
    "outcome": ("办理结果",),
    "number": ("编号",),
}
REQUIRED = ("received", "channel", "applicant_class", "applicant", "request")

CHANNELS = {
    "当面": "in_person",
    "邮寄": "post",
    "网络": "online",
    "传真": "fax",
    "电子邮件": "email",
    **{c.value: c.value for c in clock.Channel},
}
CLASSES = {
    "自然人": "natural_person",
    "商业企业": "commercial",
    "科研机构": "research",
    "社会公益组织": "social_welfare",
    "法律服务机构": "legal_services",
    "其他": "other_org",
    "其他组织": "other_org",
    **{c.value: c.value for c in ApplicantClass},
}
_ORDINAL_RE = re.compile(r"^(\(?[一二三四五六七八九十]+\)?\.?|\d+\.)")


def _outcome_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for row in FORMAT.table3_rows:
        if not row.leaf:
            continue
        index[row.key] = row.key
        for label in (row.label, row.full_label, *row.variants):
            index[normalize_label(label)] = row.key
    return index


OUTCOMES = _outcome_index()
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LIMITS = {"applicant": 200, "request": 4000, "contact": 300, "number": 40, "id_number": 40}


class ImportFileError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("；".join(errors))


@dataclass
class ImportReport:
    rows: int = 0
    open_cases: int = 0
    closed_cases: int = 0
    by_year: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    written: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "open": self.open_cases,
            "closed": self.closed_cases,
            "by_year": {str(k): v for k, v in sorted(self.by_year.items())},
            "errors": self.errors,
            "written": self.written,
        }


# ---------------------------------------------------------------------------------------------
# reading


def _header_map(header: list[Any], errors: list[str]) -> dict[str, int]:
    names = {alias: key for key, labels in COLUMNS.items() for alias in (key, *labels)}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = str(cell or "").strip().lstrip("\ufeff")
        if not text:
            continue
        key = names.get(text) or names.get(text.lower())
        if key is None:
            errors.append(f"第 1 行：无法识别的列「{text}」")
        elif key in found:
            errors.append(f"第 1 行：列「{text}」重复")
        else:
            found[key] = index
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in found]
    if missing:
        errors.append(f"第 1 行：缺少必填列：{'、'.join(missing)}")
    return found


def _csv_rows(raw: bytes) -> Iterator[list[Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            ["文件不是 UTF-8 编码的 CSV（请在 Excel/WPS 中另存为 CSV UTF-8）"]
        ) from None
    yield from csv.reader(io.StringIO(text, newline=""))


def _xlsx_rows(raw: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook  # noqa: PLC0415  (only XLSX imports need it)

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken file
        raise ImportFileError(["无法读取 XLSX 文件（文件已损坏或不是 Excel 工作簿）"]) from None
    sheet = book.worksheets[0]
    for values in sheet.iter_rows(values_only=True):
        yield list(values)
    book.close()


def read_table(raw: bytes, filename: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, {column key: raw value}) for each non-empty data row."""
    if len(raw) > MAX_BYTES:
        raise ImportFileError([f"文件过大（超过 {MAX_BYTES // 1024 // 1024} MB）"])
    is_xlsx = filename.lower().endswith(".xlsx") or raw[:2] == b"PK"
    rows = _xlsx_rows(raw) if is_xlsx else _csv_rows(raw)
    errors: list[str] = []
    header = next(rows, None)
    if header is None:
        raise ImportFileError(["文件为空"])
    columns = _header_map(list(header), errors)
    if errors:
        raise ImportFileError(errors)
    for offset, values in enumerate(rows, start=2):
        if not any(str(v).strip() for v in values if v is not None):
            continue
        yield (
            offset,
            {key: values[index] if index < len(values) else None for key, index in columns.items()},
        )


# ---------------------------------------------------------------------------------------------
# checking


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 13812345678 as a number
    return str(value).strip()


def _day(value: Any, what: str, line: int, errors: list[str]) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not _DATE_RE.match(text):
        errors.append(f"第 {line} 行：{what}「{text}」应为 YYYY-MM-DD 格式的日期")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(f"第 {line} 行：{what}「{text}」不是有效日期")
        return None


def _outcome(text: str) -> str | None:
    if text in OUTCOMES:
        return OUTCOMES[text]
    folded = normalize_label(text)
    if folded in OUTCOMES:
        return OUTCOMES[folded]
    stripped = _ORDINAL_RE.sub("", folded)
    return OUTCOMES.get(stripped)


def _identity(number: str, klass: str) -> tuple[str, str]:
    if not number:
        return IdType.NONE, ""
    if klass == ApplicantClass.NATURAL_PERSON:
        return IdType.RESIDENT_ID, validate_resident_id(number)
    validate_credit_code(number)
    return IdType.CREDIT_CODE, normalize_code(number)


def _contact(text: str) -> dict[str, str]:
    if "@" in text and " " not in text:
        return {"contact_email": text}
    if re.fullmatch(r"[\d\-+() ]{5,40}", text):
        return {"contact_phone": text}
    return {"contact_address": text} if text else {}


def _check_row(line: int, raw: dict[str, Any], errors: list[str]) -> dict[str, Any] | None:
    before = len(errors)
    values = {key: _text(raw.get(key)) for key in COLUMNS if key not in ("received", "decided")}
    for key, limit in _LIMITS.items():
        if len(values.get(key, "")) > limit:
            errors.append(f"第 {line} 行：{COLUMNS[key][0]}过长（最多 {limit} 字）")
        if _CONTROL_RE.search(values.get(key, "")):
            errors.append(f"第 {line} 行：{COLUMNS[key][0]}含有控制字符")
    errors.extend(
        f"第 {line} 行：{COLUMNS[key][0]}不能为空"
        for key in REQUIRED
        if key != "received" and not values.get(key)
    )
    received = None
    if _text(raw.get("received")) or isinstance(raw.get("received"), date):
        received = _day(raw.get("received"), "收到日期", line, errors)
    else:
        errors.append(f"第 {line} 行：收到日期不能为空")
    channel = CHANNELS.get(values["channel"].lower()) if values.get("channel") else None
    if values.get("channel") and channel is None:
        errors.append(
            f"第 {line} 行：渠道「{values['channel']}」无效（当面、邮寄、网络、传真、电子邮件）"
        )
    klass = CLASSES.get(values.get("applicant_class", ""))
    if values.get("applicant_class") and klass is None:
        errors.append(f"第 {line} 行：申请人类别「{values['applicant_class']}」无效")
    id_type, id_number = IdType.NONE, ""
    if klass and values.get("id_number"):
        try:
            id_type, id_number = _identity(values["id_number"], klass)
        except ValidationError as exc:
            errors.append(f"第 {line} 行：证件号码无效：{' '.join(exc.messages)}")
    decided = None
    if _text(raw.get("decided")) or isinstance(raw.get("decided"), date):
        decided = _day(raw.get("decided"), "办结日期", line, errors)
    outcome = None
    if values.get("outcome"):
        outcome = _outcome(values["outcome"])
        if outcome is None:
            errors.append(f"第 {line} 行：办理结果「{values['outcome']}」不是表三中的一项具体结果")
        elif decided is None and not _text(raw.get("decided")):
            errors.append(f"第 {line} 行：填写了办理结果但没有办结日期")
    elif decided is not None:
        errors.append(f"第 {line} 行：有办结日期时必须填写办理结果")
    if received and decided and decided < received:
        errors.append(f"第 {line} 行：办结日期早于收到日期")
    number = values.get("number", "")
    if number and not NUMBER_RE.match(number):
        errors.append(f"第 {line} 行：编号「{number}」应为〔年份〕第N号的格式，如〔2026〕第0001号")
    if len(errors) > before:
        return None
    return {
        "line": line,
        "received_on": received,
        "channel": channel,
        "applicant_class": klass,
        "applicant_name": values["applicant"],
        "id_type": id_type,
        "id_number": id_number,
        "request_text": values["request"],
        "closed_on": decided,
        "outcome": outcome or "",
        "number": number,
        **_contact(values.get("contact", "")),
    }


def check_rows(rows: Iterable[tuple[int, dict[str, Any]]]) -> tuple[list[dict], list[str]]:
    errors: list[str] = []
    good: list[dict] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        checked = _check_row(line, raw, errors)
        if checked is not None:
            if checked["number"]:
                if checked["number"] in seen:
                    errors.append(
                        f"第 {line} 行：编号 {checked['number']} 与第 {seen[checked['number']]} "
                        "行重复"
                    )
                seen[checked["number"]] = line
            good.append(checked)
        if len(errors) >= MAX_ERRORS:
            errors.append(f"错误超过 {MAX_ERRORS} 条，停止检查")
            break
    return good, errors


# ---------------------------------------------------------------------------------------------
# writing


def _assign_numbers(agency: Agency, rows: list[dict], errors: list[str]) -> None:
    given = [r["number"] for r in rows if r["number"]]
    taken = set(
        Application.objects.filter(agency=agency, number__in=given).values_list("number", flat=True)
    )
    errors.extend(
        f"第 {row['line']} 行：编号 {row['number']} 已存在"
        for row in rows
        if row["number"] in taken
    )
    if errors:
        return
    top: dict[int, int] = {}
    for row in rows:
        if row["number"]:
            match = NUMBER_RE.match(row["number"])
            row["year"], row["seq"] = int(match.group(1)), int(match.group(2))
            top[row["year"]] = max(top.get(row["year"], 0), row["seq"])
    years = {r["received_on"].year for r in rows if not r["number"]} | set(top)
    for year in sorted(years):
        ApplicationCounter.objects.get_or_create(agency=agency, year=year)
    counters = {
        c.year: c
        for c in ApplicationCounter.objects.select_for_update().filter(
            agency=agency, year__in=years
        )
    }
    used = set(
        Application.objects.filter(agency=agency, year__in=years, seq__isnull=False).values_list(
            "year", "seq"
        )
    )
    for row in sorted(
        (r for r in rows if not r["number"]), key=lambda r: (r["received_on"], r["line"])
    ):
        counter = counters[row["received_on"].year]
        counter.last = max(counter.last, top.get(counter.year, 0)) + 1
        while (counter.year, counter.last) in used:
            counter.last += 1
        row["year"], row["seq"] = counter.year, counter.last
        row["number"] = NUMBER_FORMAT.format(year=counter.year, seq=counter.last)
    for year, seq in top.items():
        counters[year].last = max(counters[year].last, seq)
    errors.extend(
        f"第 {row['line']} 行：编号 {row['number']} 已存在"
        for row in rows
        if (row["year"], row["seq"]) in used
    )
    ApplicationCounter.objects.bulk_update(counters.values(), ["last"])


@dataclass
class _Case:
    """One imported case as plain values: the columns of its row (``Application`` field
    attnames) — what the tallies and the report read, without a model instance per line."""

    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


def _build(agency: Agency, row: dict, calendar: Any, base: dict[str, Any]) -> _Case:
    closed = row["closed_on"] is not None
    values = base | {
        "agency_id": agency.pk,
        "year": row["year"],
        "seq": row["seq"],
        "number": row["number"],
        "status": Status.CLOSED if closed else Status.IN_PROGRESS,
        "channel": row["channel"],
        "received_on": row["received_on"],
        "receipt_explanation": "历史数据导入：收到日期按原登记",
        "applicant_class": row["applicant_class"],
        "applicant_name": row["applicant_name"],
        "id_type": row["id_type"],
        "id_number": row["id_number"],
        "contact_phone": row.get("contact_phone", ""),
        "contact_email": row.get("contact_email", ""),
        "contact_address": row.get("contact_address", ""),
        "request_text": row["request_text"],
        "outcome": row["outcome"],
        "decided_on": row["closed_on"],
        "closed_on": row["closed_on"],
        "imported": True,
    }
    case = _Case(values)
    if not closed:  # only open cases need a live deadline
        deadline = answer_deadline(case, [], calendar)
        values["clock_start_on"] = deadline.clock_start
        values["due_on"] = deadline.due
        values["due_provisional"] = deadline.provisional
        values["due_explanation"] = list(deadline.explanation)
        values["correction_notice_due_on"] = clock.correction_notice_deadline(
            row["received_on"], calendar=calendar
        ).due
    return case


INSERT_BATCH = 5000


def _insert(cases: list[_Case]) -> None:
    """One prepared INSERT, executed for every batch of rows (``executemany``; on PostgreSQL
    one ``COPY … FROM STDIN``). Django's
    ``bulk_create`` compiles the SQL and prepares every value of every row through the field
    objects — three quarters of an import's time; here each column's conversion is decided
    once (only dates, times and JSON need the backend's representation) and the rows go to
    the driver as tuples. Same transaction, same constraints: all or nothing still holds."""
    conn = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the thread-local proxy
    fields = [f for f in Application._meta.concrete_fields if not f.primary_key]
    convert = [
        f if f.get_internal_type() in {"DateField", "DateTimeField", "JSONField"} else None
        for f in fields
    ]
    names = [f.attname for f in fields]
    caches: list[dict[Any, Any]] = [{} for _ in fields]  # dates repeat: convert each once
    quote = conn.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = quote(Application._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608  (names, no data)

    def prepared(index: int, value: Any) -> Any:
        field = convert[index]
        if field is None:
            return value
        if isinstance(value, list | dict):
            if value:
                return field.get_db_prep_save(value, conn)
            value = "[]" if isinstance(value, list) else "{}"  # the empty ones repeat
            cache = caches[index]
            if value not in cache:
                cache[value] = field.get_db_prep_save(json.loads(value), conn)
            return cache[value]
        cache = caches[index]
        if value not in cache:
            cache[value] = field.get_db_prep_save(value, conn)
        return cache[value]

    def row(case: _Case) -> tuple:
        values = case.values
        return tuple(prepared(i, values[name]) for i, name in enumerate(names))

    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # COPY streams the rows in one command (psycopg 3); still inside the transaction
            copy_sql = f"COPY {table} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for case in cases:
                    copy.write_row(row(case))
            return
        for i in range(0, len(cases), INSERT_BATCH):
            cursor.executemany(sql, [row(c) for c in cases[i : i + INSERT_BATCH]])


def _defaults() -> dict[str, Any]:
    now = timezone.now()
    base = {
        f.attname: f.get_default() for f in Application._meta.concrete_fields if not f.primary_key
    }
    base["created_at"] = base["updated_at"] = now
    return base


def import_cases(
    raw: bytes, *, filename: str, agency: Agency, actor: Any = None, dry_run: bool = False
) -> ImportReport:
    """Check every line, then (unless ``dry_run``) write all of them in one transaction."""
    if actor is not None:
        _require_handler(actor, agency)
    report = ImportReport()
    try:
        rows, errors = check_rows(read_table(raw, filename))
    except ImportFileError as exc:
        report.errors = exc.errors
        return report
    report.rows = len(rows)
    calendar = current_calendar()
    with transaction.atomic():
        if not errors:
            _assign_numbers(agency, rows, errors)
        if errors:
            report.errors = errors
            transaction.set_rollback(True)
            return report
        base = _defaults()
        cases = [_build(agency, row, calendar, base) for row in rows]
        for case in cases:
            report.by_year[case.year] = report.by_year.get(case.year, 0) + 1
        report.closed_cases = sum(1 for c in cases if c.closed_on)
        report.open_cases = len(cases) - report.closed_cases
        if dry_run:
            transaction.set_rollback(True)
            return report
        _insert(cases)
        tally.count_many(cases)  # counted in memory, one UPDATE per distinct key
        record(
            action=actions.IMPORTED,
            actor=actor,
            obj=agency,
            after={"file": filename[:200]} | report.as_dict(),
        )
        report.written = True
    return report
