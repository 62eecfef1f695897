"""HTML extractor: a published web page (or a Word "save as HTML") → :class:`Extracted`.

Government pages wrap the report in layout tables, paste it from Word (``<o:p>``, ``mso-``
styles, ``<span>`` soup, ``&nbsp;`` cells) and spread table labels over rowspan/colspan cells.
The extractor keeps only what the assembler needs: prose as lines in reading order and every
innermost data table as a :class:`Grid` with merged cells expanded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from gongkai.reportdoc.extract import Extracted, Grid, Line, ReportReadError

# Elements whose content is never part of the document's text.
_DROP = {"script", "style", "noscript", "template", "head", "title", "iframe", "object", "svg"}
# Elements that start a new line of text.
_BLOCK = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "pre", "address",
    "center", "form", "fieldset", "figure", "figcaption", "hr", "caption", "table", "tbody",
    "thead", "tfoot", "tr", "td", "th", "body", "html",
}  # fmt: skip
_BREAK = "\x00"  # a line break the markup makes (block, <br>), unlike a newline in the source
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
_SOURCE_NEWLINE_CJK_RE = re.compile(rf"(?<={_CJK})[ \t]*\r?\n\s*(?={_CJK})")
_SOURCE_NEWLINE_RE = re.compile(r"\s*\r?\n\s*")
ANNOTATION_CLASS = "gk-annotation"
_DIGITS_RE = re.compile(r"\d+")
_HIDDEN_RE = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all|visibility\s*:\s*hidden", re.I)
_CHROME_WORDS = ("breadcrumb", "crumb", "nav", "menu", "position", "location", "share")
# A span bigger than any real report table is a hostile or broken page; clamp it.
MAX_SPAN = 100
MAX_GRID_CELLS = 200_000
# a grid's rows and, parallel to them, each position's origin (see Grid.origins)
GridCells = tuple[tuple[tuple[str, ...], ...], tuple[tuple[tuple[int, int], ...], ...]]

_WS_RE = re.compile(r"[ \t\r\f\v\u00a0\u2002\u2003\u2009\u200b\u3000]+")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－", "0123456789.-")
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_PUBDATE_META = (
    "pubdate", "publishdate", "firstpublishedtime", "publishtime", "releasedate",
    "article:published_time", "dc.date", "dcterms.issued", "date",
)  # fmt: skip
_DATE_RE = re.compile(r"(20\d\d|19\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_PUBLISHED_TEXT_RE = re.compile(
    r"(?:发布日期|发布时间|发文日期|成文日期|公开日期|日期)\s*[:：]\s*"
    r"((?:20|19)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})"
)


def decode_html(data: bytes) -> str:
    """Decode page bytes: BOM, then the declared charset, then UTF-8, then GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    declared = _CHARSET_RE.search(data[:4096])
    candidates = [declared.group(1).decode("ascii").lower()] if declared else []
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        # gb2312/gbk pages routinely contain characters only gb18030 knows
        enc = "gb18030" if encoding in {"gb2312", "gbk", "x-gbk"} else encoding
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("gb18030", errors="replace")


_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(text: str) -> str:
    """Digits as superscript marks: text set superscript in a page or a Word run is a
    footnote mark, and must not run into the figure before it."""
    return text.strip().translate(_SUPERSCRIPT_DIGITS)


def clean_text(text: str) -> str:
    """Collapse every kind of space (``&nbsp;``, ideographic) inside one line and strip."""
    if text.isalnum() and text.isascii():
        return text  # no space of any kind (most figure cells)
    return _WS_RE.sub(" ", text).strip()


def clean_cell(text: str) -> str:
    if "\n" not in text:
        text = clean_text(text)
    else:
        lines = (clean_text(part) for part in text.split("\n"))
        text = "\n".join(part for part in lines if part)
    # full-width digits are not ASCII: ASCII text has nothing to translate
    return text if text.isascii() else text.translate(_FULLWIDTH_DIGITS)


