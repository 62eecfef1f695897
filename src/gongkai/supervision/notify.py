"""Telling an agency's administrators about a rectification notice (e-mail; the workspace
lists open notices on its own)."""

from __future__ import annotations

from django.core.mail import send_mail

from gongkai.agencies.models import Membership, Role
from gongkai.supervision.models import Notice


def notice_recipients(notice: Notice) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(
                agency=notice.agency, role=Role.AGENCY_ADMIN, active=True, user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def mail_notice(notice_pk: int) -> None:
    notice = Notice.objects.select_related("agency", "region").get(pk=notice_pk)
    recipients = notice_recipients(notice)
    if not recipients:
        return
    count = notice.findings.count()
    send_mail(
        subject=f"【整改通知】{notice.agency.name}{notice.year}年度政府信息公开工作年度报告",
        message=(
            f"{notice.agency.name}：\n\n"
            f"经检查，贵单位{notice.year}年度政府信息公开工作年度报告存在 {count} 个问题，"
            "请登录政府信息公开工作台查看整改通知，按要求整改并答复。\n\n"
            f"{notice.requirement}\n"
        ),
        from_email=None,
        recipient_list=recipients,
        fail_silently=True,  # a mail server down must not lose the notice: it is in the workspace
    )
