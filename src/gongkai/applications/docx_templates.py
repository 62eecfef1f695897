"""Agency-editable DOCX templates of the notice letters (告知书), rendered by docxtpl.

One template per letter kind and, for answer letters, per outcome (``TEMPLATE_KEYS``). The
default set is built at run time by ``build_default`` (python-docx; a red letterhead line, the
文号, title, salutation, the letter's paragraphs, the signature block and the cited article); an
agency downloads a template, edits it in Word or WPS (its own 红头, fonts, seal space) and
uploads it back (``services.upload_letter_template``). The template only frames the text: the
letter's paragraphs are the text that went through the sign-off engine, so what is signed is
what is printed.

Templates are Jinja inside DOCX, rendered in a ``SandboxedEnvironment`` with autoescape (the
values are XML-escaped; no attribute tricks, no includes: there is no loader). An upload is
checked by content: a real DOCX (``disclosure.filetypes``, no macros), at most
``MAX_TEMPLATE_BYTES`` and ``MAX_UNPACKED_BYTES`` unpacked, only the documented ``VARIABLES``,
and it must render with a sample context.

The PDF of a letter is not rendered from the DOCX (there is no LibreOffice on the server): it
comes from the HTML rendering of the same text (``letters.render_pdf``).
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from gongkai.applications import letters
from gongkai.rendering import docx as rendering_docx

logger = logging.getLogger(__name__)
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024
DEFAULTS_DATED = datetime(2026, 1, 1)  # the default templates' fixed save time
MAX_UNPACKED_BYTES = 20 * 1024 * 1024

# the variables a template may use; anything else is refused at upload
VARIABLES: dict[str, str] = {
    "agency_name": "机关名称",
    "title": "告知书标题",
    "doc_number": "文号（签发前为「（文号待签发时生成）」）",
    "salutation": "称呼（正文第一段，如「张三：」）",
    "paragraphs": "正文各段（列表，用 {%p for p in paragraphs %}{{ p }}{%p endfor %} 逐段输出）",
    "body": "正文全文（不分段）",
    "signed_date": "签发日期（如「2026年3月20日」，签发前为「（待签发）」）",
    "cited_article": "所依据的条例条款",
    "application_number": "申请编号",
    "applicant_name": "申请人",
    "received_date": "收到申请日期",
    "kind_label": "告知书类型",
}

REG = letters.REGULATION


@dataclass(frozen=True)
class TemplateKey:
    key: str
    label: str
    cited: str  # the article the default cites; "" = the letter's own (varies per case)


def _keys() -> list[TemplateKey]:
    from gongkai.applications.models import OUTCOME_CHOICES, LetterKind  # noqa: PLC0415

    keys = [
        TemplateKey("correction", LetterKind.CORRECTION.label, f"{REG}第三十条"),
        TemplateKey("extension", LetterKind.EXTENSION.label, f"{REG}第三十三条第二款"),
        TemplateKey(
            "fee",
            LetterKind.FEE.label,
            f"{REG}第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
        ),
        # 第三十二条 (third party) or 第三十四条 (co-maker): the letter says which
        TemplateKey("consultation", LetterKind.CONSULTATION.label, ""),
    ]
    for outcome, label in OUTCOME_CHOICES:
        keys.append(
            TemplateKey(
                f"answer.{outcome}",
                f"答复告知书 · {label}",
                f"{REG}{letters.ANSWER_TEXT[outcome][0]}",
            )
        )
    return keys


TEMPLATE_KEYS: dict[str, TemplateKey] = {}


def template_keys() -> dict[str, TemplateKey]:
    if not TEMPLATE_KEYS:
        TEMPLATE_KEYS.update({k.key: k for k in _keys()})
    return TEMPLATE_KEYS


def key_for(letter: Any) -> str:
    if letter.kind == "answer":
        return f"answer.{letter.application.outcome or 'other_other'}"
    return letter.kind


class TemplateRefusedError(ValueError):
    """An uploaded template cannot be used; ``message`` is Chinese, shown beside the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------
# the default templates


def _east_asian(run: Any, font: str) -> None:
    from docx.oxml.ns import qn  # noqa: PLC0415

    run.font.name = font
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def _red_rule(paragraph: Any) -> None:
    from docx.oxml import OxmlElement  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415

    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", "C00000")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


