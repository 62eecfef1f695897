"""Supervision at a region's scale.

    .venv/bin/python bench/supervision.py [--reports 1000] [--workers 2] [--agencies 2000]

1. **Batch**: ``--reports`` constructed HTML reports (one per agency, every fourth with a table
   error) uploaded as one ZIP through ``services.receive_uploads``, which queues one django-tasks
   job per file (database backend); then ``--workers`` ``gongkai worker --batch`` processes
   drain the queue — wall time from the upload to the last file audited, files per second,
   peak RSS of each worker (``wait4``).
2. **Board**: ``--agencies`` agencies × 5 years of current versions (with findings) written in
   bulk, then ``build_board`` for the whole region — the median of 5 runs and the number of
   queries.

Runs on a fresh SQLite database in a temporary folder, or on ``DATABASE_URL`` when set (its
supervision tables are emptied first: use a database of your own). Not a test; record the
numbers in docs/supervision.md.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_DEBUG", "1")
os.environ["GONGKAI_TASKS"] = "database"  # the upload queues jobs; the workers run them
if not os.environ.get("DATABASE_URL"):
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, reset_queries, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from gongkai.agencies.models import Agency, Region, RegionLevel  # noqa: E402
from gongkai.agencies.services import create_region, create_user, grant_supervision  # noqa: E402
from gongkai.supervision import services  # noqa: E402
from gongkai.supervision.board import build_board  # noqa: E402
from gongkai.supervision.models import (  # noqa: E402
    Batch,
    CellCorrection,
    FileStatus,
    Finding,
    Notice,
    ReportFile,
    ReportVersion,
)
from gongkai.supervision.samples import build_report, report_html  # noqa: E402


def _setup() -> tuple[Region, object]:
    call_command("migrate", verbosity=0)
    DBTaskResult.objects.all().delete()
    for model in (CellCorrection, Finding, Notice, ReportVersion, ReportFile, Batch):
        model.objects.all().delete()
    stamp = str(int(time.time()))
    with transaction.atomic():
        root = create_region(name=f"基准省{stamp}", level=RegionLevel.PROVINCE)
    user = create_user(username=f"bench{stamp}", password="bench-password-1234")
    grant_supervision(user=user, region=root)
    return root, user


def _start_workers(workers: int, logs: str) -> list[subprocess.Popen[bytes]]:
    """``gongkai worker --batch`` processes on the same database and task queue as this one:
    the production path, each claiming jobs from the django-tasks database backend. Their
    logs go to files: a pipe nobody reads fills up and blocks the worker."""
    env = dict(os.environ, GONGKAI_TASKS="database")
    command = [sys.executable, "-m", "gongkai", "worker", "--batch", "--no-scheduler"]
    procs = []
    for n in range(workers):
        with open(os.path.join(logs, f"worker-{n}.log"), "wb") as log:
            procs.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))
    return procs


def _wait(procs: list[subprocess.Popen[bytes]]) -> list[tuple[int, float]]:
    """(exit status, peak RSS in MB) of each worker, from the kernel's own accounting."""
    results = []
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        results.append((proc.returncode, usage.ru_maxrss / 1024))
    return results


