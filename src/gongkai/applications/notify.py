"""E-mail to applicants (receipt, 补正, fee, answer) and reminders to handlers.

Sent after the commit that caused them (Django's mail framework; the demo uses the console
backend); each message sent is itself an event in the log, so "we told the applicant" is
provable. A failed send is logged as such, never raised into the request that caused it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from gongkai.applications import actions

logger = logging.getLogger(__name__)

SUBJECTS = {
    "receipt": "您的政府信息公开申请已收到",
    "correction": "政府信息公开申请补正通知",
    "fee": "政府信息公开信息处理费收费通知",
    "answer": "政府信息公开申请答复",
    "online": "政府信息公开申请答复（网上下载）",
}


def _body(application: Any, kind: str, tracking_code: str = "") -> str:
    agency = application.agency.name
    lines = ["您好：", ""]
    if kind == "receipt":
        lines.append(
            f"{agency}已于 {application.received_on.isoformat()} 收到您的政府信息公开申请，"
            f"编号 {application.number}。答复期限为 {application.due_on.isoformat()}"
            f"{'（暂定）' if application.due_provisional else ''}。"
        )
        if tracking_code:
            lines += [
                "",
                f"查询码：{tracking_code}",
                "凭查询码和您填写的联系电话或电子邮箱，可在政府信息公开网站「申请查询」页面"
                "查看办理进度并下载答复文书。查询码只发送这一次，请妥善保存，不要告诉他人。",
            ]
    elif kind == "correction":
        lines.append(
            f"您的申请（{application.number}）内容需要补正，请于 "
            f"{application.applicant_due_on.isoformat()} 前补正。补正通知书将另行送达。"
        )
    elif kind == "fee":
        lines.append(
            f"您的申请（{application.number}）需缴纳信息处理费，请于 "
            f"{application.applicant_due_on.isoformat()} 前缴纳（国办函〔2020〕109号）。"
        )
    elif kind == "online":
        delivery = application.online_deliveries.filter(revoked_at__isnull=True).first()
        if delivery is not None:
            link = f"{settings.GONGKAI_SITE_URL}{delivery.get_absolute_url()}"
            lines.append(
                f"您的申请（{application.number}）已作出答复。请通过以下链接下载答复告知书"
                f"及提供的信息（有效期至 {delivery.expires_at:%Y-%m-%d}）：\n{link}\n"
                "以您首次下载之日为答复日期。"
            )
    else:
        lines.append(f"您的申请（{application.number}）已作出答复，答复书将按您选择的方式送达。")
    lines += ["", agency, "（本邮件由系统自动发送，请勿直接回复。）"]
    return "\n".join(lines)


def _send(pk: int, kind: str, body: str) -> None:
    from gongkai.applications.models import Application  # noqa: PLC0415
    from gongkai.eventlog.services import record  # noqa: PLC0415

    application = Application.objects.select_related("agency").get(pk=pk)
    try:
        send_mail(SUBJECTS[kind], body, settings.DEFAULT_FROM_EMAIL, [application.contact_email])
        sent = True
    except Exception:  # a mail outage must not lose the record of the attempt
        logger.exception("applicant e-mail failed for application %s", pk)
        sent = False
    with transaction.atomic():
        record(
            action=actions.APPLICANT_NOTIFIED,
            obj=application,
            after={"kind": kind, "sent": sent, "subject": SUBJECTS[kind]},
        )


def applicant_later(application: Any, kind: str, *, tracking_code: str = "") -> None:
    """Schedule the applicant's e-mail for after the commit (only when they gave an address).

    ``tracking_code`` (the portal's receipt only) goes into the mail body, never into the log.
    The body is written now, from the case as the verb left it: by the time the commit hook or a
    late job runs, the case may have moved on (a 补正 already answered has no 补正 deadline).
    """
    if not application.contact_email or application.imported:
        return
    pk = application.pk
    body = _body(application, kind, tracking_code)
    transaction.on_commit(lambda: _send(pk, kind, body))
