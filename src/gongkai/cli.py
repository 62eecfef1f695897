"""The ``gongkai`` command.

Pure commands (``deadline``, ``fee``, ``audit``, ``pii``) are argparse sub-commands that never
import Django, so the auditor, the personal-data check and the legal arithmetic run without a
database. Every other word is handed to Django's management commands (``gongkai demo``,
``gongkai serve``, ``gongkai calendar import FILE``, ``gongkai eventlog verify``,
``gongkai migrate``…).

Exit status: 0 success, 1 findings above ``--fail-on`` (audit) or personal data found (pii),
2 bad input or unreadable file.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# name -> module with ``register(subparsers)``; each sub-parser sets ``func(args) -> int``.
PURE_COMMANDS: dict[str, str] = {
    "deadline": "gongkai.law.cli",
    "fee": "gongkai.law.cli",
    "audit": "gongkai.reportdoc.cli",
    "pii": "gongkai.pii.cli",
}


class ChineseArgumentParser(argparse.ArgumentParser):
    """Bad input is one clear line on stderr and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: 错误: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="gongkai",
        description="公开 Gongkai — 政府信息公开全流程平台（命令行）",
        epilog=(
            "其他命令交给平台（Django）处理，例如：gongkai demo、gongkai serve、"
            "gongkai calendar import FILE、gongkai eventlog verify。"
        ),
    )
    subparsers = parser.add_subparsers(dest="command", parser_class=ChineseArgumentParser)
    for module_name in dict.fromkeys(PURE_COMMANDS.values()):
        importlib.import_module(module_name).register(subparsers)
    return parser


def run_django(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    if argv and argv[0] == "demo":
        # Demo mode must be on before settings load (dev secret key, demo accounts shown).
        os.environ.setdefault("GONGKAI_DEMO", "1")
    # Imported here, not at the top: the pure commands must run without Django.
    from django.core.management import execute_from_command_line  # noqa: PLC0415

    execute_from_command_line(["gongkai", *argv])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] not in PURE_COMMANDS and not args_list[0].startswith("-"):
        return run_django(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args))
    except BrokenPipeError:
        # `gongkai audit ... | head`: the reader left; stop quietly like other Unix tools.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        # Ctrl-C: one line, not a traceback per worker process (outputs are written
        # atomically, so nothing half-written is left behind)
        print("\ngongkai: 已中断", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
