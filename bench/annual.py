"""The annual report at scale: one agency with 100,000 applications (generate the draft, run
every rule, render HTML/DOCX/PDF), and a region's combined statistics and combined report
over 200 more agencies (the first agency's cases stay, so the region holds all of them).

    .venv/bin/python bench/annual.py [--agency-cases 100000] [--region-agencies 200]
        [--region-cases 200000]

Uses ``DATABASE_URL`` (PostgreSQL) or, without it, a throw-away SQLite file. The cases are bulk
inserted by the table-三 bench's generator (``bench/applications_table3.py``). Not a test:
numbers depend on the machine; record them in docs/annual.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import time
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "bench_table3", Path(__file__).with_name("applications_table3.py")
)
t3bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(t3bench)  # sets Django up (settings, throw-away SQLite)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from gongkai.agencies.models import Agency, Region  # noqa: E402
from gongkai.annual import compute, render, services  # noqa: E402
from gongkai.annual.models import AnnualReport  # noqa: E402
from gongkai.applications.models import (  # noqa: E402
    Application,
    ApplicationCounter,
    CaseTally,
)
from gongkai.disclosure.register import region_agencies  # noqa: E402


def _timed(label: str, fn):
    started = time.perf_counter()
    result = fn()
    print(f"{label}: {(time.perf_counter() - started) * 1000:,.0f} ms")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agency-cases", type=int, default=100_000)
    parser.add_argument("--region-agencies", type=int, default=200)
    parser.add_argument("--region-cases", type=int, default=200_000)  # + the agency's
    args = parser.parse_args()
    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(12)
    print(f"database: {connection.vendor}")
    region = Region.objects.create(name="年报基准测试省", level="province")
    try:
        one = Agency.objects.create(region=region, name="年报基准测试单机关")
        seconds = t3bench._fill([one], args.agency_cases, rng)
        print(f"fill {args.agency_cases:,} cases: {seconds:.1f} s")
        report = _timed(
            f"generate draft (tables + prose + rules), {args.agency_cases:,} cases",
            lambda: services.generate_draft(actor=None, agency=one, year=2026),
        )
        t3 = report.tables["table3"]
        print(
            f"  new_received {t3['new_received']['total']:,}, errors {len(report.error_findings)}"
        )
        for fmt in ("json", "html", "docx", "pdf"):
            data = _timed(f"render {fmt}", lambda fmt=fmt: render.render(report, fmt))
            print(f"  {len(data):,} bytes")
        # the region's agencies in one INSERT (no default columns: counting does not need them)
        started = time.perf_counter()
        Agency.objects.bulk_create(
            Agency(region=region, name=f"年报基准测试机关{i:03d}")
            for i in range(args.region_agencies)
        )
        agencies = list(Agency.objects.filter(region=region).exclude(pk=one.pk))
        print(f"create {len(agencies)} agencies (bulk): {time.perf_counter() - started:.1f} s")
        seconds = t3bench._fill(agencies, args.region_cases, rng)
        print(f"fill {args.region_cases:,} cases in {len(agencies)} agencies: {seconds:.1f} s")
        everyone = list(region_agencies(region))
        total = Application.objects.filter(agency__in=everyone).count()
        print(f"region: {len(everyone)} agencies, {total:,} applications")
        tables = _timed(
            f"region combined tables 二/三/四 over {len(everyone)} agencies",
            lambda: compute.compute_tables(everyone, region, 2026),
        )
        print(f"  new_received {tables['table3']['new_received']['total']:,}")
        combined = _timed(
            f"generate the combined report (tables + {len(everyone)} agencies' figures + rules)",
            lambda: services.generate_combined(actor=None, region=region, year=2026, office=one),
        )
        print(
            f"  parts {len(combined.parts)}, errors {len(combined.error_findings)}, "
            f"parts JSON {len(json.dumps(combined.parts, ensure_ascii=False).encode()):,} bytes"
        )
        for fmt in ("html", "pdf"):
            data = _timed(f"render combined {fmt}", lambda fmt=fmt: render.render(combined, fmt))
            print(f"  {len(data):,} bytes")
    finally:
        agencies = Agency.objects.filter(region=region)
        AnnualReport.objects.filter(agency__in=agencies).delete()
        Application.objects.filter(agency__in=agencies).delete()
        ApplicationCounter.objects.filter(agency__in=agencies).delete()
        CaseTally.objects.filter(agency__in=agencies).delete()
        # the agencies (and their default columns) stay: the event log refers to them
    return 0


if __name__ == "__main__":
    sys.exit(main())
