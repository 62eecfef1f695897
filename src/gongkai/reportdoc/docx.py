"""DOCX extractor: a Word report → :class:`Extracted` (python-docx).

Paragraphs become lines in body order; tables become grids with merged cells expanded
(python-docx repeats a gridSpan cell over the columns it spans and returns the top cell of a
vMerge range on every row it covers, which is exactly the :class:`Grid` convention). A table
holding other tables is layout: its paragraphs are lines and its inner tables are grids.

The container's core-properties dates are *not* used as the publication date: they record when
someone saved the file (templates circulate for years), not when the report was published.
Call :func:`gongkai.reportdoc.reader.extract_path`, which guards against zip bombs before this
module ever opens the file.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document as DocumentObject
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from gongkai.reportdoc.extract import Extracted, Grid, Line, ReportReadError
from gongkai.reportdoc.html import MAX_SPAN, GridCells, clean_cell, clean_text, superscript

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TBL, _TR, _TC, _P, _T = f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}p", f"{_W}t"
_TAB, _BR, _CR = f"{_W}tab", f"{_W}br", f"{_W}cr"
_TC_PR, _GRID_SPAN, _V_MERGE = f"{_W}tcPr", f"{_W}gridSpan", f"{_W}vMerge"
_GRID_BEFORE = f"{_W}trPr/{_W}gridBefore"
_VAL = f"{_W}val"
_TXBX = f"{_W}txbxContent"
_VERT_ALIGN = f"{_W}rPr/{_W}vertAlign"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def extract_docx(data: bytes, source: str) -> Extracted:
    try:
        document = docx.Document(io.BytesIO(data))
    except (
        KeyError,
        ValueError,
        zipfile.BadZipFile,
        etree.XMLSyntaxError,
        AttributeError,
        TypeError,
    ) as exc:
        raise ReportReadError(
            f"{source}：Word 文档（DOCX）已损坏或无法打开（{exc}）", source=source
        ) from exc
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and friends
        raise ReportReadError(
            f"{source}：Word 文档（DOCX）无法打开（{exc}）", source=source
        ) from exc
    lines: list[str] = []
    grids: list[GridCells] = []
    for item in _blocks(document):
        if isinstance(item, str):
            text = clean_text(item)
            if text:
                lines.append(text)
        else:
            grids.append(item)
    return Extracted(
        source=source,
        kind="docx",
        lines=[Line(t, i) for i, t in enumerate(lines, start=1)],
        grids=[Grid(rows, index=i, origins=origins) for i, (rows, origins) in enumerate(grids)],
    )


def _blocks(container: DocumentObject | object) -> Iterator[str | GridCells]:
    for item in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(item, Paragraph):
            # a soft line break inside a paragraph is a line break the author typed
            yield from item.text.split("\n")
            yield from _text_boxes(item)
        elif isinstance(item, Table):
            yield from _table(item)


def _text_boxes(paragraph: Paragraph) -> Iterator[str | GridCells]:
    """What a text box anchored in the paragraph holds (WPS and Word put whole tables in
    them). Word writes each box twice, as DrawingML and as a VML fallback: the fallback is
    skipped, and so is a box inside another box (read with its outer box)."""
    p = paragraph._p
    if p.find(f".//{_TXBX}") is None:  # the common case: one C-level search
        return
    for box in p.iter(_TXBX):
        if any(a.tag in (_FALLBACK, _TXBX) for a in box.iterancestors()):
            continue
        for child in box:
            if child.tag == _P:
                yield from Paragraph(child, paragraph._parent).text.split("\n")
            elif child.tag == _TBL:
                yield from _table(Table(child, paragraph._parent))


def _table(table: Table) -> Iterator[str | GridCells]:
    tbl = table._tbl
    if next(tbl.iterdescendants(_TBL), None) is not None:
        for row in table.rows:
            for cell in _unique_cells(row.cells):
                yield from _blocks(cell)
        return
    rows, origins = _grid(tbl)
    if any(any(cell for cell in row) for row in rows):
        yield rows, origins


def _grid(tbl: etree._Element) -> GridCells:
    """Expand gridSpan and vMerge straight from the XML (python-docx's ``row.cells`` answers
    the same but re-runs XPath for every cell: ~10x slower on a 28x10 table 三). Each
    position's origin is where its cell starts (a vMerge continuation: the cell above's)."""
    rows: list[list[str]] = []
    origins: list[list[tuple[int, int]]] = []
    for r, tr in enumerate(tbl.iter(_TR)):  # no nested tables here; iter() sees content controls
        row: list[str] = [""] * _int_val(tr.find(_GRID_BEFORE))
        origin = [(r, c) for c in range(len(row))]
        for tc in tr.iter(_TC):
            props = tc.find(_TC_PR)
            span = min(_int_val(props.find(_GRID_SPAN) if props is not None else None, 1), MAX_SPAN)
            merge = props.find(_V_MERGE) if props is not None else None
            column = len(row)
            start = (r, column)
            if merge is not None and merge.get(_VAL) != "restart":
                above = rows[-1] if rows else []
                text = above[column] if column < len(above) else ""
                if column < len(above):
                    start = origins[-1][column]
            else:
                text = clean_cell("\n".join(_paragraph_text(p) for p in tc.iter(_P)))
            row.extend([text] * span)
            origin.extend([start] * span)
        rows.append(row)
        origins.append(origin)
    width = max((len(r) for r in rows), default=0)
    return (
        tuple(tuple(row + [""] * (width - len(row))) for row in rows),
        tuple(tuple(o + [(r, c) for c in range(len(o), width)]) for r, o in enumerate(origins)),
    )


def _paragraph_text(p: etree._Element) -> str:
    parts = []
    for el in p.iter(_T, _TAB, _BR, _CR):
        if el.tag == _T:
            text = el.text or ""
            run = el.getparent()
            align = run.find(_VERT_ALIGN) if run is not None else None
            # a superscript run is a footnote mark (「1207」 + 「1」 is not 12071)
            parts.append(
                superscript(text)
                if align is not None and align.get(_VAL) == "superscript"
                else text
            )
        else:
            parts.append("\t" if el.tag == _TAB else "\n")
    return "".join(parts)


def _int_val(el: etree._Element | None, default: int = 0) -> int:
    if el is None:
        return default
    try:
        return max(int(el.get(_VAL, default)), 0)
    except ValueError:
        return default


def _unique_cells(cells: list) -> list:
    seen: set[int] = set()
    unique = []
    for cell in cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            unique.append(cell)
    return unique
