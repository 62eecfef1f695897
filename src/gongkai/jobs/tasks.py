"""The jobs app's own task: a heartbeat that shows background work is actually running."""

from __future__ import annotations

import socket
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from gongkai.jobs.models import Heartbeat
from gongkai.jobs.schedule import periodic


@periodic("jobs-heartbeat", every=timedelta(minutes=5))
@task()
def heartbeat() -> str:
    worker = socket.gethostname()[:100]
    Heartbeat.objects.update_or_create(worker=worker, defaults={"last_seen": timezone.now()})
    return worker
