"""Audit a read report: the table rules of ``gongkai.law.consistency`` plus the checks that need
the document itself — prose against tables (X1), completeness of the form (F2) and the
publication deadline (P1).

Prose figures are matched conservatively: a sentence must tie the number to what it counts
(「收到…申请N件」, 「N件…行政复议」), and 「受理N件」 is accepted as either 本年新收 or
本年新收+上年结转, because reports use it both ways. Findings are deduplicated and sorted with
errors first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from gongkai.law.consistency import check_cross_year, check_format_year, check_tables
from gongkai.law.findings import SEVERITY_ORDER, Finding, Severity
from gongkai.law.report_format import (
    FORMAT_2019,
    FORMAT_2021,
    FORMATS,
    SECTION_KEYS,
    SECTION_TITLES,
)
from gongkai.reportdoc import glued
from gongkai.reportdoc.model import Provenance, Report

DeadlineRule = Callable[[Report], date | None]


def department_deadline(report: Report) -> date | None:
    """条例第四十九条: departments publish the year-N report by 1月31日 of N+1."""
    return date(report.year + 1, 1, 31) if report.year else None


def statutory_deadline(report: Report) -> date | None:
    """Departments 1月31日; county-level and higher 人民政府 3月31日 (条例第四十九条)."""
    if not report.year:
        return None
    if report.agency and report.agency.endswith("人民政府"):
        return date(report.year + 1, 3, 31)
    return date(report.year + 1, 1, 31)


def audit(
    report: Report,
    *,
    previous: Report | None = None,
    deadline_rule: DeadlineRule = department_deadline,
) -> Report:
    """A copy of ``report`` with every rule's findings added."""
    if previous is not None and report.glued:
        report = split_with_previous(report, previous)
    fmt = _table_format(report)
    tables = {"table2": report.table2, "table3": report.table3, "table4": report.table4}
    findings = list(report.findings)
    findings += check_tables(fmt, report.table2, report.table3, report.table4)
    findings += check_format_year(report.format, report.year)
    if previous is not None:
        findings += _cross_year(report, previous, tables)
    findings += prose_findings(report)
    findings += completeness_findings(report)
    findings += deadline_findings(report, deadline_rule)
    return replace(report, findings=merge_blank_blocks(finalize(findings)))


def split_with_previous(report: Report, previous: Report) -> Report:
    """Glued table-三 runs the report's own arithmetic left ambiguous, decided with last year's
    report: its 结转下年度 is this year's 上年结转 (Y1), and T1/S1 then carry that through the
    table. A row is filled in only when every reading that satisfies all rules agrees on it;
    it carries the inference notice and names Y1 among the rules."""
    if not report.year or previous.year != report.year - 1:
        return report
    fmt = FORMATS[_table_format(report)]
    cols = fmt.table3_column_keys
    forward = previous.table3.get("carried_forward", {})
    last = tuple(forward.get(c) for c in cols)
    if any(not isinstance(v, int) for v in last):
        return report
    candidates: dict[str, list[tuple[int, ...]]] = {}
    for key in fmt.table3_row_keys:
        path = f"table3.{key}"
        values = [report.table3.get(key, {}).get(c) for c in cols]
        known = tuple(v for v in values if isinstance(v, int))
        if path in report.glued:
            candidates[key] = list(report.glued[path])
        else:
            candidates[key] = [known] if len(known) == len(cols) else []
    carried = candidates.get("carried_over", [])
    if "table3.carried_over" in report.glued:
        carried = [c for c in carried if c == last]
        if not carried:
            return report  # last year's figures are none of the readings: Y1 will say so
        candidates["carried_over"] = carried
    elif carried != [last]:
        return report  # Y1 adds nothing the table's own rules did not already use
    solution = glued.solve_columns(
        candidates, glued.table3_constraints(fmt), glued.Budget(), width=len(cols)
    )
    decided = {
        key: values
        for key, values in solution.rows.items()
        if values is not None and f"table3.{key}" in report.glued
    }
    if not decided:
        return report
    table3 = {row: dict(cells) for row, cells in report.table3.items()}
    provenance = dict(report.provenance)
    cells: list[str] = []
    for key, values in decided.items():
        rules = ("T2", *solution.rules.get(key, ()), "Y1")
        for col, value in zip(cols, values, strict=True):
            table3[key][col] = value
            path = f"table3.{key}.{col}"
            cells.append(path)
            provenance[path] = replace(
                provenance.get(path, Provenance()),
                note=f"连写数字按勾稽关系（{'、'.join(dict.fromkeys(rules))}）"
                "及上一年度报告唯一确定拆分，属推定",
            )
    settled = set(cells)
    findings = [
        f for f in report.findings if not (f.rule == "R1" and f.cells and set(f.cells) <= settled)
    ]
    findings.append(
        Finding(
            "R2",
            Severity.NOTICE,
            f"表三有{len(decided)}行连写的数值按本表勾稽关系无法唯一拆分，已结合上一年度报告的"
            "“结转下年度继续办理”（Y1）唯一确定；这些数值是推定的，请以原件核对",
            tuple(cells),
        )
    )
    glued_left = {
        p: c
        for p, c in report.glued.items()
        if not (p.startswith("table3.") and p.partition(".")[2] in decided)
    }
    return replace(
        report, table3=table3, provenance=provenance, findings=findings, glued=glued_left
    )


