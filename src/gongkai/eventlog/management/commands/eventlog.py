"""``gongkai eventlog verify``: prove the event chain intact or name the first broken row."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser

from gongkai.eventlog.chain import verify_chain


class Command(BaseCommand):
    help = "事件日志工具。verify：校验哈希链是否完整（完整时退出码 0，断裂时 1）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="verify")
        sub.add_parser("verify", help="校验事件哈希链")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        result = verify_chain()
        elapsed = time.perf_counter() - started
        if result.ok:
            self.stdout.write(f"{result.message}（用时 {elapsed:.2f} 秒）")
            return
        self.stderr.write(result.message)
        self.stderr.write(
            f"第 {result.first_broken_seq} 号之前的 {result.checked} 条事件校验通过。"
        )
        raise SystemExit(1)
