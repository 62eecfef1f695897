"""The text of the notice letters (告知书) and their DOCX and PDF renderings.

Each answer outcome cites the 条例 article that produces it (LAW.md §1.2, an analysis marked
[R]: agencies review the wording before signing; the letter goes through the sign-off engine).
The PDF is rendered from HTML by WeasyPrint with the Noto CJK fonts installed on the system, so
the Chinese glyphs are embedded; the DOCX is rendered from the agency's DOCX template
(``docx_templates``, docxtpl in a sandbox). There is no LibreOffice here, so the PDF is not
converted from the DOCX: both show the same text, the DOCX in the agency's own layout.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

REGULATION = "《中华人民共和国政府信息公开条例》"

# outcome -> (the article, the sentence of the decision)
ANSWER_TEXT: dict[str, tuple[str, str]] = {
    "granted": (
        "第三十六条第（二）项",
        "您申请获取的政府信息属于公开范围，本机关予以公开，现提供给您。",
    ),
    "partially_granted": (
        "第三十七条",
        "您申请获取的政府信息中含有不应当公开的内容，但能够作区分处理，本机关向您提供可以公开的部分，"
        "不予公开的部分说明理由如下：{reason}",
    ),
    "denied_state_secret": ("第十四条", "您申请获取的政府信息属于国家秘密，依法不予公开。"),
    "denied_prohibited_by_law": (
        "第十四条",
        "您申请获取的政府信息属于法律、行政法规禁止公开的信息，不予公开。",
    ),
    "denied_three_safeties": (
        "第十四条",
        "您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，不予公开。",
    ),
    "denied_third_party_rights": (
        "第十五条、第三十二条",
        "您申请获取的政府信息涉及第三方合法权益，公开会对第三方合法权益造成损害，不予公开。",
    ),
    "denied_internal_affairs": (
        "第十六条第一款",
        "您申请获取的信息属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等），可以不予公开。",
    ),
    "denied_process_information": (
        "第十六条第二款",
        "您申请获取的信息属于行政机关在履行行政管理职能过程中形成的过程性信息，可以不予公开。",
    ),
    "denied_enforcement_files": (
        "第十六条第二款",
        "您申请获取的信息属于行政执法案卷信息，可以不予公开。",
    ),
    "denied_administrative_query": (
        "第三十六条第（七）项",
        "您申请获取的信息属于行政查询事项，请按有关法律、行政法规的规定办理查询。",
    ),
    "unable_not_held": (
        "第三十六条第（四）项、第（五）项",
        "经检索，本机关不掌握您申请获取的政府信息。{reason}",
    ),
    "unable_requires_creation": (
        "第三十八条",
        "您申请获取的信息需要本机关对现有政府信息进行加工、分析，本机关不予提供。",
    ),
    "unable_still_unclear": ("第三十条", "经补正，您的申请内容仍不明确，本机关无法提供。"),
    "not_processed_petition_complaint": (
        "第三十九条第一款",
        "您提出的事项属于信访、投诉、举报，不属于政府信息公开申请，请通过相应渠道提出。",
    ),
    "not_processed_repeated": (
        "第三十六条第（六）项",
        "您已就同一内容提出过政府信息公开申请，本机关已作出答复，不予重复处理。",
    ),
    "not_processed_publication": (
        "第三十九条第二款",
        "您要求提供的是公开出版物，请通过公开渠道获取。{reason}",
    ),
    "not_processed_excessive": (
        "第三十五条",
        "您的申请数量、频次明显超过合理范围，且说明的理由不合理，本机关不予处理。",
    ),
    # LAW.md gives no article for this row [R]; agencies adjust the template before signing.
    "not_processed_confirmation": (
        "第三十六条",
        "您要求本机关确认或者重新出具已获取的信息，不属于政府信息公开申请的处理范围。",
    ),
    "other_no_correction": ("第三十条", "您无正当理由逾期未补正，本机关不再处理您的申请。"),
    "other_unpaid_fee": (
        "第四十二条",
        "您逾期未按收费通知的要求缴纳信息处理费，本机关不再处理您的申请。",
    ),
    "other_other": ("第三十六条", "{reason}"),
}

REMEDY = (
    "如对本告知不服，可以自收到本告知书之日起六十日内依法申请行政复议，"
    "或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼。"
)


def _intro(application: Any) -> str:
    return (
        f"{application.applicant_name}：\n"
        f"本机关于{_cn_date(application.received_on)}收到您提出的政府信息公开申请"
        f"（编号{application.number}），您申请获取：{application.request_text}"
    )


def _cn_date(day: date | None) -> str:
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def answer_letter(application: Any, outcome: str, reason: str) -> tuple[str, str]:
    """(cited article, body) of the answer letter for ``outcome``."""
    article, sentence = ANSWER_TEXT[outcome]
    decision = sentence.format(reason=reason or "").strip()
    if reason and "{reason}" not in sentence:
        decision += f"\n{reason}"
    cited = f"{REGULATION}{article}"
    body = f"{_intro(application)}\n经审查，根据{cited}的规定，现答复如下：\n{decision}\n{REMEDY}"
    return cited, body


def correction_letter(application: Any, note: str, reply_by: date) -> tuple[str, str]:
    cited = f"{REGULATION}第三十条"
    body = (
        f"{_intro(application)}\n"
        f"经审查，您的申请内容不明确。根据{cited}的规定，请您就下列事项作出补正：\n{note}\n"
        f"请于{_cn_date(reply_by)}前提交补正后的申请。答复期限自本机关收到补正后的申请之日起计算；"
        "无正当理由逾期不补正的，视为放弃申请，本机关不再处理。"
    )
    return cited, body


def extension_letter(application: Any, days: int, reason: str, due: date) -> tuple[str, str]:
    cited = f"{REGULATION}第三十三条第二款"
    body = (
        f"{_intro(application)}\n"
        f"因{reason}，本机关不能在规定期限内作出答复。经政府信息公开工作机构负责人同意，"
        f"根据{cited}的规定，答复期限延长{days}个工作日，至{_cn_date(due)}。"
    )
    return cited, body


def fee_letter(
    application: Any, amount: int, explanation: list[str], pay_by: date
) -> tuple[str, str]:
    cited = f"{REGULATION}第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
    lines = "\n".join(explanation)
    body = (
        f"{_intro(application)}\n"
        f"您的申请数量、频次明显超过合理范围。根据{cited}的规定，"
        f"本机关收取信息处理费{amount}元，计算如下：\n{lines}\n"
        f"请于{_cn_date(pay_by)}前缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理。"
    )
    return cited, body


def consultation_letter(
    application: Any, party_name: str, joint: bool, due: date
) -> tuple[str, str]:
    article = "第三十四条" if joint else "第三十二条"
    cited = f"{REGULATION}{article}"
    body = (
        f"{party_name}：\n本机关收到政府信息公开申请（编号{application.number}），申请获取："
        f"{application.request_text}\n该信息的公开可能涉及贵方。根据{cited}的规定，"
        f"请于{_cn_date(due)}前提出书面意见；逾期未提出意见的，由本机关依照条例规定决定是否公开。"
    )
    return cited, body


# ---------------------------------------------------------------------------------------------
# renderings


def _paragraphs(body: str) -> list[str]:
    return [line for line in body.split("\n") if line.strip()]


def render_html(letter: Any) -> str:
    agency = letter.agency
    paragraphs = _paragraphs(letter.body)
    salutation, rest = paragraphs[0], paragraphs[1:]
    signed = _cn_date(letter.signed_at.date()) if letter.signed_at else "（待签发）"
    body = "".join(f"<p>{escape(p)}</p>" for p in rest)
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<style>
@page {{ size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm; }}
body {{ font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 16pt;
  line-height: 1.75; }}
h1 {{ text-align: center; font-size: 22pt; margin: 0 0 .4em; letter-spacing: .1em; }}
.number {{ text-align: center; margin-bottom: 1.2em; }}
p {{ text-indent: 2em; margin: 0; }}
p.salutation {{ text-indent: 0; }}
.sign {{ text-align: right; margin-top: 2em; }}
.basis {{ font-size: 11pt; color: #444; margin-top: 2em; text-indent: 0; }}
</style></head><body>
<h1>{escape(letter.title)}</h1>
<div class="number">{escape(letter.doc_number or "（文号待签发时生成）")}</div>
<p class="salutation">{escape(salutation)}</p>
{body}
<div class="sign">{escape(agency.name)}<br>{escape(signed)}</div>
<p class="basis">依据：{escape(letter.cited_article)}</p>
</body></html>"""


def render_pdf(letter: Any) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415  (heavy import, only when a PDF is asked for)

    return HTML(string=render_html(letter)).write_pdf()


def render_docx(letter: Any) -> bytes:
    """The letter's DOCX from its agency's active template for the letter's kind/outcome, else
    from the default template (``docx_templates``)."""
    from gongkai.applications.docx_templates import key_for, render_letter  # noqa: PLC0415
    from gongkai.applications.models import LetterTemplate  # noqa: PLC0415

    content = (
        LetterTemplate.objects.filter(agency=letter.agency, key=key_for(letter), active=True)
        .values_list("content", flat=True)
        .first()
    )
    return render_letter(letter, bytes(content) if content is not None else None)
