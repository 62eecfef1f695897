"""`gongkai worker` runs queued jobs on the database backend and on Redis (RQ)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from gongkai.jobs.models import Heartbeat
from gongkai.jobs.tasks import heartbeat

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_database_backend_queues_until_the_worker_runs_it() -> None:
    with override_settings(TASKS=DATABASE_TASKS):
        result = heartbeat.enqueue()
        assert not Heartbeat.objects.exists()  # queued, not run
        call_command("worker", batch=True, verbosity=0)
        row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL"
    assert Heartbeat.objects.count() == 1


def test_worker_rejects_a_bad_tick_interval() -> None:
    with pytest.raises(SystemExit) as exc:
        call_command("worker", tick_seconds=0)
    assert exc.value.code == 2


@pytest.mark.django_db
def test_tick_enqueues_what_is_due_and_exits(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("worker", tick=True)
    assert "jobs-heartbeat" in capsys.readouterr().out
    call_command("worker", tick=True)
    assert "无到期任务" in capsys.readouterr().out


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rq_worker_runs_a_job_through_redis() -> None:
    import redis  # noqa: PLC0415

    url = "redis://127.0.0.1:6379/14"
    redis.Redis.from_url(url).flushdb()
    name = connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
        "GONGKAI_TASKS": "rq",
        "REDIS_URL": url,
    }
    gongkai = Path(sys.executable).with_name("gongkai")
    done = subprocess.run(
        [str(gongkai), "worker", "--batch"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert Heartbeat.objects.count() == 1  # ran by the RQ worker, written to this database
    assert redis.Redis.from_url(url).dbsize() > 0  # the job went through Redis
