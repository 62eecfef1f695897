"""Flattened page text: what a crawler keeps of a report page, turned back into lines.

A crawl of an agency's site keeps each page as one long line of text: the crawler's own header
(标题: / 发布时间: / 原文链接: …), the page's breadcrumb and share buttons, then the report with
its headings inside the line and its tables with every separator gone — table 三's first row
reads 「一、本年新收政府信息公开申请数量640020470」 for 64 / 0 / 0 / 2 / 0 / 4 / 70.

:func:`unflatten` finds the report's structure by meaning (a heading is a heading by its
ordinal and key words wherever it stands), cuts the table text at the form's own labels and
splits each glued run of digits with :mod:`gongkai.reportdoc.glued` — only where the table's
arithmetic leaves one reading. It hands the assembler ordinary tab-separated rows; a cell the
arithmetic leaves ambiguous is written 「？」 (unreadable) and explained by an R1 finding that
lists the candidate readings; a cell fixed by the arithmetic gets a provenance note naming the
rules and one notice per table (``Extracted.cell_notes`` / ``reading_findings``).

Pure Python, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.law.findings import Finding, Severity
from gongkai.law.report_format import (
    FORMAT_2019,
    FORMAT_2021,
    SECTION_TITLES,
    ReportFormat,
    normalize_label,
)
from gongkai.reportdoc import glued
from gongkai.reportdoc import labels as L  # noqa: N812 (read as a namespace)
from gongkai.reportdoc.extract import Line

UNREAD = "？"

# crawler header keys (only at the top of a file, at least two of them)
_HEADER_RE = re.compile(
    r"^\s*(标题|发布时间|发布日期|文号|发文字号|发布机构|来源|栏目|所属栏目|原文链接|原文地址|"
    r"本地目录|索引号|主题分类|成文日期|信息来源|抓取时间)\s*[:：]\s*(.*)$"
)
_HEADER_TAIL_RE = re.compile(r"^\s*(?:页面链接与图片详见|=+\s*正文\s*=+|-{3,}\s*$|=+\s*$)")
_DATE_RE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_BREADCRUMB_RE = re.compile(r"(?:当前位置|您的位置|您现在的位置|所在位置)\s*[:：]")
# page furniture after the breadcrumb: source/time line, share buttons, print/font-size links
_CHROME_RE = re.compile(
    r"(?:来源[:：]\s*\S+|时间[:：]\s*[\d\-: ]+|发布时间[:：]\s*[\d\-: ]+|浏览次数[:：]?\s*\d*|"
    r"微信|微博|QQ空间|QQ|分享到[:：]?|全真版|文字版|文件下载|打印本页|打印|关闭窗口|关闭|"
    r"字号[:：]?\s*[大中小\s]*|【\s*[大中小]\s*】|相关链接[:：]?\s*(?:-->)?|-->)"
)
_TRAILING_CHROME_RE = re.compile(
    r"(?:\s*(?:附件下载|附件[:：]|相关附件|【打印本页】|【关闭窗口】|打印本页|关闭窗口|扫一扫.*|"
    r"分享到[:：]?.*|上一篇[:：].*|下一篇[:：].*))+\s*$"
)

_ORDINAL_RE = re.compile(r"[一二三四五六]、")
_ORDINALS = "一二三四五六"

_HEADING_MAX = 40
_SHOWN = 24  # candidate readings named in an R1 message


@dataclass
class Flattened:
    lines: list[Line] = field(default_factory=list)
    published: str | None = None
    cell_notes: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    unread: set[str] = field(default_factory=set)
    ambiguous_rows: dict[str, list[glued.Cells]] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Chrome


def strip_header(lines: list[Line]) -> tuple[list[Line], str | None, str | None]:
    """The crawler's header lines at the top: dropped; their title and date are kept."""
    title = published = None
    keys = 0
    end = 0
    for i, line in enumerate(lines[:20]):
        match = _HEADER_RE.match(line.text)
        if match:
            keys += 1
            end = i + 1
            key, value = match.group(1), match.group(2).strip()
            if key == "标题" and value:
                title = value
            elif key in ("发布时间", "发布日期", "成文日期") and value and published is None:
                date = _DATE_RE.search(value)
                if date:
                    y, m, d = (int(g) for g in date.groups())
                    if 1 <= m <= 12 and 1 <= d <= 31:
                        published = f"{y:04d}-{m:02d}-{d:02d}"
        elif _HEADER_TAIL_RE.match(line.text) and keys:
            end = i + 1
        else:
            break  # the header is the file's first lines, or there is none
    if keys < 2:
        return lines, None, None
    return lines[end:], title, published


