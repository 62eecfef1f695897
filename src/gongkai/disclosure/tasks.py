"""Background jobs of proactive disclosure (django-tasks; see docs/jobs.md)."""

from __future__ import annotations

from datetime import time, timedelta

from django_tasks import task

from gongkai.disclosure import services
from gongkai.jobs.schedule import periodic


# Every minute: a scheduled item goes out within a minute of its time. publish_due claims each
# row with a conditional UPDATE, so overlapping runs on several workers publish it once.
@periodic("disclosure-publish-due", every=timedelta(minutes=1))
@task()
def publish_due() -> list[int]:
    return services.publish_due()


@periodic("disclosure-freshness-warnings", every=timedelta(days=1), at=time(8, 0))
@task()
def warn_stale_columns() -> int:
    return services.warn_column_owners()
