"""The daily reminder run: handlers get their cases due within 5 working days or overdue; for
overdue cases the head of the disclosure office (members holding the signer or agency-admin
role) gets a copy. Each case is claimed once per day with a conditional UPDATE, so two workers
running the job never send the same reminder twice; every message sent is an event.

Run daily by the periodic job ``applications-daily-reminders`` or ``gongkai applications
remind``; the claim-and-mail loop is shared with the appeals register (``digest.py``).
"""

from __future__ import annotations

from datetime import date

from gongkai.agencies.models import Role
from gongkai.applications import actions
from gongkai.applications.digest import claim_daily, send_digest
from gongkai.applications.models import Application
from gongkai.applications.queues import CLOCK_RUNNING, due_soon_limit


def _line(app: Application, today: date) -> str:
    state = "已超期" if app.due_on < today else "即将到期"
    received, due = app.received_on.isoformat(), app.due_on.isoformat()
    return f"{app.number}（收到 {received}）答复期限 {due}，{state}"


def send_reminders(today: date) -> int:
    """Send today's reminders; returns the number of e-mails sent."""
    limit = due_soon_limit(today)
    pks = list(
        Application.objects.filter(status__in=CLOCK_RUNNING, due_on__lte=limit)
        .exclude(reminded_on=today)
        .values_list("pk", flat=True)
    )
    cases = (
        Application.objects.filter(pk__in=claim_daily(Application, pks, today))
        .select_related("agency", "handler")
        .order_by("agency_id", "due_on", "pk")
    )
    return send_digest(
        cases,
        today=today,
        overdue=lambda app: app.due_on < today,
        line=_line,
        ref=lambda app: app.number,
        subject="依申请公开办理提醒",
        head_subject="依申请公开超期提醒（请督办）",
        action=actions.REMINDER_SENT,
        # Filed on the portal and not yet taken (认领): every handler of the agency hears.
        unassigned_roles=(Role.HANDLER,),
    )
