"""The personal-data check of an item: body and every attachment, through ``gongkai.pii``.

PDF and DOCX go through the pure package's readers (the report auditor's extractors). XLSX,
which the pure package does not read, is flattened here one row per line; images carry no
text to check.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from gongkai import pii
from gongkai.disclosure.filetypes import detect_type


@dataclass(frozen=True)
class Hit:
    source: str
    kind: str
    masked: str
    line: int
    column: int


def scan_text(text: str, *, source: str, words: tuple[str, ...] = ()) -> list[Hit]:
    return [
        Hit(source, f.kind, f.masked, f.line, f.column) for f in pii.scan_text(text, words=words)
    ]


def scan_bytes(data: bytes, *, name: str, words: tuple[str, ...] = ()) -> list[Hit]:
    """Findings in an attachment; unreadable files raise (the caller refuses the upload)."""
    kind = detect_type(data)
    if kind in ("png", "jpeg", "gif"):
        return []
    if kind == "xlsx":
        return scan_text(_xlsx_text(data), source=name, words=words)
    return [
        Hit(name, f.kind, f.masked, f.line, f.column)
        for f in pii.scan_file(data, name=name, words=words)
    ]


def _xlsx_text(data: bytes) -> str:
    import openpyxl  # noqa: PLC0415  (heavy; only for spreadsheets)

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return "\n".join(
            "\t".join("" if value is None else str(value) for value in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    finally:
        book.close()
