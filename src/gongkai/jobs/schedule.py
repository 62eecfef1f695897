"""Periodic jobs on top of django-tasks, which has no scheduler of its own.

A job is declared next to its task::

    @periodic("applications-daily-reminders", every=timedelta(days=1), at=time(8, 0))
    @task()
    def send_reminders() -> int: ...

Its slots are ``at`` (local time, Asia/Shanghai) plus whole multiples of ``every``, counted from
2000-01-01. ``enqueue_due(now)`` enqueues every job whose latest slot has passed since it was last
enqueued. The claim is one conditional UPDATE on the job's ``PeriodicJob`` row, so with any
number of workers (or a cron entry calling ``gongkai worker --tick``) each slot is enqueued once.
A worker that was down for several slots enqueues the job once, not once per missed slot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.jobs.models import PeriodicJob

logger = logging.getLogger(__name__)

LOCAL = ZoneInfo("Asia/Shanghai")
_EPOCH = datetime(2000, 1, 1, tzinfo=LOCAL)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Any  # a django_tasks Task
    every: timedelta
    at: time | None = None

    @property
    def task_path(self) -> str:
        return self.task.module_path

    def latest_slot(self, now: datetime) -> datetime:
        """The most recent slot at or before ``now``."""
        anchor = _EPOCH
        if self.at is not None:
            anchor = _EPOCH.replace(hour=self.at.hour, minute=self.at.minute, second=self.at.second)
        elapsed = now.astimezone(LOCAL) - anchor
        periods = elapsed // self.every
        return anchor + periods * self.every


REGISTRY: dict[str, Periodic] = {}


def periodic(name: str, *, every: timedelta, at: time | None = None) -> Any:
    """Register a django-tasks ``Task`` to be enqueued every ``every`` (optionally at ``at``)."""
    if every < timedelta(minutes=1):
        raise ValueError("a periodic job runs at most once a minute")
    if at is not None and timedelta(days=1) % every:
        raise ValueError("``at`` needs a period that divides one day")

    def register(task: Any) -> Any:
        if not hasattr(task, "enqueue"):
            raise TypeError("@periodic goes above @task(): it registers a django-tasks Task")
        existing = REGISTRY.get(name)
        if existing is not None and existing.task_path != task.module_path:
            raise ValueError(f"periodic job {name!r} is registered twice")
        REGISTRY[name] = Periodic(name=name, task=task, every=every, at=at)
        return task

    return register


def _row(job: Periodic) -> PeriodicJob:
    row, created = PeriodicJob.objects.get_or_create(
        name=job.name,
        defaults={"task_path": job.task_path, "every_seconds": int(job.every.total_seconds())},
    )
    if not created and (
        row.task_path != job.task_path or row.every_seconds != int(job.every.total_seconds())
    ):
        row.task_path = job.task_path
        row.every_seconds = int(job.every.total_seconds())
        row.save(update_fields=["task_path", "every_seconds"])
    return row


def claim(job: Periodic, now: datetime) -> bool:
    """Move the job's row to ``now`` if its latest slot is unclaimed; True for the one winner."""
    _row(job)
    slot = job.latest_slot(now)
    return bool(
        PeriodicJob.objects.filter(name=job.name)
        .filter(Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lt=slot))
        .update(last_enqueued_at=now)
    )


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every due periodic job once; returns the names enqueued."""
    now = now or timezone.now()
    enqueued: list[str] = []
    for job in sorted(REGISTRY.values(), key=lambda item: item.name):
        with transaction.atomic():
            if not claim(job, now):
                continue
            result = job.task.enqueue()
            PeriodicJob.objects.filter(name=job.name).update(last_result_id=str(result.id)[:64])
        enqueued.append(job.name)
        logger.info("periodic job %s enqueued (result %s)", job.name, result.id)
    return enqueued
