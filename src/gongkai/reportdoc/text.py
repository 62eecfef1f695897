"""Plain text and Markdown → :class:`Extracted`.

Text is kept line for line (the assembler reads tables from the lines themselves, tab- or
pipe-separated or not separated at all); Markdown tables (``| a | b |``) are also handed out as
:class:`Grid` objects for consumers that want cells.
"""

from __future__ import annotations

import re
from typing import Literal

from gongkai.reportdoc.extract import Extracted, Grid, Line, ReportReadError
from gongkai.reportdoc.flattened import looks_flattened, strip_header, unflatten

_MD_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
_MD_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")


def decode(data: bytes | str, source: str) -> str:
    """UTF-8 (with or without BOM), else GB18030 — the two encodings Chinese sites serve."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportReadError(
        f"{source}：无法识别文本编码（既不是 UTF-8 也不是 GB18030）", source=source
    )


def extract_text(data: bytes | str, source: str, kind: Literal["txt", "md"] = "txt") -> Extracted:
    text = decode(data, source)
    lines: list[Line] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        # trailing tabs stay: in a tab-separated row they are blank cells (a blank total)
        cleaned = _CONTROL_RE.sub("", raw).replace("\u3000", " ").rstrip(" \r\n\x0b\x0c")
        if cleaned.strip():
            lines.append(Line(cleaned, number))
    body, title, published = strip_header(lines)
    if looks_flattened(body):
        flat = unflatten(lines)
        return Extracted(
            source=source,
            kind=kind,
            lines=flat.lines,
            published=flat.published,
            cell_notes=flat.cell_notes,
            reading_findings=flat.findings,
            explained=flat.unread,
            glued=flat.ambiguous_rows,
        )
    if title is not None:
        # a crawler's header above an ordinary text report: its title line, not its labels
        lines = [Line(title, lines[0].number), *body]
    return Extracted(
        source=source, kind=kind, lines=lines, grids=markdown_grids(lines), published=published
    )


def markdown_grids(lines: list[Line]) -> list[Grid]:
    """Consecutive ``| … |`` lines form one grid; separator lines are dropped."""
    grids: list[Grid] = []
    current: list[tuple[str, ...]] = []
    last_number = None
    for line in lines:
        if _MD_ROW_RE.match(line.text) and (last_number is None or line.number == last_number + 1):
            last_number = line.number
            if not _MD_SEPARATOR_RE.match(line.text):
                current.append(tuple(c.strip() for c in line.text.strip()[1:-1].split("|")))
            continue
        if _MD_ROW_RE.match(line.text):  # a new table right after a gap
            _flush(grids, current)
            current = []
            last_number = line.number
            if not _MD_SEPARATOR_RE.match(line.text):
                current.append(tuple(c.strip() for c in line.text.strip()[1:-1].split("|")))
            continue
        _flush(grids, current)
        current, last_number = [], None
    _flush(grids, current)
    return grids


def _flush(grids: list[Grid], rows: list[tuple[str, ...]]) -> None:
    if rows:
        grids.append(Grid(tuple(rows), index=len(grids)))
