"""The table assembler: extracted rows → tables 二/三/四 aligned by their labels.

One pass over the rows (grid rows, or text lines when no grid carries the tables) records
*readings*: a labelled table-三 row with its values, a table-二 item under the column header
seen last, a table-四 block, and table-三 rows whose label the extraction lost. A second step
decides the format and resolves the readings into cells:

* a row is read when exactly as many value positions as columns follow its label; fewer or
  more and the row is unreadable (``None`` + finding R1) — never shifted into place;
* duplicates that agree are one reading; duplicates that disagree leave the cells ``None``;
* rows without a label are placed only between two labelled rows when their number exactly
  fills the gap (label-anchored; their provenance says so, finding R2), otherwise ``None``;
* columns follow the header's labels when the header names all of them, else the official
  column order (finding R2, a notice).

Nothing here fills a blank: a blank or 「—」 cell stays ``None`` (rule B1 reports it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from gongkai.law.findings import Finding, Severity
from gongkai.law.report_format import (
    FORMAT_2019,
    FORMAT_2021,
    FORMATS,
    SECTION_TITLES,
    ReportFormat,
    normalize_label,
)
from gongkai.reportdoc import labels as L  # noqa: N812 (read as a namespace)
from gongkai.reportdoc.extract import Extracted
from gongkai.reportdoc.model import Provenance, Table
from gongkai.reportdoc.numbers import as_amount, as_count
from gongkai.reportdoc.rows import (
    Normalized,
    Row,
    Segment,
    Value,
    provenance_of,
    rows_from_grids,
    rows_from_lines,
)

T3_COLUMNS = FORMAT_2021.table3_column_keys
T4_CELLS = FORMAT_2021.table4_cell_keys
T4_BLOCKS = FORMAT_2021.table4_block_keys
NOTE_GAP = "该行在提取文本中没有行标签，按前后两个已识别行之间的位置推定"
NOTE_ORDER = "列标题无法识别，按官方列顺序读取"

_SECTION_TITLES = tuple(tuple(normalize_label(t) for t in titles) for titles in SECTION_TITLES)
_HEADING_SLACK = 8


def section_of_heading(text: str) -> int | None:
    """Index (0–5) of the report section a short heading line names, else ``None``: by its
    official title, else by its ordinal and key words (:func:`labels.section_by_meaning`)."""
    if len(text) > 60:
        return None
    if "情况" in text or "事项" in text:  # every official title ends in one: a cheap test first
        core = L.strip_ordinals(text.lstrip("#*").strip())
        if len(core) <= 40:
            for index, titles in enumerate(_SECTION_TITLES):
                for title in titles:
                    if title in core and len(core) <= len(title) + _HEADING_SLACK:
                        return index
    return L.section_by_meaning(text.lstrip("#*").strip())


# ---------------------------------------------------------------------------------------------
# Readings


@dataclass
class T3Reading:
    key: str | None  # None: the label was lost in extraction
    values: list[Value]
    columns: list[str] | None  # header order when the header named all seven columns
    order: int  # position in the stream
    label: str
    how: str = "keyword"  # keyword | fuzzy | none (no label)
    cut_tail: bool = False  # seven positions only after dropping a trailing blank


@dataclass
class T2Reading:
    key: str
    segment: Segment
    header: list[str]
    label: str


@dataclass
class T4Reading:
    blocks: list[str]  # one block (5 values) or all three (15 values)
    values: list[Value]
    cells: list[str] | None
    unsure: bool = False  # the header orders blocks or cells otherwise, in a way not followed


@dataclass
class Evidence:
    """What the document says about its format."""

    t2: dict[str, int] = field(default_factory=lambda: {"2021": 0, "2019": 0})
    subrows: bool = False
    collapsed: bool = False
    items_2019: bool = False


@dataclass
class Readings:
    t3: list[T3Reading] = field(default_factory=list)
    t2: list[T2Reading] = field(default_factory=list)
    t4: list[T4Reading] = field(default_factory=list)
    evidence: Evidence = field(default_factory=Evidence)
    partial_t3: list[T3Reading] = field(default_factory=list)
    nonstandard: list[tuple[str, str]] = field(default_factory=list)  # (label, row key)
    ambiguous: list[str] = field(default_factory=list)
    # (label, group) of labels that came with no figure: matched to rows only if rows are
    # missing in the end, to say 「有行标签但没有读到数值」 rather than 「找不到」
    bare_labels: list[tuple[str, str | None]] = field(default_factory=list)
    t3_header_incomplete: bool = False
    # (format, results) of resolving these readings alone, kept for reuse (see _resolve_again)
    resolved: tuple[str, dict[str, tuple[Table, dict, list]]] | None = None


class _Scanner:
    """One pass over the rows, tracking which table the text is in."""

    def __init__(self, norm: Normalized | None = None) -> None:
        self.norm = Normalized() if norm is None else norm
        self.groups: dict[str, str | None] = {}
        self.out = Readings()
        self.region: str | None = None
        self.t2_header: list[str] = []
        self.t3_columns: list[str] | None = None
        self.t3_group: str | None = None
        self.t4_block: str | None = None
        self.t4_cells: list[str] | None = None
        self.order = 0
        self.matched_label = ""
        self.t3_header_cells: dict[int, str] = {}
        self.label_above: str | None = None
        self.t4_header: list[str] = []  # the cell labels of table 四's header lines so far
        self.t4_columns: dict[int, str] = {}  # … and of its header rows of cells, by column
        self.t4_flipped = False  # a header line names the blocks out of the form's order

    def scan(self, rows: Iterable[Row]) -> Readings:
        for row in rows:
            self.order += 1
            self._context(row)
            segments = row.segments
            if len(row.cells) > 1 or not segments:  # a row of cells, or nothing
                for segment in segments:
                    self._segment(segment)
                self.label_above = None
                continue
            # a line of text: a line of label text only may be the first half of a label
            # wrapped inside a word (「一、本年新收政府信息公开申」 / 「请数量 21 0 0 0 0 0 21」)
            first = segments[0]
            self._segment(self._rejoined(first) if self.label_above else first)
            for segment in segments[1:]:
                self._segment(segment)
            only = len(segments) == 1 and not row.has_values and first.labels
            self.label_above = first.label if only else None
        return self.out

    def _names_a_row(self, label: str) -> bool:
        key, _ = self._t3_row(label)
        return key is not None or bool(self._t2_item(label)) or bool(self._t4_blocks(label))

    def _rejoined(self, seg: Segment) -> Segment:
        """The segment with the label line above glued to its first label, when that label
        alone names no table row and the two together do."""
        above = self.label_above
        if (
            not above
            or not seg.labels
            or not seg.values
            or len(above) > 60
            or self._names_a_row(seg.labels[0])
        ):
            return seg
        joined = self.norm[above + seg.labels[0]]
        if not self._names_a_row(joined):
            return seg
        return Segment([joined, *seg.labels[1:]], seg.values, seg.tail, seg.reliable_trailing)

    # -- context: headings, headers, group labels ------------------------------------------
    def _context(self, row: Row) -> None:
        text = row.text
        section = section_of_heading(text) if not row.has_values else None
        if section is not None:
            # sections 一, 五, 六 are prose: a statistics table there (公开渠道 | 数量, 行政许可
            # 88…) repeats item names of table 二 with other figures
            self.region = {1: "t2", 2: "t3", 3: "t4"}.get(section, "prose")
            self.t2_header = []
            return
        if "第二十条第" in text:
            self.region = "t2"
            self.t2_header = []
        if row.has_values:
            self.t3_header_cells = {}
            return
        self._t3_header_cells(row)
        keys, evidence = L.t2_header(text)
        if keys and (self.region == "t2" or "信息内容" in text):
            self.t2_header = keys
            for fmt, count in evidence.items():
                self.out.evidence.t2[fmt] += count
        columns = L.t3_header_columns(text)
        if len(set(columns)) >= 3 and self.region != "t4":
            self.region = "t3"
            if len(columns) == 7 and len(set(columns)) == 7:
                self.t3_columns = columns
            elif self.t3_columns is None:
                self.out.t3_header_incomplete = True
        if "行政复议" in text and "行政诉讼" in text:
            self.region = "t4"
        elif self.region != "t4" and "维持" in text and len(set(L.t4_cells(text))) == 5:
            # the five cells as a header row: table 四 printed a block per row (transposed),
            # which may be a grid of its own without the section heading
            self.region = "t4"
            self.t4_block = None
        if self.region == "t4":
            self._t4_context(text, row)
        group = self._group_of(text)
        if group and self.region == "t3":
            self.t3_group = group

    def _group_of(self, text: str) -> str | None:
        """``L.group_of`` once per text of this document (a row's text is also its label)."""
        try:
            return self.groups[text]
        except KeyError:
            group = self.groups[text] = L.group_of(text)
            return group

    def _t4_context(self, text: str, row: Row) -> None:
        """Five figures belong to a block only under that block's own heading and a header
        naming its five cells (行政复议 → 结果维持…总计 → figures). The joint header of the
        one-row form is collected over its lines (by column in a grid or a whole Markdown row,
        since a merged header cell repeats on the rows it spans; in text order elsewhere, since
        tabs and spaces do not keep columns), to see whether it keeps the form's order."""
        if len(row.cells) > 1 and row.reliable_trailing:  # a grid's or a whole Markdown row
            for index, (cell, _) in enumerate(row.cells):
                keys = L.t4_cells(self.norm[cell])
                if len(keys) == 1:
                    self.t4_columns[index] = keys[0]
        else:
            self.t4_header += L.t4_cells(text)
        if _before(text, "行政诉讼", "行政复议") or _before(text, "复议后起诉", "未经复议直接起诉"):
            self.t4_flipped = True
        blocks = set(L.t4_blocks(text))
        if len(blocks) == 1 and not ("行政复议" in text and "行政诉讼" in text):
            self.t4_block, self.t4_cells = blocks.pop(), None
        elif blocks or "行政诉讼" in text:
            self.t4_block, self.t4_cells = None, None
        cells = L.t4_cells(text)
        if len(cells) == 5 and len(set(cells)) == 5:
            self.t4_cells = cells
        elif len(cells) > 5:
            self.t4_block, self.t4_cells = None, None  # the joint 15-cell header

    def _t3_header_cells(self, row: Row) -> None:
        """A header printed over two rows (自然人 | 法人或其他组织 | 总计, then the five kinds of
        organisation beneath) is merged by cell position; plain text lines break the merge."""
        if len(row.cells) < 3:
            self.t3_header_cells = {}
            return
        for index, (cell, _) in enumerate(row.cells):
            keys = L.t3_header_columns(self.norm[cell])
            if len(keys) == 1:
                self.t3_header_cells[index] = keys[0]
        columns = [self.t3_header_cells[i] for i in sorted(self.t3_header_cells)]
        if len(columns) == 7 and len(set(columns)) == 7:
            self.t3_columns = columns
            self.region = "t3" if self.region != "t4" else self.region

    # -- one label/value segment -------------------------------------------------------------
    def _segment(self, seg: Segment) -> None:
        if seg.is_prose:
            return
        for label in seg.labels:
            group = self._group_of(label)
            if group:
                self.t3_group = group
        if not seg.values or all(v.kind == "blank" for v in seg.values):
            if seg.labels and len(seg.labels[-1]) <= 60:
                self.out.bare_labels.append((seg.labels[-1], self.t3_group))
            return
        if self.region == "t4" and self._t4(seg):
            return
        if self._t3(seg):
            return
        if self._t2(seg):
            return
        if self.region == "t4":
            return
        if self.region == "t3":
            # a label that names no row is a fragment of a lost one (「公开申请」): the row
            # may still be placed between its labelled neighbours
            self._t3_unlabelled(seg)

    def _t3_key(self, seg: Segment) -> tuple[str | None, str]:
        """The row a segment's labels name, and how: ``keyword`` or ``fuzzy``."""
        keys: set[str] = set()
        how = "keyword"
        self.matched_label = seg.label
        for label in seg.labels:
            key, fuzzy = self._t3_row(label)
            if key == L.AMBIGUOUS:
                self.out.ambiguous.append(label)
                return L.AMBIGUOUS, how
            if not key:
                continue
            if key != L.COLLAPSED_OTHER:
                self.matched_label = label
            if fuzzy:
                how = "fuzzy"
            keys.add(key)
        if len(keys) > 1:
            keys.discard(L.COLLAPSED_OTHER)  # （六）其他 beside its sub-row label is a group
        if len(keys) == 1:
            return keys.pop(), how
        if keys:
            self.out.ambiguous.append(seg.label)
            return L.AMBIGUOUS, how
        return None, how

    def _t3_row(self, label: str) -> tuple[str | None, bool]:
        """``L.match_t3_row`` under the current group, and whether it matched only fuzzily;
        once per label and group of this document."""
        memo = self.norm.t3_rows
        found = memo.get((label, self.t3_group))
        if found is None:
            key = L.match_t3_row(label, self.t3_group)
            fuzzy = (
                bool(key)
                and key != L.AMBIGUOUS
                and not L.keyword_hits(label)
                and L.fuzzy_t3_row(label) == key
            )
            found = memo[(label, self.t3_group)] = (key, fuzzy)
        return found

    def _t2_item(self, label: str) -> str | None:
        memo = self.norm.t2_items
        try:
            return memo[label]
        except KeyError:
            key = memo[label] = L.match_t2_item(label)
            return key

    def _t4_blocks(self, label: str) -> tuple[str, ...]:
        memo = self.norm.t4_blocks
        try:
            return memo[label]
        except KeyError:
            blocks = memo[label] = tuple(L.t4_blocks(label))
            return blocks

    def _t3(self, seg: Segment) -> bool:
        if not seg.labels:
            return False
        key, how = self._t3_key(seg)
        if key is None:
            return False
        if key == L.AMBIGUOUS:  # never placed, not even by position
            return True
        self.region = "t3" if self.region in (None, "t2", "prose") else self.region
        if key in ("other_no_correction", "other_unpaid_fee"):
            self.out.evidence.subrows = True
        if key == L.COLLAPSED_OTHER:
            self.out.evidence.collapsed = True
        values = seg.trimmed(len(T3_COLUMNS))
        reading = T3Reading(key, values, self.t3_columns, self.order, seg.label, how)
        reading.cut_tail = bool(values) and values[-1] is not seg.values[-1]
        if len(values) == len(T3_COLUMNS):
            if how == "fuzzy" or not L.is_standard_label(key, self.matched_label):
                self.out.nonstandard.append((self.matched_label, key))
            self.out.t3.append(reading)
        elif len(values) >= 1:
            self.out.partial_t3.append(reading)
        return True

    def _t3_unlabelled(self, seg: Segment) -> None:
        values = seg.trimmed(len(T3_COLUMNS))
        if sum(1 for v in values if v.kind != "blank") < 2:
            return  # a stray numeral (page number) is not a row
        self.out.t3.append(T3Reading(None, values, self.t3_columns, self.order, "", "none"))

    def _t2(self, seg: Segment) -> bool:
        if not seg.labels:
            return False
        keys = {k for k in (self._t2_item(label) for label in seg.labels) if k}
        if len(keys) != 1:
            return False
        key = keys.pop()
        if self.region not in ("t2", None) and not self.t2_header:
            return False
        if key in ("other_services", "procurement"):
            self.out.evidence.items_2019 = True
        self.out.t2.append(T2Reading(key, seg, list(self.t2_header), seg.label))
        return True

    def _t4(self, seg: Segment) -> bool:
        blocks = set()
        for label in seg.labels:
            blocks.update(self._t4_blocks(label))
        values = seg.trimmed(15)
        if len(values) == 15 and not blocks:
            order = self._t4_joint_order()
            self.out.t4.append(
                T4Reading(list(T4_BLOCKS), values, order or None, unsure=order is None)
            )
            self.t4_header, self.t4_columns, self.t4_flipped = [], {}, False
            return True
        values = seg.trimmed(5)
        if len(values) != 5:
            return False
        if len(blocks) == 1:  # a block per row (transposed table)
            self.out.t4.append(T4Reading([blocks.pop()], values, self.t4_cells))
            return True
        if not blocks and self.t4_block and self.t4_cells:
            self.out.t4.append(T4Reading([self.t4_block], values, self.t4_cells))
            self.t4_block = None  # one row of figures per block heading
            return True
        return False

    def _t4_joint_order(self) -> list[str] | None:
        """The cell order of each block under a joint header: the form's, unless the header
        named all fifteen cells in another order that is the same for the three blocks;
        ``None`` when the header orders them in a way the figures cannot follow."""
        if self.t4_flipped:
            return None  # the lawsuits printed before the reconsideration, or swapped
        columns = self.t4_columns
        header = [columns[i] for i in sorted(columns)] if columns else self.t4_header
        if len(header) != 15:
            return list(T4_CELLS)  # labels split over lines (「结果 / 维持」): the form's order
        first = header[:5]
        if sorted(first) == sorted(T4_CELLS) and header[5:10] == first == header[10:]:
            return first
        return None


def _before(text: str, first: str, second: str) -> bool:
    """Both are in ``text`` and ``first`` comes before ``second``."""
    a, b = text.find(first), text.find(second)
    return a >= 0 and b >= 0 and a < b


# ---------------------------------------------------------------------------------------------
# Resolution


@dataclass
class Assembled:
    format: str | None
    table2: Table
    table3: Table
    table4: Table
    provenance: dict[str, Provenance]
    findings: list[Finding]


class _Cells:
    """Collects cell values with provenance; a second, different reading voids the cell."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.values: dict[tuple[str, str], object] = {}
        self.prov: dict[tuple[str, str], Provenance] = {}
        self.conflicts: set[tuple[str, str]] = set()
        self.garbled: dict[tuple[str, str], str] = {}  # cell → the unreadable figure's text

    def put(self, row: str, col: str, value: Value, note: str | None = None) -> None:
        cell = (row, col)
        number = value.value if value.kind == "num" else None
        if cell in self.conflicts:
            return
        if value.kind == "garbled":
            # unreadable here; a clean reading of the cell elsewhere (a repeated row) wins
            if cell not in self.prov:
                self.garbled.setdefault(cell, value.text)
            return
        if self.garbled:
            self.garbled.pop(cell, None)
        if cell in self.prov:
            if self.values[cell] != number:
                self.conflicts.add(cell)
                self.values[cell] = None
            return
        self.values[cell] = number
        self.prov[cell] = provenance_of(value.prov, note or None)

    def path(self, row: str, col: str) -> str:
        return f"{self.table}.{row}.{col}"

    def unreadable_findings(self) -> list[Finding]:
        """R1 for cells read twice with different figures and for figures that cannot be read
        (「4丨丨9」, two figures in one grid cell)."""
        found = [
            _r1([self.path(row, col)], "同一单元格在重复出现的行中数值不一致")
            for row, col in sorted(self.conflicts)
        ]
        found += [
            _r1([self.path(row, col)], f"数值“{text}”无法识别（可能是识别错误或跨行折断的数字）")
            for (row, col), text in sorted(self.garbled.items())
        ]
        return found

    def void(self, row: str) -> None:
        """Forget a row's readings: it is unreadable after all."""
        for cell in [c for c in self.prov if c[0] == row]:
            del self.prov[cell]
            self.values[cell] = None

    def as_table(self, rows: Iterable[str], cols: Iterable[str]) -> Table:
        cols = list(cols)
        return {r: {c: self.values.get((r, c)) for c in cols} for r in rows}

    def provenance(self) -> dict[str, Provenance]:
        return {
            self.path(r, c): p for (r, c), p in self.prov.items() if (r, c) not in self.conflicts
        }


def decide_format(evidence: Evidence) -> str | None:
    """2021 or 2019 from what the tables print, never from the year (rule F1 compares the
    two): table-二 column labels and items, then the （六） rows of table 三; ``None`` when
    nothing tells them apart."""
    e2021 = evidence.t2["2021"] + (2 if evidence.subrows else 0)
    e2019 = evidence.t2["2019"] + (2 if evidence.items_2019 else 0)
    if e2021 > e2019:
        return "2021"
    if e2019 > e2021:
        return "2019"
    if evidence.collapsed and not evidence.subrows:
        return "2019"
    return None


def _finding(rule: str, severity: Severity, message: str, cells: Iterable[str] = ()) -> Finding:
    return Finding(rule, severity, message, tuple(cells))


def _r1(cells: Iterable[str], why: str) -> Finding:
    return _finding(
        "R1", Severity.WARNING, f"无法可靠读取：{why}；这些单元格记为空（未读取）", cells
    )


class _T3Resolver:
    """Readings of table 三 → cells, for one format."""

    def __init__(self, fmt: ReportFormat, readings: Readings) -> None:
        self.fmt = fmt
        self.readings = readings
        self.cells = _Cells("table3")
        self.findings: list[Finding] = []
        self.row_keys = list(fmt.table3_row_keys)
        self.read_keys: set[str] = set()
        self.used_official_order = False
        evidence = readings.evidence
        self.collapsed_into_2021 = (
            fmt.id == "2021"
            and evidence.collapsed
            and not (
                evidence.subrows
                or any(r.key == "other_other" for r in readings.t3 + readings.partial_t3)
            )
        )
        self.skipped = (
            {"other_no_correction", "other_unpaid_fee"} if self.collapsed_into_2021 else set()
        )

    def canonical(self, key: str | None) -> str | None:
        if key == L.COLLAPSED_OTHER:
            return "other_other" if self.fmt.id == "2019" or self.collapsed_into_2021 else None
        return key if key in self.row_keys else None

    def place(self, key: str, reading: T3Reading, note: str | None = None) -> None:
        if not reading.values:
            self.read_keys.add(key)
            return
        if reading.columns is None:
            self.used_official_order = True
        order = reading.columns or list(T3_COLUMNS)
        for col, value in zip(order, reading.values, strict=True):
            self.cells.put(key, col, value, note)
        self.read_keys.add(key)

    def paths(self, keys: Iterable[str]) -> list[str]:
        return [self.cells.path(k, c) for k in keys for c in T3_COLUMNS]

    def check_header_order(self) -> None:
        """A header naming the columns in another order than the form's is believed only when
        the figures agree: an extraction that glues two header lines also reorders labels."""
        official = list(T3_COLUMNS)
        claimed = [
            r
            for r in self.readings.t3
            # an unlabelled fragment (「0 0 0 0 0 0」 cut off its row) proves no order
            if r.columns and r.columns != official and len(r.values) == len(official)
        ]
        if not claimed:
            return
        by_header = sum(_row_adds_up(r.columns, r.values) for r in claimed)
        by_form = sum(_row_adds_up(official, r.values) for r in claimed)
        same = all(len({v.value for v in r.values}) == 1 for r in claimed)
        if by_header > by_form:
            return
        if by_form > by_header or same:
            for reading in claimed:
                reading.columns = None  # read in the official order (notice R2 below)
            return
        for reading in claimed:
            reading.values = []  # neither order is supported: unreadable
        keys = [k for r in claimed if (k := self.canonical(r.key))]
        self.findings.append(
            _r1(
                self.paths(dict.fromkeys(keys)),
                "表三列标题的顺序与官方格式不同，且数值无法确认哪种顺序正确",
            )
        )

    def resolve(self) -> tuple[Table, dict, list[Finding]]:
        self.check_header_order()
        # rows with eight figures mean a column the form does not have (a 法人或其他组织
        # 小计): a row that only fitted seven by dropping its last, blank, cell is then
        # as wide as the others, and its figures would sit one column off
        wide = sum(1 for r in self.readings.partial_t3 if len(r.values) > len(T3_COLUMNS))
        for reading in self.readings.t3:
            if reading.key is None:
                continue
            key = self.canonical(reading.key)
            if key is not None and wide and reading.cut_tail:
                self.readings.partial_t3.append(
                    replace(reading, values=[*reading.values, Value("blank", None, (None,) * 5)])
                )
            elif key is not None:
                self.place(key, reading)
            elif reading.key in ("other_no_correction", "other_unpaid_fee", "other_other"):
                self.findings.append(
                    _finding(
                        "F2",
                        Severity.WARNING,
                        f"2019年版格式的表三出现2021年版（六）的子行“{reading.label}”",
                    )
                )
        self.fill_gaps()
        self.report_partial_and_missing()
        self.report_form()
        return (
            self.cells.as_table(self.row_keys, T3_COLUMNS),
            self.cells.provenance(),
            self.findings,
        )

    def fill_gaps(self) -> None:
        """Place rows without a label between two labelled rows when they exactly fill the gap.

        A whole unlabelled row where no row is missing (or more of them than missing rows)
        means labels and figures have come apart around it: the labelled rows on either side
        may carry a neighbour's figures, so they are voided too."""
        index = {k: i for i, k in enumerate(self.row_keys)}
        previous: str | None = None
        pending: list[T3Reading] = []
        suspects: set[str] = set()
        for reading in self.readings.t3:
            if reading.key is None:
                if previous is not None:
                    pending.append(reading)
                continue
            key = self.canonical(reading.key)
            if key is None:
                continue
            whole = any(len(row.values) == len(T3_COLUMNS) for row in pending)
            if previous is not None and pending:
                slots = [
                    k
                    for k in self.row_keys[index[previous] + 1 : index[key]]
                    if k not in self.read_keys | self.skipped
                ]
                if whole and len(pending) > len(slots):
                    suspects.update((previous, key))
                self.fill_gap(slots, pending)
            pending = []
            if previous is None or index[key] > index[previous]:
                previous = key
        if suspects:
            ordered = [k for k in self.row_keys if k in suspects]
            for key in ordered:
                self.cells.void(key)
            names = "、".join(_row_name(self.fmt, k) for k in ordered)
            self.findings.append(
                _r1(
                    self.paths(ordered),
                    f"表三“{names}”附近有多出的无标签行，行标签与数值可能错位",
                )
            )

    def fill_gap(self, slots: list[str], pending: list[T3Reading]) -> None:
        if not slots:
            return
        names = "、".join(_row_name(self.fmt, s) for s in slots)
        broken = [row for row in pending if len(row.values) != len(T3_COLUMNS)]
        if len(slots) != len(pending):
            why = f"表三有{len(pending)}行缺少行标签，与缺失的{len(slots)}行（{names}）数目不符"
        elif broken:
            # one malformed row means the row count itself may be an accident of extraction
            why = f"表三“{names}”所在位置的行缺少行标签，且有{len(broken)}行数值个数不是7个"
        else:
            for slot, row in zip(slots, pending, strict=True):
                self.place(slot, row, NOTE_GAP)
            self.findings.append(
                _finding(
                    "R2",
                    Severity.NOTICE,
                    f"表三有{len(slots)}行在提取文本中缺少行标签，已按前后已识别行之间的位置"
                    f"推定为：{names}，请核对原件",
                    self.paths(slots),
                )
            )
            return
        self.findings.append(_r1(self.paths(slots), why))
        self.read_keys.update(slots)

    def report_partial_and_missing(self) -> None:
        for reading in self.readings.partial_t3:
            key = self.canonical(reading.key)
            if key and key not in self.read_keys:
                self.findings.append(
                    _r1(
                        self.paths([key]),
                        f"表三“{reading.label}”行只读到{len(reading.values)}个数值（应为7个）",
                    )
                )
                self.read_keys.add(key)
        self.findings += self.cells.unreadable_findings()
        missing = [k for k in self.row_keys if k not in self.read_keys | self.skipped]
        if missing and self.read_keys:
            labelled = {
                L.match_t3_row(label, group)
                for label, group in dict.fromkeys(self.readings.bare_labels)
            }
            blank = [k for k in missing if k in labelled]
            lost = [k for k in missing if k not in labelled]
            for keys, why in (
                (blank, "表三以下行有行标签但没有读到数值（原表可能空白）："),
                (lost, "表三中找不到以下行："),
            ):
                if keys:
                    names = "、".join(_row_name(self.fmt, k) for k in keys)
                    self.findings.append(_r1(self.paths(keys), why + names))

    def report_form(self) -> None:
        if self.collapsed_into_2021:
            self.findings.append(
                _finding(
                    "F2",
                    Severity.WARNING,
                    "表三将“（六）其他处理”印成一行（2019年版试行格式的写法），2021年版格式应分列"
                    "“1.申请人无正当理由逾期不补正”“2.申请人逾期未按收费通知要求缴纳费用”"
                    "“3.其他”三行；该行数值记入“3.其他”，前两行无法读取",
                    self.paths(sorted(self.skipped)),
                )
            )
        for label, key in dict.fromkeys(self.readings.nonstandard):
            row = self.canonical(key)
            self.findings.append(
                _finding(
                    "F2",
                    Severity.NOTICE,
                    f"表三行标签“{label}”与官方标签不一致"
                    + (f"（按“{_row_name(self.fmt, row)}”读取）" if row else ""),
                    self.paths([row] if row else []),
                )
            )
        if self.used_official_order:
            self.findings.append(_finding("R2", Severity.NOTICE, f"表三{NOTE_ORDER}"))


def _row_adds_up(columns: list[str], values: list[Value]) -> bool:
    cells = dict(zip(columns, (v.value for v in values), strict=True))
    parts = [cells[c] for c in T3_COLUMNS if c != "total"]
    if cells["total"] is None or any(p is None for p in parts):
        return False
    return cells["total"] == sum(parts)  # type: ignore[arg-type]


def _resolve_t3(fmt: ReportFormat, readings: Readings) -> tuple[Table, dict, list[Finding]]:
    return _T3Resolver(fmt, readings).resolve()


def _row_name(fmt: ReportFormat, key: str) -> str:
    row = fmt.table3_row(key)
    return f"{row.ordinal}{row.label.split('（')[0]}"


def _resolve_t2(fmt: ReportFormat, readings: Readings) -> tuple[Table, dict, list[Finding]]:
    cells = _Cells("table2")
    findings: list[Finding] = []
    seen: set[str] = set()
    # an item read under table 二's own column header wins over the same item named by a row
    # of another table (a statistics table in 一、总体情况: 「行政许可 | 88」)
    headed = {r.key for r in readings.t2 if r.header}
    for reading in readings.t2:
        if not reading.header and reading.key in headed:
            continue
        try:
            item = fmt.table2_item(reading.key)
        except KeyError:
            findings.append(
                _finding(
                    "F2",
                    Severity.WARNING,
                    f"表二出现{fmt.name}没有的项目“{reading.label}”，未读取",
                )
            )
            continue
        seen.add(item.key)
        columns = [c.key for c in item.columns]
        placed = _t2_columns(reading, columns)
        if placed is None:
            other = reading.header and not any(h in columns for h in reading.header)
            why = (
                f"表二“{reading.label}”行的列标题不是{fmt.name}的列"
                f"（{'、'.join(c.label for c in item.columns)}），无法对应"
                if other
                else f"表二“{reading.label}”行读到{len(reading.segment.values)}个数值，"
                f"应为{len(columns)}个"
            )
            findings.append(_r1([cells.path(item.key, c) for c in columns], why))
            continue
        order, values, note = placed
        for col, value in zip(order, values, strict=True):
            number = value.value
            if value.kind == "num":
                number = as_amount(number) if col.startswith("amount") else as_count(number)
            cells.put(item.key, col, Value(value.kind, number, value.prov, value.text), note)
    findings += cells.unreadable_findings()
    missing = [i for i in fmt.table2 if i.key not in seen]
    if seen and missing:
        findings.append(
            _r1(
                [cells.path(i.key, c.key) for i in missing for c in i.columns],
                "表二中找不到以下项目：" + "、".join(i.label for i in missing),
            )
        )
    table = {
        i.key: {c.key: cells.values.get((i.key, c.key)) for c in i.columns} for i in fmt.table2
    }
    return table, cells.provenance(), findings


def _t2_columns(
    reading: T2Reading, columns: list[str]
) -> tuple[list[str], list[Value], str | None] | None:
    """Which column each value of a table-二 row belongs to: by the header's labels, else by
    the official order when the count fits; ``None`` when it cannot be told."""
    values = reading.segment.trimmed(len(columns))
    header = [h for h in reading.header if h in columns]
    if len(columns) > 1 and reading.header and not header:
        return None  # the header names the other format's columns: nothing maps onto these
    if len(values) == len(columns) and sorted(header) == sorted(columns):
        return header, values, None  # the header names every column once
    if len(values) == len(columns):
        return columns, values, (NOTE_ORDER if len(columns) > 1 else None)
    if len(columns) == 1 and values and len({(v.kind, v.value) for v in values}) == 1:
        return columns, values[:1], None  # a merged cell repeated over its span
    return None


def _resolve_t4(readings: Readings) -> tuple[Table, dict, list[Finding]]:
    cells = _Cells("table4")
    findings: list[Finding] = []
    unsure = [r for r in readings.t4 if r.unsure]
    if unsure:
        findings.append(
            _r1(
                [cells.path(b, c) for b in T4_BLOCKS for c in T4_CELLS],
                "表四表头的块或列顺序与官方格式不同，无法确定各数值所属的单元格",
            )
        )
    for reading in readings.t4:
        if reading.unsure:
            continue
        order = reading.cells or list(T4_CELLS)
        note = None if reading.cells or len(reading.blocks) == 3 else NOTE_ORDER
        for i, block in enumerate(reading.blocks):
            for col, value in zip(order, reading.values[i * 5 : i * 5 + 5], strict=True):
                cells.put(block, col, value, note)
    findings += cells.unreadable_findings()
    read = {block for block, _ in cells.prov}
    missing = [b for b in T4_BLOCKS if b not in read]
    if read and missing:
        findings.append(
            _r1(
                [cells.path(b, c) for b in missing for c in T4_CELLS],
                "表四中无法确定以下部分的数值：" + "、".join(_BLOCK_NAMES[b] for b in missing),
            )
        )
    return cells.as_table(T4_BLOCKS, T4_CELLS), cells.provenance(), findings


_BLOCK_NAMES = {
    "reconsideration": "行政复议",
    "litigation_direct": "行政诉讼·未经复议直接起诉",
    "litigation_after_reconsideration": "行政诉讼·复议后起诉",
}


def _count(table: Table) -> int:
    return sum(1 for cells in table.values() for v in cells.values() if v is not None)


def scan_rows(rows: Iterable[Row], norm: Normalized | None = None) -> Readings:
    return _Scanner(norm).scan(rows)


def _resolve_all(fmt: ReportFormat, readings: Readings) -> dict[str, tuple[Table, dict, list]]:
    return {
        "table2": _resolve_t2(fmt, readings),
        "table3": _resolve_t3(fmt, readings),
        "table4": _resolve_t4(readings),
    }


def _complete_from_grids(
    grid_readings: Readings, *, blanks_read: bool = False
) -> tuple[str, dict] | None:
    """The grids' own result when it leaves no cell of any table unread, else ``None``.

    A complete grid result wins every table against the text lines anyway (grids win ties), so
    the line scan — half the work on an HTML, DOCX or PDF report — can be skipped.

    ``blanks_read`` (see :func:`_blanks_are_cells`): a cell the grid shows blank or 「—」 counts
    as read too, when its position was read beside its row and column labels (it has
    provenance) and no table has an unreadable-cell finding (R1).
    """
    format_id = decide_format(grid_readings.evidence)
    if format_id is None:
        return None
    results = _resolve_all(FORMATS[format_id], grid_readings)
    grid_readings.resolved = (format_id, results)
    for name, (table, prov, found) in results.items():
        if not table:
            return None
        if blanks_read and not any(f.rule == "R1" for f in found):
            if any(
                v is None and f"{name}.{row}.{col}" not in prov
                for row, cells in table.items()
                for col, v in cells.items()
            ):
                return None
        elif any(v is None for cells in table.values() for v in cells.values()):
            return None
    return format_id, results


def _blanks_are_cells(ex: Extracted) -> bool:
    """Whether a blank grid position is a cell the document itself shows blank: in an HTML
    page every position is a ``<td>`` of its own (unless a short row was padded). A PDF grid
    is rebuilt from ruling lines and can miss a figure; a DOCX row can skip grid columns
    (``w:gridBefore``): there a blank still needs the text lines."""
    return ex.kind == "html" and not any(grid.padded for grid in ex.grids)


def assemble(ex: Extracted, *, year: int | None = None) -> Assembled:
    """Tables 二/三/四 of one extracted document, with provenance and reading findings."""
    norm = Normalized()  # this document's labels, shared by its lines and grids
    grid_readings = (
        scan_rows(rows_from_grids(ex.grids, norm), norm) if ex.kind not in ("txt", "md") else None
    )
    complete = (
        _complete_from_grids(grid_readings, blanks_read=_blanks_are_cells(ex))
        if grid_readings is not None
        else None
    )
    if complete is not None:
        format_id, results = complete
    else:
        format_id, results = _assemble_both(
            grid_readings, scan_rows(rows_from_lines(ex.lines, norm), norm), year
        )
    findings: list[Finding] = []
    provenance: dict[str, Provenance] = {}
    for _table, prov, found in results.values():
        provenance.update(prov)
        findings += found
    return Assembled(
        format=format_id,
        table2=results["table2"][0],
        table3=results["table3"][0],
        table4=results["table4"][0],
        provenance=provenance,
        findings=findings,
    )


def _assemble_both(
    grid_readings: Readings | None, line_readings: Readings, year: int | None
) -> tuple[str | None, dict[str, tuple[Table, dict, list]]]:
    """Grids and text lines together: format evidence pooled, the fuller reading per table."""
    evidence = Evidence()
    for readings in filter(None, (grid_readings, line_readings)):
        for fmt_id in ("2021", "2019"):
            evidence.t2[fmt_id] = max(evidence.t2[fmt_id], readings.evidence.t2[fmt_id])
        evidence.subrows |= readings.evidence.subrows
        evidence.collapsed |= readings.evidence.collapsed
        evidence.items_2019 |= readings.evidence.items_2019
    format_id = decide_format(evidence)
    fmt = FORMATS[format_id] if format_id else _fallback_format(year)
    per_source = [
        _resolve_again(fmt, r, evidence) for r in (grid_readings, line_readings) if r is not None
    ]
    results = {
        # grids come first, so they win ties
        name: max((source[name] for source in per_source), key=lambda c: _count(c[0]))
        for name in ("table2", "table3", "table4")
    }
    return format_id, results


def _resolve_again(
    fmt: ReportFormat, readings: Readings, evidence: Evidence
) -> dict[str, tuple[Table, dict, list]]:
    """Readings resolved under the pooled evidence; the grids' own earlier result is reused
    when nothing it depended on differs. Resolution rewrites readings only when a table-三
    header names the columns in another order (``check_header_order``): then it is redone."""
    earlier = readings.resolved
    reusable = (
        earlier is not None
        and earlier[0] == fmt.id
        and readings.evidence == evidence
        and not any(r.columns and r.columns != list(T3_COLUMNS) for r in readings.t3)
    )
    readings.evidence = evidence
    if reusable and earlier is not None:
        return earlier[1]
    return _resolve_all(fmt, readings)


def _fallback_format(year: int | None) -> ReportFormat:
    if year is not None and FORMAT_2019.first_year <= year <= (FORMAT_2019.last_year or year):
        return FORMAT_2019
    return FORMAT_2021
