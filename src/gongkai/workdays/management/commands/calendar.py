"""``gongkai calendar import FILE`` / ``seed`` / ``list``: the holiday calendar from the shell.

Exit status: 0 success, 2 bad input (every problem is listed; nothing was written).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from gongkai.workdays.importing import CalendarImportError, parse_file
from gongkai.workdays.models import CalendarYear
from gongkai.workdays.services import import_year, seed_bundled_years


class Command(BaseCommand):
    help = (
        "节假日安排：import 导入一年的安排（JSON 或 CSV），seed 载入内置数据，list 列出已载入年份。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,seed,list}")
        imp = sub.add_parser("import", help="导入一年的节假日安排（JSON 或 CSV 文件）")
        imp.add_argument("file", type=Path, help="JSON 或 CSV（date,kind,name）文件")
        imp.add_argument(
            "--source", help="依据的通知名称及文号（CSV 必填；JSON 中的 source 可被覆盖）"
        )
        imp.add_argument("--replace", action="store_true", help="覆盖已载入的同一年份")
        sub.add_parser("seed", help="载入内置的历年安排（已载入的年份不变）")
        sub.add_parser("list", help="列出已载入的年份")

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "import":
            self._import(options["file"], options.get("source"), options["replace"])
        elif action == "seed":
            years = seed_bundled_years()
            if years:
                self.stdout.write(
                    f"已载入内置安排：{years[0]}–{years[-1]} 年，共 {len(years)} 年。"
                )
            else:
                self.stdout.write("内置安排的所有年份均已载入，无需变更。")
        else:
            for loaded in CalendarYear.objects.order_by("year"):
                when = timezone.localtime(loaded.loaded_at)
                self.stdout.write(f"{loaded.year}\t{when:%Y-%m-%d %H:%M}\t{loaded.source}")

    def _import(self, path: Path, source: str | None, replace: bool) -> None:
        try:
            schedule = parse_file(path, source=source)
            loaded = import_year(schedule, replace=replace)
        except CalendarImportError as exc:
            self.stderr.write(f"导入失败（未写入任何数据）：{path}")
            for line in exc.errors:
                self.stderr.write(f"  - {line}")
            raise SystemExit(2) from None
        self.stdout.write(
            f"已导入 {loaded.year} 年节假日安排：放假 {len(schedule.holidays)} 天，"
            f"调休上班 {len(schedule.workdays)} 天（来源：{loaded.source}）。"
        )
