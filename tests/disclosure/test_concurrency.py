"""Concurrent writers on PostgreSQL: 索引号 stay unique, a scheduled item is published once.

SQLite serialises whole-database writes, so these only exercise row locks and conditional
updates for real on PostgreSQL, one connection per thread.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from gongkai.disclosure import services
from gongkai.eventlog.models import Event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(workers):
    barrier = threading.Barrier(len(workers))
    results: list[object] = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait(timeout=10)
            results[index] = work()
        except Exception as exc:  # inspected by the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_index_numbers_unique_under_concurrent_creation(drafter, column, item_template):
    def create(n):
        return lambda: (
            services.create_item(
                actor=drafter, column=column, title=f"并发信息{n}", written_date=date(2026, 5, 1)
            ).index_number
        )

    results = race([create(n) for n in range(8)])
    assert all(isinstance(r, str) for r in results), results
    assert len(set(results)) == 8
    serials = sorted(int(r.rsplit("-", 1)[1]) for r in results)
    assert serials == list(range(1, 9))


def test_scheduled_publication_claimed_by_exactly_one_worker(make_item, review_all, drafter):
    item = review_all(make_item())
    at = timezone.now() + timedelta(hours=1)
    services.publish_item(item, actor=drafter, at=at)
    due = at + timedelta(seconds=1)
    results = race([lambda: services.publish_due(now=due), lambda: services.publish_due(now=due)])
    assert sorted(results, key=len) == [[], [item.pk]], results
    assert Event.objects.filter(action="disclosure.item_published").count() == 1
    item.refresh_from_db()
    assert item.status == "published"
