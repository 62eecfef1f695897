"""The report model and its JSON form (the Report JSON contract of DESIGN.md).

Cells are ``int | None`` (``Decimal`` for amounts); ``None`` means blank in the source — never 0.
``provenance`` maps a dotted cell path (``"table3.granted.total"``) to where the value was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gongkai.law.findings import Finding

Number = int | Decimal | None
Table = dict[str, dict[str, Number]]


@dataclass(frozen=True)
class Provenance:
    """Where a cell value was read: table grid position or text line, page if known."""

    page: int | None = None
    line: int | None = None
    grid: int | None = None
    row: int | None = None
    col: int | None = None
    note: str | None = None  # how the cell was placed when it was not read beside its labels

    def describe(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.grid is not None:
            parts.append(f"表格{self.grid + 1}第{(self.row or 0) + 1}行第{(self.col or 0) + 1}列")
        elif self.line is not None:
            parts.append(f"第{self.line}行")
        text = "".join(parts) or "位置不明"
        return f"{text}（{self.note}）" if self.note else text


@dataclass
class Report:
    format: str | None  # "2021" | "2019" | None when it cannot be told
    agency: str | None = None
    year: int | None = None
    published: str | None = None  # ISO date, when the document states it
    title: str | None = None
    sections: dict[str, str] = field(default_factory=dict)  # SECTION_KEYS -> text
    table2: Table = field(default_factory=dict)
    table3: Table = field(default_factory=dict)
    table4: Table = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    source: str | None = None
    # glued figures the table's own arithmetic left ambiguous: row path ("table3.carried_over",
    # "table2.normative_documents", or "table4" for the one row of 15 cells) → its candidate
    # readings, kept so that last year's report (Y1, table 三) or another copy of the same
    # report in the batch (reportdoc/copies.py) can still decide them
    glued: dict[str, list[tuple[int, ...]]] = field(default_factory=dict)

    def cell(self, path: str) -> Number:
        table, row, col = path.split(".")
        return getattr(self, table).get(row, {}).get(col)

    def to_json(self, *, with_provenance: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": self.format,
            "agency": self.agency,
            "year": self.year,
            "published": self.published,
            "source": self.source,
            "table2": _jsonable(self.table2),
            "table3": _jsonable(self.table3),
            "table4": _jsonable(self.table4),
            "sections": dict(self.sections),
            "findings": [f.as_dict() for f in self.findings],
        }
        if with_provenance:
            data["provenance"] = {
                path: {k: v for k, v in vars(p).items() if v is not None}
                for path, p in self.provenance.items()
            }
        return data


def _jsonable(table: Table) -> dict[str, dict[str, int | float | None]]:
    # Decimal amounts go out as JSON numbers; a blank stays null.
    return {
        row: {col: (float(v) if isinstance(v, Decimal) else v) for col, v in cells.items()}
        for row, cells in table.items()
    }
