"""Turning extracted text lines and grids into label/value segments.

Every source reduces to rows of cells: a grid row, a Markdown table line split at ``|``, a
text line split at tabs, or a whole line as one cell. A cell may itself hold several labels and
numbers (PDF text merges rows: 「6.属于四类过程性信息 0 0 0 0 7.属于行政执法案卷 0 0 0 0」), so
each row is cut into *segments*: a run of label text followed by a run of values. Values keep
their position, blanks included, and the place they were read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from gongkai.law.report_format import normalize_label
from gongkai.reportdoc.extract import Grid, Line
from gongkai.reportdoc.model import Provenance
from gongkai.reportdoc.numbers import Piece, classify, starts_with_unit

_MD_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_PREFIX_RE = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|>\s*)")
# a label with its figure glued on (「行政处罚4119」); the figure may hold OCR look-alikes
# (「行政处罚4丨丨9」), which must stay with the figure and make it unreadable
_GLUED_NUMBER_RE = re.compile(
    r"^(.*[\u4e00-\u4e27\u4e29-\u9fff）)])([\d丨lIOo〇][\d丨lIOo〇.,]*)$"  # 丨 is U+4E28
)
_SPLIT_RE = re.compile(r"\s+")
# a page header or footer left in the text: 「- 3 -」「— 3 —」「第3页 共5页」「3/5」
_PAGE_MARK_RE = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$"
)
_NO_COPIES: frozenset[int] = frozenset()
_UNIT_SUFFIX_RE = re.compile(r"^([+-]?\d[\d,]*(?:\.\d+)?)(件|项|个|条|万元|元)$")


# Where a cell was read, as Provenance's first five fields (page, line, grid, row, col): a
# plain tuple per cell, made into a Provenance only for cells that become table values.
Where = tuple[int | None, int | None, int | None, int | None, int | None]


def provenance_of(where: Where, note: str | None = None) -> Provenance:
    return Provenance(*where, note)


class Value(NamedTuple):  # a tuple: built for every cell, half the cost of a dataclass
    kind: str  # "num" | "blank" | "dash" | "garbled" (a figure that cannot be read)
    value: object  # int | Decimal | None
    prov: Where
    text: str = ""


@dataclass
class Segment:
    labels: list[str]  # normalised label text, one entry per cell (or per run inside a cell)
    values: list[Value]
    tail: str = ""  # label text right after the values in the same row ("件…" = prose)
    # a trailing blank is a real cell (grid, Markdown row as wide as its table): True;
    # may be padding (text, tabs): False; both ends may be (a Markdown row too wide): None
    reliable_trailing: bool | None = True

    @property
    def label(self) -> str:
        return "".join(self.labels)

    @property
    def is_prose(self) -> bool:
        return starts_with_unit(self.tail)

    def trimmed(self, expected: int) -> list[Value]:
        """Positions of the values; padding blanks beyond what the row can hold are dropped.

        Leading blanks beyond what the row can hold go first: they are the empty columns a
        label spans (「| 四、结转下年度继续办理 | | | 1 | … | 0 | |」 has a blank *total*). In a
        row whose blanks are real cells (a grid, a full-width Markdown row) only the excess
        goes. Elsewhere (``False``: tab-separated or plain text) a trailing blank may be
        whitespace the extraction left, so all trailing blanks go; and in a Markdown row wider
        than its table (``None``: two rows glued, 「… | 总计 | | 1 | 0 …」) a leading blank is
        the junction, so all leading blanks go too. Such a row comes up short and is not read,
        rather than a figure slipping one column."""
        values = list(self.values)
        reliable = self.reliable_trailing
        loose = reliable is None  # both ends are padding: two rows glued together
        while values and values[0].kind == "blank" and (loose or len(values) > expected):
            values.pop(0)
        while values and values[-1].kind == "blank" and (not reliable or len(values) > expected):
            values.pop()
        return values

    @property
    def numbers(self) -> int:
        return sum(1 for v in self.values if v.kind == "num")


@dataclass
class Row:
    cells: list[tuple[str, Where]]
    reliable_trailing: bool | None  # see Segment.reliable_trailing
    text: str = ""  # normalised text of the whole row, for headings
    segments: list[Segment] = field(default_factory=list)
    has_values: bool = False  # a figure or a mark, not only blanks (set by build_row)


class Normalized(dict[str, str]):
    """``normalize_label`` remembered for one document: merged cells repeat a label over every
    row they span, and headers are normalised by the row and again cell by cell. One per
    document (its keys are that document's text), never a global cache."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces: dict[str, tuple[Piece, ...]] = {}  # a cell's pieces, same lifetime
        # a label's table-三 row (and whether only fuzzily) under a group, its table-二 item
        # and its table-四 blocks: the grids and the text lines of a page repeat the labels
        self.t3_rows: dict[tuple[str, str | None], tuple[str | None, bool]] = {}
        self.t2_items: dict[str, str | None] = {}
        self.t4_blocks: dict[str, tuple[str, ...]] = {}

    def __missing__(self, text: str) -> str:
        folded = self[text] = normalize_label(text)
        return folded

    def pieces_of(self, text: str) -> tuple[Piece, ...]:
        found = self.pieces.get(text)
        if found is None:
            found = self.pieces[text] = tuple(_pieces(text))
        return found


def _pipe_cells(text: str) -> list[str] | None:
    stripped = text.strip()
    if not (stripped.startswith("|") and stripped.count("|") >= 2):
        return None
    inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
    return inner.split("|")


def _filled(cells: list[str]) -> int:
    return sum(1 for c in cells if c.strip())


def _table_cells(lines: list[Line]) -> list[tuple[list[str] | None, bool | None]]:
    """Each line's cells, if it is a table row, and whether its blanks are real cells (see
    :attr:`Segment.reliable_trailing`).

    Table rows are Markdown rows (``| a | b |``), rows of a Markdown table written without the
    outer pipes (html2text: ``规章| 0| 0| 0``, recognised only in a block that has a
    ``---|---`` separator line) and tab-separated rows (spreadsheet and browser copies).

    A Markdown row is whole when it is as wide as its block's rows usually are, or as its
    separator line: converters that drop the cells under a rowspan leave rows narrower, but
    those cells are the leading label columns, so such a row still ends at the last column.
    A row without its closing pipe, or narrower than both, is a fragment; one wider than any
    is two rows glued together. Tab rows are never whole: PDF-to-text tabs pad merged rows."""
    kinds: list[str | None] = []
    cells: list[list[str] | None] = []
    for line in lines:
        text = line.text
        if (pipe := _pipe_cells(text)) is not None:
            kinds.append("pipe" if text.rstrip().endswith("|") else "open")
            cells.append(pipe)
        elif "\t" in text and _filled(split := text.split("\t")) > 1:
            kinds.append("tab")
            cells.append(split)
        elif "|" in text:
            # html2text writes no outer pipes; a line with only the closing one is the rest
            # of a Markdown row broken across lines, never a whole row
            kinds.append("tail" if text.rstrip().endswith("|") else "bare")
            cells.append(text.strip().removesuffix("|").split("|"))
        else:
            kinds.append(None)
            cells.append(None)
    result: list[tuple[list[str] | None, bool | None]] = [(None, False)] * len(lines)
    start = 0
    while start < len(lines):
        kind = kinds[start]
        if kind is None:
            start += 1
            continue
        family = ("tab",) if kind == "tab" else ("pipe", "open", "bare", "tail")
        end = start
        while end < len(lines) and kinds[end] in family:
            end += 1
        block = [(kinds[i], cells[i] or []) for i in range(start, end)]
        separators = {
            len(row)
            for i, (_, row) in enumerate(block)
            if _MD_SEPARATOR_RE.match(lines[start + i].text)
        }
        counts = Counter(len(row) for _, row in block).most_common(2)
        # the usual width; none when no width is usual (a broken fragment of a table:
        # 「| 7 | 0 | … |」 beside a row glued from two, one row of each width)
        usual = {counts[0][0]} if len(counts) == 1 or counts[0][1] > counts[1][1] else set()
        # (several tables run together make one block: only the widest separator counts)
        whole = usual | ({max(separators)} if separators else set())
        for i, (row_kind, row) in enumerate(block, start):
            if row_kind in ("bare", "tail") and not separators:
                continue  # a stray 「|」 in prose, not a table
            # the rest of a broken row: after a row left open, or the row part of a line
            # that had text glued before it (_unglue: same line number as the text)
            after_open = (i > start and kinds[i - 1] == "open") or (
                i > 0 and lines[i - 1].number == lines[i].number
            )
            reliable: bool | None = (
                row_kind in ("pipe", "bare") and len(row) in whole and not after_open
            )
            if row_kind == "pipe" and len(row) > max(whole, default=len(row)):
                reliable = None  # two rows glued: blank at the junction
            result[i] = (cells[i], reliable)
        start = end
    return result


# text glued onto the front of a Markdown row (「3.补正后申请内容仍不明确 | 6 | 0 | … | 6 |」):
# a line break lost in extraction, so the text is not that row's label
_GLUED_ROW_RE = re.compile(r"^(?P<text>[^|]*[^|\s])\s*(?P<row>\|(?:[^|]*\|){2,})\s*$")


_FIGURES_ONLY_RE = re.compile(r"^[\d\s.,\-—–－/／]*$")


def _unglue(lines: Iterable[Line]) -> Iterator[Line]:
    for line in lines:
        glued = _GLUED_ROW_RE.match(line.text) if "|" in line.text else None
        # figures before the first pipe are the row's own first cells, cut from its pipe
        if glued and not _FIGURES_ONLY_RE.match(glued["text"]):
            yield Line(glued["text"], line.number, line.page)
            yield Line(glued["row"], line.number, line.page)
        else:
            yield line


def rows_from_lines(lines: Iterable[Line], norm: Normalized | None = None) -> Iterator[Row]:
    lines = list(_unglue(lines))
    norm = Normalized() if norm is None else norm
    for line, (table_cells, reliable) in zip(lines, _table_cells(lines), strict=True):
        raw = line.text
        if not raw.strip() or _MD_SEPARATOR_RE.match(raw) or _PAGE_MARK_RE.match(raw):
            continue
        prov = (line.page, line.number, None, None, None)
        if table_cells is not None:
            cells = [(c.strip(), prov) for c in table_cells]
        else:
            cells = [(_MD_PREFIX_RE.sub("", raw), prov)]
        yield build_row(cells, reliable, norm=norm)


def rows_from_grids(grids: Iterable[Grid], norm: Normalized | None = None) -> Iterator[Row]:
    norm = Normalized() if norm is None else norm
    for grid in grids:
        width = grid.width
        page, index, origins = grid.page, grid.index, grid.origins
        for r, cells in enumerate(grid.rows):
            # a figure spread over several columns by a merged cell is one figure
            # (Grid.repeats_left, inlined: it runs for every cell)
            if origins is not None:
                starts = origins[r]
                copies = frozenset(
                    c for c in range(1, min(len(cells), len(starts))) if starts[c] == starts[c - 1]
                )
            else:
                copies = _NO_COPIES
            yield build_row(
                [(text, (page, None, index, r, c)) for c, text in enumerate(cells)],
                reliable=len(cells) >= width,
                copies=copies,
                norm=norm,
                # a real table's cell holds one figure (a one- or two-cell "row" is a whole
                # line of text in a layout table)
                one_per_cell=len(cells) > 2,
            )


_BARE_FIGURE_RE = re.compile(
    r"(?:\d|[-—–－/／\\─]|无)(?![\d.,]|\s*[年月日号时件条个人次元篇项份场页%‰户家起宗万期届批])"
)
# a table row whose every cell carries its unit (「1.属于国家秘密 1件 0件 0件 …」), not prose
_UNIT_CELLS_RE = re.compile(r"(?:(?<=\s)|^)\d+件(?:\s+\d+件){2,}(?:\s|$)")
_VALUE_CHARS_RE = re.compile(r"[0-9０-９\-—–－/／\\─无]")


def build_row(
    cells: list[tuple[str, Where]],
    reliable: bool | None,
    copies: frozenset[int] = _NO_COPIES,
    norm: Normalized | None = None,
    one_per_cell: bool = False,
) -> Row:
    """``copies``: positions that repeat the merged cell on their left (see Grid.origins);
    ``norm``: the document's normalised labels; ``one_per_cell``: a cell holding several
    figures is unreadable (grid cells) rather than several cells (text lines)."""
    norm = Normalized() if norm is None else norm
    row = Row(cells=cells, reliable_trailing=reliable)
    joined = cells[0][0] if len(cells) == 1 else " ".join(c for c, _ in cells)
    row.text = norm[_MD_PREFIX_RE.sub("", joined)]
    if len(cells) == 1 and (
        ("。" in joined and len(joined) > 20)
        or not (_BARE_FIGURE_RE.search(joined) or _UNIT_CELLS_RE.search(joined))
    ):
        # a sentence (no table label holds a full stop), or every figure carries a unit
        # (「34 件」「2024 年」): prose, whose figures are never table cells
        row.segments = [Segment([row.text], [], "", reliable)]
    elif _VALUE_CHARS_RE.search(joined):
        row.segments = list(_segments(cells, reliable, copies, norm, one_per_cell))
        row.has_values = any(v.kind != "blank" for s in row.segments for v in s.values)
    elif len(cells) == 1:  # most prose: no figure and no blank mark, so only a label
        labels = [row.text] if row.text else []
        row.segments = [Segment(labels, [], "", reliable)] if labels else []
    else:
        labels = [norm[c] for c, _ in cells if c.strip()]
        row.segments = [Segment(labels, [], "", reliable)] if labels else []
    return row


def _pieces(text: str) -> list[Piece]:
    pieces: list[Piece] = []
    for part in _SPLIT_RE.split(text.strip()):
        if not part:
            continue
        piece = classify(part)
        if piece.kind == "label" and (unit := _UNIT_SUFFIX_RE.match(piece.text)):
            # a cell that carries its unit: 「21件」, 「7730.28万元」 in the 万元 column. In
            # 元 it is a figure in the wrong unit (万元/元 confusion): unreadable, not 1e4 off
            figure = classify(unit[1])
            if figure.kind == "num":
                piece = figure if unit[2] != "元" else Piece("garbled", piece.text)
        elif piece.kind == "label" and piece.text[-1].isdigit():  # glued: ends in a digit
            glued = _GLUED_NUMBER_RE.match(piece.text)
            if glued:
                pieces.append(Piece("label", glued.group(1)))
                piece = classify(glued.group(2))
        pieces.append(piece)
    return pieces


_FIGURES = frozenset({"num", "dash", "garbled"})


def _segments(
    cells: list[tuple[str, Where]],
    reliable: bool | None,
    copies: frozenset[int],
    norm: Normalized,
    one_per_cell: bool = False,
) -> Iterator[Segment]:
    labels: list[str] = []
    values: list[Value] = []
    for index, (text, prov) in enumerate(cells):
        if not text.strip():
            if (labels or values) and index not in copies:  # a blank is a value position
                values.append(Value("blank", None, prov))
            continue
        pieces = norm.pieces_of(text)
        if index in copies and all(p.kind != "label" for p in pieces):
            continue  # a merged value cell counts once; label copies stay for context
        if one_per_cell and len(pieces) > 1 and all(p.kind in _FIGURES for p in pieces):
            # a grid cell holds one figure: several are a figure wrapped in a narrow column
            # (「91」 over 「23」) or two rows run together — either way not readable as is
            values.append(Value("garbled", None, prov, " ".join(p.text for p in pieces)))
            continue
        run: list[str] = []
        for piece in pieces:
            if piece.kind == "label":
                run.append(piece.text)
                continue
            if piece.kind == "noise":
                continue
            if run:
                if values:
                    yield Segment(labels, values, norm["".join(run)], reliable)
                    labels, values = [], []
                labels.append(norm["".join(run)])
                run = []
            values.append(Value(piece.kind, piece.value, prov, piece.text))
        if run:
            label = norm["".join(run)]
            if values:
                yield Segment(labels, values, label, reliable)
                labels, values = [], []
            labels.append(label)
    if labels or values:
        yield Segment(labels, values, "", reliable)
