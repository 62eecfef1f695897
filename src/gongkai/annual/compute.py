"""Tables 二/三/四 and the prefilled prose, counted from the platform's records.

Table 二 is ``disclosure.register.table2``, table 三 ``applications.stats.table3`` and table 四
``appeals.stats.table4`` (the reconsideration/litigation register).
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, Sum

from gongkai.appeals.stats import table4
from gongkai.applications.models import Application, ClockEvent, ClockKind
from gongkai.applications.stats import table3
from gongkai.disclosure.models import ChannelState, ChannelStatus, Item
from gongkai.disclosure.register import region_agencies, table2
from gongkai.disclosure.states import ItemStatus
from gongkai.law.report_format import FORMAT_2021

FORMAT = FORMAT_2021
TZ = ZoneInfo("Asia/Shanghai")


def compute_tables(agencies: list[Any], scope: Any, year: int) -> dict[str, Any]:
    return {
        "table2": table2(agencies, year),
        "table3": table3(scope, year),
        "table4": table4(scope, year),
    }


def region_ids(region: Any) -> list[int]:
    return list(region_agencies(region).values_list("pk", flat=True))


def flat_cells(tables: dict[str, Any]) -> dict[str, Any]:
    """``{"table3.granted.total": 4, …}`` with zero and blank cells left out."""
    return {
        f"{name}.{row}.{col}": value
        for name, table in tables.items()
        for row, cells in table.items()
        for col, value in cells.items()
        if value
    }


def agency_parts(agencies: list[Any], year: int) -> dict[str, Any]:
    """Each agency's own tables, for the drill-down of a combined report (same queries as an
    agency's report, so the parts add up to the region's tables)."""
    return {
        str(agency.pk): {
            "name": agency.name,
            "cells": flat_cells(compute_tables([agency], agency, year)),
        }
        for agency in agencies
    }


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return (
        datetime.combine(date(year, 1, 1), time.min, TZ),
        datetime.combine(date(year + 1, 1, 1), time.min, TZ),
    )


def published_items(agency_ids: list[int], year: int) -> Any:
    start, end = _year_bounds(year)
    return (
        Item.objects.filter(
            agency_id__in=agency_ids, first_published_at__gte=start, first_published_at__lt=end
        )
        .exclude(status=ItemStatus.WITHDRAWN)
        .order_by()
    )


def overview_facts(agency_ids: list[int], year: int, t3: dict[str, Any]) -> dict[str, Any]:
    items = published_items(agency_ids, year)
    per_column = list(
        items.values("column__name").annotate(n=Count("pk")).order_by("-n", "column__name")
    )
    per_channel = list(
        ChannelState.objects.filter(item__in=items, status=ChannelStatus.PUBLISHED)
        .values("channel")
        .annotate(n=Count("pk"))
        .order_by("channel")
    )
    first, last = date(year, 1, 1), date(year, 12, 31)
    closed = Application.objects.filter(
        agency_id__in=agency_ids, closed_on__gte=first, closed_on__lte=last
    )
    on_time = closed.filter(Q(due_on__isnull=True) | Q(closed_on__lte=F("due_on"))).count()
    return {
        "items": sum(row["n"] for row in per_column),
        "per_column": [(row["column__name"], row["n"]) for row in per_column],
        "per_channel": [(row["channel"], row["n"]) for row in per_channel],
        "received": t3["new_received"]["total"],
        "carried_over": t3["carried_over"]["total"],
        "processed": t3["total_processed"]["total"],
        "on_time": on_time,
    }


def fee_facts(agency_ids: list[int], year: int) -> dict[str, Any]:
    events = ClockEvent.objects.filter(
        application__agency_id__in=agency_ids, on__year=year
    ).order_by()
    notices = events.filter(kind=ClockKind.FEE_NOTICE).aggregate(
        n=Count("pk"), amount=Sum("amount_yuan")
    )
    paid_apps = events.filter(kind=ClockKind.FEE_PAID).values("application_id")
    collected = (
        ClockEvent.objects.filter(kind=ClockKind.FEE_NOTICE, application_id__in=paid_apps)
        .order_by()
        .aggregate(amount=Sum("amount_yuan"))["amount"]
    )
    return {
        "notices": int(notices["n"] or 0),
        "notified_yuan": int(notices["amount"] or 0),
        "collected_yuan": int(collected or 0),
    }


CHANNEL_LABELS = {"wechat": "政务微信公众号", "weibo": "政务微博", "portal": "门户网站"}


def overview_text(facts: dict[str, Any], year: int) -> str:
    columns = "、".join(f"“{name}”栏目{n}条" for name, n in facts["per_column"]) or "无"
    channels = "、".join(
        f"{CHANNEL_LABELS.get(name, name)}{n}条" for name, n in facts["per_channel"]
    )
    lines = [
        f"{year}年，本机关在政府信息公开专栏主动公开政府信息{facts['items']}条，其中{columns}。",
    ]
    if channels:
        lines.append(f"通过其他渠道同步发布：{channels}。")
    lines.append(
        f"全年共收到政府信息公开申请{facts['received']}件，上年结转{facts['carried_over']}件，"
        f"办结{facts['processed']}件，其中在法定期限内答复{facts['on_time']}件。"
    )
    return "\n".join(lines)


def fees_text(fees: dict[str, Any], year: int) -> str:
    if not fees["notices"]:
        return f"{year}年，本机关未收取信息处理费。"
    notified = Decimal(fees["notified_yuan"])
    collected = Decimal(fees["collected_yuan"])
    return (
        f"{year}年，本机关依据《政府信息公开信息处理费管理办法》发出收费通知{fees['notices']}份，"
        f"通知金额{notified}元，实际收取{collected}元。"
    )