def bench_batch(root: Region, user: object, reports: int, workers: int) -> None:
    region = create_region(name="批量市", parent=root, level=RegionLevel.CITY)
    Agency.objects.bulk_create(
        [Agency(region=region, name=f"批量市第{n:04d}局") for n in range(reports)]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(reports):
            report = build_report(
                f"批量市第{n:04d}局", 2024, seed=n, flaw="s1" if n % 4 == 0 else ""
            )
            archive.writestr(f"{n:04d}.html", report_html(report))
    data = buffer.getvalue()
    started = time.perf_counter()
    # the upload enqueues one django-tasks job per file on commit, as in production
    result = services.receive_uploads(
        actor=user, region=region, uploads=[("全市.zip", data)], title="基准批次"
    )
    uploaded = time.perf_counter() - started
    queued = DBTaskResult.objects.filter(status="READY").count()
    connections.close_all()
    logs = tempfile.mkdtemp(prefix="gongkai-bench-workers-")
    procs = _start_workers(workers, logs)
    outcomes = _wait(procs)
    elapsed = time.perf_counter() - started
    audited = ReportFile.objects.filter(batch=result.batch, status=FileStatus.AUDITED).count()
    failed = DBTaskResult.objects.filter(status="FAILED").count()
    print(
        f"batch: {len(result.received)} files ({len(data) / 1e6:.1f} MB ZIP), upload "
        f"{uploaded:.1f} s ({queued} jobs queued), upload→all audited {elapsed:.1f} s "
        f"({audited / elapsed:.1f} files/s, {audited} audited, {failed} jobs failed) by "
        f"{workers} `gongkai worker` processes; peak RSS per worker "
        + ", ".join(f"{peak:.0f} MB" for _, peak in outcomes)
    )
    for n, (code, _) in enumerate(outcomes):
        if code != 0:
            print(f"  worker {n} exited with {code}; its log: {logs}/worker-{n}.log")


def bench_board(root: Region, user: object, agencies: int, years: int = 5) -> None:
    region = create_region(name="看板市", parent=root, level=RegionLevel.CITY)
    counties = [
        create_region(name=f"看板县{c}", parent=region, level=RegionLevel.COUNTY) for c in range(20)
    ]
    Agency.objects.bulk_create(
        [Agency(region=counties[n % 20], name=f"看板机关{n:05d}") for n in range(agencies)]
    )
    ids = list(Agency.objects.filter(region__in=counties).values_list("pk", flat=True))
    year_list = list(range(2025 - years + 1, 2026))
    batch = Batch.objects.create(region=region, title="看板", created_by=user)
    files = ReportFile.objects.bulk_create(
        [
            ReportFile(
                region=region, batch=batch, name=f"{a}-{y}.html", sha256=f"{a:032d}{y:032d}",
                content="bench/none.html", size=1, kind="html", status=FileStatus.AUDITED,
                agency_id=a, year=y, match_state="matched", uploaded_by=user,
            )
            for a in ids
            for y in year_list
        ],
        batch_size=2000,
    )  # fmt: skip
    versions = ReportVersion.objects.bulk_create(
        [
            ReportVersion(
                file=f, agency_id=f.agency_id, year=f.year, is_current=True, format="2021",
                report_json={}, errors=f.agency_id % 3, warnings=f.year % 2,
                late=f.agency_id % 7 == 0,
            )
            for f in files
        ],
        batch_size=2000,
    )  # fmt: skip
    Finding.objects.bulk_create(
        [
            Finding(
                version=v, agency_id=v.agency_id, rule=("S1", "T2", "B1")[k], severity="error",
                message="基准", cells=[], key=f"{v.pk}-{k}",
            )
            for v in versions
            for k in range(v.errors)
        ],
        batch_size=5000,
    )  # fmt: skip
    timings = []
    for _ in range(5):
        reset_queries()  # a full query log (the bulk inserts) would hide the count
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            board = build_board(region, year_list)
            timings.append(time.perf_counter() - started)
    print(
        f"board: {len(board.rows)} agencies × {years} years ({len(versions)} versions, "
        f"{Finding.objects.filter(version__in=versions).count()} findings): "
        f"median {statistics.median(timings) * 1000:.0f} ms, {len(queries)} queries"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--agencies", type=int, default=2000)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"database: {connection.vendor}; python {sys.version.split()[0]}; load {load:.2f}")
    root, user = _setup()
    if args.reports:  # --reports 0: the board only
        bench_batch(root, user, args.reports, args.workers)
    bench_board(root, user, args.agencies)
    return 0


if __name__ == "__main__":
    sys.exit(main())