@lru_cache(maxsize=64)
def build_default(key: str) -> bytes:
    """The default template for ``key`` (deterministic content; built on demand, cached)."""
    from docx import Document  # noqa: PLC0415
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: PLC0415
    from docx.shared import Pt, RGBColor  # noqa: PLC0415

    spec = template_keys()[key]
    document = Document()

    def line(text: str, *, size: int = 16, bold: bool = False, align: Any = None) -> Any:
        paragraph = document.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        _east_asian(run, "仿宋")
        return paragraph

    head = line("{{ agency_name }}", size=26, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    head.runs[0].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    _east_asian(head.runs[0], "方正小标宋简体")
    _red_rule(line("{{ doc_number }}", align=WD_ALIGN_PARAGRAPH.CENTER))
    title = line("{{ title }}", size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _east_asian(title.runs[0], "方正小标宋简体")
    line("{{ salutation }}")
    document.add_paragraph("{%p for p in paragraphs %}")
    body = line("{{ p }}")
    body.paragraph_format.first_line_indent = Pt(32)
    document.add_paragraph("{%p endfor %}")
    line("{{ agency_name }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    line("{{ signed_date }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    line(f"依据：{spec.cited or '{{ cited_article }}'}", size=12)
    line("申请编号：{{ application_number }}", size=12)
    # Fixed times: the same key always gives the same bytes (two builds are compared).
    return rendering_docx.save(document, title=spec.label, author="gongkai", when=DEFAULTS_DATED)


# ---------------------------------------------------------------------------------------------
# rendering


def sandbox() -> Any:
    from jinja2.sandbox import SandboxedEnvironment  # noqa: PLC0415

    # no loader: {% include %} / {% import %} / {% extends %} cannot reach anything
    return SandboxedEnvironment(autoescape=True)


def _cn(day: date | None) -> str:
    return letters._cn_date(day)


def context_for(letter: Any) -> dict[str, Any]:
    paragraphs = letters._paragraphs(letter.body)
    application = letter.application
    return {
        "agency_name": letter.agency.name,
        "title": letter.title,
        "doc_number": letter.doc_number or "（文号待签发时生成）",
        "salutation": paragraphs[0] if paragraphs else "",
        "paragraphs": paragraphs[1:],
        "body": letter.body,
        "signed_date": _cn(letter.signed_at.date()) if letter.signed_at else "（待签发）",
        "cited_article": letter.cited_article,
        "application_number": application.number,
        "applicant_name": application.applicant_name,
        "received_date": _cn(application.received_on),
        "kind_label": letter.get_kind_display(),
    }


def sample_context(key: str) -> dict[str, Any]:
    spec = template_keys()[key]
    return {
        "agency_name": "示范市某某局",
        "title": spec.label.split(" · ")[0],
        "doc_number": "示某依申答〔2026〕1号",
        "salutation": "张三：",
        "paragraphs": ["本机关于2026年3月2日收到您提出的政府信息公开申请。", "特此告知。"],
        "body": "张三：\n本机关于2026年3月2日收到您提出的政府信息公开申请。\n特此告知。",
        "signed_date": "2026年3月20日",
        "cited_article": spec.cited or f"{REG}第三十二条",
        "application_number": "〔2026〕第0001号",
        "applicant_name": "张三",
        "received_date": "2026年3月2日",
        "kind_label": spec.label,
    }


def render(template: bytes, context: dict[str, Any]) -> bytes:
    from docxtpl import DocxTemplate  # noqa: PLC0415

    document = DocxTemplate(io.BytesIO(template))
    document.render(context, jinja_env=sandbox(), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_letter(letter: Any, template: bytes | None) -> bytes:
    """The letter's DOCX from ``template`` (the agency's), else from the default."""
    context = context_for(letter)
    if template is not None:
        try:
            return render(template, context)
        except Exception:  # validated at upload; a letter download is never a 500
            logger.exception("letter %s: agency template failed, default used", letter.pk)
    return render(build_default(key_for(letter)), context)


# ---------------------------------------------------------------------------------------------
# validation of uploads


def validate(data: bytes, key: str) -> None:
    """Refuse anything that is not a usable template for ``key`` (Chinese message)."""
    from jinja2 import TemplateError, TemplateSyntaxError  # noqa: PLC0415
    from jinja2.exceptions import SecurityError  # noqa: PLC0415

    from gongkai.disclosure.filetypes import FileTypeError, detect_type  # noqa: PLC0415

    if not data:
        raise TemplateRefusedError("请选择模板文件。")
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateRefusedError(
            f"模板文件过大（最大 {MAX_TEMPLATE_BYTES // 1024 // 1024} MB）。"
        )
    try:
        kind = detect_type(data)
    except FileTypeError as exc:
        raise TemplateRefusedError(str(exc)) from None
    if kind != "docx":
        raise TemplateRefusedError("模板必须是 Word（DOCX）文档。")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise TemplateRefusedError("模板文件解压后过大，可能不是正常的 Word 文档。")
    from docxtpl import DocxTemplate  # noqa: PLC0415

    try:
        used = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(sandbox())
    except TemplateSyntaxError as exc:
        raise TemplateRefusedError(f"模板语法错误：{exc.message}。") from None
    unknown = sorted(used - set(VARIABLES))
    if unknown:
        raise TemplateRefusedError(
            f"模板使用了未定义的变量：{'、'.join(unknown)}。可用的变量：{'、'.join(VARIABLES)}。"
        )
    try:
        render(data, sample_context(key))
    except SecurityError:
        raise TemplateRefusedError("模板含有不允许的操作（安全沙箱拒绝）。") from None
    except TemplateError as exc:
        raise TemplateRefusedError(f"模板无法生成告知书：{exc.message or exc}。") from None
    except Exception:
        raise TemplateRefusedError("模板无法生成告知书，请检查文档中的模板标记。") from None
