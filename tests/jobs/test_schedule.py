"""Periodic jobs: slots, the once-only claim, registration errors, and the jobs being run."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django_tasks import task

from gongkai.jobs import schedule
from gongkai.jobs.models import Heartbeat, PeriodicJob
from gongkai.jobs.tasks import heartbeat

SH = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)


def daily_at_eight() -> schedule.Periodic:
    return schedule.Periodic(name="t", task=heartbeat, every=timedelta(days=1), at=time(8, 0))


def test_daily_slot_before_its_time_is_yesterdays() -> None:
    job = daily_at_eight()
    assert job.latest_slot(at(2026, 12, 2, 7, 59)) == at(2026, 12, 1, 8, 0)
    assert job.latest_slot(at(2026, 12, 2, 8, 0)) == at(2026, 12, 2, 8, 0)
    assert job.latest_slot(at(2026, 12, 2, 23, 0)) == at(2026, 12, 2, 8, 0)


def test_slot_is_computed_in_shanghai_time_whatever_the_input_zone() -> None:
    job = daily_at_eight()
    utc = datetime(2026, 12, 2, 0, 30, tzinfo=ZoneInfo("UTC"))  # 08:30 in Shanghai
    assert job.latest_slot(utc) == at(2026, 12, 2, 8, 0)


def test_five_minute_slots() -> None:
    job = schedule.Periodic(name="t", task=heartbeat, every=timedelta(minutes=5))
    assert job.latest_slot(at(2026, 12, 2, 10, 7, 30)) == at(2026, 12, 2, 10, 5)


@pytest.mark.django_db
def test_a_slot_is_enqueued_once_then_again_at_the_next_slot() -> None:
    job = daily_at_eight()
    assert schedule.claim(job, at(2026, 12, 2, 9, 0))
    assert not schedule.claim(job, at(2026, 12, 2, 9, 1))
    assert not schedule.claim(job, at(2026, 12, 3, 7, 59))
    assert schedule.claim(job, at(2026, 12, 3, 8, 0))


@pytest.mark.django_db
def test_missed_slots_enqueue_once_not_once_per_slot() -> None:
    job = schedule.Periodic(name="t", task=heartbeat, every=timedelta(hours=1))
    assert schedule.claim(job, at(2026, 12, 1, 9, 0))
    # The workers were down for a day: one catch-up run, not 24.
    assert schedule.claim(job, at(2026, 12, 2, 9, 30))
    assert not schedule.claim(job, at(2026, 12, 2, 9, 45))


@pytest.mark.django_db
def test_enqueue_due_runs_the_heartbeat_and_records_the_result() -> None:
    names = schedule.enqueue_due(at(2026, 12, 2, 9, 0))
    assert "jobs-heartbeat" in names
    assert Heartbeat.objects.count() == 1  # the immediate backend ran it at enqueue
    row = PeriodicJob.objects.get(name="jobs-heartbeat")
    assert row.task_path == "gongkai.jobs.tasks.heartbeat"
    assert row.every_seconds == 300
    assert row.last_result_id
    assert "jobs-heartbeat" not in schedule.enqueue_due(at(2026, 12, 2, 9, 1))


def test_periodic_refuses_what_it_cannot_schedule() -> None:
    with pytest.raises(ValueError, match="once a minute"):
        schedule.periodic("x", every=timedelta(seconds=30))
    with pytest.raises(ValueError, match="divides one day"):
        schedule.periodic("x", every=timedelta(hours=7), at=time(8, 0))
    with pytest.raises(TypeError, match="above @task"):
        schedule.periodic("x", every=timedelta(days=1))(lambda: None)


@task()
def other() -> None:  # pragma: no cover - never run
    return None


def test_one_name_cannot_serve_two_tasks() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        schedule.periodic("jobs-heartbeat", every=timedelta(minutes=5))(other)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_enqueue_each_slot_once() -> None:
    job = daily_at_eight()
    schedule._row(job)
    now = at(2026, 12, 2, 9, 0)
    barrier = threading.Barrier(8)
    wins: list[bool] = []

    def race() -> None:
        try:
            barrier.wait()
            wins.append(schedule.claim(job, now))
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 7 + [True]
