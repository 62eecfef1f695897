"""`gongkai serve`: run the platform under gunicorn (production-style)."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "以 gunicorn 运行平台（生产方式）：可先执行数据库迁移和静态文件收集。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="监听地址（默认 127.0.0.1:8000）"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("GONGKAI_WORKERS", "3")),
            help="工作进程数（默认 3，或环境变量 GONGKAI_WORKERS）",
        )
        parser.add_argument("--migrate", action="store_true", help="启动前执行数据库迁移")
        parser.add_argument("--no-collectstatic", action="store_true", help="启动前不收集静态文件")
        parser.add_argument(
            "--dry-run", action="store_true", help="只打印将执行的 gunicorn 命令，不启动"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workers"] < 1:
            raise CommandError("--workers 必须是正整数。")
        if options["migrate"]:
            call_command("migrate", interactive=False)
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = gunicorn_argv(options["bind"], options["workers"])
        if options["dry_run"]:
            self.stdout.write(" ".join(argv))
            return
        self.stdout.write(self.style.SUCCESS(f"gunicorn 启动于 {options['bind']}"))
        sys.stdout.flush()
        os.execv(argv[0], argv)  # noqa: S606  (replace this process with the server)


def gunicorn_argv(bind: str, workers: int) -> list[str]:
    executable = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which(
        "gunicorn"
    )
    if executable is None:
        raise CommandError("找不到 gunicorn：请先安装项目依赖（make venv）。")
    return [
        executable,
        "gongkai.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
    ]
