"""Background jobs of the register (django-tasks; docs/jobs.md)."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone
from django_tasks import task

from gongkai.appeals.reminders import send_reminders
from gongkai.jobs.schedule import periodic


# 08:05, just after the applications' run, so a handler's morning mail comes in one batch.
@periodic("appeals-daily-reminders", every=timedelta(days=1), at=time(8, 5))
@task()
def daily_reminders() -> int:
    return send_reminders(timezone.localdate())
