"""Attachment types are decided by content, never by the name or the browser's claim.

PDF and images by their magic bytes; DOCX and XLSX are ZIP files that must also open with
python-docx / openpyxl, so a renamed ZIP (or a macro-enabled .docm) is refused.
"""

from __future__ import annotations

import io
import zipfile

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


class FileTypeError(ValueError):
    """The content is not one of the accepted types; the message is Chinese."""


def detect_type(data: bytes) -> str:
    """``pdf`` | ``png`` | ``jpeg`` | ``gif`` | ``docx`` | ``xlsx``, else ``FileTypeError``."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    raise FileTypeError("只接受 PDF、Word（DOCX）、Excel（XLSX）和图片（PNG、JPEG、GIF）附件。")


def _office_type(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            content_types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise FileTypeError("文件已损坏或不是有效的 Office 文档。") from exc
    if b"macroEnabled" in content_types or "word/vbaProject.bin" in names:
        raise FileTypeError("不接受含宏的 Office 文档。")
    if "word/document.xml" in names:
        _open_docx(data)
        return "docx"
    if "xl/workbook.xml" in names:
        _open_xlsx(data)
        return "xlsx"
    raise FileTypeError("只接受 Word（DOCX）和 Excel（XLSX）格式的 Office 文档。")


def _open_docx(data: bytes) -> None:
    import docx  # noqa: PLC0415  (heavy; only for uploads)

    try:
        docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken parts
        raise FileTypeError("Word 文档无法打开，可能已损坏。") from exc


def _open_xlsx(data: bytes) -> None:
    import openpyxl  # noqa: PLC0415

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        workbook.close()
    except Exception as exc:
        raise FileTypeError("Excel 表格无法打开，可能已损坏。") from exc
