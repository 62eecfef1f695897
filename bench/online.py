"""Online applications: the cost of one public submission, and tracking lookups timed for the
three cases an attacker can produce (right code + contact, right code + wrong contact, unknown
code) — the last two should be indistinguishable.

    .venv/bin/python bench/online.py [--cases 300] [--lookups 2000]

Uses ``DATABASE_URL`` (PostgreSQL) or, without it, a throw-away SQLite file; the identity proofs
go to a throw-away data directory either way. Not a test: numbers depend on the machine; they
are recorded in docs/applications.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date

os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="gongkai-bench-online-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_DEBUG", "1")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from gongkai.agencies.models import Agency, Region, RegionLevel  # noqa: E402
from gongkai.agencies.services import create_agency, create_region  # noqa: E402
from gongkai.applications import online  # noqa: E402
from gongkai.workdays.services import seed_bundled_years  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20_000
REGION = "基准测试网上申请市"


def _agency() -> Agency:
    region = Region.objects.filter(name=REGION).first() or create_region(
        name=REGION, level=RegionLevel.CITY
    )
    return Agency.objects.filter(region=region).first() or create_agency(
        region=region, name="基准测试网上申请局"
    )


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    return f"p50 {p50 * 1e6:7.0f} µs   p99 {p99 * 1e6:7.0f} µs"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()
    call_command("migrate", interactive=False, verbosity=0)
    seed_bundled_years()
    agency = _agency()
    print(f"database: {connection.vendor}; {args.cases} submissions, {args.lookups} lookups each")

    codes: list[str] = []
    started = time.perf_counter()
    for i in range(args.cases):
        result = online.submit_online(
            agency=agency,
            applicant_class="natural_person",
            applicant_name="基准测试",
            id_type="passport",
            id_number=f"B{i:08d}",
            contact_phone=f"139{i:08d}",
            request_text="基准测试申请：请公开某年度的统计数据。",
            proof_data=PNG,
            submitted_on=date(2026, 3, 2),
        )
        codes.append(result.code)
    elapsed = time.perf_counter() - started
    print(f"submit_online: {elapsed / args.cases * 1000:.1f} ms each (sequential, 20 KB proof)")

    cases = {
        "right code, right contact": lambda i: (codes[i], f"139{i:08d}"),
        "right code, wrong contact": lambda i: (codes[i], "13000000000"),
        "unknown code             ": lambda i: (online.new_code(), f"139{i:08d}"),
    }
    for label, make in cases.items():
        samples = []
        for n in range(args.lookups):
            code, contact = make(n % args.cases)
            t0 = time.perf_counter()
            online.track(code, contact)
            samples.append(time.perf_counter() - t0)
        print(f"track, {label}: {_percentiles(samples)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
