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
from dataclasses import dataclass, field

from gongkai.law.findings import Finding, Severity
from gongkai.law.report_format import (
    FORMAT_2019,
    FORMAT_2021,
    FORMATS,
    SECTION_TITLES,
    ReportFormat,
    normalize_label,
)
from gongkai.reportdoc import labels as L
from gongkai.reportdoc.extract import Extracted
from gongkai.reportdoc.model import Provenance, Table
from gongkai.reportdoc.numbers import as_amount, as_count
from gongkai.reportdoc.rows import Row, Segment, Value, rows_from_grids, rows_from_lines

T3_COLUMNS = FORMAT_2021.table3_column_keys
T4_CELLS = FORMAT_2021.table4_cell_keys
T4_BLOCKS = FORMAT_2021.table4_block_keys
NOTE_GAP = "该行在提取文本中没有行标签，按前后两个已识别行之间的位置推定"
NOTE_ORDER = "列标题无法识别，按官方列顺序读取"

_SECTION_TITLES = tuple(tuple(normalize_label(t) for t in titles) for titles in SECTION_TITLES)
_HEADING_SLACK = 8


def section_of_heading(text: str) -> int | None:
    """Index (0–5) of the report section a short heading line names, else ``None``."""
    core = L.strip_ordinals(text.lstrip("#*").strip())
    if len(core) > 40:
        return None
    for index, titles in enumerate(_SECTION_TITLES):
        for title in titles:
            if title in core and len(core) <= len(title) + _HEADING_SLACK:
                return index
    return None


# ---------------------------------------------------------------------------------------------
# Readings


@dataclass
class T3Reading:
    key: str | None  # None: the label was lost in extraction
    values: list[Value]
    columns: list[str] | None  # header order when the header named all seven columns
    order: int  # position in the stream
    label: str
    how: str = "keyword"  # keyword | fuzzy | ordinal | none


@dataclass
class T2Reading:
    key: str
    values: list[Value]
    header: list[str]
    label: str


@dataclass
class T4Reading:
    blocks: list[str]  # one block (5 values) or all three (15 values)
    values: list[Value]
    cells: list[str] | None


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
    nonstandard: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    t3_header_incomplete: bool = False