def strip_chrome(text: str) -> str:
    """Breadcrumb (当前位置：…), share buttons and 「附件下载」 around the report text."""
    match = _BREADCRUMB_RE.search(text[:400])
    if match:
        window = text[match.start() : match.start() + 400]
        last = None
        for chrome in _CHROME_RE.finditer(window):
            last = chrome
        if last is not None:
            text = text[: match.start()] + text[match.start() + last.end() :]
    return _TRAILING_CHROME_RE.sub("", text).strip()


# ---------------------------------------------------------------------------------------------
# Headings by meaning


def heading_at(text: str, pos: int, section: int) -> int | None:
    """End of the heading of ``section`` (0–5) starting at ``pos`` (its ordinal), else None."""
    if text[pos : pos + 2] != f"{_ORDINALS[section]}、":
        return None
    window = text[pos + 2 : pos + 2 + _HEADING_MAX]
    norm = normalize_label(window)
    for want, _title in _SECTION_NORMS[section]:
        if norm.startswith(want):
            return _end_of(window, want, pos + 2)
    for words in L.SECTION_MEANINGS[section]:
        # the key words inside the first clause (before any full stop or figure)
        clause = re.split(r"[。；;\d（(]", window, maxsplit=1)[0]
        if all(word in clause for word in words):
            marks = (*L.SECTION_HEADING_ENDS, *words)
            ends = [clause.rfind(e) + len(e) for e in marks if e in clause]
            return pos + 2 + max(ends)
    return None


def _end_of(window: str, want: str, offset: int) -> int:
    # the title may be broken by spaces in the source: count its characters, not the spaces
    got = 0
    for i, ch in enumerate(window):
        if not ch.isspace():
            got += 1
        if got >= len(want):
            return offset + i + 1
    return offset + len(window)


def find_headings(text: str) -> list[tuple[int, int, int]]:
    """(section, start, end) of the section headings inside ``text``, in order."""
    found: list[tuple[int, int, int]] = []
    last = -1
    for match in _ORDINAL_RE.finditer(text):
        section = _ORDINALS.index(match.group()[0])
        if section <= last:
            continue
        end = heading_at(text, match.start(), section)
        if end is not None:
            found.append((section, match.start(), end))
            last = section
    return found


_HEADINGS_LINE = 1000  # a line this long is a page, not a paragraph, if it holds headings
_GLUED_FIRST_ROW_RE = re.compile(r"本年新收\D{0,40}\d[\d ]{6,}")


def looks_flattened(lines: list[Line]) -> bool:
    """A long line holding table 三's glued first row, or three section headings in order."""
    return any(
        (
            len(line.text) > 300
            and "本年新收" in line.text
            and _GLUED_FIRST_ROW_RE.search(line.text) is not None
        )
        or (len(line.text) > _HEADINGS_LINE and len(find_headings(line.text)) >= 3)
        for line in lines
    )


# ---------------------------------------------------------------------------------------------
# Tables


