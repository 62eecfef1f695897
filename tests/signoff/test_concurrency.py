"""Two people act on the same row at the same moment: exactly one wins (PostgreSQL only).

SQLite serialises whole-database writes, so the row locks of ``select_for_update`` are only
exercised for real on PostgreSQL, with one connection per thread.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from gongkai.agencies.models import Membership, User
from gongkai.signoff import services
from gongkai.signoff.errors import AlreadyInReviewError, StepNotActiveError
from gongkai.signoff.models import Chain, StepDecision

from .conftest import active_step

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(workers):
    """Run callables in parallel threads; return their results or exceptions, in order."""
    barrier = threading.Barrier(len(workers))
    results: list[object] = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait(timeout=10)
            results[index] = work()
        except Exception as exc:  # the test inspects which exception each thread saw
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def slow_revision_check(monkeypatch):
    # Hold the row lock a little so the second approver really waits on it.
    original = services._check_revision

    def slow(chain, revision_hash):
        time.sleep(0.3)
        original(chain, revision_hash)

    monkeypatch.setattr(services, "_check_revision", slow)


def test_concurrent_approvals_of_same_step_one_wins(chain, reviewer, petition_bureau, monkeypatch):
    second = User.objects.create_user(username="second-reviewer", password="x")
    Membership.objects.create(user=second, agency=petition_bureau, role="reviewer")
    step = active_step(chain)
    slow_revision_check(monkeypatch)
    results = race(
        [
            lambda: services.approve_step(step, actor=reviewer, revision_hash=chain.revision_hash),
            lambda: services.approve_step(step, actor=second, revision_hash=chain.revision_hash),
        ]
    )
    winners = [r for r in results if not isinstance(r, Exception)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1, results
    assert len(losers) == 1
    assert isinstance(losers[0], StepNotActiveError), repr(losers[0])
    assert StepDecision.objects.filter(step=step).count() == 1
    chain.refresh_from_db()
    assert [s.status for s in chain.steps.order_by("order")] == ["approved", "active", "pending"]


def test_concurrent_submissions_of_same_object_one_chain(item, drafter, template):
    revision = item.signoff_revision()
    results = race(
        [
            lambda: services.submit_for_review(
                item, actor=drafter, revision_hash=revision, template=template
            )
            for _ in range(2)
        ]
    )
    assert sum(isinstance(r, Chain) for r in results) == 1, results
    assert sum(isinstance(r, AlreadyInReviewError) for r in results) == 1, results
    assert Chain.objects.filter(object_id=item.pk).count() == 1
