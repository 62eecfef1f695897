"""``gongkai annual generate --agency AGENCY --year N --format json|html|docx|pdf -o FILE``.

Writes the year's report as it stands (the published one, or the current draft); when the
agency has none yet, a draft is generated first (tables frozen now, as the system). Bad input
is one clear line and exit status 2.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gongkai.annual import render, services
from gongkai.annual.models import AnnualReport
from gongkai.annual.states import ReportStatus
from gongkai.applications.lookup import NotFoundError, resolve_agency


class Command(BaseCommand):
    help = "年度报告：生成并导出（json/html/docx/pdf）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser("generate", help="导出某机关某年度的年度报告")
        gen.add_argument("--agency", required=True)
        gen.add_argument("--year", required=True, type=int)
        gen.add_argument("--format", default="json", choices=render.FORMATS)
        gen.add_argument("-o", "--output", required=True)

    def _fail(self, message: str) -> None:
        sys.stderr.write(f"gongkai annual: 错误: {message}\n")
        sys.exit(2)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            agency = resolve_agency(options["agency"])
        except NotFoundError as exc:
            self._fail(str(exc))
        year = options["year"]
        if not 2008 <= year <= 2100:
            self._fail("年度应为 2008–2100 之间的年份。")
        report = AnnualReport.objects.filter(agency=agency, year=year, region__isnull=True).first()
        if report is None:
            report = services.generate_draft(actor=None, agency=agency, year=year)
        elif report.status == ReportStatus.IMPORTED:
            self._fail(f"{year}年度的报告是导入的往年报告，平台没有生成它。")
        data = render.render(report, options["format"])
        out = Path(options["output"])
        if str(out) == "-":
            sys.stdout.buffer.write(data)
            return
        # written atomically: an interrupted export never leaves half a file behind
        try:
            fd, tmp = tempfile.mkstemp(dir=out.parent or ".", prefix=".gongkai-")
        except OSError as exc:
            self._fail(f"无法写入 {out}：{exc.strerror}")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(out)
        self.stdout.write(f"已写入 {out}（{report.get_status_display()}，{len(data)} 字节）")
