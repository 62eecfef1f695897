"""The text of a file, for the personal-data scan: the report auditor's extractors, reused.

The format is told by content (``reportdoc.reader.sniff``), never by the file name. What is
scanned is the document's text in reading order, then every table row as one line (cells
separated by tabs, a merged cell once); a PDF's page text already holds its tables. A plain
text file is scanned line for line as it stands, so line and column point into the file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from gongkai.pii.detect import Finding, ScanError, scan_text
from gongkai.reportdoc.extract import Extracted, Grid, ReportReadError
from gongkai.reportdoc.reader import MB, Limits, extract_bytes

# An attachment is not an annual report: long PDFs (a budget, a 名单) are normal.
LIMITS = Limits(max_pdf_pages=2000, time_budget_s=120.0)

PathOrBytes = str | os.PathLike[str] | bytes | bytearray | memoryview


def read_input(path_or_bytes: PathOrBytes, name: str | None = None) -> tuple[bytes, str]:
    """The bytes and the name to show; unreadable input is a :class:`ScanError` in Chinese."""
    if isinstance(path_or_bytes, bytes | bytearray | memoryview):
        return bytes(path_or_bytes), name or "文件"
    path = Path(path_or_bytes)
    source = name or str(path)
    try:
        if path.is_dir():
            raise ScanError(f"{source}：这是文件夹，不是文件", source=source)
        if path.exists() and not path.is_file():
            raise ScanError(f"{source}：不是普通文件", source=source)  # a pipe reads forever
        size = path.stat().st_size
        if size > LIMITS.max_bytes:
            raise ScanError(
                f"{source}：文件大小 {size / MB:.1f} MB，超过 {LIMITS.max_bytes / MB:.0f} MB 上限",
                source=source,
            )
        return path.read_bytes(), source
    except FileNotFoundError as exc:
        raise ScanError(f"{source}：文件不存在", source=source) from exc
    except OSError as exc:
        raise ScanError(f"{source}：文件无法读取（{exc.strerror}）", source=source) from exc


def file_text(path_or_bytes: PathOrBytes, *, name: str | None = None) -> str:
    """The text :func:`scan_file` scans (its findings' offsets point into it)."""
    data, source = read_input(path_or_bytes, name)
    if not data.strip():
        return ""
    try:
        extracted = extract_bytes(data, source, limits=LIMITS)
    except ReportReadError as exc:
        raise ScanError(str(exc), source=source) from exc
    return document_text(extracted)


def document_text(extracted: Extracted) -> str:
    if extracted.kind in {"txt", "md"}:
        # blank lines were dropped: put every line back at its own number
        out: list[str] = []
        for line in extracted.lines:
            out.extend([""] * (line.number - 1 - len(out)))
            out.append(line.text)
        return "\n".join(out)
    lines = [line.text for line in extracted.lines]
    if extracted.kind != "pdf":
        for grid in extracted.grids:
            lines.extend(grid_lines(grid))
    return "\n".join(lines)


def grid_lines(grid: Grid) -> list[str]:
    lines = []
    for r, row in enumerate(grid.rows):
        origins = grid.origins[r] if grid.origins is not None else None
        cells = [
            cell.replace("\n", "\t")
            for c, cell in enumerate(row)
            if cell and (origins is None or c >= len(origins) or origins[c] == (r, c))
        ]
        if cells:
            lines.append("\t".join(cells))
    return lines


def scan_file(
    path_or_bytes: PathOrBytes, *, name: str | None = None, words: Sequence[str] = ()
) -> list[Finding]:
    """Findings in a PDF, DOCX, HTML or text file (a path, or its bytes with ``name``)."""
    return scan_text(file_text(path_or_bytes, name=name), words=words)