def _table_format(report: Report) -> str:
    if report.format:
        return report.format
    # tables of an undecided format are shaped like 2021 unless the 2019 rows are there
    return FORMAT_2021.id if "other_no_correction" in report.table3 else FORMAT_2019.id


def _cross_year(report: Report, previous: Report, tables: dict) -> list[Finding]:
    if report.year and previous.year and previous.year != report.year - 1:
        return [
            Finding(
                "Y1",
                Severity.NOTICE,
                f"对比的上一年度报告是{previous.year}年度的，"
                f"不是{report.year - 1}年度，未做跨年核对",
            )
        ]
    before = {"table2": previous.table2, "table3": previous.table3, "table4": previous.table4}
    return check_cross_year(_table_format(report), tables, before, _table_format(previous))


# rules that compare figures: with an unreadable cell among them they prove nothing
_ARITHMETIC_RULES = frozenset({"S1", "T1", "T2", "T4", "Y1", "Y2", "X1"})


def finalize(findings: Iterable[Finding]) -> list[Finding]:
    """Drop duplicates and blank-cell warnings about cells that were unreadable rather than
    blank, and fold arithmetic over unreadable cells into one notice per rule that it could
    not be checked; errors first, then warnings, then notices, otherwise in the order found."""
    findings = list(findings)
    unread = {c for f in findings if f.rule == "R1" for c in f.cells}
    # F2 warnings name cells that are absent (the collapsed （六） sub-rows) or unknown (a
    # table not found): not blanks either. Absent cells really are not in the source, so the
    # sums over them stand; only R1 cells make a sum uncheckable.
    explained = unread | {
        c for f in findings if f.rule == "F2" and f.severity is Severity.WARNING for c in f.cells
    }
    kept: dict[tuple, Finding] = {}
    uncheckable: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.rule == "B1" and finding.cells and set(finding.cells) <= explained:
            continue
        if (
            finding.rule in _ARITHMETIC_RULES
            and finding.severity is not Severity.NOTICE
            and unread.intersection(finding.cells)
        ):
            uncheckable.setdefault(finding.rule, []).append(finding)
            continue
        kept.setdefault((finding.rule, finding.severity, finding.message, finding.cells), finding)
    for rule, group in uncheckable.items():
        notice = _uncheckable(rule, group, unread)
        kept.setdefault((notice.rule, notice.severity, notice.message, notice.cells), notice)
    return sorted(kept.values(), key=lambda f: -SEVERITY_ORDER[f.severity])


_B1_RE = re.compile(r"^(?P<table>[^“]*)“(?P<row>.*?)”行的(?P<cols>.*)列为空白：")
_BLOCK_ROWS_SHOWN = 8


