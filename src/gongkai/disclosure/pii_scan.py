"""The personal-data check of an item: body and every attachment, through ``gongkai.pii``.

``gongkai.pii`` (the pure scanner) is developed on its own branch; until it is merged here a
minimal local fallback (resident IDs with checksum and birth date, mobiles) keeps the workflow
testable. Delete ``_fallback_scan_text`` once the import below always succeeds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

try:  # pragma: no cover - depends on the merge state of the pii branch
    from gongkai import pii as _pii
except ImportError:  # pragma: no cover
    _pii = None


@dataclass(frozen=True)
class Hit:
    source: str
    kind: str
    masked: str
    line: int
    column: int


_ID_RE = re.compile(r"(?<![0-9０-９])[0-9０-９]{17}[0-9０-９xXｘＸ](?![0-9０-９])")
_MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _valid_id(raw: str) -> bool:
    value = raw.translate(str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")).upper()
    total = sum(int(c) * w for c, w in zip(value[:17], _WEIGHTS, strict=True))
    if "10X98765432"[total % 11] != value[17]:
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return True


def _position(text: str, start: int) -> tuple[int, int]:
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def _fallback_scan_text(text: str, words: tuple[str, ...]) -> list[tuple[str, str, int, int]]:
    hits = []
    for match in _ID_RE.finditer(text):
        if _valid_id(match.group()):
            raw = match.group()
            hits.append(
                ("resident_id", raw[:6] + "*" * 8 + raw[14:], *_position(text, match.start()))
            )
    for match in _MOBILE_RE.finditer(text):
        digits = re.sub(r"\D", "", match.group())[-11:]
        hits.append(("mobile", digits[:3] + "****" + digits[7:], *_position(text, match.start())))
    for word in words:
        hits.extend(
            ("sensitive_word", word, *_position(text, m.start()))
            for m in re.finditer(re.escape(word), text)
        )
    return hits


def scan_text(text: str, *, source: str, words: tuple[str, ...] = ()) -> list[Hit]:
    if _pii is not None:
        return [
            Hit(source, f.kind, f.masked, f.line, f.column)
            for f in _pii.scan_text(text, words=words)
        ]
    return [Hit(source, *hit) for hit in _fallback_scan_text(text, words)]


def scan_bytes(data: bytes, *, name: str, words: tuple[str, ...] = ()) -> list[Hit]:
    """Findings in an attachment's text; images have no text to scan."""
    if _pii is not None:
        return [
            Hit(name, f.kind, f.masked, f.line, f.column)
            for f in _pii.scan_file(data, name=name, words=words)
        ]
    return scan_text(_extract_text(data, name), source=name, words=words)


def _extract_text(data: bytes, name: str) -> str:
    import io  # noqa: PLC0415

    from gongkai.disclosure.filetypes import detect_type  # noqa: PLC0415

    kind = detect_type(data)
    if kind == "docx":
        import docx  # noqa: PLC0415

        document = docx.Document(io.BytesIO(data))
        return "\n".join(p.text for p in document.paragraphs)
    if kind == "xlsx":
        import openpyxl  # noqa: PLC0415

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        rows: list[Any] = []
        for sheet in book.worksheets:
            rows.extend(
                " ".join("" if v is None else str(v) for v in row)
                for row in sheet.iter_rows(values_only=True)
            )
        return "\n".join(rows)
    if kind == "pdf":
        import pdfplumber  # noqa: PLC0415

        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    return ""
