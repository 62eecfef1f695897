"""No input crashes the reader or runs away: size, zip bombs, nesting, pages, time, fuzz."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.reportdoc.extract import Extracted, ReportReadError
from gongkai.reportdoc.model import Report
from gongkai.reportdoc.reader import (
    Limits,
    check_docx_zip,
    extract_bytes,
    extract_path,
    parse_checked,
    time_budget,
)


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_file_size_limit_checked_before_reading(tmp_path):
    target = tmp_path / "big.txt"
    target.write_bytes(b"x" * 2048)
    with pytest.raises(ReportReadError, match="超过"):
        extract_path(target, limits=Limits(max_bytes=1024))
    with pytest.raises(ReportReadError, match="超过"):
        extract_bytes(b"x" * 2048, "big.txt", limits=Limits(max_bytes=1024))


def test_docx_zip_bomb_refused_by_ratio_before_python_docx_opens_it():
    bomb = _zip({"word/document.xml": b"\0" * (8 * 1024 * 1024), "[Content_Types].xml": b""})
    assert len(bomb) < 100_000
    with pytest.raises(ReportReadError, match="压缩"):
        extract_bytes(bomb, "bomb.docx")


def test_docx_unpacked_total_limit():
    data = _zip({"word/document.xml": b"<w/>", "word/media/a.bin": bytes(range(256)) * 9000})
    with pytest.raises(ReportReadError, match="解压后"):
        check_docx_zip(data, "big.docx", Limits(max_docx_unpacked=1024 * 1024))


def test_docx_entry_count_limit():
    entries = {f"word/f{i}.xml": b"" for i in range(30)} | {"word/document.xml": b""}
    with pytest.raises(ReportReadError, match="个文件"):
        check_docx_zip(_zip(entries), "many.docx", Limits(max_docx_entries=10))


def test_filled_template_docx_passes_the_zip_guard_constructed(docx_builder, constructed_2021):
    check_docx_zip(docx_builder(constructed_2021), "ok.docx")


def test_corrupt_docx_is_a_read_error():
    data = _zip({"word/document.xml": b"<not xml", "[Content_Types].xml": b"<also not"})
    with pytest.raises(ReportReadError, match=r"broken\.docx"):
        extract_bytes(data, "broken.docx")


def test_100k_nested_divs_do_not_crash_or_hang():
    page = ("<html><body>" + "<div>" * 100_000 + "正文" + "</div>" * 100_000).encode()
    start = time.monotonic()
    with pytest.raises(ReportReadError, match="嵌套"):
        extract_bytes(page, "deep.html")
    assert time.monotonic() - start < 3


def test_100k_unclosed_tables_do_not_crash():
    start = time.monotonic()
    with pytest.raises(ReportReadError):
        extract_bytes(b"<html><body>" + b"<table><tr><td>" * 100_000, "tables.html")
    assert time.monotonic() - start < 5


def test_wide_flat_html_is_fine():
    page = "<html><body>" + "<p>一行</p>" * 50_000 + "</body></html>"
    ex = extract_bytes(page.encode(), "wide.html")
    assert len(ex.lines) == 50_000


def test_pdf_page_cap(huaian_pdf):
    with pytest.raises(ReportReadError, match="页"):
        extract_bytes(huaian_pdf.read_bytes(), "h.pdf", limits=Limits(max_pdf_pages=2))


def test_time_budget_interrupts_a_runaway_read():
    start = time.monotonic()

    def spin() -> None:
        with time_budget(0.2, "slow.pdf"):
            while True:
                pass

    with pytest.raises(ReportReadError, match="秒"):
        spin()
    assert time.monotonic() - start < 2


def _assert_reads_or_refuses(data: bytes) -> None:
    try:
        result: Extracted | ReportReadError = extract_bytes(
            data, "fuzz.bin", limits=Limits(time_budget_s=5)
        )
    except ReportReadError as exc:
        result = exc
    if isinstance(result, ReportReadError):
        assert "fuzz.bin" in str(result)
    else:
        assert isinstance(result, Extracted)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_never_traceback(data):
    _assert_reads_or_refuses(data)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048), st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"<html>"]))
def test_random_bytes_behind_a_magic_never_traceback(data, magic):
    _assert_reads_or_refuses(magic + data)


@settings(max_examples=8, deadline=None)
@given(st.integers(min_value=0, max_value=40_000), st.integers(min_value=0, max_value=255))
def test_mutated_real_pdf_never_tracebacks(huaian_pdf, offset, value):
    data = bytearray(huaian_pdf.read_bytes())
    for i in range(offset, min(offset + 64, len(data))):
        data[i] = value
    _assert_reads_or_refuses(bytes(data))


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=30_000))
def test_truncated_filled_template_docx_never_tracebacks_constructed(constructed_2021_docx, cut):
    data = constructed_2021_docx
    _assert_reads_or_refuses(data[: cut % len(data)])


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<table>",
                "<tr>",
                "<td colspan=9999>",
                "<td rowspan=0>",
                "</td>",
                "</tr>",
                "</table>",
                "<div>",
                "</div>",
                "&nbsp;",
                "１２",
                "<br>",
                "<o:p>",
                "<script>",
                "规章",
            ]
        ),
        max_size=300,
    )
)
def test_random_tag_soup_never_tracebacks(tokens):
    _assert_reads_or_refuses(("<html><body>" + "".join(tokens)).encode())


_REPORTISH = [
    "一、总体情况", "三、收到和处理政府信息公开申请情况", "本年新收政府信息公开申请数量", "自然人",
    "（一）予以公开", "行政复议", "结果维持", "总计", "2023年", "政府信息公开工作年度报告",
    "１２", "0", "-", "—", "3.5", "|", "\t", " ", "\n", "<td>", "</tr>", "规章", "万元",
]  # fmt: skip


def _assert_reads_whole_or_refuses(data: bytes) -> None:
    try:
        result: Report | ReportReadError = parse_checked(
            extract_bytes(data, "fuzz.txt", limits=Limits(time_budget_s=5))
        )
    except ReportReadError as exc:
        result = exc
    if isinstance(result, ReportReadError):
        assert "fuzz.txt" in str(result)
    else:
        assert isinstance(result, Report)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sampled_from(_REPORTISH), max_size=400))
def test_report_shaped_noise_reads_or_refuses_through_the_assembler(tokens):
    _assert_reads_whole_or_refuses("".join(tokens).encode())


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_reads_or_refuses_through_the_assembler(text):
    _assert_reads_whole_or_refuses(text.encode("utf-8", errors="replace"))


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<tr>",
                "<td>",
                "<td colspan=3>",
                "<td rowspan=4>",
                "</td>",
                "</tr>",
                "<br>",
                *_REPORTISH,
            ]
        ),
        max_size=300,
    )
)
def test_report_shaped_html_tables_read_or_refuse_through_the_assembler(tokens):
    page = "<html><body><h1>某局2023年政府信息公开工作年度报告</h1><table>"
    _assert_reads_whole_or_refuses((page + "".join(tokens) + "</table>").encode())
