"""The rectification notice as a document: DOCX (python-docx) and PDF (gongkai.rendering).

Each finding is listed with its rule, its message and the cells it names in the words of the
form (表三「（一）予以公开」「总计」), so the agency can find them in its own report.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.law.report_format import FORMAT_2021, FORMATS
from gongkai.rendering.pdf import html_to_pdf
from gongkai.reportdoc.render_html import cell_label
from gongkai.supervision.models import Notice

SEVERITY = {"error": "错误", "warning": "警告", "notice": "提示"}


@dataclass(frozen=True)
class NoticeLine:
    number: int
    rule: str
    severity: str
    message: str
    cells: str


def notice_lines(notice: Notice) -> list[NoticeLine]:
    fmt = FORMATS.get(notice.version.format or "", FORMAT_2021)
    return [
        NoticeLine(
            i,
            f.rule,
            SEVERITY.get(f.severity, f.severity),
            f.message,
            "、".join(cell_label(c, fmt) for c in f.cells),
        )
        for i, f in enumerate(notice.findings.order_by("pk"), start=1)
    ]


def notice_title(notice: Notice) -> str:
    return f"关于{notice.agency.name}{notice.year}年度政府信息公开工作年度报告的整改通知"


def _intro(notice: Notice, count: int) -> str:
    return (
        f"经对贵单位{notice.year}年度政府信息公开工作年度报告进行检查，发现以下 {count} "
        "个问题，请对照《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"
        "逐项核实整改，并在工作台答复整改情况、上传整改后的年度报告。"
    )


def notice_pdf(notice: Notice) -> bytes:
    """The same notice as the DOCX, as an A4 PDF with the Chinese fonts embedded."""
    lines = notice_lines(notice)
    rows = "".join(
        f"<tr><td>{line.number}</td><td>{escape(line.rule)}（{escape(line.severity)}）</td>"
        f"<td>{escape(line.message)}</td><td>{escape(line.cells or '—')}</td></tr>"
        for line in lines
    )
    extra = ""
    if notice.requirement:
        extra += f"<p>整改要求：{escape(notice.requirement)}</p>"
    if notice.due:
        extra += f"<p>整改期限：{notice.due:%Y年%m月%d日}前</p>"
    html = (
        f'<h1 style="text-align:center;font-size:16pt">{escape(notice_title(notice))}</h1>'
        f"<p>{escape(notice.agency.name)}：</p><p>{escape(_intro(notice, len(lines)))}</p>"
        "<table><thead><tr><th>序号</th><th>规则</th><th>问题</th><th>涉及单元格</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>{extra}"
        f'<p style="text-align:right">{escape(notice.region.name)}政务公开工作主管部门<br>'
        f"{notice.created_at:%Y年%m月%d日}</p>"
    )
    return html_to_pdf(html, title=notice_title(notice), created=notice.created_at)


def notice_docx(notice: Notice) -> bytes:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(notice_title(notice))
    run.bold = True
    run.font.size = Pt(16)
    document.add_paragraph(f"{notice.agency.name}：")
    lines = notice_lines(notice)
    document.add_paragraph(_intro(notice, len(lines)))
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "规则", "问题", "涉及单元格"), strict=True):
        cell.text = text
    for line in lines:
        row = table.add_row().cells
        row[0].text = str(line.number)
        row[1].text = f"{line.rule}（{line.severity}）"
        row[2].text = line.message
        row[3].text = line.cells or "—"
    if notice.requirement:
        document.add_paragraph(f"整改要求：{notice.requirement}")
    if notice.due:
        document.add_paragraph(f"整改期限：{notice.due:%Y年%m月%d日}前")
    sign = document.add_paragraph(f"{notice.region.name}政务公开工作主管部门")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date_line = document.add_paragraph(f"{notice.created_at:%Y年%m月%d日}")
    date_line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
