"""Background work of supervision.

Until the project's task framework is in place the files are processed right here, one after
another, when the upload's transaction commits; ``schedule_files`` is the one place that will
hand each file to a task instead.
"""

from __future__ import annotations

from gongkai.supervision import services


def schedule_files(file_pks: list[int]) -> None:
    for pk in file_pks:
        services.process_file(pk)


def schedule_fetch(batch_pk: int) -> None:
    services.fetch_batch(batch_pk)
