"""``gongkai search reindex [--agency AGENCY] [--json]``: rebuild the full-text index.

Exit 0 on success, 2 on bad input (an unknown agency).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand

from gongkai.disclosure.lookup import AgencyLookupError, find_agency
from gongkai.search.index import reindex


class Command(BaseCommand):
    help = "全文检索：重建索引（reindex）"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("reindex", help="重建检索索引（全部机关或一个机关）")
        rebuild.add_argument("--agency", help="机关全称、简称或统一社会信用代码")
        rebuild.add_argument("--json", action="store_true", help="输出 JSON")

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str) -> None:
            sys.stderr.write(f"gongkai search: 错误: {message}\n")
            sys.exit(2)

        parser.error = error  # type: ignore[method-assign]
        return parser

    def handle(self, *args: Any, **options: Any) -> None:
        agency = None
        if options.get("agency"):
            try:
                agency = find_agency(options["agency"])
            except AgencyLookupError as exc:
                sys.stderr.write(f"gongkai search: {exc}\n")
                sys.exit(2)
        count = reindex(agency=agency)
        if options.get("json"):
            self.stdout.write(
                json.dumps({"agency": agency and agency.name, "indexed": count}, ensure_ascii=False)
            )
        else:
            where = agency.name if agency else "全部机关"
            self.stdout.write(f"已重建检索索引：{where}，共 {count} 条公开信息。")
