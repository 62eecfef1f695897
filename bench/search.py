"""Search at scale: p50/p95/p99 of ``gongkai.search.query.search`` over a filled portal.

    .venv/bin/python bench/search.py [--agencies 200] [--items 1000000] [--runs 30]
        [--data-dir DIR] [--reuse]

Fills the database with ``bench/portal_data.py`` (skipped with ``--reuse`` when the data dir
or ``DATABASE_URL`` already holds a filled portal), then times each query shape: a common
word (「信访」, one item in ten), a rare one (「古树名木」, one in two thousand), two words,
each with and without an agency filter, on page 1 and on a deep page. The timed call is the
whole query function the page uses (segmentation, count, ranked ids, loading the items and
building snippets). Not a test: numbers depend on the machine; record them in docs/search.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "portal_data", Path(__file__).with_name("portal_data.py")
)
portal_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(portal_data)

TARGET_MS = 100.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--data-dir", help="SQLite 数据目录（默认临时目录）")
    parser.add_argument("--reuse", action="store_true", help="数据库已填充时直接计时")
    args = parser.parse_args()
    portal_data.setup(args.data_dir)
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    from gongkai.agencies.models import Agency  # noqa: PLC0415
    from gongkai.search.backends import Filters  # noqa: PLC0415
    from gongkai.search.models import SearchEntry  # noqa: PLC0415
    from gongkai.search.query import search  # noqa: PLC0415

    call_command("migrate", interactive=False, verbosity=0)
    if not (args.reuse and SearchEntry.objects.exists()):
        portal_data.fill(agencies=args.agencies, items=args.items)
    total = SearchEntry.objects.count()
    agency = Agency.objects.filter(name__startswith="基准测试机关").order_by("pk").first()
    print(f"{connection.vendor}: {total:,} 条公开信息已索引；每种查询 {args.runs} 次")
    by_agency = Filters(agency=agency.pk)
    cases = [
        ("常见词 信访", "信访", None, 1),
        ("常见词 信访 第 50 页", "信访", None, 50),
        ("常见词 信访 + 机关", "信访", by_agency, 1),
        ("常见词 信访 + 机关 第 20 页", "信访", by_agency, 20),
        ("罕见词 古树名木", "古树名木", None, 1),
        ("罕见词 古树名木 + 机关", "古树名木", by_agency, 1),
        ("两个词 低保 标准", "低保 标准", None, 1),
        ("两个词 低保 标准 + 机关", "低保 标准", by_agency, 1),
        ("两个词 低保 标准 第 10 页", "低保 标准", None, 10),
    ]
    worst = 0.0
    print(f"{'查询':<28}{'命中':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for label, text, filters, page in cases:
        search(text, filters=filters, page=page)  # warm the caches once
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            results = search(text, filters=filters, page=page)
            times.append((time.perf_counter() - started) * 1000)
        p95 = _percentile(times, 0.95)
        worst = max(worst, p95)
        hits = f"{results.shown_total}{'+' if results.capped else ''}"
        print(
            f"{label:<28}{hits:>8}{statistics.median(times):>9.1f}{p95:>9.1f}"
            f"{_percentile(times, 0.99):>9.1f}"
        )
    verdict = "达标" if worst < TARGET_MS else "未达标"
    print(f"最慢 p95 {worst:.1f} ms（目标 < {TARGET_MS:.0f} ms）：{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