_ITEM_NUMBER_RE = re.compile(r"(\d)\.(?=\D)")
_TOKEN_RE = re.compile(r"\x00?((?:\d\.)?[^\d\x00]+)([\d.]*)")
_T3_ORDINAL_RE = re.compile(
    r"^(?:[一二三四五六七]、|（[一二三四五六七]）|\(\s*[一二三四五六七]\s*\)|\d\.)"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    """(label, digits) pairs of flattened table text; an item number glued to the figures
    before it (「…合法权益00000005.属于三类」) goes back to its label."""
    compact = re.sub(r"\s+", "", text)
    compact = _ITEM_NUMBER_RE.sub("\x00\\1.", compact)
    return [(m.group(1), m.group(2)) for m in _TOKEN_RE.finditer(compact)]


def _strip_ordinal(label: str) -> str:
    while True:
        stripped = _T3_ORDINAL_RE.sub("", label, count=1)
        if stripped == label:
            return label
        label = stripped


def _t3_labels(fmt: ReportFormat) -> list[tuple[str, str, str, str]]:
    """(normalized label, normalized ordinal, key, printed label), longest label first."""
    return sorted(
        (
            (normalize_label(r.label), normalize_label(r.ordinal), r.key, f"{r.ordinal}{r.label}")
            for r in fmt.table3_rows
        ),
        key=lambda t: -len(t[0]),
    )


# the form's own labels, folded once (static data, not a per-document cache)
_T3_LABELS = {f.id: _t3_labels(f) for f in (FORMAT_2019, FORMAT_2021)}
_SECTION_NORMS = tuple(
    tuple(sorted(((normalize_label(t), t) for t in titles), key=lambda x: -len(x[0])))
    for titles in SECTION_TITLES
)


def _t3_key(label: str, fmt: ReportFormat) -> tuple[str | None, str]:
    """Row key of a table-三 label token (group labels before it stripped), and the label."""
    norm = normalize_label(label)
    for want, ordinal, key, printed in _T3_LABELS[fmt.id]:
        if not norm.endswith(want):
            continue
        head = norm[: -len(want)]
        if key == "other_other":
            # 2021: 「3.其他」 under （六）; 2019: the collapsed 「（六）其他处理」 row
            if not head.endswith(ordinal):
                continue
        elif not head.endswith(ordinal):
            continue
        return key, printed
    return None, label


@dataclass
class _Row:
    key: str
    label: str
    digits: str


def _t3_rows(text: str, fmt: ReportFormat) -> list[_Row]:
    rows = []
    for label, digits in _tokens(text):
        key, name = _t3_key(label, fmt)
        if key is not None and digits:
            rows.append(_Row(key, name, digits))
    return rows


def _t2_layout(text: str, fmt: ReportFormat) -> list[tuple[str, list[str], _Row | None]]:
    """(item key, column labels, row) for the table-二 text."""
    out = []
    items = sorted(fmt.table2, key=lambda it: -len(normalize_label(it.label)))
    for label, digits in _tokens(text):
        norm = normalize_label(label).removesuffix("元")
        for item in items:
            if norm.endswith(normalize_label(item.label)):
                out.append(
                    (item.key, [c.label for c in item.columns], _Row(item.key, item.label, digits))
                )
                break
    return out


def _fmt_of(text: str) -> ReportFormat:
    compact = re.sub(r"\s+", "", text)
    if any(word in compact for word in ("本年新制作数量", "政府集中采购")):
        return FORMAT_2019
    if "申请人无正当理由" not in compact:
        return FORMAT_2019
    return FORMAT_2021


def unflatten(lines: list[Line]) -> Flattened:
    """The lines of a flattened report, rebuilt: headings, prose and tab-separated rows."""
    out = Flattened()
    body, title, out.published = strip_header(lines)
    number = body[0].number if body else 1
    text = strip_chrome(" ".join(line.text for line in body))
    if title:
        out.lines.append(Line(title, number))
    headings = find_headings(text)
    starts = [h[1] for h in headings] + [len(text)]
    if headings and headings[0][1] > 0:
        out.lines.append(Line(text[: headings[0][1]].strip(), number))
    fmt = _fmt_of(text)
    for (section, start, end), stop in zip(headings, starts[1:], strict=True):
        out.lines.append(Line(text[start:end].strip(), number))
        content = text[end:stop].strip()
        if section == 1:
            _table2(content, fmt, number, out)
        elif section == 2:
            _table3(content, fmt, number, out)
        elif section == 3:
            _table4(content, number, out)
        elif content:
            out.lines.append(Line(content, number))
    return out


def _cells_line(label: str, values: list[str]) -> str:
    return "\t".join([label, *values])


def _r1(cells: list[str], message: str) -> Finding:
    return Finding("R1", Severity.WARNING, message, tuple(cells))


def _candidates_text(reading: glued.RowReading) -> str:
    shown = "；".join(glued.show(c) for c in reading.candidates[:_SHOWN])
    more = len(reading.candidates) - _SHOWN
    if reading.more:
        return f"{shown}等{glued.MAX_CANDIDATES}种以上"
    return shown + (f"等共{len(reading.candidates)}种" if more > 0 else "")


def _ambiguous(
    out: Flattened, table: str, row: _Row, cols: list[str], *, reading: glued.RowReading, why: str
) -> None:
    cells = [f"{table}.{row.key}.{c}" for c in cols]
    out.unread.update(cells)
    if reading.exhausted:
        detail = "可能的拆分方式过多，超出检查上限"
    elif reading.unordered:
        detail = "表头的列名或列顺序与官方格式不同，无法按列拆分"
    elif not reading.digits.isdigit():
        detail = "带小数或单位的数值与其他数值连写，无法拆分"
    elif not reading.candidates:
        detail = "没有一种拆分方式符合表内勾稽关系"
    else:
        detail = f"可能的读法有：{_candidates_text(reading)}"
    out.findings.append(
        _r1(
            cells,
            f"无法可靠读取：{row.label}的数值在提取文本中连写为“{row.digits}”，{why}，{detail}；"
            "这些单元格记为空（未读取），请以原件核对",
        )
    )


def _table2(content: str, fmt: ReportFormat, number: int, out: Flattened) -> None:
    budget = glued.Budget()
    first = content.find("第二十条")
    if first > 0:  # a sentence before the table is the section's prose
        out.lines.append(Line(content[:first].strip(), number))
    elif first < 0 and content:
        out.lines.append(Line(content, number))
        return
    for key, columns, row in _t2_layout(content, fmt):
        item = next(it for it in fmt.table2 if it.key == key)
        out.lines.append(Line(item.item, number))
        out.lines.append(Line(_cells_line("信息内容", columns), number))
        cols = [c.key for c in item.columns]
        assert row is not None
        digits = row.digits
        amount = any(c.startswith("amount") for c in cols)
        if len(cols) == 1 and re.fullmatch(r"\d+(?:\.\d+)?", digits or ""):
            out.lines.append(Line(_cells_line(row.label, [digits]), number))
            continue
        reading = (
            glued.read_row(digits, len(cols), None, budget)
            if digits.isdigit() and not amount
            else glued.RowReading(digits, [], exhausted=False)
        )
        if reading.forced:
            out.lines.append(
                Line(_cells_line(row.label, [str(v) for v in reading.candidates[0]]), number)
            )
            continue
        out.lines.append(Line(_cells_line(row.label, [UNREAD] * len(cols)), number))
        if reading.candidates and not reading.more and not reading.exhausted:
            out.ambiguous_rows[f"table2.{row.key}"] = list(reading.candidates)
        _ambiguous(
            out, "table2", row, cols, reading=reading, why="表二同一行的各列之间没有勾稽关系"
        )


def _table3(content: str, fmt: ReportFormat, number: int, out: Flattened) -> None:
    header = content.find("申请人情况")
    # the header must name the columns in the official order (the form prints 总计 before the
    # organisation columns: not checked); without a header the official order is assumed, as
    # for any text whose header was lost
    in_order = True
    if header >= 0:
        norm_header = normalize_label(content[header : header + 80])
        pos = 0
        for word in (normalize_label(c.label) for c in fmt.table3_columns[:-1]):
            at = norm_header.find(word, pos)
            if at < 0:
                in_order = False
                break
            pos = at + len(word)
    if header > 0:
        out.lines.append(Line(content[:header].strip(), number))
    start = header if header >= 0 else 0
    table = content[start:]
    if header >= 0:
        # the header words end at 「…法律服务机构其他」
        cut = re.search(r"法律服务\s*机构\s*其他", table)
        if cut:
            table = table[cut.end() :]
    cols = [c.key for c in fmt.table3_columns]
    out.lines.append(Line(_cells_line("申请人情况", [c.label for c in fmt.table3_columns]), number))
    budget = glued.Budget()
    rows = _t3_rows(table, fmt)
    readings: dict[str, glued.RowReading] = {}
    by_key: dict[str, _Row] = {}
    for row in rows:
        if row.key in by_key:
            continue  # a second copy of a row: the first stands (the assembler compares)
        by_key[row.key] = row
        readings[row.key] = (
            glued.read_row(row.digits, len(cols), "sum", budget)
            if row.digits.isdigit() and in_order
            else glued.RowReading(row.digits, [], unordered=not in_order)
        )
    candidates = {k: r.candidates for k, r in readings.items() if not r.exhausted and not r.more}
    for key in fmt.table3_row_keys:
        candidates.setdefault(key, [])
    solution = glued.solve_columns(
        candidates, glued.table3_constraints(fmt), budget, width=len(cols)
    )
    inferred: list[str] = []
    digits_shown = []
    for row in rows:
        if by_key.get(row.key) is not row:
            continue
        reading = readings[row.key]
        values = solution.rows.get(row.key)
        if reading.forced and values is None:
            values = reading.candidates[0]
        if values is None:
            if reading.candidates and not reading.more and not solution.exhausted:
                out.ambiguous_rows[f"table3.{row.key}"] = list(reading.candidates)
            out.lines.append(Line(_cells_line(row.label, [UNREAD] * len(cols)), number))
            _ambiguous(
                out,
                "table3",
                row,
                cols,
                reading=reading,
                why="按本行“总计＝各列之和”（T2）及各列勾稽关系（T1、S1）",
            )
            continue
        if not reading.forced:
            rules = ("T2", *solution.rules.get(row.key, ()))
            for c in cols:
                path = f"table3.{row.key}.{c}"
                out.cell_notes[path] = (
                    f"连写数字“{row.digits}”按勾稽关系（{'、'.join(rules)}）唯一确定拆分，属推定"
                )
                inferred.append(path)
            digits_shown.append(row.digits)
        out.lines.append(Line(_cells_line(row.label, [str(v) for v in values]), number))
    if inferred:
        out.findings.append(
            Finding(
                "R2",
                Severity.NOTICE,
                f"表三有{len(digits_shown)}行的数值在提取文本中连写在一起（如“{digits_shown[0]}”），"
                "已按表内勾稽关系唯一确定拆分方式；这些数值是推定的，请以原件核对",
                tuple(inferred),
            )
        )


def _table4(content: str, number: int, out: Flattened) -> None:
    # the table is the longest run of digits (spaces allowed inside it); the rest is prose
    runs = list(re.finditer(r"\d[\d\s]*\d|\d", content))
    run = max(runs, key=lambda m: len(m.group()), default=None)
    if run is None:
        if content:
            out.lines.append(Line(content, number))
        return
    digits = re.sub(r"\s+", "", run.group())
    rest = content[run.end() :]
    blocks = FORMAT_2021.table4_block_keys
    cells = FORMAT_2021.table4_cell_keys
    labels = [c.label for c in FORMAT_2021.table4_cells]
    out.lines.append(Line(_cells_line("行政复议", ["", "", "", "", "行政诉讼"]), number))
    out.lines.append(
        Line(_cells_line("", [*labels, "未经复议直接起诉", "", "", "", "", "复议后起诉"]), number)
    )
    out.lines.append(Line("\t".join(labels * 3), number))
    budget = glued.Budget()
    reading = glued.read_row(digits, 15, "t4", budget) if len(digits) >= 15 else None
    if reading is not None and reading.unique:
        values = reading.candidates[0]
        out.lines.append(Line("\t".join(str(v) for v in values), number))
        if not reading.forced:
            paths = [f"table4.{b}.{c}" for b in blocks for c in cells]
            for path in paths:
                out.cell_notes[path] = f"连写数字“{digits}”按勾稽关系（T4）唯一确定拆分，属推定"
            out.findings.append(
                Finding(
                    "R2",
                    Severity.NOTICE,
                    f"表四的15个数值在提取文本中连写为“{digits}”，已按各栏“总计＝维持＋纠正＋其他＋"
                    "尚未审结”（T4）唯一确定拆分方式；这些数值是推定的，请以原件核对",
                    tuple(paths),
                )
            )
    else:
        out.lines.append(Line("\t".join([UNREAD] * 15), number))
        row = _Row("table4", "表四", digits)
        paths = [f"table4.{b}.{c}" for b in blocks for c in cells]
        out.unread.update(paths)
        if reading is not None and reading.candidates and not (reading.more or reading.exhausted):
            out.ambiguous_rows["table4"] = list(reading.candidates)
        if reading is None:
            detail = "位数少于15个单元格"
        elif reading.exhausted:
            detail = "可能的拆分方式过多，超出检查上限"
        elif not reading.candidates:
            detail = "没有一种拆分方式符合各栏勾稽关系（T4）"
        else:
            detail = f"可能的读法有：{_candidates_text(reading)}"
        out.findings.append(
            _r1(
                paths,
                f"无法可靠读取：{row.label}的数值在提取文本中连写为“{digits}”，{detail}；"
                "这些单元格记为空（未读取），请以原件核对",
            )
        )
    if rest.strip():
        out.lines.append(Line(rest.strip(), number))