def extract_html(data: bytes | str, source: str, *, keep_newlines: bool = False) -> Extracted:
    """``keep_newlines`` for Markdown/OCR text with embedded HTML tables, where a newline in
    the source is a real line break; in a web page it is only wrapping whitespace."""
    text = decode_html(data) if isinstance(data, bytes) else data
    root = _parse(text, source)
    walker = _Walker(keep_newlines=keep_newlines)
    walker.walk(root)
    lines = [Line(t, i) for i, t in enumerate(walker.lines(), start=1)]
    grids = [
        Grid(rows, index=i, origins=origins, padded=padded)
        for i, ((rows, origins), padded) in enumerate(zip(walker.grids, walker.padded, strict=True))
    ]
    published = _published_from_meta(root) or _published_from_text(lines)
    return Extracted(source=source, kind="html", lines=lines, grids=grids, published=published)


def _parse(text: str, source: str) -> etree._Element:
    # An XML declaration with an encoding makes lxml refuse a str; it says nothing we need.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    # the plain etree parser: lxml.html's element classes cost a lookup per element
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ReportReadError(f"{source}：HTML 无法解析（{exc}）", source=source) from exc
    if root is None:
        raise ReportReadError(f"{source}：HTML 中没有内容", source=source)
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise ReportReadError(
            f"{source}：HTML 元素嵌套层数超过上限（256层），无法完整读取，不像是正常的年度报告页面",
            source=source,
        )
    return root


_TAGS: dict[str, str] = {}


def _tag(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):  # comments, entities
        return ""
    name = _TAGS.get(tag)
    if name is None:
        # Word-pasted markup: <o:p>, <st1:chsdate> — the namespace prefix says nothing
        name = _TAGS[tag] = tag.rsplit(":", 1)[-1].lower()
    return name


@dataclass
class _Walker:
    """Iterative walk (pages can nest deeply) producing text chunks and grids."""

    keep_newlines: bool = False
    chunks: list[str] = field(default_factory=list)
    grids: list[GridCells] = field(default_factory=list)
    padded: list[bool] = field(default_factory=list)  # per grid: see Grid.padded

    def walk(self, root: etree._Element) -> None:
        # Stack items: an element to enter, or a string to emit after its children (tail/breaks).
        stack: list[etree._Element | str] = [root]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                self.chunks.append(item)
                continue
            tag = _tag(item)
            if tag in _DROP or not tag or _is_annotation(item):
                if item.tail:
                    self.chunks.append(self.flow(item.tail))
                continue
            if tag == "table" and _is_data_table(item):
                found = _table_grid(item)
                if found is not None:
                    grid, padded = found
                    self.chunks.append(_BREAK)
                    self.grids.append(grid)
                    self.padded.append(padded)
                    self.chunks.append(_BREAK + self.flow(item.tail))
                    continue
            style = (item.get("style") or "") if tag == "span" else ""
            if tag == "sup" or ("vertical-align" in style and "super" in style):
                # a footnote mark: kept apart from the figure it follows (「1207<sup>1</sup>」
                # is 1207, never 12071); see numbers.classify
                self.chunks.append(superscript("".join(item.itertext())) + self.flow(item.tail))
                continue
            block = tag in _BLOCK
            if tag == "br":
                self.chunks.append(_BREAK + self.flow(item.tail))
                continue
            if block:
                self.chunks.append(_BREAK)
            if item.text:
                self.chunks.append(self.flow(item.text))
            after = (_BREAK if block else "") + self.flow(item.tail)
            if after:  # an empty string would only cost a turn of the loop
                stack.append(after)
            stack.extend(reversed(list(item)))

    def flow(self, text: str | None) -> str:
        if not text or "\n" not in text:
            return text or ""
        if self.keep_newlines:
            return text.replace("\r\n", "\n").replace("\n", _BREAK)
        # Word wraps its HTML at ~80 columns, inside words: a wrapped Chinese word rejoins
        return _SOURCE_NEWLINE_RE.sub(" ", _SOURCE_NEWLINE_CJK_RE.sub("", text))

    def lines(self) -> Iterator[str]:
        for line in "".join(self.chunks).split(_BREAK):
            text = clean_text(line)
            if text:
                yield text


_PLAIN_FLOW = _Walker()  # flow() of a web page's text (no kept newlines); holds no state used


