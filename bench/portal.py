"""The public portal under load: gunicorn serving a deployment of 1,000,000 published items.

    .venv/bin/python bench/portal.py [--agencies 200] [--items 1000000] [--db sqlite|postgres|both]
                                     [--seconds 15] [--connections 16] [--workers 2]

For each database: fill it once with ``bench/portal_data.py`` (bulk inserts; kept for the next
run of the same size; another size starts from an empty database),
collect the static files, start gunicorn with the *production* settings (DEBUG off, manifest
static files through WhiteNoise, the cache in Redis so that every worker shares it), then load
each page with wrk (Debian's ``wrk``, ``make bench-deps``) for ``--seconds`` after a warm-up, in
the same run:

- ``ceiling``: a minimal Django view through the same middleware and server — the upper bound;
  ``ceiling (14 KB)``: the same view answering a body as large as a portal page (bytes on the
  wire cost something too on a 2-core machine where wrk, Redis and gunicorn share the cores);
- ``home``, ``column`` (first pages of 200 columns), ``item`` (500 random items): cached pages,
  each requested once before the run (a warm cache, as a portal in steady state has);
- ``search``: 40 queries (common and rare words, two-word queries, filters), repeated — cached;
- ``item (uncached)``, ``search (uncached)``: the same pages with a unique parameter on each
  request, so none is answered from the cache: every one runs its queries and renders (for
  search: segmentation, the full-text query, snippets).

Prints requests per second, p50/p95/p99 latency and each page's share of the ceiling. Targets
(issue 11): cached pages ≥ 80 % of the ceiling; search p95 < 100 ms. Not a test.

PostgreSQL: database ``gongkai_bench_portal`` on 127.0.0.1 (created when missing). SQLite: a file
under ``$TMPDIR/gongkai-bench-portal``. Redis: database 7 of 127.0.0.1:6379, flushed per run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PYTHON = sys.executable
PG_URL = "postgres://postgres@127.0.0.1:5432/gongkai_bench_portal"
REDIS_TCP = "redis://127.0.0.1:6379/7"
SOCKET = Path(tempfile.gettempdir()) / "gongkai-bench-redis.sock"
REDIS_SOCKET = f"unix://{SOCKET}?db=0"
# Topics of bench/portal_data.py's items (信访 is in ~10 % of them, 古树名木 in ~0.05 %); some of
# the pairs below never meet in one item: the no-result worst case of a conjunction.
SEARCH_WORDS = ["信访", "低保", "安全生产", "财政预算", "古树名木", "道路交通", "养老服务"]


def _env(db: str, workdir: Path, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        PYTHONPATH=os.pathsep.join([str(BENCH), str(REPO / "src")]),
        DJANGO_SETTINGS_MODULE="portal_site",
        GONGKAI_DEBUG="0",
        GONGKAI_DEMO="0",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        GONGKAI_SSL_REDIRECT="0",
        GONGKAI_HSTS_SECONDS="0",
        GONGKAI_STATIC_ROOT=str(workdir / "static"),
        REDIS_URL=redis_url,
        GONGKAI_TASKS="immediate",
    )
    if db == "postgres":
        env["DATABASE_URL"] = PG_URL
    else:
        env["GONGKAI_DATA_DIR"] = str(workdir / "data")
    return env


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, check=True, capture_output=True, text=True)
    return done.stdout


def _prepare(db: str, agencies: int, items: int, workdir: Path, env: dict[str, str]) -> None:
    marker = workdir / f"filled-{agencies}x{items}"
    if not marker.exists():  # start from an empty database: fill() adds to what is there
        shutil.rmtree(workdir / "data", ignore_errors=True)
        for old in workdir.glob("filled-*"):
            old.unlink()
        if db == "postgres":
            pg = ["-h", "127.0.0.1", "-U", "postgres"]
            subprocess.run(["dropdb", *pg, "--if-exists", "gongkai_bench_portal"], check=True)
            subprocess.run(["createdb", *pg, "gongkai_bench_portal"], check=True)
    if marker.exists():
        print(f"  data of an earlier run: {agencies} agencies × {items:,} items")
    else:
        started = time.perf_counter()
        print(f"  filling {agencies} agencies × {items:,} items …")
        sys.stdout.flush()
        command = [PYTHON, str(BENCH / "portal_data.py"), "--agencies", str(agencies),
                   "--items", str(items), "--data-dir", str(workdir / "data")]  # fmt: skip
        subprocess.run(command, env=env, check=True)
        marker.touch()
        print(f"  filled in {time.perf_counter() - started:.0f} s")
    # Data of an earlier run gets the migrations added since (e.g. a new index) before it is read.
    _run([PYTHON, "-m", "gongkai", "migrate", "--noinput", "-v", "0"], env)
    _run([PYTHON, "-m", "gongkai", "collectstatic", "--noinput", "--clear", "-v", "0"], env)


_SAMPLE = r"""
import json, random
import django
django.setup()
from gongkai.disclosure.models import Column, Item
from gongkai.portal.selectors import public_items
random.seed(7)
step = max(1, public_items().count() // 5000)
ids = list(public_items().values_list("pk", "agency_id").order_by("pk")[::step])
cols = list(Column.objects.filter(active=True, items__published_revision__isnull=False)
            .values_list("pk", "agency_id").distinct()[:200])
print(json.dumps({"items": random.sample(ids, min(500, len(ids))), "columns": cols}))
"""


def _paths(env: dict[str, str]) -> dict[str, list[str]]:
    sample = json.loads(_run([PYTHON, "-c", _SAMPLE], env).strip().splitlines()[-1])
    agencies = sorted({agency for _, agency in sample["columns"]})
    queries = [f"/search/?q={w}" for w in SEARCH_WORDS]
    queries += [f"/search/?q={a}+{b}" for a, b in itertools.pairwise(SEARCH_WORDS)]
    queries += [f"/search/?q={w}&agency={a}" for w in SEARCH_WORDS[:4] for a in agencies[:4]]
    queries += [f"/search/?q={w}&page=5" for w in SEARCH_WORDS[:4]]
    queries += [f"/search/?q={w}&year=2025" for w in SEARCH_WORDS[:4]]
    quote = urllib.request.quote
    return {
        "ceiling": ["/__ceiling__/"],
        "ceiling (14 KB)": ["/__ceiling__/?size=page"],
        "home": ["/"],
        "column": [f"/agencies/{a}/columns/{c}/" for c, a in sample["columns"]],
        "item": [f"/agencies/{a}/items/{i}/" for i, a in sample["items"]],
        "search": [quote(q, safe="/?=&+") for q in queries],
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_gunicorn(env: dict[str, str], workers: int, port: int, log: Path) -> subprocess.Popen:
    command = [
        PYTHON, "-m", "gunicorn", "gongkai.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--worker-class", "sync", "--backlog", "2048",
        "--error-logfile", str(log),
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__ceiling__/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"gunicorn did not start; see {log}")


def _wrk(port: int, paths: list[str], seconds: int, connections: int, *, bust: bool, tmp: Path):
    listing = tmp / "paths.txt"
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    env = dict(os.environ, WRK_PATHS=str(listing))
    env.pop("WRK_BUST", None)
    if bust:
        env["WRK_BUST"] = "1"
    command = [
        "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
        "-s", str(BENCH / "wrk_paths.lua"), f"http://127.0.0.1:{port}",
    ]  # fmt: skip
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("{")))


def _warm(port: int, paths: list[str]) -> None:
    """Request every path once, so the cached runs measure a warm cache (as a portal in steady
    state has) rather than the first visitor of each page."""
    for path in paths:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as answer:
            answer.read()


def _flush_redis(url: str) -> None:
    import redis  # noqa: PLC0415

    redis.Redis.from_url(url).flushdb()


def _start_socket_redis() -> subprocess.Popen:
    """A private Redis on a Unix socket (no TCP): how a single-host deployment would run it."""
    SOCKET.unlink(missing_ok=True)
    command = ["redis-server", "--port", "0", "--unixsocket", str(SOCKET), "--save", "",
               "--appendonly", "no"]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    for _ in range(50):
        if SOCKET.exists():
            return server
        time.sleep(0.1)
    server.kill()
    raise SystemExit("redis-server did not start on its Unix socket")


def bench_db(db: str, args: argparse.Namespace) -> list[dict[str, object]]:
    workdir = Path(tempfile.gettempdir()) / "gongkai-bench-portal" / db
    workdir.mkdir(parents=True, exist_ok=True)
    redis_url = REDIS_SOCKET if args.redis_socket else REDIS_TCP
    env = _env(db, workdir, redis_url)
    _prepare(db, args.agencies, args.items, workdir, env)
    paths = _paths(env)
    _flush_redis(redis_url)
    port = _free_port()
    server = _start_gunicorn(env, args.workers, port, workdir / "gunicorn.log")
    rows = []
    try:
        full = args.connections
        names = ("ceiling", "ceiling (14 KB)", "home", "column", "item", "search")
        runs = [(name, name, False, full) for name in names]
        runs += [(f"{name} (uncached)", name, True, full) for name in ("item", "search")]
        # As many connections as workers: no request waits behind another, so the latency is
        # the search's own cost (with 16 connections it is mostly queueing).
        runs.append(("search (uncached, c=workers)", "search", True, args.workers))
        for label, key, bust, connections in runs:
            if not bust:
                _warm(port, paths[key])
            _wrk(port, paths[key], 3, connections, bust=bust, tmp=workdir)
            result = _wrk(port, paths[key], args.seconds, connections, bust=bust, tmp=workdir)
            rows.append({"page": label, "connections": connections, **result})
            print(
                f"  {label:28} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.2f} ms  "
                f"p95 {result['p95_ms']:7.2f} ms  p99 {result['p99_ms']:7.2f} ms  "
                f"errors {result['errors']}"
            )
            sys.stdout.flush()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    ceiling, sized = float(rows[0]["rps"]), float(rows[1]["rps"])
    for row in rows:
        row["share_of_ceiling"] = round(float(row["rps"]) / ceiling, 3)
        row["share_of_14kb_ceiling"] = round(float(row["rps"]) / sized, 3)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    parser.add_argument(
        "--redis-socket", action="store_true", help="a private Redis on a Unix socket, not TCP"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("需要 wrk（make bench-deps 安装 Debian 的 wrk）。")
    results = {}
    redis_server = _start_socket_redis() if args.redis_socket else None
    try:
        for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
            redis_how = "on a Unix socket" if args.redis_socket else "over TCP"
            print(
                f"== {db}: {args.agencies} agencies, {args.items:,} items, "
                f"{args.workers} workers, {args.connections} connections, "
                f"{args.seconds} s per page, Redis {redis_how}"
            )
            rows = bench_db(db, args)
            for row in rows:
                print(
                    f"  {row['page']:28} {row['share_of_ceiling'] * 100:5.1f} % of the ceiling, "
                    f"{row['share_of_14kb_ceiling'] * 100:5.1f} % of the 14 KB one"
                )
            results[db] = rows
    finally:
        if redis_server is not None:
            redis_server.terminate()
            redis_server.wait(timeout=10)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
