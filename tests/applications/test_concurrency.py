"""200 intakes at once get 200 distinct, gap-free numbers (PostgreSQL only: SQLite serialises
whole-database writes, so the counter's row lock is only exercised for real on PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection

from gongkai.applications import services
from gongkai.applications.models import Application, ApplicationCounter

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

INTAKES = 200
# PostgreSQL is shared: 16 connections keep every intake contending without exhausting it.
CONNECTIONS = 16


def test_200_concurrent_intakes_get_gap_free_numbers(bundled_calendar, handler, petition_bureau):
    barrier = threading.Barrier(CONNECTIONS)
    started = threading.local()

    def intake(i: int) -> str:
        if not getattr(started, "done", False):
            barrier.wait(timeout=30)  # the first intake of every thread starts together
            started.done = True
        try:
            return services.register_application(
                actor=handler,
                agency=petition_bureau,
                channel="online",
                event_on=date(2026, 5, 6),
                applicant_class="commercial",
                applicant_name=f"并发测试公司{i}",
                contact_email=f"c{i}@example.com",
                request_text=f"并发登记第{i}件",
            ).number
        finally:
            connection.close()  # a pool thread's connection must not outlive the test

    with ThreadPoolExecutor(max_workers=CONNECTIONS) as pool:
        numbers = list(pool.map(intake, range(INTAKES)))
    expected = [f"〔2026〕第{n:04d}号" for n in range(1, INTAKES + 1)]
    assert sorted(numbers) == expected
    assert Application.objects.filter(agency=petition_bureau).count() == INTAKES
    assert ApplicationCounter.objects.get(agency=petition_bureau, year=2026).last == INTAKES