class _Scanner:
    """One pass over the rows, tracking which table the text is in."""

    def __init__(self) -> None:
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

    def scan(self, rows: Iterable[Row]) -> Readings:
        for row in rows:
            self.order += 1
            self._context(row)
            for segment in row.segments:
                self._segment(segment)
        return self.out

    # -- context: headings, headers, group labels ------------------------------------------
    def _context(self, row: Row) -> None:
        text = row.text
        section = section_of_heading(text) if not row.has_values else None
        if section is not None:
            self.region = {1: "t2", 2: "t3", 3: "t4"}.get(section)
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
        if self.region == "t4":
            cells = L.t4_cells(text)
            if len(cells) == 5 and len(set(cells)) == 5:
                self.t4_cells = cells
            blocks = set(L.t4_blocks(text))
            if len(blocks) == 1:
                self.t4_block = blocks.pop()
        group = L.group_of(text)
        if group and self.region == "t3":
            self.t3_group = group

    def _t3_header_cells(self, row: Row) -> None:
        """A header printed over two rows (自然人 | 法人或其他组织 | 总计, then the five kinds of
        organisation beneath) is merged by cell position; plain text lines break the merge."""
        if len(row.cells) < 3:
            self.t3_header_cells = {}
            return
        for index, (cell, _) in enumerate(row.cells):
            keys = L.t3_header_columns(normalize_label(cell))
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
            group = L.group_of(label)
            if group:
                self.t3_group = group
        if not seg.values or all(v.kind == "blank" for v in seg.values):
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
        keys: set[str] = set()
        how = "keyword"
        self.matched_label = seg.label
        for label in seg.labels:
            key = L.match_t3_row(label, self.t3_group)
            if key == L.AMBIGUOUS:
                self.out.ambiguous.append(label)
                return L.AMBIGUOUS, how
            if key:
                self.matched_label = label if key != L.COLLAPSED_OTHER else self.matched_label
                if key not in L.T3_KEYWORDS and key not in ("total_processed", "other_other"):
                    how = "ordinal" if key != L.COLLAPSED_OTHER else how
                if L.fuzzy_t3_row(label) == key and not L._keyword_hits(label):
                    how = "fuzzy"
                keys.add(key)
        if len(keys) > 1 and L.COLLAPSED_OTHER in keys:
            keys.discard(L.COLLAPSED_OTHER)  # （六）其他 beside its sub-row label is a group
        if len(keys) == 1:
            return keys.pop(), how
        if len(keys) > 1:
            self.out.ambiguous.append(seg.label)
            return L.AMBIGUOUS, how
        return None, how

    def _t3(self, seg: Segment) -> bool:
        if not seg.labels:
            return False
        key, how = self._t3_key(seg)
        if key is None:
            return False
        if key == L.AMBIGUOUS:  # never placed, not even by position
            return True
        self.region = "t3" if self.region in (None, "t2") else self.region
        if key in ("other_no_correction", "other_unpaid_fee"):
            self.out.evidence.subrows = True
        if key == L.COLLAPSED_OTHER:
            self.out.evidence.collapsed = True
        values = seg.trimmed(len(T3_COLUMNS))
        reading = T3Reading(key, values, self.t3_columns, self.order, seg.label, how)
        if len(values) == len(T3_COLUMNS):
            if how == "fuzzy" or not L.is_standard_label(key, self.matched_label):
                self.out.nonstandard.append(self.matched_label)
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
        if len(seg.labels) != 1 and not seg.labels:
            return False
        keys = {k for k in (L.match_t2_item(label) for label in seg.labels) if k}
        if len(keys) != 1:
            return False
        key = keys.pop()
        if self.region not in ("t2", None) and not self.t2_header:
            return False
        if key in ("other_services", "procurement"):
            self.out.evidence.items_2019 = True
        values = seg.trimmed(3)
        self.out.t2.append(T2Reading(key, values, list(self.t2_header), seg.label))
        return True

    def _t4(self, seg: Segment) -> bool:
        blocks = set()
        for label in seg.labels:
            blocks.update(L.t4_blocks(label))
        values = seg.trimmed(15)
        if len(values) == 15 and not blocks:
            self.out.t4.append(T4Reading(list(T4_BLOCKS), values, None))
            return True
        values = seg.trimmed(5)
        if len(values) == 5:
            block = blocks.pop() if len(blocks) == 1 else (None if blocks else self.t4_block)
            if block:
                self.out.t4.append(T4Reading([block], values, self.t4_cells))
                return True
        return False


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

    def put(self, row: str, col: str, value: Value, note: str | None = None) -> None:
        cell = (row, col)
        number = value.value if value.kind == "num" else None
        if cell in self.conflicts:
            return
        if cell in self.prov:
            if self.values[cell] != number:
                self.conflicts.add(cell)
                self.values[cell] = None
            return
        self.values[cell] = number
        prov = value.prov
        if note:
            prov = Provenance(prov.page, prov.line, prov.grid, prov.row, prov.col, note)
        self.prov[cell] = prov

    def path(self, row: str, col: str) -> str:
        return f"{self.table}.{row}.{col}"


def decide_format(evidence: Evidence, year: int | None) -> str | None:
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


