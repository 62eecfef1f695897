"""Background jobs of 依申请公开 (django-tasks; docs/jobs.md)."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone
from django_tasks import task

from gongkai.applications.reminders import send_reminders
from gongkai.jobs.schedule import periodic


# 08:00 every day: handlers learn of today's deadlines at the start of the working day. Each case
# is claimed once per day, so a manual `gongkai applications remind` the same day sends nothing.
@periodic("applications-daily-reminders", every=timedelta(days=1), at=time(8, 0))
@task()
def daily_reminders() -> int:
    return send_reminders(timezone.localdate())
