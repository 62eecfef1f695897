"""`gongkai worker`: run background jobs, and the periodic-job scheduler beside them.

With the database backend (default) this is django-tasks-db's worker; with ``GONGKAI_TASKS=rq``
it is an RQ worker on ``REDIS_URL``. Either way a scheduler thread calls ``enqueue_due`` every
``--tick-seconds``; several workers may run at once, each slot is still enqueued once.
``--tick`` only enqueues what is due and exits (for a cron entry instead of a long-running
scheduler); ``--batch`` runs what is queued and exits (tests, one-off catch-up).
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django_tasks import task_backends

from gongkai.jobs.schedule import enqueue_due


def backend_kind() -> str:
    """database | rq | immediate — from the configured backend, not from the variable alone."""
    backend = type(task_backends["default"]).__module__
    if backend.startswith("django_tasks_db"):
        return "database"
    if backend.startswith("django_tasks_rq"):
        return "rq"
    return "immediate"


class Command(BaseCommand):
    help = "运行后台任务（django-tasks）和定时任务调度。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="运行完队列中的任务后退出")
        parser.add_argument("--tick", action="store_true", help="只把到期的定时任务入队，然后退出")
        parser.add_argument("--no-scheduler", action="store_true", help="不运行定时任务调度")
        parser.add_argument("--tick-seconds", type=int, default=60, help="调度间隔（秒）")
        parser.add_argument("--max-tasks", type=int, default=None, help="最多运行的任务数")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["tick_seconds"] < 1:
            self.stderr.write("gongkai worker: 错误: --tick-seconds 至少为 1")
            raise SystemExit(2)
        if options["tick"]:
            names = enqueue_due()
            self.stdout.write("已入队：" + ("、".join(names) if names else "（无到期任务）"))
            return
        stop = threading.Event()
        if not options["no_scheduler"] and not options["batch"]:
            threading.Thread(
                target=self._schedule, args=(stop, options["tick_seconds"]), daemon=True
            ).start()
        elif options["batch"]:
            enqueue_due()
        try:
            kind = backend_kind()
            if kind == "rq":
                self._run_rq(options)
            elif kind == "database":
                worker_options: dict[str, Any] = {
                    "batch": options["batch"],
                    "reload": False,
                    "verbosity": options["verbosity"],
                    "startup_delay": not options["batch"],
                }
                if options["max_tasks"] is not None:
                    worker_options["max_tasks"] = options["max_tasks"]
                call_command("db_worker", **worker_options)
            else:
                self.stdout.write("GONGKAI_TASKS=immediate：任务在入队时立即执行，无需后台进程。")
        finally:
            stop.set()

    def _schedule(self, stop: threading.Event, every: int) -> None:
        while not stop.is_set():
            try:
                enqueue_due()
            except Exception:  # the scheduler must outlive a passing database error
                self.stderr.write("定时任务调度出错，稍后重试。")
            finally:
                close_old_connections()
            stop.wait(every)

    def _run_rq(self, options: dict[str, Any]) -> None:
        import django_rq  # noqa: PLC0415  (only present in use with GONGKAI_TASKS=rq)
        from django_tasks_rq.backend import Job  # noqa: PLC0415

        worker = django_rq.get_worker("default", job_class=Job)
        worker.work(burst=options["batch"], max_jobs=options["max_tasks"], with_scheduler=True)
