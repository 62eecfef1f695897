"""Background work of supervision (django-tasks; docs/jobs.md).

Each file of a batch is its own job, so several workers share a 1,000-report batch and the
upload request returns at once; the page follows the batch's progress. The services are callers
of these jobs only through ``schedule_files`` / ``schedule_fetch``, which run after the upload's
transaction has committed. ``process_file`` and ``fetch_batch`` check the row's state under a
lock, so a job that runs twice does its work once.
"""

from __future__ import annotations

from django_tasks import task

from gongkai.supervision import services


@task()
def process_file(file_pk: int) -> None:
    services.process_file(file_pk)


@task()
def fetch_batch(batch_pk: int) -> None:
    services.fetch_batch(batch_pk)


def schedule_files(file_pks: list[int]) -> None:
    for pk in file_pks:
        process_file.enqueue(pk)


def schedule_fetch(batch_pk: int) -> None:
    fetch_batch.enqueue(batch_pk)
