"""``gongkai audit``: check published annual reports from the command line.

Exit status: 0 every file was read (findings alone do not change it); 1 ``--fail-on`` findings
exist; 2 a file could not be read or is not an annual report (the other files are still
checked and output). Outputs are written as results arrive; files named by ``--csv`` and
``--html`` appear only when complete (written beside, then renamed).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import IO, Any

from gongkai.law.findings import SEVERITY_ORDER, Severity
from gongkai.law.report_format import FORMAT_2021, FORMATS
from gongkai.reportdoc.batch import RESULT_PAGE_MARK, Outcome, audit_batch, collect_paths
from gongkai.reportdoc.extract import ReportReadError
from gongkai.reportdoc.model import Report
from gongkai.reportdoc.reader import DEFAULT_LIMITS, Limits, parse_path
from gongkai.reportdoc.render_html import (
    SEVERITY_LABELS,
    cell_label,
    format_number,
    page,
    render_report,
)
from gongkai.reportdoc.serialize import report_to_json

NOTICE_CELLS_SHOWN = 2
_CHARSET = '<meta charset="utf-8">'  # first in <head>, where browsers look for it
MAX_CELLS_SHOWN = 8
CSV_FIELDS = ("file", "agency", "year", "rule", "severity", "cells", "message")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="检查政府信息公开工作年度报告（PDF、DOCX、HTML、文本）",
        description=(
            "读取年度报告，还原表二、表三、表四并检查勾稽关系等规则。"
            "PATH 可以是文件或文件夹（递归，按名称排序）。"
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="报告文件或文件夹")
    parser.add_argument(
        "--previous", metavar="PATH", help="同一机关上一年度的报告（用于跨年度核对 Y1/Y2）"
    )
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="输出报告 JSON（多个文件为数组）")
    out.add_argument("--csv", metavar="OUT", help="每个问题一行写入 CSV（Excel 可直接打开）")
    out.add_argument("--html", metavar="OUT", help="写入一个可离线查看的 HTML 检查报告")
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        help="存在该级别（或更严重）的问题时以状态 1 退出",
    )
    parser.add_argument("--jobs", type=_positive_int, default=1, metavar="N", help="并行进程数")
    parser.add_argument(
        "--max-size-mb", type=_positive_int, default=50, metavar="MB", help="单个文件大小上限"
    )
    parser.add_argument(
        "--timeout", type=_positive_int, default=60, metavar="S", help="单个文件读取时限（秒）"
    )
    parser.set_defaults(func=run)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数：{text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text!r}")
    return value


@dataclass
class Tally:
    files: int = 0
    failed: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(map(str, Severity), 0))

    def add(self, outcome: Outcome) -> None:
        self.files += 1
        if outcome.report is None:
            self.failed += 1
            return
        for f in outcome.report.findings:
            self.counts[str(f.severity)] += 1

    def exit_status(self, fail_on: str | None) -> int:
        if self.failed:
            return 2
        if fail_on:
            threshold = SEVERITY_ORDER[Severity(fail_on)]
            if any(
                n and SEVERITY_ORDER[Severity(sev)] >= threshold for sev, n in self.counts.items()
            ):
                return 1
        return 0

    def line(self) -> str:
        c = self.counts
        return (
            f"共检查 {self.files} 个文件，{self.failed} 个无法读取；"
            f"错误 {c['error']} 项，警告 {c['warning']} 项，提示 {c['notice']} 项"
        )


def run(args: argparse.Namespace) -> int:
    limits = Limits(
        max_bytes=args.max_size_mb * 1024 * 1024,
        time_budget_s=float(args.timeout),
        max_pdf_pages=DEFAULT_LIMITS.max_pdf_pages,
    )
    for out in (args.csv, args.html):
        problem = _output_problem(out) if out else None
        if problem:  # said before the batch runs, not after
            print(f"gongkai audit: 错误: {problem}", file=sys.stderr)
            return 2
    outputs = [out for out in (args.csv, args.html) if out]
    if not collect_paths(args.paths, outputs):
        print("gongkai audit: 错误: 没有找到要检查的文件（文件夹为空？）", file=sys.stderr)
        return 2
    previous = None
    if args.previous:
        try:
            previous = parse_path(args.previous, limits=limits)
        except ReportReadError as exc:
            print(f"gongkai audit: 错误: 上一年度报告无法读取：{exc}", file=sys.stderr)
            return 2
    outcomes = _noting_previous(
        audit_batch(
            args.paths,
            previous=previous,
            previous_path=args.previous,
            jobs=args.jobs,
            limits=limits,
            exclude=outputs,
        ),
        args.previous,
        previous,
    )
    tally = Tally()
    if args.json:
        _write_json(outcomes, tally, sys.stdout)
    elif args.csv:
        with _atomic(args.csv, newline="", encoding="utf-8-sig") as fh:
            _write_csv(outcomes, tally, fh)
        print(f"{tally.line()}。已写入 {args.csv}")
    elif args.html:
        _write_html(outcomes, tally, args.html)
        print(f"{tally.line()}。已写入 {args.html}")
    else:
        for outcome in outcomes:
            tally.add(outcome)
            _report_error(outcome)
            if outcome.report is not None:
                print(human_summary(outcome), end="\n\n")
        if tally.files > 1:
            print(tally.line())
    return tally.exit_status(args.fail_on)


def _report_error(outcome: Outcome) -> None:
    if outcome.error:
        print(f"gongkai audit: 错误: {outcome.error}", file=sys.stderr, flush=True)


# -- human text ----------------------------------------------------------------------------------


def human_summary(outcome: Outcome) -> str:
    report = outcome.report
    assert report is not None
    fmt = FORMATS.get(report.format or "")
    head = [
        f"【{outcome.path}】",
        "  "
        + " · ".join(
            [
                report.agency or "机关不明",
                f"{report.year}年度" if report.year else "年度不明",
                fmt.name if fmt else "格式不明",
            ]
        ),
    ]
    if outcome.previous_path:
        head.append(f"  上一年度报告：{outcome.previous_path}")
    findings = sorted(report.findings, key=lambda f: -SEVERITY_ORDER[f.severity])
    if not findings:
        head.append("  未发现问题。")
        return "\n".join(head)
    counts = {s: sum(1 for f in findings if f.severity == s) for s in Severity}
    head.append(
        f"  发现 {counts[Severity.ERROR]} 个错误、{counts[Severity.WARNING]} 个警告、"
        f"{counts[Severity.NOTICE]} 个提示："
    )
    for f in findings:
        head.append(f"  ［{SEVERITY_LABELS[f.severity]}］{f.rule} {f.message}")
        # a notice's message already says what to check; two cells show where
        shown = MAX_CELLS_SHOWN if f.severity != Severity.NOTICE else NOTICE_CELLS_SHOWN
        head.extend(f"      {describe_cell(report, path)}" for path in f.cells[:shown])
        if len(f.cells) > shown:
            head.append(f"      …等共 {len(f.cells)} 个单元格")
    return "\n".join(head)


def describe_cell(report: Report, path: str) -> str:
    fmt = FORMATS.get(report.format or "", FORMAT_2021)
    text = cell_label(path, fmt)
    if path.count(".") == 2 and path.split(".", maxsplit=1)[0] in {"table2", "table3", "table4"}:
        value = report.cell(path)
        text += f" ＝ {format_number(value) if value is not None else '（空白）'}"
    where = report.provenance.get(path)
    if where is not None:
        text += f"（{where.describe()}）"
    return text


# -- machine outputs -----------------------------------------------------------------------------


def _write_json(outcomes: Iterator[Outcome], tally: Tally, out: IO[str]) -> None:
    first = next(outcomes, None)
    if first is None:
        return
    second = next(outcomes, None)
    if second is None:  # one file: one object (nothing on stdout if it could not be read)
        tally.add(first)
        _report_error(first)
        if first.report is not None:
            out.write(json.dumps(_json_item(first), ensure_ascii=False, indent=2) + "\n")
        return
    out.write("[\n")
    for n, outcome in enumerate(_chain(first, second, outcomes)):
        tally.add(outcome)
        _report_error(outcome)
        out.write((",\n" if n else "") + json.dumps(_json_item(outcome), ensure_ascii=False))
        out.flush()
    out.write("\n]\n")


def _chain(*items: Any) -> Iterator[Outcome]:
    *firsts, rest = items
    yield from firsts
    yield from rest


def _json_item(outcome: Outcome) -> dict[str, Any]:
    if outcome.report is None:
        return {"source": outcome.path, "error": outcome.error}
    data = report_to_json(outcome.report)
    data["source"] = outcome.path
    data["previous"] = outcome.previous_path  # last year's report used for Y1/Y2, if any
    return data


def _write_csv(outcomes: Iterator[Outcome], tally: Tally, fh: IO[str]) -> None:
    writer = csv.writer(fh)
    writer.writerow(CSV_FIELDS)
    for outcome in outcomes:
        tally.add(outcome)
        _report_error(outcome)
        report = outcome.report
        if report is None:
            writer.writerow([outcome.path, "", "", "READ", "error", "", outcome.error])
            continue
        for f in report.findings:
            writer.writerow(
                [
                    _cell_safe(outcome.path),
                    _cell_safe(report.agency or ""),
                    report.year or "",
                    f.rule,
                    str(f.severity),
                    " ".join(f.cells),
                    _cell_safe(f.message),
                ]
            )
        if not report.findings:  # a clean file has its row too: 「no row」 must mean 「not here」
            writer.writerow(
                [
                    _cell_safe(outcome.path),
                    _cell_safe(report.agency or ""),
                    report.year or "",
                    *("", "", ""),
                    "未发现问题",
                ]
            )


def _cell_safe(text: str) -> str:
    """Text read from a document is data: a leading = + - @ would be a formula to Excel."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _write_html(outcomes: Iterator[Outcome], tally: Tally, out_path: str) -> None:
    """Report bodies go to a scratch file as they come; only the summary rows stay in memory."""
    rows: list[str] = []
    target = Path(out_path)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as bodies:
        for n, outcome in enumerate(outcomes, start=1):
            tally.add(outcome)
            _report_error(outcome)
            rows.append(_summary_row(n, outcome))
            bodies.write(_html_body(n, outcome))
        bodies.seek(0)
        with _atomic(target, encoding="utf-8") as fh:
            head, tail = page("政府信息公开工作年度报告检查结果", "\x00").split("\x00")
            # a re-run over the same folder must not audit this page as a report
            head = head.replace(_CHARSET, _CHARSET + RESULT_PAGE_MARK, 1)
            fh.write(head)
            fh.write(f"<h1>政府信息公开工作年度报告检查结果</h1><p>{_e(tally.line())}</p>")
            fh.write(
                '<table class="gk-summary"><tr><th>#</th><th>文件</th><th>机关</th><th>年度</th>'
                "<th>格式</th><th>错误</th><th>警告</th><th>提示</th></tr>\n"
            )
            fh.writelines(rows)
            fh.write("</table>\n")
            while chunk := bodies.read(1 << 16):
                fh.write(chunk)
            fh.write(tail)


