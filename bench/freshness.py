"""The freshness report over a whole region: 200 agencies × 50 columns × 1,000,000 items.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<own-db> \\
        .venv/bin/python bench/freshness.py [--agencies 200] [--columns 50] [--items 1000000]

Needs PostgreSQL and a database of its own: it migrates it and REPLACES the bench region's data
(a region named 「基准测试市」) on every run. Rows are generated in the database with
``generate_series`` (bulk inserts, no ORM loop). ``Column.last_published_at`` is set the way the
publish verb maintains it. Target: the report for every agency of the region in < 2 s.

Not a test: numbers depend on the machine. Record them in docs/disclosure.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_DEBUG", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongkai.agencies.models import Agency, Region, User  # noqa: E402
from gongkai.disclosure import freshness  # noqa: E402
from gongkai.disclosure.models import Column, Item  # noqa: E402

REGION = "基准测试市"


def build(agencies: int, columns: int, items: int) -> Region:
    region = Region.objects.filter(name=REGION, parent=None).first()
    with connection.cursor() as cursor:
        if region is not None:
            ids = list(Agency.objects.filter(region=region).values_list("pk", flat=True))
            if ids:
                for table in ("disclosure_item", "disclosure_column", "disclosure_agencysettings"):
                    cursor.execute(f"DELETE FROM {table} WHERE agency_id = ANY(%s)", [ids])
                cursor.execute("DELETE FROM agencies_agency WHERE id = ANY(%s)", [ids])
        else:
            region = Region.objects.create(name=REGION)
            region.save()
    user, _ = User.objects.get_or_create(username="bench-drafter")
    now = timezone.now()
    Agency.objects.bulk_create(
        [Agency(region=region, name=f"基准机关{n:04d}", created_at=now) for n in range(agencies)]
    )  # bulk_create sends no post_save: the column tree below is the bench's own
    agency_ids = list(Agency.objects.filter(region=region).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO disclosure_column (agency_id, parent_id, name, kind, position,
                update_days, no_content_statement, active)
            SELECT a, NULL, '栏目' || c, CASE WHEN c %% 5 = 0 THEN 'news' ELSE 'notice' END, c,
                CASE WHEN c %% 5 = 0 THEN 14 WHEN c %% 5 = 1 THEN 182 ELSE NULL END,
                CASE WHEN c %% 7 = 0 THEN '本栏目暂无信息' ELSE '' END, TRUE
            FROM unnest(%s::int[]) AS a, generate_series(1, %s) AS c
            """,
            [agency_ids, columns],
        )
        # Items spread over the columns (column 3 of every agency stays blank); publication
        # times over the last two years; one in ten has a 成文日期 and a stored deadline.
        cursor.execute(
            """
            WITH cols AS (
                SELECT id, agency_id, row_number() OVER (ORDER BY id) - 1 AS k
                FROM disclosure_column WHERE agency_id = ANY(%s) AND position <> 3
            ), n AS (SELECT count(*) AS total FROM cols)
            INSERT INTO disclosure_item (agency_id, column_id, kind, status, title, body,
                index_number, issuing_body, doc_number, subject, validity, withdrawn_reason,
                created_by_id, created_at, updated_at, first_published_at, published_at,
                written_date, publish_deadline)
            SELECT cols.agency_id, cols.id, 'article', 'published', '基准信息' || g, '',
                'BENCH/' || g, '', '', '', '', '', %s, now(), now(),
                now() - (g %% 730) * interval '1 day', now() - (g %% 730) * interval '1 day',
                CASE WHEN g %% 10 = 0 THEN (now() - (g %% 730 + 30) * interval '1 day')::date END,
                CASE WHEN g %% 10 = 0 THEN (now() - (g %% 730) * interval '1 day')::date END
            FROM generate_series(1, %s) AS g
            JOIN n ON TRUE
            JOIN cols ON cols.k = (g::bigint * 7919) %% n.total
            """,
            [agency_ids, user.pk, items],
        )
        cursor.execute(
            """
            UPDATE disclosure_column c SET last_published_at = m.latest
            FROM (SELECT column_id, max(published_at) AS latest FROM disclosure_item
                  WHERE agency_id = ANY(%s) GROUP BY column_id) m
            WHERE c.id = m.column_id
            """,
            [agency_ids],
        )
        cursor.execute("ANALYZE disclosure_item")
        cursor.execute("ANALYZE disclosure_column")
    return region


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--columns", type=int, default=50)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        print("bench/freshness.py 需要 PostgreSQL：请设置 DATABASE_URL（一个专用数据库）。")
        return 2
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        region = build(args.agencies, args.columns, args.items)
    built = time.perf_counter() - started
    agencies = Agency.objects.filter(region=region).order_by("pk")
    print(
        f"data: {agencies.count()} agencies, {Column.objects.filter(agency__region=region).count()}"
        f" columns, {Item.objects.filter(agency__region=region).count()} items"
        f" (built in {built:.1f} s)"
    )
    timings = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        report = freshness.report(agencies)
        timings.append(time.perf_counter() - t0)
    vetoed = sum(1 for entry in report if entry.veto)
    stale = sum(len(entry.by_state("stale")) for entry in report)
    late = sum(entry.late_published for entry in report)
    print(
        f"freshness report, whole region: median {statistics.median(timings):.3f} s, "
        f"max {max(timings):.3f} s over {args.runs} runs (target < 2 s)"
    )
    print(f"  {stale} stale columns, {vetoed} agencies failing the single veto, {late} late items")
    return 0


if __name__ == "__main__":
    sys.exit(main())
