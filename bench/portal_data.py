"""A published portal at scale: N agencies × M published items, plus the search index.

    .venv/bin/python bench/portal_data.py [--agencies 200] [--items 1000000] [--seed 1]

As a library (the portal and search benches): ``fill(agencies=200, items=1_000_000)`` on the
configured database, Django already set up. Uses ``DATABASE_URL`` (PostgreSQL) or, without it,
a SQLite file under ``GONGKAI_DATA_DIR`` (the CLI picks a throw-away folder unless one is given).

Items are realistic enough for search: titles and bodies are drawn from a small vocabulary of
government-notice phrases, so word frequencies are known (「信访」 is in about one item in ten,
「古树名木」 in about one in two thousand, see ``VOCABULARY``). Everything is bulk inserted with
explicit primary keys (item and its published revision share one), bypassing the services:
this is data for measuring reads, not a record of anyone's work. Sentences are segmented once
each and their words reused, so filling does not run jieba a million times.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

# Topic of an item and its share of items (what the search bench relies on).
TOPICS: list[tuple[str, float]] = [
    ("信访", 0.10),
    ("低保", 0.06),
    ("安全生产", 0.08),
    ("乡村振兴", 0.08),
    ("医疗保障", 0.07),
    ("义务教育", 0.07),
    ("生态环境", 0.08),
    ("营商环境", 0.07),
    ("住房公积金", 0.05),
    ("防汛抗旱", 0.05),
    ("养老服务", 0.06),
    ("就业创业", 0.07),
    ("财政预算", 0.06),
    ("古树名木", 0.0005),
    ("道路交通", 0.0995),
]
KINDS = ["工作通知", "实施方案", "工作要点", "情况通报", "管理办法", "政策解读", "工作动态"]
TITLES = [
    "关于做好{year}年{topic}工作的通知",
    "{region}{topic}{kind}",
    "关于印发《{region}{topic}{kind}》的通知",
    "{year}年{topic}工作情况通报",
    "市政府召开{topic}专题会议",
    "关于进一步加强{topic}管理的意见",
]
SENTENCES = [
    "为深入贯彻落实党中央、国务院决策部署，结合本地实际，制定本方案。",
    "各单位要高度重视{topic}工作，明确责任分工，确保各项措施落到实处。",
    "{topic}工作事关人民群众切身利益，是保障和改善民生的重要内容。",
    "建立健全{topic}工作机制，定期开展督导检查，及时发现和解决问题。",
    "本通知自印发之日起施行，由市人民政府办公室负责解释。",
    "各县区、各部门要加强组织领导，落实工作经费，按时报送工作进展。",
    "畅通群众诉求表达渠道，依法依规分类处理群众诉求。",
    "城乡居民最低生活保障标准按照当地经济社会发展水平动态调整。",
    "加强安全生产隐患排查治理，坚决遏制重特大事故发生。",
    "进一步优化审批流程，压缩办理时限，提高政务服务效率。",
    "加强政策宣传解读，及时回应社会关切，营造良好舆论氛围。",
    "对工作推进不力、群众反映强烈的单位，将予以通报批评。",
]
REGIONS = ["全市", "市区", "各县区", "本市", "全省"]


def _weighted_topics(rng: random.Random, n: int) -> list[str]:
    names = [t for t, _ in TOPICS]
    weights = [w for _, w in TOPICS]
    return rng.choices(names, weights=weights, k=n)


@lru_cache(maxsize=20_000)
def _terms(text: str) -> str:
    from gongkai.search.segment import index_terms  # noqa: PLC0415

    return index_terms(text)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fill(
    *,
    agencies: int = 200,
    items: int = 1_000_000,
    seed: int = 1,
    batch: int = 10_000,
    progress: Callable[[str], None] = _progress,
) -> dict[str, int]:
    """Add ``agencies`` agencies (each with four item columns) and ``items`` published items
    spread over them and over the last six years, all in the search index. Returns counts."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.db import connection, transaction  # noqa: PLC0415

    from gongkai.agencies.models import Agency, Region, RegionLevel  # noqa: PLC0415
    from gongkai.disclosure.models import Column, Item, ItemRevision  # noqa: PLC0415
    from gongkai.search.backends import facet_terms  # noqa: PLC0415
    from gongkai.search.models import SearchEntry  # noqa: PLC0415

    rng = random.Random(seed)
    started = time.perf_counter()
    user, _ = get_user_model().objects.get_or_create(
        username="bench-publisher", defaults={"is_active": False}
    )
    region, _ = Region.objects.get_or_create(
        name="基准测试市", parent=None, defaults={"level": RegionLevel.CITY}
    )
    first = (Agency.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    made = Agency.objects.bulk_create(
        [
            Agency(region=region, name=f"基准测试机关{first + n:04d}", org_code="")
            for n in range(agencies)
        ]
    )
    agency_ids = [a.pk for a in made] or list(
        Agency.objects.filter(region=region).values_list("pk", flat=True)
    )
    column_names = [("工作动态", "news"), ("通知公告", "notice"), ("政策文件", "policy"),
                    ("政策解读", "policy")]  # fmt: skip
    Column.objects.bulk_create(
        [
            Column(agency_id=a, name=name, kind=kind, position=i * 10)
            for a in agency_ids
            for i, (name, kind) in enumerate(column_names)
        ]
    )
    columns: dict[int, list[int]] = {}
    for pk, agency_id in Column.objects.filter(agency_id__in=agency_ids).values_list(
        "pk", "agency_id"
    ):
        columns.setdefault(agency_id, []).append(pk)
    progress(f"{len(agency_ids)} 个机关，{sum(map(len, columns.values()))} 个栏目")

    from gongkai.disclosure.defaults import SUBJECTS  # noqa: PLC0415

    next_pk = (Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    next_pk = max(
        next_pk,
        (ItemRevision.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1,
    )
    now = datetime.now(tz=UTC)
    span = 6 * 365 * 24 * 3600
    start = now - timedelta(seconds=span)
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_document_gin")
    done = 0
    item_sql, item_row = _inserter(connection, Item)
    revision_sql, revision_row = _inserter(connection, ItemRevision)
    entry_sql, entry_row = _inserter(connection, SearchEntry)
    document_sql = "INSERT INTO search_fts (rowid, title, body, facets) VALUES (%s, %s, %s, %s)"
    if postgres:
        from gongkai.search.backends import PostgresBackend  # noqa: PLC0415

        document_sql = "INSERT INTO search_document (item_id, document) VALUES (%s, "
        document_sql += PostgresBackend.DOCUMENT + ")"
    adapt = connection.ops.adapt_datetimefield_value
    stamp = adapt(now)
    while done < items:
        size = min(batch, items - done)
        topics = _weighted_topics(rng, size)
        item_rows, revision_rows, entry_rows, documents = [], [], [], []
        for n in range(size):
            pk = next_pk + done + n
            agency_id = agency_ids[rng.randrange(len(agency_ids))]
            column_id = rng.choice(columns[agency_id])
            topic = topics[n]
            # Publication times grow with the pk (as in life): newest first is pk order.
            published = start + timedelta(seconds=span * (done + n) / items)
            when = adapt(published)
            year = published.astimezone().year
            title = rng.choice(TITLES).format(
                year=year, topic=topic, kind=rng.choice(KINDS), region=rng.choice(REGIONS)
            )
            sentences = [s.format(topic=topic) for s in rng.sample(SENTENCES, rng.randint(2, 4))]
            text = "".join(sentences)
            body = "".join(f"<p>{s}</p>" for s in sentences)
            subject = rng.choice(SUBJECTS)
            validity = rng.choice(["valid", "valid", "repealed"]) if n % 10 == 0 else ""
            kind = "normative" if validity else "article"
            meta = {"subject": subject, "validity": validity, "kind": kind, "doc_number": ""}
            index_number = f"B{agency_id:05d}/{year}-{pk:07d}"
            item_rows.append(
                item_row(
                    id=pk,
                    agency_id=agency_id,
                    column_id=column_id,
                    kind=kind,
                    status="published",
                    title=title,
                    body=body,
                    index_number=index_number,
                    subject=subject,
                    validity=validity,
                    created_by_id=user.pk,
                    current_revision_id=pk,
                    approved_revision_id=pk,
                    published_revision_id=pk,
                    publisher_id=user.pk,
                    first_published_at=when,
                    published_at=when,
                    created_at=when,
                    updated_at=when,
                )
            )
            revision_rows.append(
                revision_row(
                    id=pk,
                    item_id=pk,
                    number=1,
                    revision_hash=f"{pk:064x}",
                    title=title,
                    body=body,
                    metadata=json.dumps(meta, ensure_ascii=False),
                    created_by_id=user.pk,
                    created_at=when,
                    submitted_at=when,
                )
            )
            title_terms = _terms(title)
            # What index_terms gives for an 索引号 (checked in tests), without running jieba.
            number_terms = f"b{agency_id:05d} {year} {pk:07d}"
            body_terms = " ".join([number_terms, *(_terms(s) for s in sentences)])
            facets = facet_terms(agency_id, column_id, year, subject, validity)
            entry = entry_row(
                item_id=pk,
                agency_id=agency_id,
                column_id=column_id,
                year=year,
                subject=subject,
                validity=validity,
                published_at=when,
                title=title,
                text=text,
                title_terms=title_terms,
                body_terms=body_terms,
                indexed_at=stamp,
            )
            entry_rows.append(entry)
            if postgres:
                documents.append((pk, title_terms, body_terms, [f"_{f}" for f in facets]))
            else:
                documents.append((pk, title_terms, body_terms, " ".join(facets)))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(item_sql, item_rows)
            cursor.executemany(revision_sql, revision_rows)
            cursor.executemany(entry_sql, entry_rows)
            cursor.executemany(document_sql, documents)
        done += size
        progress(f"{done:,}/{items:,} 条（{time.perf_counter() - started:,.0f} 秒）")
    with connection.cursor() as cursor:
        if postgres:
            progress("建立 GIN 索引…")
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS search_document_gin ON search_document "
                "USING gin (document)"
            )
            for table in ("disclosure_item", "disclosure_itemrevision"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            cursor.execute("ANALYZE")
        else:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    Column.objects.filter(agency_id__in=agency_ids).update(last_published_at=now)
    seconds = time.perf_counter() - started
    progress(f"完成：{items:,} 条，用时 {seconds:,.0f} 秒")
    return {"agencies": len(agency_ids), "items": items, "seconds": int(seconds)}


def _inserter(connection, model) -> tuple[str, Callable[..., tuple]]:
    """A plain INSERT of every concrete column and a row builder that fills defaults (bulk
    inserts without building model instances: about ten times faster at a million rows)."""
    fields = model._meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    defaults = {}
    for f in fields:
        value = f.get_default() if f.has_default() else None
        if value is None and not f.null and f.get_internal_type() in ("CharField", "TextField"):
            value = ""
        if isinstance(value, dict | list):
            value = json.dumps(value)
        defaults[f.attname] = value
    names = [f.attname for f in fields]

    def row(**values: object) -> tuple:
        merged = defaults | values
        return tuple(merged[name] for name in names)

    return sql, row


def main() -> int:
    import argparse  # noqa: PLC0415

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", help="SQLite 数据目录（默认临时目录）")
    args = parser.parse_args()
    setup(args.data_dir)
    from django.core.management import call_command  # noqa: PLC0415

    call_command("migrate", interactive=False, verbosity=0)
    fill(agencies=args.agencies, items=args.items, seed=args.seed)
    return 0


def setup(data_dir: str | None = None) -> None:
    """Django settings for a bench: ``DATABASE_URL`` or a SQLite file in ``data_dir``."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["GONGKAI_DATA_DIR"] = data_dir or tempfile.mkdtemp(prefix="gongkai-bench-")
        Path(os.environ["GONGKAI_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.setdefault("GONGKAI_DEBUG", "1")
    os.environ.setdefault("GONGKAI_TASKS", "immediate")
    import django  # noqa: PLC0415

    django.setup()
    print(f"数据库：{_describe()}", file=sys.stderr)


def _describe() -> str:
    from django.conf import settings  # noqa: PLC0415

    db = settings.DATABASES["default"]
    return f"{db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}"


if __name__ == "__main__":
    sys.exit(main())