def _summary_row(n: int, outcome: Outcome) -> str:
    link = f'<a href="#r{n}">{_e(outcome.path)}</a>'
    report = outcome.report
    if report is None:
        return (
            f'<tr class="gk-failed"><td>{n}</td><td>{link}</td>'
            f'<td colspan="6">无法读取：{_e(outcome.error or "")}</td></tr>\n'
        )
    count = {s: sum(1 for f in report.findings if f.severity == s) for s in Severity}
    fmt = FORMATS.get(report.format or "")
    return (
        f"<tr><td>{n}</td><td>{link}</td><td>{_e(report.agency or '')}</td>"
        f"<td>{report.year or ''}</td><td>{_e(fmt.name if fmt else '')}</td>"
        f"<td>{count[Severity.ERROR]}</td><td>{count[Severity.WARNING]}</td>"
        f"<td>{count[Severity.NOTICE]}</td></tr>\n"
    )


def _html_body(n: int, outcome: Outcome) -> str:
    head = f'<section id="r{n}"><h2 class="gk-meta">{n}. {_e(outcome.path)}</h2>'
    if outcome.report is None:
        return f"{head}<p>无法读取：{_e(outcome.error or '')}</p></section>\n"
    return f"{head}{render_report(outcome.report, standalone=False, prose=False)}</section>\n"


