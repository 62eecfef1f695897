"""Personal-data check (pure: no Django): resident ID numbers, mobiles, bank cards and an
agency's sensitive words in text and in files. See docs/pii.md."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gongkai.pii.detect import KIND_LABELS, KINDS, Finding, ScanError, mask_text, scan_text

if TYPE_CHECKING:
    from gongkai.pii.files import PathOrBytes

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "Finding",
    "ScanError",
    "file_text",
    "mask_text",
    "scan_file",
    "scan_text",
]


# The file readers pull in lxml, python-docx and PDFium: only when a file is scanned (the
# event log imports this package for mask_text on every request).
def scan_file(
    path_or_bytes: PathOrBytes, *, name: str | None = None, words: Sequence[str] = ()
) -> list[Finding]:
    """Findings in a PDF, DOCX, HTML or text file, told by content (a path, or bytes + name).
    Unreadable input raises :class:`ScanError` with a Chinese message."""
    from gongkai.pii.files import scan_file as _scan_file  # noqa: PLC0415

    return _scan_file(path_or_bytes, name=name, words=words)


def file_text(path_or_bytes: PathOrBytes, *, name: str | None = None) -> str:
    """The text :func:`scan_file` scans: its findings' offsets point into it."""
    from gongkai.pii.files import file_text as _file_text  # noqa: PLC0415

    return _file_text(path_or_bytes, name=name)
