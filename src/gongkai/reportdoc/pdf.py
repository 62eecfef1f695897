"""PDF extractor: a published PDF → :class:`Extracted`.

Text comes from pypdfium2 (PDFium, a pdfplumber dependency): it is fast and keeps a table row's
label and numbers on one line. Tables are looked for only on pages whose text shows a table
label, in three steps, cheapest first:

1. PDFium's path objects give the ruling lines; pdfplumber's table finder turns them into
   cells; PDFium reads the text inside each cell (~50 ms a page);
2. if that finds no table, pdfplumber parses the page itself (pdfminer, pure Python, ~0.2 s a
   page) and runs the same finder on its own edges;
3. if that finds none either, the page's words are clustered by their y position into a grid
   (one word a cell) so that row labels still carry their numbers.

A table split over two pages stays two grids, each with its page; the assembler aligns them by
row labels.
"""

from __future__ import annotations

import ctypes
import io
import logging
import re
import time
from dataclasses import dataclass, field, replace

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.page import Page
from pdfplumber.table import Table, TableFinder, TableSettings

from gongkai.law.report_format import normalize_label
from gongkai.reportdoc.extract import Extracted, Grid, Line, ReportReadError
from gongkai.reportdoc.html import clean_cell, clean_text

DEFAULT_MAX_PAGES = 200
MAX_EDGES = 50_000
_AXIS_TOLERANCE = 1.0  # a ruling line is axis-aligned within a point
_TABLE_SETTINGS = TableSettings.resolve(
    {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
)

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
# (ERROR: damaged fonts make it warn 「Could not get FontBBox」 once per glyph on stderr.)
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def extract_pdf(
    data: bytes,
    source: str,
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    deadline: float | None = None,
    find_tables: bool = True,
) -> Extracted:
    """``deadline`` is a ``time.monotonic()`` instant after which reading stops with an error."""
    pages = _read_pages(data, source, max_pages, deadline, find_tables)
    lines: list[Line] = []
    for page in pages:
        for raw in page.text.splitlines():
            cleaned = clean_text(_CONTROL_RE.sub("", raw))
            if cleaned:
                lines.append(Line(cleaned, len(lines) + 1, page.number))
    retry = [p.number for p in pages if p.needs_fallback]
    fallback = _plumber_grids(data, source, retry, deadline) if retry else {}
    grids: list[Grid] = []
    for page in pages:
        for table in fallback.get(page.number, page.tables):
            grids.append(replace(table, index=len(grids), page=page.number))
    return Extracted(source=source, kind="pdf", lines=lines, grids=grids)


@dataclass
class _Page:
    number: int
    text: str
    tables: list[Grid] = field(default_factory=list)
    needs_fallback: bool = False


def _read_pages(
    data: bytes, source: str, max_pages: int, deadline: float | None, find_tables: bool
) -> list[_Page]:
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
        pages = []
        for index in range(count):
            _check_deadline(deadline, source)
            pages.append(_read_page(document[index], index + 1, find_tables))
        return pages
    except pdfium.PdfiumError as exc:
        raise ReportReadError(f"{source}：PDF 页面无法读取（{exc}）", source=source) from exc
    finally:
        document.close()


def _read_page(page: pdfium.PdfPage, number: int, find_tables: bool) -> _Page:
    if page.get_rotation():
        # a /Rotate flag turns the page for display only: read it as its content stands
        # (at 180° PDFium would return every line right to left), in memory, never saved
        page.set_rotation(0)
    textpage = page.get_textpage()
    upside_down = _upside_down(textpage)
    if upside_down:
        # content drawn upside down (a scan-like export turned 180°): turned back, PDFium
        # reads its lines in order; its grids would come out mirrored, so only lines are read
        textpage.close()
        page.set_rotation(180)
        textpage = page.get_textpage()
    try:
        out = _Page(number, textpage.get_text_range())
        if find_tables and not upside_down and _has_table_marker(out.text):
            height = page.get_height()
            edges = _edges(page, height)
            out.tables = [t for t in pdfium_tables(page, textpage, edges) if t.rows]
            if not any(len(row) > 1 for t in out.tables for row in t.rows):
                if _ruled(edges):
                    # rules that PDFium's geometry made no table of: pdfplumber's own parse
                    # may see them otherwise (step 2)
                    out.needs_fallback = True
                else:
                    # a borderless or 三线表 layout: words by line (step 3) straight from
                    # PDFium, since pdfminer would find no more rules than PDFium did
                    out.tables = [Grid(rows) for rows in [_pdfium_words_grid(textpage, height)]]
                    out.tables = [t for t in out.tables if t.rows]
        return out
    finally:
        textpage.close()
        page.close()


def _upside_down(textpage: pdfium.PdfTextPage) -> bool:
    """Most of the page's characters (a sample of up to 64) are turned by about 180°."""
    count = textpage.count_chars()
    if not count:
        return False
    step = max(1, count // 64)
    angles = [pdfium_c.FPDFText_GetCharAngle(textpage.raw, i) for i in range(0, count, step)]
    turned = sum(1 for a in angles if 2.8 < a < 3.5)
    return turned * 2 > len(angles)


def _ruled(edges: list[dict]) -> bool:
    """Enough vertical and horizontal rules to make cells of. A vertical rule shorter than a
    line of text is the side of a bar (a title's underline drawn as a thin rectangle)."""
    verticals = sum(1 for e in edges if e["orientation"] == "v" and e["height"] >= 8)
    horizontals = sum(1 for e in edges if e["orientation"] == "h")
    return verticals >= 2 and horizontals >= 2


def _has_table_marker(text: str) -> bool:
    folded = normalize_label(text)
    return any(marker in folded for marker in _TABLE_MARKERS)


def _plumber_grids(
    data: bytes, source: str, page_numbers: list[int], deadline: float | None
) -> dict[int, list[Grid]]:
    """pdfplumber's own parse (pure Python, slow): the second opinion, then words by line."""
    found: dict[int, list[Grid]] = {}
    try:
        with pdfplumber.open(io.BytesIO(data), pages=page_numbers) as pdf:
            for page in pdf.pages:
                _check_deadline(deadline, source)
                rules = _page_break_rules(page.edges)
                found_tables = page.find_tables({"explicit_horizontal_lines": rules})
                tables = [_expanded(t, t.extract()) for t in found_tables]
                tables = [t for t in tables if t.rows]
                if not any(len(row) > 1 for t in tables for row in t.rows):
                    tables = [Grid(rows) for rows in [_words_grid(page)] if rows]
                found[page.page_number] = tables
                page.close()
    except ReportReadError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged streams
        raise ReportReadError(f"{source}：PDF 表格无法读取（{exc}）", source=source) from exc
    return found


def pdfium_tables(
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, edges: list[dict] | None = None
) -> list[Grid]:
    """Ruled tables from PDFium's geometry, found by pdfplumber's table finder.

    pdfplumber's table finder only needs the ruling lines (``edges``); PDFium gives them from
    the page's path objects in C, ~5x faster than pdfminer's interpreter. Cell text is read
    by PDFium inside each cell's box.
    """
    width, height = page.get_size()
    edges = _edges(page, height) if edges is None else edges
    geometry = _Geometry((0.0, 0.0, width, height), edges + _page_break_rules(edges))
    tables = []
    for table in TableFinder(geometry, _TABLE_SETTINGS).tables:
        texts = [
            [None if cell is None else _text_in(textpage, cell, height) for cell in row.cells]
            for row in table.rows
        ]
        tables.append(_expanded(table, texts))
    return tables


def _page_break_rules(edges: list[dict]) -> list[dict]:
    """Close a table cut by the page break: no rule is drawn where the page cuts it, so the
    merged cells running over the break (「三、本年度办理结果」) would not be cells at all.
    Where the lowest (or highest) vertical rules end with no horizontal rule there, add one."""
    verticals = [e for e in edges if e["orientation"] == "v"]
    horizontals = [e for e in edges if e["orientation"] == "h"]
    if len(verticals) < 2:
        return []
    added = []
    for y, end in ((max(e["bottom"] for e in verticals), "bottom"),
                   (min(e["top"] for e in verticals), "top")):  # fmt: skip
        ending = [e["x0"] for e in verticals if abs(e[end] - y) <= _AXIS_TOLERANCE]
        if len(ending) < 2:
            continue
        left, right = min(ending), max(ending)
        if any(
            abs(h["top"] - y) <= 2 and h["x0"] <= left + 2 and h["x1"] >= right - 2
            for h in horizontals
        ):
            continue
        added.append(
            {"x0": left, "x1": right, "top": y, "bottom": y, "width": right - left,
             "height": 0.0, "orientation": "h", "object_type": "line"}
        )  # fmt: skip
    return added


@dataclass
class _Geometry:
    """The part of a pdfplumber ``Page`` that ``TableFinder`` reads for ruled tables."""

    bbox: tuple[float, float, float, float]
    edges: list[dict]


def _text_in(
    textpage: pdfium.PdfTextPage, cell: tuple[float, float, float, float], height: float
) -> str:
    x0, top, x1, bottom = cell
    # one point inside the rules, so that a neighbour's glyph touching the rule stays out
    text = textpage.get_text_bounded(x0 + 1, height - bottom + 1, x1 - 1, height - top - 1)
    return text.replace("\r\n", "\n").replace("\r", "\n")


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _edges(page: pdfium.PdfPage, height: float) -> list[dict]:
    """Axis-aligned line segments of every path on the page (raw PDFium calls: the object
    wrappers cost more than the geometry on a page of a thousand glyphs)."""
    edges: list[dict] = []
    raw_page = page.raw
    count = pdfium_c.FPDFPage_CountObjects(raw_page)
    stack = [(pdfium_c.FPDFPage_GetObject(raw_page, i), _IDENTITY, 0) for i in range(count)]
    stack.reverse()
    while stack and len(edges) <= MAX_EDGES:  # a page of a million strokes is no table
        obj, parent, depth = stack.pop()
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            edges.extend(_path_edges(obj, _compose(_matrix(obj), parent), height))
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
            combined = _compose(_matrix(obj), parent)
            inner = pdfium_c.FPDFFormObj_CountObjects(obj)
            stack.extend(
                (pdfium_c.FPDFFormObj_GetObject(obj, i), combined, depth + 1)
                for i in reversed(range(max(inner, 0)))
            )
    return edges


def _matrix(obj: object) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """``inner`` then ``outer`` (PDF row-vector convention: p' = p · inner · outer)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer  # noqa: N806 - the matrix letters of the PDF spec
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _path_edges(obj: object, matrix: Matrix, height: float) -> list[dict]:
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    edges: list[dict] = []
    start = current = None
    for i in range(min(pdfium_c.FPDFPath_CountSegments(obj), MAX_EDGES)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        px, py = x.value, y.value
        point = (px * a + py * c + e, px * b + py * d + f)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = current = point
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and current is not None:
            _add_edge(edges, current, point, height)
        current = point  # a Bézier curve is no ruling line; it only moves the pen
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            _add_edge(edges, current, start, height)
            current = start
    return edges


def _add_edge(
    edges: list[dict], a: tuple[float, float], b: tuple[float, float], height: float
) -> None:
    (x0, y0), (x1, y1) = a, b
    if abs(y0 - y1) <= _AXIS_TOLERANCE < abs(x0 - x1):
        top = height - (y0 + y1) / 2
        left, right = sorted((x0, x1))
        edges.append(
            {"x0": left, "x1": right, "top": top, "bottom": top, "width": right - left,
             "height": 0.0, "orientation": "h", "object_type": "line"}
        )  # fmt: skip
    elif abs(x0 - x1) <= _AXIS_TOLERANCE < abs(y0 - y1):
        middle = (x0 + x1) / 2
        top, bottom = sorted((height - y0, height - y1))
        edges.append(
            {"x0": middle, "x1": middle, "top": top, "bottom": bottom, "width": 0.0,
             "height": bottom - top, "orientation": "v", "object_type": "line"}
        )  # fmt: skip


def _expanded(table: Table, texts: list[list[str | None]]) -> Grid:
    """pdfplumber leaves the positions covered by a merged cell as None; fill them in.

    Columns start at the distinct left edges of the cells and rows at their distinct tops
    (which is how pdfplumber numbers them), so each position has a probe point in its middle;
    the detected cell containing the probe is the merged cell covering the position, and its
    text is repeated there, its origin the merged cell's (row, column) in pdfplumber's
    table. A position no detected cell covers stays blank.
    """
    rows = table.rows
    cells = [b for row in rows for b in row.cells if b is not None]
    if not cells:
        return Grid(())
    right = max(b[2] for b in cells)
    bottom = max(b[3] for b in cells)
    xs = [*sorted({b[0] for b in cells}), right]
    ys = [*sorted({b[1] for b in cells}), bottom]
    covering = [
        (bbox, texts[r][c] or "", (r, c))
        for r, row in enumerate(rows)
        for c, bbox in enumerate(row.cells)
        if bbox is not None
    ]
    grid: list[tuple[str, ...]] = []
    origins: list[tuple[tuple[int, int], ...]] = []
    for r, row in enumerate(rows):
        y = (ys[r] + ys[r + 1]) / 2 if r + 1 < len(ys) else None
        out = []
        starts = []
        for c, bbox in enumerate(row.cells):
            text, start = "", (r, c)
            if bbox is not None:
                text = texts[r][c] or ""
            elif y is not None and c + 1 < len(xs):
                text, start = _text_at(covering, (xs[c] + xs[c + 1]) / 2, y, start)
            out.append(text)
            starts.append(start)
        cleaned = tuple(clean_cell(t) for t in out)
        if any(cleaned):
            grid.append(cleaned)
            origins.append(tuple(starts))
    return Grid(tuple(grid), origins=tuple(origins))


def _text_at(
    covering: list[tuple[tuple[float, float, float, float], str, tuple[int, int]]],
    x: float,
    y: float,
    nowhere: tuple[int, int],
) -> tuple[str, tuple[int, int]]:
    for (x0, top, x1, bottom), text, origin in covering:
        if x0 <= x <= x1 and top <= y <= bottom:
            return text, origin
    return "", nowhere


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


def _pdfium_words_grid(textpage: pdfium.PdfTextPage, height: float) -> tuple[tuple[str, ...], ...]:
    """:func:`_words_grid` from PDFium's character boxes: characters on one baseline (within
    3 pt, as pdfplumber's ``y_tolerance``) form a row, and a gap wider than 3 pt (its
    ``x_tolerance``) starts a new cell."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # characters outside the BMP: read them one by one
        text = "".join(textpage.get_text_range(i, 1)[:1] or " " for i in range(count))
    chars = []
    for index, char in enumerate(text):
        if char.isspace() or char == "\ufffe":
            continue
        left, _, right, top = textpage.get_charbox(index)
        chars.append((height - top, left, right, char))
    chars.sort()
    lines: list[list[tuple[float, float, float, str]]] = []
    for char in chars:
        if lines and abs(lines[-1][0][0] - char[0]) <= 3:
            lines[-1].append(char)
        else:
            lines.append([char])
    grid = []
    for line in lines:
        cells: list[str] = []
        end = None
        for _, left, right, char in sorted(line, key=lambda c: c[1]):
            if end is None or left - end > 3:
                cells.append(char)
            else:
                cells[-1] += char
            end = right if end is None else max(end, right)
        grid.append(tuple(clean_cell(c) for c in cells))
    width = max((len(r) for r in grid), default=0)
    return tuple(r + ("",) * (width - len(r)) for r in grid)


def _check_deadline(deadline: float | None, source: str) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise ReportReadError(
            f"{source}：PDF 读取超时，已停止（文件过大或过于复杂）", source=source
        )