def merge_blank_blocks(findings: list[Finding]) -> list[Finding]:
    """A block of blank cells said once: the B1 findings of one table whose rows are blank in
    the same columns (the five organisation columns of table 三 in every row) become one
    finding naming the columns and the rows, in the place of the first."""
    groups: dict[tuple[str, tuple[str, ...]], list[tuple[Finding, re.Match[str]]]] = {}
    for finding in findings:
        if finding.rule != "B1" or not finding.cells:
            continue
        match = _B1_RE.match(finding.message)
        parts = [c.split(".") for c in finding.cells]
        if match is None or any(len(p) != 3 for p in parts):
            continue
        if len({(p[0], p[1]) for p in parts}) != 1:
            continue
        key = (parts[0][0], tuple(p[2] for p in parts))
        groups.setdefault(key, []).append((finding, match))
    merged: dict[int, Finding | None] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        first, match = group[0]
        rows = [m.group("row") for _, m in group]
        shown = "、".join(f"“{r}”" for r in rows[:_BLOCK_ROWS_SHOWN])
        more = f"等{len(rows)}行" if len(rows) > _BLOCK_ROWS_SHOWN else f"共{len(rows)}行"
        message = (
            f"{match.group('table')}{shown}{more}的{match.group('cols')}列均为空白："
            "空白不等于0，没有数据应填写0；系统不会代为填写"
        )
        cells = tuple(c for f, _ in group for c in f.cells)
        merged[id(first)] = Finding("B1", first.severity, message, cells)
        for other, _ in group[1:]:
            merged[id(other)] = None
    if not merged:
        return findings
    out = []
    for finding in findings:
        replacement = merged.get(id(finding), finding)
        if replacement is not None:
            out.append(replacement)
    return out


def _uncheckable(rule: str, group: list[Finding], unread: set[str]) -> Finding:
    """Sums that counted an unreadable cell as 0 accuse the source of an error that may be the
    extraction's: one notice that the rule could not be checked, naming the cells involved."""
    cells = tuple(dict.fromkeys(c for f in group for c in f.cells))
    missing = sum(1 for c in cells if c in unread)
    first = group[0].message
    more = f"等{len(group)}处" if len(group) > 1 else ""
    return Finding(
        rule,
        Severity.NOTICE,
        f"未能核对{more}：涉及的 {missing} 个单元格无法可靠读取（见 R1），"
        f"按已读数字计算的结果仅供参考——{first}",
        cells,
    )


# ---------------------------------------------------------------------------------------------
# X1: figures in the prose


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_GAP = r"[^。；;，,\d]{0,14}?"
_RECEIVED_RE = re.compile(r"(?<!受)收到(?P<mid>" + _GAP + r")申请(?:共计|共|数为?)?(?P<n>\d+)件")
_ACCEPTED_RE = re.compile(r"受理(?P<mid>" + _GAP + r")申请(?:共计|共|数为?)?(?P<n>\d+)件")
_FORWARD_RE = re.compile(r"结转(?:至|到)?下一?年度?(?:继续办理)?(?:的)?(?:有)?(?P<n>\d+)件")
_APPEALS_BOTH_RE = re.compile(
    r"行政复议(?:[、和及与或]|和提起|及提起|、提起|或提起)(?:被)?行政诉讼"
    r"(?P<mid>[^。；;\d]{0,30}?)(?P<n>\d+)件"
)
_RECON_RE = re.compile(
    r"行政复议(?P<mid>[^。；;，,\d、和及与]{0,8}?)(?P<n>\d+)件"
    r"|(?P<n2>\d+)件(?P<mid2>[^。；;，,\d、]{0,12}?)行政复议"
)
_SUIT_RE = re.compile(
    r"行政诉讼(?P<mid>[^。；;，,\d、和及与]{0,8}?)(?P<n>\d+)件"
    r"|(?P<n2>\d+)件(?P<mid2>[^。；;，,\d、]{0,12}?)行政诉讼"
)
_FEE_RE = re.compile(r"(?:信息)?处理费[^。；;]{0,20}?(?P<n>\d+(?:\.\d+)?)(?P<unit>万元|元)")
_APPEAL_WORDS = ("复议", "诉讼")
# a figure that counts only some of the cases (their outcome, or one kind of lawsuit) is not
# the total: 「行政复议结果维持27件」「行政诉讼败诉0件」「直接提起行政诉讼3件」
_PART_WORDS = (
    "维持", "纠正", "败诉", "胜诉", "撤销", "确认违法", "驳回", "审结", "结果", "其中", "直接",
    "复议后", "终止", "撤诉", "调解",
)  # fmt: skip
# a clause about another period: 「2024年共收到申请650件」「较去年增加63件」「同比下降」
_OTHER_PERIOD = r"去年|同比|上年同期|[较比与]上一?年"
_SENTENCE_RE = re.compile(r"[。！？!?]")  # not a line break: PDF text wraps sentences
_CLAUSE_RE = re.compile(r"[，,；;]")