def _resolve_t3(fmt: ReportFormat, readings: Readings) -> tuple[Table, dict, list[Finding]]:
    cells = _Cells("table3")
    findings: list[Finding] = []
    row_keys = list(fmt.table3_row_keys)
    collapsed_into_2021 = (
        fmt.id == "2021"
        and readings.evidence.collapsed
        and not (
            readings.evidence.subrows
            or any(r.key == "other_other" for r in readings.t3 + readings.partial_t3)
        )
    )

    def canonical(key: str | None) -> str | None:
        if key == L.COLLAPSED_OTHER:
            return "other_other" if (fmt.id == "2019" or collapsed_into_2021) else None
        return key if key in row_keys else None

    used_order = False

    def place(key: str, reading: T3Reading, note: str | None = None) -> None:
        nonlocal used_order
        order = reading.columns or list(T3_COLUMNS)
        if reading.columns is None:
            used_order = True
        for col, value in zip(order, reading.values, strict=True):
            cells.put(key, col, value, note)

    full = [r for r in readings.t3 if r.key is not None]
    read_keys: set[str] = set()
    for reading in full:
        key = canonical(reading.key)
        if key is None:
            if reading.key in ("other_no_correction", "other_unpaid_fee", "other_other"):
                findings.append(
                    _finding(
                        "F2",
                        Severity.WARNING,
                        f"2019年版格式的表三出现2021年版（六）的子行“{reading.label}”",
                    )
                )
            continue
        place(key, reading)
        read_keys.add(key)

    skipped = {"other_no_correction", "other_unpaid_fee"} if collapsed_into_2021 else set()
    findings += _fill_gaps(fmt, readings.t3, canonical, read_keys, skipped, cells, place)

    for reading in readings.partial_t3:
        key = canonical(reading.key)
        if key and key not in read_keys and not any((key, c) in cells.prov for c in T3_COLUMNS):
            findings.append(
                _r1(
                    [cells.path(key, c) for c in T3_COLUMNS],
                    f"表三“{reading.label}”行只读到{len(reading.values)}个数值（应为7个）",
                )
            )
            read_keys.add(key)
    for row, col in sorted(cells.conflicts):
        findings.append(_r1([cells.path(row, col)], "同一单元格在重复出现的行中数值不一致"))
    if collapsed_into_2021:
        findings.append(
            _finding(
                "F2",
                Severity.WARNING,
                "表三将“（六）其他处理”印成一行（2019年版试行格式的写法），2021年版格式应分列"
                "“1.申请人无正当理由逾期不补正”“2.申请人逾期未按收费通知要求缴纳费用”“3.其他”"
                "三行；该行数值记入“3.其他”，前两行无法读取",
                [cells.path(k, c) for k in sorted(skipped) for c in T3_COLUMNS],
            )
        )
    for label in dict.fromkeys(readings.nonstandard):
        findings.append(
            _finding(
                "F2",
                Severity.NOTICE,
                f"表三行标签“{label}”与官方标签不一致（按最接近的官方行读取）",
            )
        )
    if used_order:
        findings.append(_finding("R2", Severity.NOTICE, f"表三{NOTE_ORDER}"))
    table = {k: {c: cells.values.get((k, c)) for c in T3_COLUMNS} for k in row_keys}
    prov = {
        cells.path(r, c): p for (r, c), p in cells.prov.items() if (r, c) not in cells.conflicts
    }
    return table, prov, findings


def _fill_gaps(fmt, t3, canonical, read_keys, skipped, cells, place) -> list[Finding]:  # noqa: ANN001
    """Place rows without a label between two labelled rows when they exactly fill the gap."""
    findings: list[Finding] = []
    row_keys = list(fmt.table3_row_keys)
    index = {k: i for i, k in enumerate(row_keys)}
    previous: int | None = None
    pending: list[T3Reading] = []
    for reading in t3:
        if reading.key is None:
            if previous is not None:
                pending.append(reading)
            continue
        key = canonical(reading.key)
        if key is None:
            continue
        current = index[key]
        if pending and previous is not None and previous < current:
            slots = [k for k in row_keys[previous + 1 : current] if k not in read_keys | skipped]
            findings += _fill_gap(fmt, slots, pending, cells, place)
            read_keys.update(slots)
        pending = []
        if previous is None or current > previous:
            previous = current
    return findings


def _fill_gap(fmt, slots, pending, cells, place) -> list[Finding]:  # noqa: ANN001
    if not slots:
        return []
    paths = [cells.path(s, c) for s in slots for c in T3_COLUMNS]
    names = "、".join(_row_name(fmt, s) for s in slots)
    if len(slots) != len(pending):
        return [
            _r1(
                paths,
                f"表三有{len(pending)}行缺少行标签，与缺失的{len(slots)}行（{names}）数目不符，"
                "无法确定其位置",
            )
        ]
    broken = [row for row in pending if len(row.values) != len(T3_COLUMNS)]
    if broken:
        # one malformed row means the row count itself may be an accident of extraction
        return [
            _r1(
                paths,
                f"表三“{names}”所在位置的行缺少行标签，且有{len(broken)}行数值个数不是7个",
            )
        ]
    for slot, row in zip(slots, pending, strict=True):
        place(slot, row, NOTE_GAP)
    return [
        _finding(
            "R2",
            Severity.NOTICE,
            f"表三有{len(slots)}行在提取文本中缺少行标签，已按前后已识别行之间的位置推定为：{names}，"
            "请核对原件",
            paths,
        )
    ]


def _row_name(fmt: ReportFormat, key: str) -> str:
    row = fmt.table3_row(key)
    return f"{row.ordinal}{row.label.split('（')[0]}"


