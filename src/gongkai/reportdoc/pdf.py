"""PDF extractor: a published PDF → :class:`Extracted`.

Text comes from pypdfium2 (PDFium, a pdfplumber dependency): it is fast and keeps a table row's
label and numbers on one line. Tables come from pdfplumber's ruling-line detector, which is
pure Python and costs ~0.15 s a page, so it only runs on pages whose text shows a table label.
A table split over two pages stays two grids, each with its page; the assembler aligns them by
row labels. When pdfplumber finds no table on such a page, the page's words are clustered by
their y position into a grid (one word a cell) so that the row labels still carry numbers.
"""

from __future__ import annotations

import io
import logging
import re
import time

import pdfplumber
import pypdfium2 as pdfium
from pdfplumber.page import Page
from pdfplumber.table import Table

from gongkai.law.report_format import normalize_label
from gongkai.reportdoc.extract import Extracted, Grid, Line, ReportReadError
from gongkai.reportdoc.html import clean_cell, clean_text

DEFAULT_MAX_PAGES = 200

# Words that appear on a page only when one of tables 二/三/四 is printed there.
_TABLE_MARKERS = tuple(
    normalize_label(m)
    for m in (
        "信息内容",
        "本年制发件数",
        "本年新制作数量",
        "处理决定数量",
        "申请人情况",
        "本年新收",
        "本年度办理结果",
        "结转下年度",
        "结果维持",
        "尚未审结",
        "未经复议直接起诉",
    )
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# pdfminer logs every operator at DEBUG; formatting those calls alone costs ~10 % of the run.
logging.getLogger("pdfminer").setLevel(logging.WARNING)


def extract_pdf(
    data: bytes,
    source: str,
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    deadline: float | None = None,
    find_tables: bool = True,
) -> Extracted:
    """``deadline`` is a ``time.monotonic()`` instant after which reading stops with an error."""
    page_texts = _page_texts(data, source, max_pages, deadline)
    lines: list[Line] = []
    for page_no, text in enumerate(page_texts, start=1):
        for raw in text.splitlines():
            cleaned = clean_text(_CONTROL_RE.sub("", raw))
            if cleaned:
                lines.append(Line(cleaned, len(lines) + 1, page_no))
    table_pages = [n for n, text in enumerate(page_texts, start=1) if _has_table_marker(text)]
    grids = _grids(data, source, table_pages, deadline) if find_tables and table_pages else []
    return Extracted(source=source, kind="pdf", lines=lines, grids=grids)


def _page_texts(data: bytes, source: str, max_pages: int, deadline: float | None) -> list[str]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = (
            "文件已加密，需要密码" if "password" in str(exc).lower() else f"文件已损坏（{exc}）"
        )
        raise ReportReadError(f"{source}：PDF 无法打开：{reason}", source=source) from exc
    try:
        count = len(document)
        if count > max_pages:
            raise ReportReadError(
                f"{source}：PDF 共 {count} 页，超过 {max_pages} 页的上限，不像是一份年度报告",
                source=source,
            )
        texts = []
        for index in range(count):
            _check_deadline(deadline, source)
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def _has_table_marker(text: str) -> bool:
    folded = normalize_label(text)
    return any(marker in folded for marker in _TABLE_MARKERS)


def _grids(data: bytes, source: str, page_numbers: list[int], deadline: float | None) -> list[Grid]:
    grids: list[Grid] = []
    try:
        with pdfplumber.open(io.BytesIO(data), pages=page_numbers) as pdf:
            for page in pdf.pages:
                _check_deadline(deadline, source)
                tables = [_expanded(t) for t in page.find_tables()]
                tables = [t for t in tables if t]
                if not any(len(row) > 1 for t in tables for row in t):
                    tables = [t for t in [_words_grid(page)] if t]
                for rows in tables:
                    grids.append(Grid(rows, index=len(grids), page=page.page_number))
                page.close()
    except ReportReadError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged streams
        raise ReportReadError(f"{source}：PDF 表格无法读取（{exc}）", source=source) from exc
    return grids


def _expanded(table: Table) -> tuple[tuple[str, ...], ...]:
    """pdfplumber leaves the positions covered by a merged cell as None; fill them in.

    Each position gets a probe point just inside its own column and row (the narrowest cell
    starting in that column, the shortest cell starting in that row); the detected cell that
    contains the probe is the merged cell covering the position, and its text is repeated.
    """
    texts = table.extract()
    rows = table.rows
    col_probe: dict[int, float] = {}
    col_width: dict[int, float] = {}
    for row in rows:
        for c, bbox in enumerate(row.cells):
            if bbox is not None and bbox[2] - bbox[0] < col_width.get(c, float("inf")):
                col_width[c] = bbox[2] - bbox[0]
                col_probe[c] = (bbox[0] + bbox[2]) / 2
    covering = [
        (bbox, texts[r][c] or "")
        for r, row in enumerate(rows)
        for c, bbox in enumerate(row.cells)
        if bbox is not None
    ]
    grid: list[tuple[str, ...]] = []
    for r, row in enumerate(rows):
        starting = [b for b in row.cells if b is not None]
        top = min((b[1] for b in starting), default=row.bbox[1])
        bottom = min((b[3] for b in starting), default=row.bbox[3])
        y = (top + bottom) / 2
        out = []
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                out.append(texts[r][c] or "")
            elif c in col_probe:
                out.append(_text_at(covering, col_probe[c], y))
            else:
                out.append("")
        grid.append(tuple(clean_cell(t) for t in out))
    return tuple(r for r in grid if any(r))


def _text_at(
    covering: list[tuple[tuple[float, float, float, float], str]], x: float, y: float
) -> str:
    for (x0, top, x1, bottom), text in covering:
        if x0 <= x <= x1 and top <= y <= bottom:
            return text
    return ""


def _words_grid(page: Page) -> tuple[tuple[str, ...], ...]:
    """Fallback when no ruled table is found: words on the same baseline form one row."""
    words = sorted(page.extract_words(keep_blank_chars=False), key=lambda w: (w["top"], w["x0"]))
    rows: list[list[dict]] = []
    for word in words:
        if rows and abs(rows[-1][0]["top"] - word["top"]) <= 3:
            rows[-1].append(word)
        else:
            rows.append([word])
    grid = [tuple(w["text"] for w in sorted(row, key=lambda w: w["x0"])) for row in rows]
    width = max((len(r) for r in grid), default=0)
    return tuple(tuple(clean_cell(c) for c in r) + ("",) * (width - len(r)) for r in grid)


def _check_deadline(deadline: float | None, source: str) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise ReportReadError(
            f"{source}：PDF 读取超时，已停止（文件过大或过于复杂）", source=source
        )