def _cell(report: Report, path: str) -> int | Decimal | None:
    return report.cell(path)


def _sum(report: Report, paths: Iterable[str]) -> int | None:
    values = [_cell(report, p) for p in paths]
    if any(v is None for v in values):
        return None
    return sum(values)  # type: ignore[arg-type]


def _x1(quote: str, said: int, what: str, table_value: object, cells: Iterable[str]) -> Finding:
    return Finding(
        "X1",
        Severity.WARNING,
        f"正文称“{quote}”（{said}件），但{what}为 {table_value}，文字与表格不一致",
        tuple(cells),
    )


def _said(match: re.Match[str]) -> int:
    return int(match.group("n") or match.group("n2"))


def _mismatches(
    matches: Iterable[re.Match[str]],
    accepted: set[int] | None,
    what: str,
    shown: object,
    cells: list[str],
) -> list[Finding]:
    """X1 for every quoted figure that is none of the accepted table values."""
    if accepted is None:
        return []  # a blank cell has nothing to compare with (B1 reports it)
    return [
        _x1(m.group(0), _said(m), what, shown, cells) for m in matches if _said(m) not in accepted
    ]


def _applications_only(matches: Iterable[re.Match[str]]) -> list[re.Match[str]]:
    return [m for m in matches if not any(w in m.group("mid") for w in _APPEAL_WORDS)]


def _totals_only(matches: Iterable[re.Match[str]], text: str) -> list[re.Match[str]]:
    """Matches that quote a total: nothing in the words between the noun and the figure, nor
    right after the figure, says it is a part."""
    kept = []
    for match in matches:
        around = (match.group("mid") or match.group("mid2") or "") + text[
            match.end() : match.end() + 4
        ]
        if not any(word in around for word in _PART_WORDS):
            kept.append(match)
    return kept


def prose_sentences(report: Report) -> list[str]:
    """The prose's sentences that count something (件), each without its clauses about
    another period (last year's figures, comparisons)."""
    # the re module caches the compiled pattern: one per report year
    other = re.compile(
        _OTHER_PERIOD + (rf"|(?!{report.year}年)\d{{4}}年" if report.year else r"|\d{4}年")
    )
    sentences = []
    raw = "。".join(report.sections.get(k, "") for k in SECTION_KEYS)
    # split before folding: most of the prose counts nothing (件), and NFKC costs per char
    for part in _SENTENCE_RE.split(raw):
        if "件" not in part:
            continue
        sentence = _flat(part)
        if not other.search(sentence):  # the common case: one search
            sentences.append(sentence)
            continue
        clauses = _CLAUSE_RE.split(sentence)
        if "件" not in clauses[0] and other.search(clauses[0]):
            continue  # 「2022年，……；行政诉讼2件」: the period leads, and holds for all of it
        clauses = [c for c in clauses if not other.search(c)]
        if clauses:
            sentences.append("，".join(clauses))
    return sentences


def prose_findings(report: Report) -> list[Finding]:
    new = _cell(report, "table3.new_received.total")
    carried = _cell(report, "table3.carried_over.total")
    forward = _cell(report, "table3.carried_forward.total")
    both = new + carried if new is not None and carried is not None else None
    text = "。".join(prose_sentences(report))
    findings: list[Finding] = []
    if new is not None:
        for match in _applications_only(_RECEIVED_RE.finditer(text)):
            # 「收到并受理…749件」「共收到申请749件，其中本年新收713件，上年结转36件」: a
            # sentence that speaks of acceptance or carry-over may count both
            end = text.find("。", match.end())
            sentence = text[text.rfind("。", 0, match.start()) + 1 : end if end >= 0 else None]
            wide = "受理" in sentence or "结转" in sentence
            findings += _mismatches(
                [match],
                {new, both} - {None} if wide else {new},
                "表三“本年新收”总计",
                new,
                ["table3.new_received.total"],
            )
    return [
        *findings,
        *_mismatches(
            _applications_only(_ACCEPTED_RE.finditer(text)),
            None if new is None else {new, both} - {None},
            "表三“本年新收”（及加上“上年结转”）总计",
            f"{new}（{both}）",
            ["table3.new_received.total", "table3.carried_over.total"],
        ),
        *_mismatches(
            _FORWARD_RE.finditer(text),
            None if forward is None else {forward},
            "表三“结转下年度继续办理”总计",
            forward,
            ["table3.carried_forward.total"],
        ),
        *_appeal_findings(report, text),
        *fee_findings(report),
    ]


