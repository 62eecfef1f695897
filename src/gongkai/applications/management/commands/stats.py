"""``gongkai stats table3 (--agency A | --region R) --year N [--json]``: table 三 from the cases.

Exit status: 0 success, 2 bad input (one Chinese line on stderr).
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandParser

from gongkai.applications import stats
from gongkai.applications.lookup import NotFoundError, resolve_agency, resolve_region
from gongkai.law.report_format import FORMATS

COLUMN_LABELS = [c.label for c in FORMATS["2021"].table3_columns]


def _fail(message: str) -> None:
    sys.stderr.write(f"gongkai stats: 错误: {message}\n")
    raise SystemExit(2)


class Command(BaseCommand):
    help = "统计：table3 按依申请公开案件生成年度报告表三（收到和处理政府信息公开申请情况）。"

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):  # type: ignore[override]
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.error = _fail  # type: ignore[method-assign]
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="table", required=True, metavar="{table3}")
        t3 = sub.add_parser("table3", help="年度报告表三")
        t3.error = _fail  # type: ignore[method-assign]
        scope = t3.add_mutually_exclusive_group(required=True)
        scope.add_argument("--agency", help="机关全称、简称或统一社会信用代码")
        scope.add_argument("--region", help="地区名称或行政区划代码（含下级地区的全部机关）")
        t3.add_argument("--year", required=True, help="年度，如 2026")
        t3.add_argument("--json", action="store_true", help="输出年报 JSON")

    def handle(self, *args, **options) -> None:
        try:
            year = int(options["year"])
        except ValueError:
            _fail(f"年度「{options['year']}」应为四位数字")
        if not 2008 <= year <= 2100:
            _fail(f"年度 {year} 不在 2008–2100 之间")
        try:
            scope = (
                resolve_agency(options["agency"])
                if options.get("agency")
                else resolve_region(options["region"])
            )
        except NotFoundError as exc:
            _fail(str(exc))
        data = stats.report_json(scope, year)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self._text(scope.name, year, data)

    def _text(self, name: str, year: int, data: dict) -> None:
        self.stdout.write(f"{name} {year} 年度 表三：收到和处理政府信息公开申请情况")
        self.stdout.write("\t".join(["项目", *COLUMN_LABELS]))
        for key, cells in data["table3"].items():
            values = [str(v) for v in cells.values()]
            self.stdout.write("\t".join([stats.row_label(key), *values]))
        if data["findings"]:
            for finding in data["findings"]:
                self.stdout.write(f"[{finding['rule']}] {finding['message']}")
        else:
            self.stdout.write("勾稽关系（S1、T1、T2）全部成立。")
