"""Table 二 (主动公开政府信息情况) from the records, for an agency or a region subtree and a year.

Rules and normative documents are counted from the items (kind 规章 / 行政规范性文件, published
at least once, not withdrawn): issued = 成文日期 in the year; repealed = validity 已废止/已失效
changed in the year; in force = issued by 31 December and not repealed or expired by then.
Decision counts and the fee amount are entered per year (``RegisterYear``); a figure nobody
entered stays ``None`` (blank is not zero).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from gongkai.disclosure import actions
from gongkai.disclosure.errors import DisclosureError, NotPermittedError
from gongkai.disclosure.models import ItemKind, RegisterYear, Validity
from gongkai.disclosure.states import ItemStatus
from gongkai.eventlog.services import record

ENTERED_FIELDS = ("licensing_decisions", "penalty_decisions", "coercion_decisions", "fees_wan_yuan")
ENDED = (Validity.REPEALED, Validity.EXPIRED)
MAX_FEES = Decimal("9999999999.9999")


class RegisterError(DisclosureError):
    message = "表二登记数据无效。"


def _document_counts(agency_ids: list[int], year: int, kind: str) -> dict[str, int]:
    from gongkai.disclosure.models import Item  # noqa: PLC0415

    start, end = date(year, 1, 1), date(year, 12, 31)
    base = Item.objects.filter(
        agency_id__in=agency_ids, kind=kind, first_published_at__isnull=False
    ).exclude(status=ItemStatus.WITHDRAWN)
    ended_by_end = Q(validity__in=ENDED, validity_changed_on__lte=end)
    counts = base.aggregate(
        issued=Count("pk", filter=Q(written_date__gte=start, written_date__lte=end)),
        repealed=Count(
            "pk",
            filter=Q(
                validity__in=ENDED, validity_changed_on__gte=start, validity_changed_on__lte=end
            ),
        ),
        in_force=Count("pk", filter=Q(written_date__lte=end) & ~ended_by_end),
    )
    return {key: int(value) for key, value in counts.items()}


def _sum(values: list[Any]) -> Any:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def table2(agencies: Any, year: int) -> dict[str, dict[str, Any]]:
    """The ``table2`` object of the report JSON (2021 format keys, LAW.md §1.1)."""
    agency_ids = [a.pk for a in agencies]
    entered = list(RegisterYear.objects.filter(agency_id__in=agency_ids, year=year))
    fees = _sum([row.fees_wan_yuan for row in entered])
    return {
        "regulations": _document_counts(agency_ids, year, ItemKind.RULE),
        "normative_documents": _document_counts(agency_ids, year, ItemKind.NORMATIVE),
        "licensing": {"decisions": _sum([r.licensing_decisions for r in entered])},
        "penalty": {"decisions": _sum([r.penalty_decisions for r in entered])},
        "coercion": {"decisions": _sum([r.coercion_decisions for r in entered])},
        "fees": {"amount_wan_yuan": float(fees) if fees is not None else None},
    }


def region_agencies(region: Any) -> Any:
    from gongkai.agencies.models import Agency  # noqa: PLC0415

    return Agency.objects.filter(region__path__startswith=region.path).order_by("pk")


def _check_actor(actor: Any, agency: Any) -> None:
    from gongkai.disclosure.services import _is_admin, _require_any_role  # noqa: PLC0415

    if actor is not None and not _is_admin(actor, agency):
        _require_any_role(actor, agency, ("drafter",), "只有本单位管理员或信息员可以登记表二数据。")
    if actor is not None and not agency.active:
        raise NotPermittedError


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ENTERED_FIELDS:
        raw = values.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            out[name] = None
            continue
        if name == "fees_wan_yuan":
            try:
                amount = Decimal(str(raw).strip())
            except InvalidOperation:
                raise RegisterError("收费金额应为数字（万元，最多4位小数）。") from None
            if (
                not amount.is_finite()
                or amount < 0
                or amount > MAX_FEES
                or amount != amount.quantize(Decimal("0.0001"))
            ):
                raise RegisterError("收费金额应为非负数（万元，最多4位小数）。")
            out[name] = amount
        else:
            try:
                number = int(str(raw).strip())
            except ValueError:
                raise RegisterError("处理决定数应为非负整数。") from None
            if number < 0 or number > 10**9:
                raise RegisterError("处理决定数应为非负整数。")
            out[name] = number
    return out


def _check_year(year: Any) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise RegisterError("年度无效。") from None
    if not 2008 <= year <= 2100:
        raise RegisterError("年度应在 2008–2100 之间。")
    return year


def set_register_year(agency: Any, *, actor: Any, year: Any, **values: Any) -> RegisterYear:
    """Enter (or correct) one year's decision counts and fee amount."""
    _check_actor(actor, agency)
    year = _check_year(year)
    cleaned = _clean(values)
    with transaction.atomic():
        RegisterYear.objects.bulk_create(
            [RegisterYear(agency=agency, year=year)], ignore_conflicts=True
        )
        row = RegisterYear.objects.select_for_update().get(agency=agency, year=year)
        before = {name: _json(getattr(row, name)) for name in ENTERED_FIELDS}
        for name, value in cleaned.items():
            setattr(row, name, value)
        row.save(update_fields=[*ENTERED_FIELDS, "updated_at"])
        record(
            action=actions.REGISTER_UPDATED,
            actor=actor,
            obj=row,
            agency=agency,
            before=before,
            after={"year": year} | {n: _json(getattr(row, n)) for n in ENTERED_FIELDS},
        )
    return row


def _json(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def import_csv(agency: Any, *, actor: Any, text: str) -> int:
    """Import rows ``year,licensing_decisions,penalty_decisions,coercion_decisions,
    fees_wan_yuan`` (Chinese headers 年度,行政许可,行政处罚,行政强制,收费金额 also accepted).
    All or nothing: one bad row and nothing is saved. Returns the number of years imported."""
    aliases = {
        "年度": "year",
        "行政许可": "licensing_decisions",
        "行政处罚": "penalty_decisions",
        "行政强制": "coercion_decisions",
        "收费金额": "fees_wan_yuan",
    }
    if "\x00" in text or len(text) > 200_000:
        raise RegisterError("CSV 文件无效。")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None:
        raise RegisterError("CSV 文件是空的。")
    header = [aliases.get(h.strip(), h.strip()) for h in reader.fieldnames]
    if "year" not in header:
        raise RegisterError("CSV 第一行须包含「年度」（year）列。")
    rows = []
    for number, raw in enumerate(reader, start=2):
        values = {aliases.get((k or "").strip(), (k or "").strip()): v for k, v in raw.items()}
        try:
            year = _check_year(values.get("year"))
            rows.append((year, _clean({k: values.get(k) for k in ENTERED_FIELDS})))
        except RegisterError as exc:
            raise RegisterError(f"第 {number} 行：{exc.message}") from None
    if len({year for year, _ in rows}) != len(rows):
        raise RegisterError("CSV 中同一年度出现了多次。")
    with transaction.atomic():
        for year, values in rows:
            set_register_year(agency, actor=actor, year=year, **values)
    return len(rows)
