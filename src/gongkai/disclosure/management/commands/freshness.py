"""``gongkai freshness (--agency AGENCY | --region REGION) [--today YYYY-MM-DD] [--warn-days N]
[--json]``.

Exit 0 when the site (every agency of the region and below) passes 19号's single-veto checks, 1
when one would fail, 2 on bad input.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from gongkai.agencies.models import Agency, Region
from gongkai.disclosure import freshness
from gongkai.disclosure.lookup import AgencyLookupError, find_agency

STATE_LABELS = {"blank": "空白", "stale": "不更新", "due_soon": "即将超期", "ok": "正常"}


class Command(BaseCommand):
    help = "栏目更新情况检查（空白栏目、不更新栏目、即将超期、单项否决、条例第二十六条）"

    def add_arguments(self, parser: Any) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--agency", help="机关全称、简称或统一社会信用代码")
        target.add_argument("--region", help="区域名称或行政区划代码（含下级区域的全部机关）")
        parser.add_argument("--today", help="检查日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--warn-days", type=int, default=freshness.DEFAULT_WARN_DAYS)
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str) -> None:
            # One Chinese line and exit 2, like the pure commands (no usage block).
            sys.stderr.write(f"gongkai freshness: 错误: {message}\n")
            sys.exit(2)

        parser.error = error  # type: ignore[method-assign]
        return parser

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            region = _find_region(options["region"]) if options["region"] else None
            agency = None if region else find_agency(options["agency"])
            today = _parse_day(options["today"])
            warn_days = options["warn_days"]
            if not 0 <= warn_days <= 365:
                raise ValueError("--warn-days 应在 0–365 之间。")
        except (AgencyLookupError, ValueError) as exc:
            sys.stderr.write(f"gongkai freshness: {exc}\n")
            sys.exit(2)
        if region is not None:
            self._region(region, today, warn_days, as_json=options["json"])
            return
        (entry,) = freshness.report([agency], today=today, warn_days=warn_days)
        if options["json"]:
            self.stdout.write(json.dumps(entry.to_json(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_text(entry))
        sys.exit(1 if entry.veto else 0)

    def _region(self, region: Any, today: date | None, warn_days: int, *, as_json: bool) -> None:
        agencies = Agency.objects.filter(region__in=region.descendants(), active=True).order_by(
            "region__name", "name", "pk"
        )
        entries = freshness.report(agencies, today=today, warn_days=warn_days)
        vetoed = [entry for entry in entries if entry.veto]
        if as_json:
            day = entries[0].today if entries else (today or timezone.localdate())
            data = {
                "region": region.name,
                "today": day.isoformat(),
                "agencies": [entry.to_json() for entry in entries],
                "single_veto_agencies": len(vetoed),
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            blocks = [_text(entry) for entry in entries] or [f"{region.name}没有机关。"]
            summary = f"{region.name}：{len(entries)} 个机关，{len(vetoed)} 个触及单项否决。"
            self.stdout.write("\n\n".join([*blocks, summary]))
        sys.exit(1 if vetoed else 0)


def _find_region(value: str) -> Any:
    value = value.strip()
    matches = list(Region.objects.filter(Q(name=value) | Q(division_code=value))[:2])
    if len(matches) != 1:
        raise ValueError(
            f"没有找到区域「{value}」。"
            if not matches
            else f"区域「{value}」不唯一，请用行政区划代码。"
        )
    return matches[0]


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"日期「{value}」无效，应为 YYYY-MM-DD。") from None


def _text(entry: freshness.AgencyFreshness) -> str:
    lines = [f"{entry.agency} 栏目更新情况（{entry.today.isoformat()}）"]
    for state in ("stale", "due_soon", "blank"):
        columns = entry.by_state(state)
        if columns:
            names = "、".join(
                c.name + ("（有无内容说明）" if state == "blank" and c.has_statement else "")
                for c in columns
            )
            lines.append(f"{STATE_LABELS[state]}栏目 {len(columns)} 个：{names}")
    if not any(entry.by_state(s) for s in ("stale", "due_soon", "blank")):
        lines.append("全部栏目按要求更新。")
    lines.append(
        f"条例第二十六条：逾期发布 {entry.late_published} 条，超过20个工作日仍未发布 "
        f"{entry.overdue_unpublished} 条。"
    )
    if entry.veto:
        lines.append("单项否决：" + "；".join(entry.veto))
    else:
        lines.append("单项否决：未触及。")
    return "\n".join(lines)
