"""What every file-format extractor hands to the table assembler.

An extractor (text, Markdown, HTML, DOCX, PDF) turns bytes into an :class:`Extracted`: the
document's text in reading order plus every table it could detect as a :class:`Grid`. The
assembler (``reportdoc.assemble``) then aligns cells by row and column *labels*, using grids
when they carry the tables and the text lines when table detection failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from gongkai.law.findings import Finding

SourceKind = Literal["txt", "md", "html", "docx", "pdf"]


@dataclass(frozen=True)
class Grid:
    """One detected table, merged cells expanded.

    ``rows[r][c]`` is the text of the cell covering position (r, c); a cell spanning several
    positions (rowspan/colspan, Word vMerge/gridSpan) has its text repeated in each position, so
    that label matching can read a row's group label from column 0 on every row it covers.
    Empty strings are blank cells. ``page`` is 1-based where the source has pages.

    ``origins`` (optional, parallel to ``rows``) names the source cell each position shows, as
    that cell's (row, column) in the source table: positions with equal origins are copies of
    one merged cell. The assembler uses it to read a figure spread over several columns once
    (a 2019 （八） row whose last figure spans two columns has two figures, not three); label
    cells still repeat for group context. ``None`` when the source has no merged cells or
    the extractor cannot tell.
    """

    rows: tuple[tuple[str, ...], ...]
    index: int = 0
    page: int | None = None
    origins: tuple[tuple[tuple[int, int], ...], ...] | None = None
    # some positions belong to no source cell (a row with fewer cells than the table is wide,
    # padded with blanks): such a blank is not a cell the document shows blank
    padded: bool = False

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def repeats_left(self, r: int, c: int) -> bool:
        """Whether position (r, c) shows the same merged cell as (r, c - 1)."""
        if self.origins is None or c == 0:
            return False
        row = self.origins[r]
        return c < len(row) and row[c] == row[c - 1]


@dataclass(frozen=True)
class Line:
    """A line of text with where it came from (1-based line number, page if known)."""

    text: str
    number: int
    page: int | None = None


@dataclass
class Extracted:
    source: str  # file name or "<stdin>"
    kind: SourceKind
    lines: list[Line] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    published: str | None = None  # ISO date if the container states it (HTML meta, DOCX core)
    # what the extractor itself inferred (flattened text: glued figures split by arithmetic):
    # a provenance note per cell, findings to add, and the cells those findings explain
    cell_notes: dict[str, str] = field(default_factory=dict)
    reading_findings: list[Finding] = field(default_factory=list)
    explained: set[str] = field(default_factory=set)
    glued: dict[str, list[tuple[int, ...]]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class ReportReadError(Exception):
    """The file cannot be read or is not an annual report. ``str(exc)`` is Chinese for people."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.source = source
