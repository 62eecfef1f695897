"""Background jobs of the annual report (django-tasks; docs/jobs.md)."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone
from django_tasks import task

from gongkai.annual import services
from gongkai.annual.reminders import send_deadline_reminders
from gongkai.jobs.schedule import periodic


# 08:30 every day; the job itself decides which days remind (from 1 January, LAW.md §1).
@periodic("annual-deadline-reminders", every=timedelta(days=1), at=time(8, 30))
@task()
def deadline_reminders() -> int:
    return send_deadline_reminders(timezone.localdate())


@task()
def publish(report_pk: int) -> None:
    """Render a signed report and publish it to its 年报 column (``services.run_publication``)."""
    services.run_publication(report_pk)
