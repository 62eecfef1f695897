"""Supervision at a region's scale.

    .venv/bin/python bench/supervision.py [--reports 1000] [--workers 2] [--agencies 2000]

1. **Batch**: ``--reports`` constructed HTML reports (one per agency, every fourth with a table
   error) uploaded as one ZIP through ``services.receive_uploads``, then read and audited by
   ``--workers`` worker processes, each taking every n-th file — wall time from the upload to
   the last file audited, files per second, peak RSS of each worker.
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
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
import zipfile

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_DEBUG", "1")
if not os.environ.get("DATABASE_URL"):
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

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
    for model in (CellCorrection, Finding, Notice, ReportVersion, ReportFile, Batch):
        model.objects.all().delete()
    stamp = str(int(time.time()))
    with transaction.atomic():
        root = create_region(name=f"基准省{stamp}", level=RegionLevel.PROVINCE)
    user = create_user(username=f"bench{stamp}", password="bench-password-1234")
    grant_supervision(user=user, region=root)
    return root, user


def _worker(pks: list[int], queue: multiprocessing.Queue) -> None:
    connections.close_all()  # never share the parent's connection
    errors: list[str] = []
    try:
        for pk in pks:
            try:
                services.process_file(pk)
            except Exception as exc:  # a bench reports failures instead of hanging on them
                errors.append(f"{pk}: {exc!r}")
    finally:
        queue.put((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, errors))


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
    # the upload's on-commit hand-over is what the workers do here, split between processes
    original, services.enqueue_audit = services.enqueue_audit, lambda pks: None
    try:
        result = services.receive_uploads(
            actor=user, region=region, uploads=[("全市.zip", data)], title="基准批次"
        )
    finally:
        services.enqueue_audit = original
    uploaded = time.perf_counter() - started
    pks = [f.pk for f in result.received]
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(pks[i::workers], queue)) for i in range(workers)]
    for proc in procs:
        proc.start()
    outcomes = [queue.get() for _ in procs]
    peaks = [peak for peak, _ in outcomes]
    errors = [e for _, errs in outcomes for e in errs]
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - started
    audited = ReportFile.objects.filter(batch=result.batch, status=FileStatus.AUDITED).count()
    print(
        f"batch: {len(pks)} files ({len(data) / 1e6:.1f} MB ZIP), upload {uploaded:.1f} s, "
        f"upload→all audited {elapsed:.1f} s ({audited / elapsed:.1f} files/s, "
        f"{audited} audited) with {workers} workers; peak RSS per worker "
        + ", ".join(f"{p:.0f} MB" for p in peaks)
    )
    if errors:
        print(f"  {len(errors)} files raised; first: {errors[0]}")


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
