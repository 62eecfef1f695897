"""The archive bundle of a closed case (条例第四十五条): one ZIP with the application and its
receipt, every notice and letter (PDF), the delivery record and the case history from the
event log (PDF and JSON)."""

from __future__ import annotations

import io
import json
import zipfile
from html import escape
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.applications import actions, letters
from gongkai.applications.errors import IllegalTransitionError
from gongkai.applications.services import _require_handler
from gongkai.eventlog.registry import label_for
from gongkai.eventlog.services import events_for, record


def _page(title: str, rows: list[tuple[str, str]], extra: str = "") -> str:
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 2cm; }}
body {{ font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 11pt; }}
h1 {{ text-align: center; font-size: 18pt; }}
table {{ width: 100%; border-collapse: collapse; }}
th, td {{ border: 1px solid #999; padding: 4pt 6pt; text-align: left; vertical-align: top; }}
th {{ width: 28%; background: #f3f3f3; }}
</style></head><body><h1>{escape(title)}</h1><table>{cells}</table>{extra}</body></html>"""


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415

    return HTML(string=html).write_pdf()


def _application_page(app: Any) -> str:
    rows = [
        ("编号", app.number),
        ("机关", app.agency.name),
        ("申请人", f"{app.applicant_name}（{app.get_applicant_class_display()}）"),
        ("身份证明", f"{app.get_id_type_display()} {app.id_number}".strip()),
        (
            "联系方式",
            " ".join(filter(None, [app.contact_phone, app.contact_email, app.contact_address])),
        ),
        (
            "申请渠道",
            app.get_channel_display() + ("（口头申请，工作人员代填）" if app.oral else ""),
        ),
        ("收到日期", f"{app.received_on.isoformat()}　{app.receipt_explanation}"),
        ("所需信息", app.request_text),
        ("文号", app.request_doc_number or "—"),
        (
            "载体形式 / 获取方式",
            f"{app.get_form_wanted_display()} / {app.get_delivery_wanted_display()}",
        ),
        ("办理结果", app.outcome_label()),
        ("决定日期", app.decided_on.isoformat() if app.decided_on else "—"),
        ("答复日期", app.closed_on.isoformat() if app.closed_on else "—"),
        (
            "送达",
            f"{app.get_answer_delivery_display()} {app.answer_delivery_detail}".strip() or "—",
        ),
        ("答复期限计算", "\n".join(app.due_explanation) or "—"),
    ]
    return _page("政府信息公开申请登记及受理记录", rows)


def _history(app: Any) -> tuple[list[dict[str, Any]], str]:
    events = list(events_for(app).order_by("seq"))
    data = [
        {
            "seq": e.seq,
            "at": timezone.localtime(e.created_at).isoformat(),
            "action": e.action,
            "label": label_for(e.action),
            "actor": e.actor_label,
            "after": e.after,
            "hash": e.hash,
        }
        for e in events
    ]
    rows = [(f"{d['at'][:16]} {d['actor']}", d["label"]) for d in data]
    return data, _page(f"{app.number} 办理过程（操作日志）", rows)


def archive_bundle(application: Any, *, actor: Any) -> bytes:
    """The ZIP of a closed case; downloading it is logged."""
    _require_handler(actor, application.agency)
    if application.is_open:
        raise IllegalTransitionError("案件办结后才能生成归档包。")
    history, history_html = _history(application)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("01-申请登记及受理记录.pdf", _pdf(_application_page(application)))
        for index, letter in enumerate(application.letters.select_related("agency"), start=2):
            name = f"{index:02d}-{letter.get_kind_display()}-{letter.doc_number or '未签发'}.pdf"
            bundle.writestr(name, letters.render_pdf(letter))
        bundle.writestr("90-办理过程.pdf", _pdf(history_html))
        bundle.writestr(
            "91-办理过程.json", json.dumps(history, ensure_ascii=False, indent=2, default=str)
        )
    with transaction.atomic():
        record(action=actions.ARCHIVE_DOWNLOADED, actor=actor, obj=application)
    return buffer.getvalue()
