"""``gongkai deadline`` and ``gongkai fee``: the legal arithmetic from the command line.

Human output is Chinese text; ``--json`` prints one JSON object for machines. Input is validated
here rather than by argparse types so that every complaint is one Chinese line on stderr with
exit status 2, the same status the dispatcher's parser uses.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from gongkai.law.clock import (
    FEE_REASON,
    MAX_EXTENSION_DAYS,
    ClockError,
    Deadline,
    Pause,
    answer_deadline,
)
from gongkai.law.fees import Fee, FeeError, fee_for_application
from gongkai.law.workdays import fmt_day


class InputError(ValueError):
    """Bad command-line input; the message is Chinese."""


def register(subparsers: argparse._SubParsersAction) -> None:
    _register_deadline(subparsers)
    _register_fee(subparsers)


def _register_deadline(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "deadline",
        help="计算依申请公开的答复期限（条例第三十三条）",
        description=(
            "按工作日计算答复期限：自收到申请（或补正后申请）次日起20个工作日，"
            "扣除征求意见期间，可延长一次（最长20个工作日）。"
        ),
    )
    p.add_argument("--received", metavar="YYYY-MM-DD", help="收到申请之日（条例第三十一条）")
    p.add_argument(
        "--correction-received", metavar="YYYY-MM-DD", help="收到补正后申请之日（条例第三十条）"
    )
    p.add_argument(
        "--pause",
        action="append",
        default=[],
        metavar="FROM:TO",
        help="征求第三方或其他机关意见的期间（含首尾两日），可重复",
    )
    p.add_argument(
        "--fee-pause",
        action="append",
        default=[],
        metavar="FROM:TO",
        help="等待缴纳信息处理费的期间（含首尾两日），可重复",
    )
    p.add_argument(
        "--fee-window-runs",
        action="store_true",
        help="缴费期间不暂停答复期限（默认暂停）",
    )
    p.add_argument(
        "--extend",
        nargs="?",
        const=str(MAX_EXTENSION_DAYS),
        default=None,
        metavar="N",
        help=f"延长答复期限 N 个工作日（1–{MAX_EXTENSION_DAYS}，省略 N 为 {MAX_EXTENSION_DAYS}）",
    )
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=run_deadline)


def _register_fee(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "fee",
        help="计算信息处理费（国办函〔2020〕109号）",
        description="按件或按量计算信息处理费；同一申请只能选择一种方式。",
    )
    p.add_argument("--items", metavar="N", help="按件：本次申请件数")
    p.add_argument("--pages", metavar="N", help="按量：页数")
    p.add_argument(
        "--already",
        metavar="N",
        default="0",
        help="按件：该申请人本自然月此前已申请件数（累计计算）",
    )
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=run_fee)


# ---------------------------------------------------------------------------------------------
# Parsing


def parse_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{what}“{text}”不是有效日期，应为 YYYY-MM-DD 格式") from None


def parse_pause(text: str, reason: str) -> Pause:
    parts = text.split(":")
    if len(parts) != 2:
        raise InputError(f"暂停期间“{text}”格式应为 FROM:TO（如 2026-10-12:2026-10-16）")
    start = parse_date(parts[0], "暂停开始日")
    end = parse_date(parts[1], "暂停结束日")
    if end < start:
        raise InputError(f"暂停期间“{text}”的开始日晚于结束日")
    return Pause(start, end, reason)


def parse_count(text: str, what: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise InputError(f"{what}“{text}”不是整数") from None
    if value < 0:
        raise InputError(f"{what}不能为负数：{value}")
    return value


def parse_extension(text: str | None) -> int:
    if text is None:
        return 0
    value = parse_count(text, "延长天数")
    if not 1 <= value <= MAX_EXTENSION_DAYS:
        raise InputError(
            f"延长天数应为 1–{MAX_EXTENSION_DAYS} 个工作日（条例第三十三条第二款），不能为 {value}"
        )
    return value


def _fail(command: str, message: str) -> int:
    print(f"gongkai {command}: 错误: {message}", file=sys.stderr)
    return 2


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# ---------------------------------------------------------------------------------------------
# Commands


def compute_deadline(args: argparse.Namespace) -> Deadline:
    if not args.received:
        raise InputError("缺少 --received（收到申请之日，YYYY-MM-DD）")
    received = parse_date(args.received, "收到申请之日")
    correction = (
        parse_date(args.correction_received, "收到补正之日") if args.correction_received else None
    )
    if correction is not None and correction < received:
        raise InputError(
            f"收到补正之日 {correction.isoformat()} 早于收到申请之日 {received.isoformat()}"
        )
    return answer_deadline(
        received,
        correction_received=correction,
        pauses=[parse_pause(p, "征求第三方意见") for p in args.pause],
        fee_pauses=[parse_pause(p, FEE_REASON) for p in args.fee_pause],
        extension_days=parse_extension(args.extend),
        fee_window_pauses_clock=not args.fee_window_runs,
    )


def run_deadline(args: argparse.Namespace) -> int:
    try:
        deadline = compute_deadline(args)
    except (InputError, ClockError) as exc:
        return _fail("deadline", str(exc))
    if args.json:
        _print_json(deadline.as_dict())
        return 0
    mark = "（暂定）" if deadline.provisional else ""
    print(f"答复期限：{fmt_day(deadline.due)}{mark}")
    print("计算说明：")
    for line in deadline.explanation:
        print(f"  {line}")
    return 0


def compute_fee(args: argparse.Namespace) -> Fee:
    if args.items is not None and args.pages is not None:
        raise InputError("--items 与 --pages 只能选一个：同一申请不能同时按件和按量计收")
    already = parse_count(args.already, "本月此前已申请件数")
    if args.items is not None:
        return fee_for_application(
            items=parse_count(args.items, "件数"), already_this_month=already
        )
    if args.pages is not None:
        if already:
            raise InputError("--already 只用于按件计收")
        return fee_for_application(pages=parse_count(args.pages, "页数"))
    raise InputError("请指定 --items N（按件）或 --pages N（按量）")


def run_fee(args: argparse.Namespace) -> int:
    try:
        fee = compute_fee(args)
    except (InputError, FeeError) as exc:
        return _fail("fee", str(exc))
    if args.json:
        _print_json(fee.as_dict())
        return 0
    method = "按件" if fee.method == "items" else "按量"
    print(f"信息处理费（{method}）：{fee.amount_yuan} 元")
    print("计算说明：")
    for line in fee.explanation:
        print(f"  {line}")
    return 0
