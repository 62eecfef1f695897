"""``scan_file``: the text of PDF, DOCX, HTML and text files, told by content."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from gongkai.pii import ScanError, file_text, scan_file

from .ids import make_id

ID = make_id()
MOBILE = "13812345678"


def tiny_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ASCII lines in Helvetica (built here: nothing binary committed)."""
    ops = "".join(f"({line}) Tj T* " for line in lines)
    stream = f"BT /F1 12 Tf 14 TL 72 720 Td {ops}ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (n, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("关于某某同志的公示")
    document.add_paragraph(f"联系电话：{MOBILE}")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "姓名"
    table.cell(0, 1).text = "身份证号码"
    table.cell(1, 0).text = "张三"
    merged = table.cell(1, 1).merge(table.cell(1, 2))  # one cell over two columns
    merged.text = ID
    table.cell(2, 0).text = "李四"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_text_file_lines_and_columns_are_the_files_own(tmp_path):
    path = tmp_path / "公示.txt"
    path.write_text(f"标题\n\n\n　　张三，身份证{ID}\n", encoding="utf-8")
    [finding] = scan_file(path)
    assert (finding.kind, finding.line, finding.column) == ("resident_id", 4, 9)


def test_gb18030_text_is_decoded(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(f"联系人手机：{MOBILE}".encode("gb18030"))
    assert [f.masked for f in scan_file(path)] == ["138****5678"]


def test_docx_paragraphs_and_table_cells_a_merged_cell_once():
    findings = scan_file(docx_bytes(), name="公示.docx")
    assert [f.kind for f in findings] == ["mobile", "resident_id"]
    text = file_text(docx_bytes())
    assert text[findings[1].start : findings[1].end] == ID
    assert text.count(ID) == 1


def test_html_prose_and_tables():
    page = (
        "<html><body><p>发布日期：2026-03-12</p><p>联系电话 " + MOBILE + "</p>"
        "<table><tr><td>姓名</td><td>身份证号</td></tr>"
        "<tr><td>张三</td><td>" + ID + "</td></tr></table></body></html>"
    ).encode()
    assert [f.kind for f in scan_file(page, name="x.htm")] == ["mobile", "resident_id"]


def test_pdf_text_is_scanned_once_with_its_tables():
    data = tiny_pdf(["Notice 2026", f"ID {ID}", f"Tel {MOBILE}"])
    findings = scan_file(data, name="附件.pdf")
    assert [(f.kind, f.line) for f in findings] == [("resident_id", 2), ("mobile", 3)]


def test_the_type_is_told_by_content_not_by_name(tmp_path):
    path = tmp_path / "附件.txt"  # a PDF served with the wrong name
    path.write_bytes(tiny_pdf([f"ID {ID}"]))
    assert [f.kind for f in scan_file(path)] == ["resident_id"]


def test_empty_file_has_no_findings(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert scan_file(path) == []


def test_words_reach_files():
    findings = scan_file("本案涉及低保户".encode(), name="a.txt", words=["低保户"])
    assert [(f.kind, f.masked) for f in findings] == [("sensitive_word", "低**")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (tiny_pdf([]), "没有可读取的文字（可能是扫描件"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "图片文件"),
        (b"%PDF-1.4 broken", "PDF"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 64, "旧版 Word"),
        (b"\x00\x01\x02\x03" * 100, "无法识别的文件格式"),
    ],
)
def test_unreadable_input_is_a_scan_error_in_chinese(data, message):
    with pytest.raises(ScanError, match="附件") as caught:
        scan_file(data, name="附件")
    assert message in str(caught.value)
    assert caught.value.source == "附件"


def test_a_zip_that_is_no_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ScanError, match="不是 Word 文档"):
        scan_file(buffer.getvalue(), name="名单.xlsx")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ScanError, match="文件不存在"):
        scan_file(tmp_path / "nope.pdf")
    with pytest.raises(ScanError, match="文件夹"):
        scan_file(tmp_path)
