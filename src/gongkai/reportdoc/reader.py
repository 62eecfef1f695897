"""Read any report file: sniff the format from its bytes, extract, assemble, audit.

The file name says nothing reliable (sites serve PDFs as ``.htm``, mail clients rename DOCX to
``.doc``), so the format is told by content: ``%PDF``, a ZIP holding ``word/document.xml``, HTML
tags, else text. Every input is bounded — file size, DOCX unpacked size and compression ratio
(checked before python-docx opens anything), HTML nesting depth, PDF page count and a time
budget — and every failure is a :class:`ReportReadError` whose message names the file in Chinese.
"""

from __future__ import annotations

import contextlib
import io
import re
import signal
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gongkai.reportdoc.checks import audit
from gongkai.reportdoc.extract import Extracted, ReportReadError, SourceKind
from gongkai.reportdoc.html import extract_html
from gongkai.reportdoc.model import Report
from gongkai.reportdoc.parse import parse_extracted
from gongkai.reportdoc.text import extract_text

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one input may cost. The defaults fit every real report seen, with a wide margin."""

    max_bytes: int = 50 * MB
    max_pdf_pages: int = 200
    time_budget_s: float = 60.0
    max_docx_unpacked: int = 200 * MB
    max_docx_ratio: float = 200.0  # deflate of real XML reaches ~20:1; bombs go to 1000:1
    max_docx_entries: int = 5000


DEFAULT_LIMITS = Limits()

_HTML_RE = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|meta|table|title)\b", re.IGNORECASE)
_HTML_SOFT_RE = re.compile(rb"<\s*(?:p|div|span|br|td|tr|h[1-6])\b", re.IGNORECASE)
_TABLE_TAG_RE = re.compile(rb"<\s*table\b", re.IGNORECASE)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # C0 controls but \t \n \f \r
_MD_TABLE_RE = re.compile(r"^\s*\|.*\|\s*$", re.MULTILINE)
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")


def sniff(data: bytes) -> str:
    """``"pdf"``, ``"docx"``, ``"html"``, ``"mdhtml"`` (text with HTML tables), ``"text"``, or
    ``"!"`` followed by the reason the format is unsupported."""
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"  # confirmed (word/document.xml) by the zip guard
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "!旧版 Word（.doc）或 Excel 格式不受支持，请另存为 DOCX 或 PDF 后再检查"
    if head.startswith(_IMAGE_MAGIC):
        return "!这是图片文件，请先进行文字识别（OCR）或提供 PDF/DOCX/HTML 原件"
    if _HTML_RE.search(head) or len(_HTML_SOFT_RE.findall(data[:8192])) >= 3:
        starts_with_tag = data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
        # OCR/Markdown output often embeds <table> markup in plain text lines
        return "html" if starts_with_tag else "mdhtml"
    if _TABLE_TAG_RE.search(data):
        return "mdhtml"
    return "text"


def extract_bytes(data: bytes, source: str, *, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    if len(data) > limits.max_bytes:
        raise ReportReadError(
            f"{source}：文件大小 {len(data) / MB:.1f} MB，"
            f"超过 {limits.max_bytes / MB:.0f} MB 的上限",
            source=source,
        )
    if not data.strip():
        raise ReportReadError(f"{source}：文件是空的", source=source)
    kind = sniff(data)
    if kind.startswith("!"):
        raise ReportReadError(f"{source}：{kind[1:]}", source=source)
    deadline = time.monotonic() + limits.time_budget_s
    with time_budget(limits.time_budget_s, source):
        if kind == "pdf":
            # python-docx and pdfplumber/pdfminer take ~0.4 s to import: only when needed
            from gongkai.reportdoc.pdf import extract_pdf  # noqa: PLC0415

            extracted = extract_pdf(data, source, max_pages=limits.max_pdf_pages, deadline=deadline)
        elif kind == "docx":
            check_docx_zip(data, source, limits)
            from gongkai.reportdoc.docx import extract_docx  # noqa: PLC0415

            extracted = extract_docx(data, source)
        elif kind in {"html", "mdhtml"}:
            extracted = extract_html(data, source, keep_newlines=kind == "mdhtml")
        else:
            extracted = _extract_text(data, source)
    if not extracted.lines and not extracted.grids:
        hint = "（可能是扫描件，请先进行文字识别）" if kind == "pdf" else ""
        raise ReportReadError(f"{source}：文件中没有可读取的文字{hint}", source=source)
    return extracted


def extract_path(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    path = Path(path)
    source = str(path)
    try:
        if path.exists() and not path.is_file() and not path.is_dir():
            # a pipe or a device would be read forever
            raise ReportReadError(f"{source}：不是普通文件", source=source)
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise ReportReadError(
                f"{source}：文件大小 {size / MB:.1f} MB，超过 {limits.max_bytes / MB:.0f} MB 上限",
                source=source,
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ReportReadError(f"{source}：文件不存在", source=source) from exc
    except IsADirectoryError as exc:
        raise ReportReadError(f"{source}：这是文件夹，不是文件", source=source) from exc
    except OSError as exc:
        raise ReportReadError(f"{source}：文件无法读取（{exc.strerror}）", source=source) from exc
    return extract_bytes(data, source, limits=limits)


def parse_path(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> Report:
    """Extract and assemble, without checks: the batch audits later, once pairs are known.
    The time budget covers both (the extractor's own budget is then inside this one)."""
    with time_budget(limits.time_budget_s, str(path)):
        extracted = extract_path(path, limits=limits)
        return parse_checked(extracted)


def parse_checked(extracted: Extracted) -> Report:
    source = extracted.source
    try:
        report = parse_extracted(extracted)
    except ReportReadError:
        raise
    except RecursionError as exc:
        raise ReportReadError(f"{source}：文档结构过于复杂，无法读取", source=source) from exc
    if not looks_like_report(report):
        raise ReportReadError(
            f"{source}：不是政府信息公开工作年度报告（找不到报告的章节标题和统计表格）",
            source=source,
        )
    if report.source is None:
        report.source = source
    return report


def looks_like_report(report: Report) -> bool:
    has_cells = any(
        value is not None
        for table in (report.table2, report.table3, report.table4)
        for cells in table.values()
        for value in cells.values()
    )
    return has_cells or len(report.sections) >= 2


def read_report(
    path: str | Path,
    *,
    previous: Report | str | Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Report:
    """Extract → assemble → audit; ``previous`` is last year's report of the same agency."""
    report = parse_path(path, limits=limits)
    if previous is not None and not isinstance(previous, Report):
        previous = parse_path(previous, limits=limits)
    return audit(report, previous=previous)


def check_docx_zip(data: bytes, source: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse archives that would unpack to far more than they weigh, before anything unpacks."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise ReportReadError(f"{source}：ZIP/DOCX 文件已损坏（{exc}）", source=source) from exc
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        raise ReportReadError(
            f"{source}：这是 ZIP 压缩包，但不是 Word 文档（DOCX），不支持", source=source
        )
    if len(infos) > limits.max_docx_entries:
        raise ReportReadError(
            f"{source}：DOCX 内含 {len(infos)} 个文件，超过上限，疑似异常文件", source=source
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_docx_unpacked:
        raise ReportReadError(
            f"{source}：DOCX 解压后 {total / MB:.0f} MB，超过 "
            f"{limits.max_docx_unpacked / MB:.0f} MB 的上限，疑似压缩炸弹",
            source=source,
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MB and ratio > limits.max_docx_ratio:
            raise ReportReadError(
                f"{source}：DOCX 中 {info.filename} 压缩比 {ratio:.0f}:1 异常，疑似压缩炸弹",
                source=source,
            )


def decode_text(data: bytes) -> str | None:
    """Decode a text file (BOM, UTF-8, GB18030); ``None`` when it is binary, not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                return None
    controls = len(_CONTROL_RE.findall(text))
    bad = controls + text.count("\ufffd")
    if bad > max(2, len(text) // 200):
        return None
    return text


def _extract_text(data: bytes, source: str) -> Extracted:
    text = decode_text(data)
    if text is None:
        raise ReportReadError(
            f"{source}：无法识别的文件格式（不是 PDF、DOCX、HTML 或文本文件）", source=source
        )
    kind: SourceKind = (
        "md"
        if source.lower().endswith((".md", ".markdown")) or len(_MD_TABLE_RE.findall(text)) >= 3
        else "txt"
    )
    return extract_text(text, source, kind)


class _BudgetExceeded(BaseException):  # slips past the extractors' `except Exception`
    pass


@contextlib.contextmanager
def time_budget(seconds: float, source: str) -> Iterator[None]:
    """Stop a runaway read after ``seconds`` (SIGALRM, so main thread on POSIX only).

    Worker processes run their tasks in their main thread, so batches are covered too; in
    other threads the PDF extractor's per-page deadline is the remaining guard.
    """
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable or seconds <= 0:
        yield
        return

    def _expire(signum: int, frame: object) -> None:
        raise _BudgetExceeded

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _BudgetExceeded as exc:
        raise ReportReadError(
            f"{source}：读取超过 {seconds:.0f} 秒仍未完成，已停止（文件过大或过于复杂）",
            source=source,
        ) from exc
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
