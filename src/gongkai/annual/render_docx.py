"""The report as DOCX in the official table layout, built from the HTML rendering.

``reportdoc.render_html`` already lays tables 二/三/四 out as the official form (the merged
header cells of TEMPLATE_2021_format_blank.docx); this module walks that HTML and writes the
same grid into Word with the same merges, so the three formats cannot drift apart. Bytes are
deterministic: core properties come from the freeze time and every zip entry gets that time.
No Django here.
"""

from __future__ import annotations

from datetime import datetime

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import html as lxml_html

from gongkai.rendering import docx as rendering_docx

FONT = "宋体"


def _set_font(run, size: float | None = None, bold: bool = False) -> None:
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def _grid(table_el) -> tuple[list[tuple[int, int, int, int, str]], int, int]:
    """(row, col, rowspan, colspan, text) for every cell, placed on the occupied grid."""
    taken: set[tuple[int, int]] = set()
    cells = []
    width = 0
    rows = table_el.findall(".//tr")
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            cells.append((r, c, rs, cs, td.text_content().strip()))
            c += cs
            width = max(width, c)
    width = max([width, *(c + 1 for _, c in taken)])
    return cells, len(rows), width


def _table(document, table_el) -> None:
    cells, n_rows, n_cols = _grid(table_el)
    table = document.add_table(rows=n_rows, cols=n_cols)
    table.style = "Table Grid"
    for r, c, rs, cs, text in cells:
        cell = table.cell(r, c)
        if rs > 1 or cs > 1:
            cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(paragraph.add_run(text), 9)


def html_to_docx(html: str, *, title: str, created: datetime) -> bytes:
    root = lxml_html.fromstring(html)
    article = root.find(".//article")
    document = docx.Document()
    for el in article if article is not None else root:
        if el.tag == "h1":
            p = document.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(p.add_run(el.text_content().strip()), 16, bold=True)
        elif el.tag in ("h2", "h3"):
            _set_font(document.add_paragraph().add_run(el.text_content().strip()), 14, True)
        elif el.tag == "p":
            _set_font(document.add_paragraph().add_run(el.text_content().strip()), 12)
        elif el.tag == "table":
            _table(document, el)
            document.add_paragraph()
    return rendering_docx.save(document, title=title, author="Gongkai", when=created)