def _appeal_findings(report: Report, text: str) -> list[Finding]:
    recon = ["table4.reconsideration.total"]
    suits = ["table4.litigation_direct.total", "table4.litigation_after_reconsideration.total"]
    everything = _sum(report, recon + suits)
    findings = _mismatches(
        _totals_only(_APPEALS_BOTH_RE.finditer(text), text),
        None if everything is None else {everything},
        "表四行政复议与行政诉讼总计之和",
        everything,
        recon + suits,
    )
    text = _APPEALS_BOTH_RE.sub("", text)  # a joint figure is not a figure of either kind
    for pattern, paths, what in (
        (_RECON_RE, recon, "表四“行政复议”总计"),
        (_SUIT_RE, suits, "表四两类行政诉讼总计之和"),
    ):
        expected = _sum(report, paths)
        findings += _mismatches(
            _totals_only(pattern.finditer(text), text),
            None if expected is None else {expected},
            what,
            expected,
            paths,
        )
    return findings


def fee_findings(report: Report) -> list[Finding]:
    """Section 六 reports information-processing fees; a fee needs an application to charge."""
    text = _flat(report.sections.get("other", ""))
    processed = _cell(report, "table3.total_processed.total")
    received = _sum(report, ["table3.new_received.total", "table3.carried_over.total"])
    findings = []
    for match in _FEE_RE.finditer(text):
        amount = Decimal(match.group("n"))
        if amount > 0 and (processed == 0 or received == 0):
            findings.append(
                Finding(
                    "X1",
                    Severity.WARNING,
                    f"第六部分称收取信息处理费“{match.group(0)}”，但表三显示本年没有办理任何"
                    "政府信息公开申请",
                    ("table3.total_processed.total", "table3.new_received.total"),
                )
            )
    return findings


# ---------------------------------------------------------------------------------------------
# F2 and P1


def completeness_findings(report: Report) -> list[Finding]:
    findings = [
        Finding(
            "F2",
            Severity.WARNING,
            f"未找到第{'一二三四五六'[i]}部分“{SECTION_TITLES[i][0]}”（条例第五十条规定的六部分之一）",
            (f"sections.{key}",),
        )
        for i, key in enumerate(SECTION_KEYS)
        if key not in report.sections
    ]
    for name, label in (
        ("table2", "表二（主动公开）"),
        ("table3", "表三（依申请公开）"),
        ("table4", "表四（行政复议、行政诉讼）"),
    ):
        table = getattr(report, name)
        if any(v is not None for row in table.values() for v in row.values()):
            continue
        # all its cells unknown: not found, an image, lost in extraction, or printed all blank
        # (an all-blank row is skipped by the reader, since in extracted text it proves
        # nothing). One finding naming every cell, so B1 does not call each row blank too.
        findings.append(
            Finding(
                "F2",
                Severity.WARNING,
                f"{label}中没有任何可读取的数值：未找到该表，或表格是图片、在提取时丢失，"
                "或全部单元格空白（空白不等于0，没有数据应填写0）",
                tuple(f"{name}.{row}.{col}" for row, cols in table.items() for col in cols),
            )
        )
    return findings


def deadline_findings(report: Report, rule: DeadlineRule) -> list[Finding]:
    if not report.published:
        return []
    try:
        published = date.fromisoformat(report.published[:10])
    except ValueError:
        return []
    deadline = rule(report)
    if deadline is None or published <= deadline:
        return []
    return [
        Finding(
            "P1",
            Severity.WARNING,
            f"报告发布日期为{published.isoformat()}，晚于法定期限{deadline.isoformat()}"
            "（条例第四十九条）",
            ("published",),
        )
    ]
