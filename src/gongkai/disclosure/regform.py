"""《政府信息审核登记表》 from the records (never typed): PDF, DOCX and a period's ZIP.

``form_data`` collects the facts once; the HTML (for the PDF) and DOCX renderers only lay them
out, so both files always say the same thing.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.html import escape

from gongkai.agencies.models import Role
from gongkai.disclosure.models import Item
from gongkai.signoff.models import StepDecision

TITLE = "政府信息审核登记表"


@dataclass(frozen=True)
class Decision:
    step: str
    role: str
    person: str
    decision: str
    at: str
    comment: str
    revision: str


@dataclass
class FormData:
    agency: str
    title: str
    column: str
    index_number: str
    kind: str
    doc_number: str
    written_date: str
    drafter: str
    created_at: str
    decisions: list[Decision] = field(default_factory=list)
    confidentiality: list[Decision] = field(default_factory=list)
    signer: str = ""
    publisher: str = ""
    published_at: str = ""
    status: str = ""
    withdrawn: str = ""


def _person(user: Any) -> str:
    return user.label if user is not None else ""


def _time(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def form_data(item: Item) -> FormData:
    numbers = dict(item.revisions.values_list("revision_hash", "number"))
    decisions = (
        StepDecision.objects.filter(
            step__chain__content_type=ContentType.objects.get_for_model(Item),
            step__chain__object_id=item.pk,
        )
        .select_related("step", "actor", "on_behalf_of")
        .order_by("at", "pk")
    )
    rows = []
    for d in decisions:
        person = _person(d.actor)
        if d.on_behalf_of_id:
            person += f"（受{_person(d.on_behalf_of)}委托）"
        number = numbers.get(d.revision_hash)
        rows.append(
            Decision(
                step=d.step.name,
                role=d.step.role,
                person=person,
                decision=d.get_decision_display(),
                at=_time(d.at),
                comment=d.comment,
                revision=f"第{number}版" if number else d.revision_hash[:12],
            )
        )
    return FormData(
        agency=item.agency.name,
        title=item.title,
        column=item.column.name,
        index_number=item.index_number,
        kind=item.get_kind_display(),
        doc_number=item.doc_number,
        written_date=item.written_date.isoformat() if item.written_date else "",
        drafter=_person(item.created_by),
        created_at=_time(item.created_at),
        decisions=rows,
        confidentiality=[r for r in rows if r.role == Role.CONFIDENTIALITY],
        signer=_person(item.signer),
        publisher=_person(item.publisher),
        published_at=_time(item.published_at),
        status=item.get_status_display(),
        withdrawn=(
            f"{_time(item.withdrawn_at)}：{item.withdrawn_reason}" if item.withdrawn_at else ""
        ),
    )


def _facts(data: FormData) -> list[tuple[str, str]]:
    return [
        ("信息标题", data.title),
        ("所属栏目", data.column),
        ("索引号", data.index_number),
        ("信息类型", data.kind),
        ("文号", data.doc_number or "—"),
        ("成文日期", data.written_date or "—"),
        ("起草人", f"{data.drafter}　{data.created_at}"),
    ]


def _closing(data: FormData) -> list[tuple[str, str]]:
    confidentiality = "；".join(
        f"{d.person} {d.decision}（{d.at}，{d.revision}）" for d in data.confidentiality
    )
    rows = [
        ("保密审查", confidentiality or "（尚未进行）"),
        ("签发人", data.signer or "（尚未签发）"),
        ("发布人", data.publisher or "（尚未发布）"),
        ("发布时间", data.published_at or "—"),
        ("当前状态", data.status),
    ]
    if data.withdrawn:
        rows.append(("撤稿", data.withdrawn))
    return rows


def render_html(data: FormData) -> str:
    def rows(pairs: list[tuple[str, str]]) -> str:
        return "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in pairs)

    steps = (
        "".join(
            "<tr>"
            + "".join(
                f"<td>{escape(v)}</td>"
                for v in (d.step, d.person, d.decision, d.at, d.comment or "—", d.revision)
            )
            + "</tr>"
            for d in data.decisions
        )
        or '<tr><td colspan="6">（尚无审核记录）</td></tr>'
    )
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{TITLE}</title><style>
body {{ font-size: 11pt; }} h1 {{ text-align: center; font-size: 18pt; letter-spacing: .2em; }}
.agency {{ text-align: center; margin-bottom: 1em; }}
table {{ width: 100%; border-collapse: collapse; margin-bottom: 1em; }}
th, td {{ border: 1px solid #000; padding: 4pt 6pt; text-align: left; vertical-align: top; }}
th {{ width: 22%; background: #f2f2f2; }} .steps th {{ width: auto; }}
.note {{ font-size: 9pt; color: #444; }}
</style></head><body>
<h1>{TITLE}</h1><div class="agency">{escape(data.agency)}</div>
<table>{rows(_facts(data))}</table>
<table class="steps"><tr><th>审核环节</th><th>审核人</th><th>结论</th><th>时间</th><th>意见</th>
<th>审核版本</th></tr>{steps}</table>
<table>{rows(_closing(data))}</table>
<p class="note">本表由公开 Gongkai 平台根据审核记录自动生成（分级审核、先审后发、责任到人）。</p>
</body></html>"""


def render_pdf(item: Item) -> bytes:
    from gongkai.rendering.pdf import html_to_pdf  # noqa: PLC0415  (WeasyPrint is heavy)

    data = form_data(item)
    return html_to_pdf(render_html(data), title=f"{TITLE} {data.index_number}")


def render_docx(item: Item) -> bytes:
    import docx  # noqa: PLC0415

    data = form_data(item)
    document = docx.Document()
    heading = document.add_heading(TITLE, level=1)
    heading.alignment = 1
    document.add_paragraph(data.agency).alignment = 1

    def pairs_table(pairs: list[tuple[str, str]]) -> None:
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for key, value in pairs:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = key, value

    pairs_table(_facts(data))
    document.add_paragraph("")
    steps = document.add_table(rows=1, cols=6)
    steps.style = "Table Grid"
    for cell, label in zip(
        steps.rows[0].cells, ("审核环节", "审核人", "结论", "时间", "意见", "审核版本"), strict=True
    ):
        cell.text = label
    for d in data.decisions:
        for cell, value in zip(
            steps.add_row().cells,
            (d.step, d.person, d.decision, d.at, d.comment or "—", d.revision),
            strict=True,
        ):
            cell.text = value
    document.add_paragraph("")
    pairs_table(_closing(data))
    document.add_paragraph("本表由公开 Gongkai 平台根据审核记录自动生成。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def period_zip(agency: Any, date_from: date, date_to: date) -> bytes:
    """Every item first published in the period (PDF and DOCX each), for the archive."""
    items = (
        Item.objects.filter(
            agency=agency,
            first_published_at__date__gte=date_from,
            first_published_at__date__lte=date_to,
        )
        .select_related("agency", "column", "created_by", "signer", "publisher")
        .order_by("first_published_at", "pk")
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in items:
            stem = item.index_number.replace("/", "_")
            archive.writestr(f"{stem}.pdf", render_pdf(item))
            archive.writestr(f"{stem}.docx", render_docx(item))
    return buffer.getvalue()
