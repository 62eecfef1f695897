"""``gongkai pii FILE... [--json] [--words FILE]``: check files for personal data.

A FILE may be a folder: its files are checked recursively in name order (hidden ones skipped).
Only masked values are ever printed. Exit status: 0 nothing found, 1 personal data found,
2 bad input (a file missing or unreadable: one Chinese line on stderr; the other files are
still checked and printed). ``--json`` prints one object for one file, an array for several
files or a folder (like ``gongkai audit``); a file that could not be read appears only on
stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from gongkai.pii.detect import KIND_LABELS, Finding, ScanError, clean_words

MAX_WORDS = 10_000
MAX_WORD_LENGTH = 50


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "pii",
        help="检查文件中的个人信息（身份证号码、手机号码、银行卡号、敏感词）",
        description=(
            "检查 PDF、DOCX、HTML 或文本文件中的身份证号码、手机号码、银行卡号和敏感词，"
            "只显示打码后的内容。退出状态：0 未发现，1 发现个人信息，2 文件无法读取。"
        ),
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="要检查的文件或文件夹（递归，按名称排序）"
    )
    parser.add_argument("--json", action="store_true", help="输出 JSON（多个文件为数组）")
    parser.add_argument("--words", metavar="FILE", help="敏感词表：文本文件，每行一个词")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # lxml, PDFium: imported only when the command runs, not when `gongkai` starts
    from gongkai.pii.files import scan_file  # noqa: PLC0415
    from gongkai.reportdoc.batch import collect_paths  # noqa: PLC0415

    words: tuple[str, ...] = ()
    if args.words:
        try:
            words = read_words(args.words)
        except ScanError as exc:
            print(f"gongkai pii: 错误: 敏感词表无法读取：{exc}", file=sys.stderr)
            return 2
    paths = [str(p) for p in collect_paths(args.files)]
    if not paths:
        print("gongkai pii: 错误: 没有找到要检查的文件（文件夹为空？）", file=sys.stderr)
        return 2
    several = len(paths) > 1 or any(Path(p).is_dir() for p in args.files)
    results: list[dict[str, Any]] = []
    failed = found = 0
    for path in paths:
        try:
            findings = scan_file(path, words=words)
        except ScanError as exc:
            failed += 1
            print(f"gongkai pii: 错误: {exc}", file=sys.stderr, flush=True)
            continue
        found += bool(findings)
        if args.json:
            results.append(json_item(path, findings))
        else:
            print(human_item(path, findings), end="\n\n" if several else "\n")
    if args.json and (results or several):
        value = results if several else results[0]
        print(json.dumps(value, ensure_ascii=False, indent=2))
    elif not args.json and several:
        print(
            f"共检查 {len(paths)} 个文件：{found} 个发现个人信息，"
            f"{len(paths) - found - failed} 个未发现，{failed} 个无法读取"
        )
    if failed:
        return 2
    return 1 if found else 0


def read_words(path: str) -> tuple[str, ...]:
    """One word per line (UTF-8 or GB18030); blank lines and ``#`` comments are skipped."""
    from gongkai.pii.files import read_input  # noqa: PLC0415
    from gongkai.reportdoc.reader import decode_text  # noqa: PLC0415

    data, source = read_input(path)
    text = decode_text(data) if data.strip() else ""
    if text is None:
        raise ScanError(f"{source}：不是文本文件", source=source)
    lines = [line.strip() for line in text.splitlines()]
    words = clean_words([line for line in lines if not line.startswith("#")])
    if len(words) > MAX_WORDS:
        raise ScanError(f"{source}：超过 {MAX_WORDS} 个词", source=source)
    long = next((w for w in words if len(w) > MAX_WORD_LENGTH), None)
    if long is not None:
        raise ScanError(f"{source}：有的词超过 {MAX_WORD_LENGTH} 个字", source=source)
    return words


def json_item(path: str, findings: list[Finding]) -> dict[str, Any]:
    return {
        "file": path,
        "findings": [
            {"kind": f.kind, "masked": f.masked, "line": f.line, "column": f.column}
            for f in findings
        ],
    }


def human_item(path: str, findings: list[Finding]) -> str:
    if not findings:
        return f"【{path}】未发现个人信息。"
    counts = "、".join(
        f"{KIND_LABELS[kind]} {n} 处"
        for kind in KIND_LABELS
        if (n := sum(1 for f in findings if f.kind == kind))
    )
    lines = [f"【{path}】发现 {len(findings)} 处个人信息（{counts}）："]
    lines.extend(
        f"  第 {f.line} 行第 {f.column} 列  {KIND_LABELS[f.kind]}  {f.masked}" for f in findings
    )
    return "\n".join(lines)