def _is_annotation(el: etree._Element) -> bool:
    """Not report content: our renderer's findings list, hidden elements, and site chrome
    (menus, breadcrumbs such as 「首页 > 政务公开 > 年报」) that would otherwise be read as the
    title's first line."""
    attrib = el.attrib
    if "style" in attrib and _HIDDEN_RE.search(attrib["style"]):
        return True  # display:none, or Word's mso-hide:all: not shown to readers
    if "hidden" in attrib or ("class" not in attrib and "id" not in attrib and _tag(el) != "nav"):
        return "hidden" in attrib
    classes = (el.get("class") or "").lower()
    if ANNOTATION_CLASS in classes.split():
        return True
    names = f"{classes} {(el.get('id') or '').lower()}"
    return _tag(el) == "nav" or any(word in names for word in _CHROME_WORDS)


def _is_data_table(table: etree._Element) -> bool:
    """A table with no table inside and more than one column carries data, not layout."""
    for el in table.iterdescendants():
        tag = el.tag
        # only a tag ending in "table" can be one (<TABLE>, <x:table>): skip the rest cheaply
        if tag == "table" or (
            isinstance(tag, str) and tag[-5:].lower() == "table" and _tag(el) == "table"
        ):
            return False
    widest = 0
    for row in _rows(table):
        widest = max(widest, sum(_span(c, "colspan") for c in _cells(row)))
        if widest > 1:
            return True
    return False


def _rows(table: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in {"thead", "tbody", "tfoot"}:
            rows.extend(r for r in child if _tag(r) == "tr")
    return rows


def _cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row if _tag(c) in {"td", "th"}]


def _span(cell: etree._Element, attr: str) -> int:
    raw = cell.get(attr)
    if raw is None:
        return 1
    digits = _DIGITS_RE.match(raw.strip())
    value = int(digits.group()) if digits else 1
    return min(max(value, 1), MAX_SPAN)


def _cell_text(cell: etree._Element) -> str:
    if len(cell) == 0:  # text only, the common cell: no walk (flow adds no break here)
        text = cell.text
        return clean_cell(_PLAIN_FLOW.flow(text)) if text else ""
    walker = _Walker()
    walker.chunks.append(walker.flow(cell.text))
    for child in cell:
        walker.walk(child)
    return clean_cell("".join(walker.chunks).replace(_BREAK, "\n"))


def _table_grid(table: etree._Element) -> tuple[GridCells, bool] | None:
    """Expand rowspan/colspan: a merged cell's text is repeated over every position it covers,
    and each position records the (row, column) where its cell starts. Also whether some
    position had no cell (a short row, padded with blanks)."""
    filled: dict[tuple[int, int], tuple[str, tuple[int, int]]] = {}
    rows = _rows(table)
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in _cells(row):
            while (r, c) in filled:
                c += 1
            entry = (_cell_text(cell), (r, c))
            rowspan = min(_span(cell, "rowspan"), len(rows) - r)
            colspan = _span(cell, "colspan")
            if rowspan == 1 and colspan == 1:
                filled[(r, c)] = entry
            else:
                for dr in range(rowspan):
                    for dc in range(colspan):
                        filled.setdefault((r + dr, c + dc), entry)
            if len(filled) > MAX_GRID_CELLS:
                return None
            c += colspan
            width = max(width, c)
    if not rows or width == 0:
        return None
    expanded = [
        [filled.get((r, c)) or ("", (r, c)) for c in range(width)] for r in range(len(rows))
    ]
    grid = tuple(tuple(text for text, _ in row) for row in expanded)
    if not any(any(row) for row in grid):
        return None
    padded = len(filled) < len(rows) * width
    return (grid, tuple(tuple(origin for _, origin in row) for row in expanded)), padded


def _published_from_meta(root: etree._Element) -> str | None:
    metas = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        if name and meta.get("content"):
            metas.setdefault(name, meta.get("content"))
    for name in _PUBDATE_META:
        if name in metas and (iso := iso_date(metas[name])):
            return iso
    return None


def _published_from_text(lines: list[Line]) -> str | None:
    for line in lines[:60]:  # the date sits in the page header, above the report
        match = _PUBLISHED_TEXT_RE.search(unicodedata.normalize("NFKC", line.text))
        if match and (iso := iso_date(match.group(1))):
            return iso
    return None


def iso_date(text: str) -> str | None:
    match = _DATE_RE.search(unicodedata.normalize("NFKC", text))
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
