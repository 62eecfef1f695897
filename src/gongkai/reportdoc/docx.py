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
from gongkai.reportdoc.html import clean_cell, clean_text


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
    grids: list[tuple[tuple[str, ...], ...]] = []
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
        grids=[Grid(rows, index=i) for i, rows in enumerate(grids)],
    )


def _blocks(container: DocumentObject | object) -> Iterator[str | tuple[tuple[str, ...], ...]]:
    for item in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(item, Paragraph):
            # a soft line break inside a paragraph is a line break the author typed
            yield from item.text.split("\n")
        elif isinstance(item, Table):
            yield from _table(item)


def _table(table: Table) -> Iterator[str | tuple[tuple[str, ...], ...]]:
    if any(cell.tables for row in table.rows for cell in _unique_cells(row.cells)):
        for row in table.rows:
            for cell in _unique_cells(row.cells):
                yield from _blocks(cell)
        return
    grid = tuple(tuple(clean_cell(cell.text) for cell in row.cells) for row in table.rows)
    if any(any(cell for cell in row) for row in grid):
        yield grid


def _unique_cells(cells: list) -> list:
    seen: set[int] = set()
    unique = []
    for cell in cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            unique.append(cell)
    return unique
