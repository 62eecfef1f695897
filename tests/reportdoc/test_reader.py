"""Sniffing by content, clear Chinese errors naming the file."""

from __future__ import annotations

import io
import zipfile

import pytest

from gongkai.reportdoc.extract import ReportReadError
from gongkai.reportdoc.reader import extract_bytes, extract_path, sniff


def test_sniff_by_content_not_extension_constructed(huaian_pdf, docx_builder, constructed_2021):
    assert sniff(huaian_pdf.read_bytes()) == "pdf"
    assert sniff(docx_builder(constructed_2021)) == "docx"
    assert sniff(b"<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"
    assert sniff("  <table><tr><td>规章</td></tr></table>".encode()) == "html"
    assert sniff("# 年度报告\n\n<table><tr><td>1</td></tr></table>\n".encode()) == "mdhtml"
    assert sniff("一、总体情况\n本年度……".encode()) == "text"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)).startswith("!")
    assert sniff(b"\x89PNG\r\n\x1a\n" + bytes(100)).startswith("!")


def test_pdf_named_htm_is_read_as_pdf(tmp_path, huaian_pdf):
    target = tmp_path / "report.htm"
    target.write_bytes(huaian_pdf.read_bytes())
    assert extract_path(target).kind == "pdf"


def test_docx_named_pdf_is_read_as_docx_constructed(tmp_path, docx_builder, constructed_2021):
    target = tmp_path / "report.pdf"
    target.write_bytes(docx_builder(constructed_2021))
    assert extract_path(target).kind == "docx"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "空"),
        (b"   \n\n", "空"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "旧版 Word"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "图片"),
        (b"%PDF-1.7\n garbage", "PDF"),
    ],
)
def test_unreadable_inputs_name_the_file(data, words):
    with pytest.raises(ReportReadError) as info:
        extract_bytes(data, "某文件.bin")
    assert "某文件.bin" in str(info.value)
    assert words in str(info.value)
    assert info.value.source == "某文件.bin"


def test_zip_that_is_not_word_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ReportReadError, match="不是 Word 文档"):
        extract_bytes(out.getvalue(), "表格.xlsx")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ReportReadError, match="不存在"):
        extract_path(tmp_path / "nope.pdf")
    with pytest.raises(ReportReadError, match="文件夹"):
        extract_path(tmp_path)


def test_html_file_extracts(tmp_path):
    target = tmp_path / "a.txt"  # wrong extension on purpose
    target.write_text("<html><body><h1>标题</h1><p>正文</p></body></html>", encoding="utf-8")
    ex = extract_path(target)
    assert ex.kind == "html"
    assert [line.text for line in ex.lines] == ["标题", "正文"]


def test_markdown_with_html_tables_keeps_its_lines(tmp_path):
    target = tmp_path / "ocr.md"
    target.write_text(
        "# 标题\n\n## 一、总体情况\n正文第一段\n\n"
        "<table><tr><td>规章</td><td>１</td></tr></table>\n",
        encoding="utf-8",
    )
    ex = extract_path(target)
    assert [line.text for line in ex.lines][:3] == ["# 标题", "## 一、总体情况", "正文第一段"]
    assert ex.grids[0].rows == (("规章", "1"),)
