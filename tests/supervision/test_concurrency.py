"""Two uploads of the same bytes at the same moment; two workers on the same file
(PostgreSQL only: SQLite serialises whole-database writes)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from gongkai.supervision import services
from gongkai.supervision.models import FileStatus, Finding, ReportFile

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(workers):
    barrier = threading.Barrier(len(workers))
    results: list[object] = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait(timeout=10)
            results[index] = work()
        except Exception as exc:  # the test inspects what each thread saw
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_same_file_uploaded_twice_at_once_is_stored_once(
    supervisor, city, report_bytes, monkeypatch
):
    monkeypatch.setattr(services, "enqueue_audit", lambda pks: None)
    data = report_bytes()

    def upload():
        return services.receive_uploads(actor=supervisor, region=city, uploads=[("a.html", data)])

    results = race([upload, upload])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert ReportFile.objects.count() == 1
    assert sorted(len(r.received) for r in results) == [0, 1]


def test_two_workers_on_one_file_audit_it_once(
    supervisor, city, petition_bureau, report_bytes, monkeypatch
):
    monkeypatch.setattr(services, "enqueue_audit", lambda pks: None)
    result = services.receive_uploads(
        actor=supervisor, region=city, uploads=[("a.html", report_bytes(flaw="s1"))]
    )
    pk = result.received[0].pk
    results = race([lambda: services.process_file(pk), lambda: services.process_file(pk)])
    assert not [r for r in results if isinstance(r, Exception)], results
    report_file = ReportFile.objects.get(pk=pk)
    assert report_file.status == FileStatus.AUDITED
    keys = list(Finding.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) > 0