def _e(text: str) -> str:
    return escape(text)


def _output_problem(out: str) -> str | None:
    """Why the result cannot be written to ``out``, if it cannot."""
    target = Path(out)
    folder = target.resolve().parent
    if target.is_dir():
        return f"输出路径是一个文件夹，请给出文件名：{out}"
    if not folder.is_dir():
        return f"输出文件夹不存在：{target.parent}"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"没有写入权限：{folder}"
    return None


def _noting_previous(
    outcomes: Iterable[Outcome], path: str | None, previous: Report | None
) -> Iterator[Outcome]:
    """Pass the outcomes on; at the end, say so if ``--previous`` served no report."""
    used = False
    for outcome in outcomes:
        used = used or (path is not None and outcome.previous_path == path)
        yield outcome
    if previous is not None and not used:
        print(
            f"gongkai audit: 注意: 上一年度报告 {path}（{previous.agency or '机关不明'}，"
            f"{previous.year or '年度不明'}年度）不是任何被检查报告所属机关的报告，"
            "未用于跨年度核对",
            file=sys.stderr,
        )


@contextlib.contextmanager
def _atomic(path: str | Path, **open_args: Any) -> Iterator[IO[str]]:
    """Write beside the target and rename at the end: no half-written output file. The file
    gets the permissions of any new file (mkstemp's are owner-only: colleagues on a shared
    server could not open the result)."""
    target = Path(path)
    fd, scratch = tempfile.mkstemp(dir=target.parent or Path("."), prefix=f".{target.name}.")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(scratch, 0o666 & ~umask)
        with os.fdopen(fd, "w", **open_args) as fh:
            yield fh
        os.replace(scratch, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(scratch)
        raise