def _resolve_t2(fmt: ReportFormat, readings: Readings) -> tuple[Table, dict, list[Finding]]:
    cells = _Cells("table2")
    findings: list[Finding] = []
    for reading in readings.t2:
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
        columns = [c.key for c in item.columns]
        values = reading.values
        if len(values) > len(columns):
            values = [v for v in values if v.kind != "blank"] or values
        header = [h for h in reading.header if h in columns]
        note = None
        if len(header) == len(values) and len(set(header)) == len(header):
            order = header
        elif len(values) == len(columns):
            order = columns
            note = NOTE_ORDER if len(columns) > 1 else None
        elif len(columns) == 1 and len({(v.kind, v.value) for v in values}) == 1:
            order, values = columns, values[:1]  # a merged cell repeated over its span
        else:
            findings.append(
                _r1(
                    [cells.path(item.key, c) for c in columns],
                    f"表二“{reading.label}”行读到{len(values)}个数值，应为{len(columns)}个",
                )
            )
            continue
        for col, value in zip(order, values, strict=True):
            if value.kind == "num":
                number = (
                    as_amount(value.value) if col.startswith("amount") else as_count(value.value)
                )
                value = Value("num", number, value.prov, value.text)
            cells.put(item.key, col, value, note)
    for row, col in sorted(cells.conflicts):
        findings.append(_r1([cells.path(row, col)], "同一单元格在重复出现的行中数值不一致"))
    table = {
        i.key: {c.key: cells.values.get((i.key, c.key)) for c in i.columns} for i in fmt.table2
    }
    prov = {
        cells.path(r, c): p for (r, c), p in cells.prov.items() if (r, c) not in cells.conflicts
    }
    return table, prov, findings


def _resolve_t4(readings: Readings) -> tuple[Table, dict, list[Finding]]:
    cells = _Cells("table4")
    findings: list[Finding] = []
    for reading in readings.t4:
        order = reading.cells or list(T4_CELLS)
        note = None if reading.cells or len(reading.blocks) == 3 else NOTE_ORDER
        for i, block in enumerate(reading.blocks):
            for col, value in zip(order, reading.values[i * 5 : i * 5 + 5], strict=True):
                cells.put(block, col, value, note)
    for row, col in sorted(cells.conflicts):
        findings.append(_r1([cells.path(row, col)], "同一单元格在重复出现的行中数值不一致"))
    table = {b: {c: cells.values.get((b, c)) for c in T4_CELLS} for b in T4_BLOCKS}
    prov = {
        cells.path(r, c): p for (r, c), p in cells.prov.items() if (r, c) not in cells.conflicts
    }
    return table, prov, findings


def _count(table: Table) -> int:
    return sum(1 for cells in table.values() for v in cells.values() if v is not None)


def scan_rows(rows: Iterable[Row]) -> Readings:
    return _Scanner().scan(rows)


def assemble(ex: Extracted, *, year: int | None = None) -> Assembled:
    """Tables 二/三/四 of one extracted document, with provenance and reading findings."""
    line_readings = scan_rows(rows_from_lines(ex.lines))
    grid_readings = scan_rows(rows_from_grids(ex.grids)) if ex.kind not in ("txt", "md") else None
    evidence = Evidence()
    for readings in filter(None, (grid_readings, line_readings)):
        for fmt_id in ("2021", "2019"):
            evidence.t2[fmt_id] = max(evidence.t2[fmt_id], readings.evidence.t2[fmt_id])
        evidence.subrows |= readings.evidence.subrows
        evidence.collapsed |= readings.evidence.collapsed
        evidence.items_2019 |= readings.evidence.items_2019
    format_id = decide_format(evidence, year)
    fmt = FORMATS[format_id] if format_id else _fallback_format(year)
    for readings in filter(None, (grid_readings, line_readings)):
        readings.evidence = evidence

    results = {}
    for name, resolve in (
        ("table2", lambda r: _resolve_t2(fmt, r)),
        ("table3", lambda r: _resolve_t3(fmt, r)),
        ("table4", _resolve_t4),
    ):
        candidates = [resolve(r) for r in (grid_readings, line_readings) if r is not None]
        results[name] = max(candidates, key=lambda c: _count(c[0]))  # grids win ties
    findings: list[Finding] = []
    provenance: dict[str, Provenance] = {}
    for table, prov, found in results.values():
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


def _fallback_format(year: int | None) -> ReportFormat:
    if year is not None and FORMAT_2019.first_year <= year <= (FORMAT_2019.last_year or year):
        return FORMAT_2019
    return FORMAT_2021
