"""``gongkai applications import FILE --agency A [--dry-run] [--json]``: historical cases.

All or nothing: exit 2 with every error (line numbers, Chinese) when any line is invalid;
nothing is written. ``--dry-run`` checks and reports without writing.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from gongkai.applications.importing import import_cases
from gongkai.applications.lookup import NotFoundError, resolve_agency
from gongkai.applications.reminders import send_reminders


def _fail(message: str) -> None:
    sys.stderr.write(f"gongkai applications: 错误: {message}\n")
    raise SystemExit(2)


class Command(BaseCommand):
    help = "依申请公开：import 导入历史申请（CSV 或 XLSX，全部成功或全部不写入）。"

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):  # type: ignore[override]
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _fail  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import}")
        imp = sub.add_parser("import", help="导入历史申请")
        imp.error = _fail  # type: ignore[method-assign]
        imp.add_argument("file", type=Path, help="CSV（UTF-8）或 XLSX 文件，首行为表头")
        imp.add_argument("--agency", required=True, help="机关全称、简称或统一社会信用代码")
        imp.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        imp.add_argument("--json", action="store_true", help="输出 JSON 报告")
        remind = sub.add_parser("remind", help="发送今日办理提醒邮件（每日运行一次）")
        remind.error = _fail  # type: ignore[method-assign]
        remind.add_argument("--today", help="按该日期计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **options) -> None:
        if options["action"] == "remind":
            self._remind(options.get("today"))
            return
        path: Path = options["file"]
        try:
            agency = resolve_agency(options["agency"])
        except NotFoundError as exc:
            _fail(str(exc))
        try:
            raw = path.read_bytes()
        except OSError as exc:
            _fail(f"无法读取文件 {path}：{exc.strerror or exc}")
        report = import_cases(raw, filename=path.name, agency=agency, dry_run=options["dry_run"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        if report.errors:
            if not options["json"]:
                self.stderr.write(f"导入失败（未写入任何数据）：{path}")
                for line in report.errors:
                    self.stderr.write(f"  - {line}")
            raise SystemExit(2)
        if not options["json"]:
            years = "，".join(f"{y} 年 {n} 件" for y, n in sorted(report.by_year.items()))
            verb = "检查通过（未写入，--dry-run）" if options["dry_run"] else "已导入"
            self.stdout.write(
                f"{verb}：{agency.name} 共 {report.rows} 件（办结 {report.closed_cases} 件，"
                f"办理中 {report.open_cases} 件；{years}）。"
            )

    def _remind(self, raw: str | None) -> None:
        try:
            today = date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            _fail(f"日期「{raw}」应为 YYYY-MM-DD")
        sent = send_reminders(today)
        self.stdout.write(f"{today.isoformat()}：已发送提醒邮件 {sent} 封。")
