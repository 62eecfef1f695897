"""Table 三 from the cases, and the import of historical cases, at scale.

    .venv/bin/python bench/applications_table3.py [--agency-cases 100000]
        [--region-agencies 200] [--region-cases 1000000] [--import-lines 100000]

Uses ``DATABASE_URL`` (PostgreSQL) or, without it, a throw-away SQLite file. The cases are
generated in the database (PostgreSQL ``generate_series``; SQLite ``executemany``) — a bench
of the query, not of intake —, spread over 2025–2026 with
every applicant class and outcome; the bench's region and agencies are deleted at the end.
Targets (issue 10): the region of 200 agencies × 1,000,000 cases under 1 s on PostgreSQL.
Not a test: numbers depend on the machine. Record them in docs/applications.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta

if not os.environ.get("DATABASE_URL"):
    os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_DEBUG", "1")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from gongkai.agencies.models import Agency, Region  # noqa: E402
from gongkai.applications import stats, tally  # noqa: E402
from gongkai.applications.importing import import_cases  # noqa: E402
from gongkai.applications.models import (  # noqa: E402
    OUTCOME_KEYS,
    ApplicantClass,
    Application,
    ApplicationCounter,
    CaseTally,
)

CLASSES = ApplicantClass.values
START = date(2025, 1, 1)
REGION = "基准测试省"


_COLUMNS = (
    "agency_id, year, seq, number, status, channel, oral, received_on, receipt_explanation,"
    " applicant_class, applicant_name, id_type, id_number, contact_phone, contact_email,"
    " contact_address, request_text, request_doc_number, form_wanted, delivery_wanted, due_on,"
    " due_provisional, due_explanation, extension_days, outcome, decision_note, decided_on,"
    " closed_on, answer_delivery, answer_delivery_detail, imported, created_at, updated_at"
)


FILL_CHUNK = 100_000


def _fill_postgres(agency_ids: list[int], total: int) -> None:
    """Generate the cases inside PostgreSQL (generate_series), in chunks of 100,000 rows
    sorted by agency and receipt date, so every index is appended to in order instead of being
    updated at random: the bench measures the query, not Python object construction."""
    classes = "ARRAY[" + ",".join(f"'{c}'" for c in CLASSES) + "]"
    outcomes = "ARRAY[" + ",".join(f"'{o}'" for o in OUTCOME_KEYS) + "]"
    agencies = "ARRAY[" + ",".join(str(a) for a in agency_ids) + "]"
    sql = f"""
        INSERT INTO applications_application ({_COLUMNS})
        SELECT ag, extract(year from rec)::int, g, 'B' || g,
               CASE WHEN clo IS NULL THEN 'in_progress' ELSE 'closed' END, 'online', false,
               rec, '', cls, '基准', 'none', '', '', '', '', '基准测试', '', 'any', 'post',
               rec + 28, false, '[]'::jsonb, 0, CASE WHEN clo IS NULL THEN '' ELSE outc END,
               '', clo, clo, '', '', false, now(), now()
        FROM (
            SELECT g, ag, rec, cls, outc,
                   CASE WHEN r < 0.9 AND rec + d <= date '2026-12-31' THEN rec + d END AS clo
            FROM (
                SELECT g, ({agencies})[1 + g %% {len(agency_ids)}] AS ag,
                       date '2025-01-01' + floor(random() * 730)::int AS rec,
                       1 + floor(random() * 59)::int AS d, random() AS r,
                       ({classes})[1 + floor(random() * {len(CLASSES)})::int] AS cls,
                       ({outcomes})[1 + floor(random() * {len(OUTCOME_KEYS)})::int] AS outc
                FROM generate_series(%s, %s) AS g
            ) a
        ) b
        ORDER BY ag, rec
    """
    with connection.cursor() as cursor:
        for first in range(1, total + 1, FILL_CHUNK):
            cursor.execute(sql, [first, min(first + FILL_CHUNK - 1, total)])


def _fill_sqlite(agency_ids: list[int], total: int) -> None:
    """The same generation in SQLite (a recursive CTE; json_extract picks from the lists)."""
    classes = json.dumps(CLASSES)
    outcomes = json.dumps(list(OUTCOME_KEYS))
    agencies = json.dumps(agency_ids)
    # MATERIALIZED: SQLite would otherwise flatten the subqueries and draw random() anew at
    # every reference (a closing date before its receipt)
    sql = f"""
        WITH RECURSIVE s(g) AS (SELECT %s UNION ALL SELECT g + 1 FROM s WHERE g < %s),
        a AS MATERIALIZED (
            SELECT g, json_extract('{agencies}', '$[' || (g %% {len(agency_ids)}) || ']') AS ag,
                   date('2025-01-01', '+' || (abs(random()) %% 730) || ' days') AS rec,
                   1 + abs(random()) %% 59 AS d, abs(random()) %% 100 AS r,
                   json_extract('{classes}', '$[' || (abs(random()) %% {len(CLASSES)}) || ']')
                       AS cls,
                   json_extract('{outcomes}',
                                '$[' || (abs(random()) %% {len(OUTCOME_KEYS)}) || ']') AS outc
            FROM s
        ),
        b AS MATERIALIZED (
            SELECT g, ag, rec, cls, outc,
                   CASE WHEN r < 90 AND date(rec, '+' || d || ' days') <= '2026-12-31'
                        THEN date(rec, '+' || d || ' days') END AS clo
            FROM a
        )
        INSERT INTO applications_application ({_COLUMNS})
        SELECT ag, CAST(strftime('%%Y', rec) AS INTEGER), g, 'B' || g,
               CASE WHEN clo IS NULL THEN 'in_progress' ELSE 'closed' END, 'online', 0,
               rec, '', cls, '基准', 'none', '', '', '', '', '基准测试', '', 'any', 'post',
               date(rec, '+28 days'), 0, '[]', 0, CASE WHEN clo IS NULL THEN '' ELSE outc END,
               '', clo, clo, '', '', 0, datetime('now'), datetime('now')
        FROM b
        ORDER BY ag, rec
    """
    with connection.cursor() as cursor:
        for first in range(1, total + 1, FILL_CHUNK):
            cursor.execute(sql, [first, min(first + FILL_CHUNK - 1, total)])


def _fill(agencies: list[Agency], total: int, rng: random.Random) -> float:
    started = time.perf_counter()
    ids = [a.pk for a in agencies]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _fill_postgres(ids, total)
        else:
            _fill_sqlite(ids, total)
    if connection.vendor == "postgresql":
        # what autovacuum does after a bulk insert (PostgreSQL 13+): sets the visibility map
        # so table 三 can be answered from its covering index alone
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) applications_application")
    seconds = time.perf_counter() - started
    # the generated rows bypass the verbs: count their tallies once, as a repair would
    started = time.perf_counter()
    tally.rebuild(ids)
    print(f"  tallies rebuilt from the cases: {time.perf_counter() - started:.1f} s")
    return seconds


def _time(label: str, fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        table = fn()
        best = min(best, time.perf_counter() - started)
    assert stats.check(table) == [], "S1/T1/T2 must hold"
    print(
        f"{label}: {best * 1000:.0f} ms (best of {repeat}); total_processed "
        f"{table['total_processed']['total']:,}"
    )
    return best


def _import_csv(lines: int, rng: random.Random) -> bytes:
    out = ["收到日期,渠道,申请人类别,申请人,证件号码,联系方式,申请内容,办结日期,办理结果"]
    for i in range(lines):
        received = START + timedelta(days=rng.randrange(700))
        decided = received + timedelta(days=20)
        out.append(
            f"{received.isoformat()},网络,自然人,申请人{i},,1390000{i % 10000:04d},"
            f"请公开第{i}号文件,{decided.isoformat()},予以公开"
        )
    return ("\n".join(out) + "\n").encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agency-cases", type=int, default=100_000)
    parser.add_argument("--region-agencies", type=int, default=200)
    parser.add_argument("--region-cases", type=int, default=1_000_000)
    parser.add_argument("--import-lines", type=int, default=100_000)
    args = parser.parse_args()
    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(10)
    print(f"database: {connection.vendor}")
    region = Region.objects.create(name=REGION, level="province")
    try:
        one = Agency.objects.create(region=region, name="基准测试单机关")
        print(f"fill {args.agency_cases:,} cases: {_fill([one], args.agency_cases, rng):.1f} s")
        _time(f"table3 one agency, {args.agency_cases:,} cases", lambda: stats.table3(one, 2026))
        _time("  same, recounted from the cases", lambda: stats.table3_recount(one, 2026))
        # out of the region's count: the region below must count only its own cases
        Application.objects.filter(agency=one).delete()
        CaseTally.objects.filter(agency=one).delete()
        if args.region_cases:
            agencies = [
                Agency.objects.create(region=region, name=f"基准测试机关{i:03d}")
                for i in range(args.region_agencies)
            ]
            seconds = _fill(agencies, args.region_cases, rng)
            print(f"fill {args.region_cases:,} cases in {len(agencies)} agencies: {seconds:.1f} s")
            _time(
                f"table3 region of {len(agencies)} agencies, {args.region_cases:,} cases",
                lambda: stats.table3(region, 2026),
            )
            _time("  same, recounted from the cases", lambda: stats.table3_recount(region, 2026))
        if args.import_lines:
            target = Agency.objects.create(region=region, name="基准测试导入机关")
            raw = _import_csv(args.import_lines, rng)
            started = time.perf_counter()
            report = import_cases(raw, filename="bench.csv", agency=target)
            seconds = time.perf_counter() - started
            assert report.written, report.errors[:5]
            print(
                f"import {args.import_lines:,} lines: {seconds:.1f} s "
                f"({args.import_lines / seconds:,.0f} lines/s)"
            )
    finally:
        agencies = Agency.objects.filter(region=region)
        Application.objects.filter(agency__in=agencies).delete()
        ApplicationCounter.objects.filter(agency__in=agencies).delete()
        CaseTally.objects.filter(agency__in=agencies).delete()
        # the import's event stays in the append-only log; the agency is kept for it
        Region.objects.filter(pk=region.pk).exclude(agencies__isnull=False).delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
