"""Text of an attachment for the index: PDF and DOCX through the personal-data check's readers
(``gongkai.pii.file_text``), XLSX one row a line, plain text as UTF-8/GB18030. Bounded: files
over ``MAX_BYTES`` are not read and the text is cut at ``ATTACHMENT_TEXT_MAX`` characters."""

from __future__ import annotations

from gongkai.disclosure.filetypes import FileTypeError, detect_type
from gongkai.search.models import ATTACHMENT_TEXT_MAX

MAX_BYTES = 20 * 1024 * 1024


class ExtractError(Exception):
    pass


def attachment_text(data: bytes, *, name: str = "") -> str:
    if len(data) > MAX_BYTES:
        raise ExtractError("附件过大，未提取文本。")
    try:
        kind = detect_type(data)
    except FileTypeError:
        kind = "text"
    if kind in ("png", "jpeg", "gif"):
        return ""
    if kind == "xlsx":
        from gongkai.disclosure.pii_scan import _xlsx_text  # noqa: PLC0415

        text = _xlsx_text(data)
    elif kind in ("pdf", "docx"):
        from gongkai import pii  # noqa: PLC0415

        text = pii.file_text(data, name=name or f"attachment.{kind}")
    else:
        text = _decode(data)
    return text[:ATTACHMENT_TEXT_MAX]


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractError("无法识别附件的文字编码。")
