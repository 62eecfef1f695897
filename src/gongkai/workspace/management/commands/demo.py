"""`gongkai demo`: create the database, load 「演示数据」 and serve on http://127.0.0.1:8000."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.workspace.demo_data import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_data
from gongkai.workspace.demo_online import DEMO_CASES, DEMO_CONTACT


class Command(BaseCommand):
    help = "创建（或升级）数据库，载入「演示数据」，并在 http://127.0.0.1:8000 启动演示服务。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="只建库和载入数据，不启动服务")
        parser.add_argument("--port", type=int, default=8000, help="监听端口（默认 8000）")
        parser.add_argument("--addr", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "GONGKAI_DEMO", False):
            raise CommandError(
                "演示命令只能在演示模式下运行：请设置环境变量 GONGKAI_DEMO=1"
                "（`gongkai demo` 会自动设置），以免在生产数据库中写入演示数据。"
            )
        if not 0 < options["port"] < 65536:
            raise CommandError(f"端口 {options['port']} 无效：应在 1–65535 之间。")
        self.stdout.write("正在创建/升级数据库……")
        call_command("migrate", interactive=False, verbosity=0)
        summary = load_demo_data()
        if summary.total:
            self.stdout.write(self.style.SUCCESS(f"已载入演示数据：{summary.describe()}。"))
        else:
            self.stdout.write("演示数据已存在，未作改动。")
        self._print_accounts()
        if options["no_serve"]:
            return
        addrport = f"{options['addr']}:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"演示服务：http://{addrport}/  （Ctrl+C 停止）"))
        # --insecure: serve static files from the apps without collectstatic (demo only).
        call_command("runserver", addrport, use_reloader=False, insecure_serving=True)

    def _print_accounts(self) -> None:
        self.stdout.write(f"演示账户（密码均为 {DEMO_PASSWORD}）：")
        for account in DEMO_ACCOUNTS:
            username = account["username"]
            self.stdout.write(f"  {username:<16}{account['name']}  {account['role_label']}")
        self.stdout.write(f"演示网上申请（在 /track/ 用查询码和联系电话 {DEMO_CONTACT} 查询）：")
        for code, _, what, answered in DEMO_CASES:
            self.stdout.write(f"  {code}  {what}（{'已办结' if answered else '办理中'}）")
