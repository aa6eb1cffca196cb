"""Provisioning speed: from the create call to the new store's first 200 response.

    .venv/bin/python bench/provision.py [--stores N] [--runs R] [--keep]

Three ways of giving a store its schema, measured in the same run, interleaved (the order
rotates every round so drift hits all of them alike):

  pool    — rename a ready, migrated schema (the signup path while the pool is warm);
  clone   — replay the template snapshot (the fallback when the pool is empty, and how the
            pool is refilled);
  migrate — replay every migration (what django-tenants does without a template).

Each sample is `tenants.services.store_provision(...)` (slug checks, the owner's password
hashed with the production hasher, Tenant + Domain + owner, commit, the on-commit side
effects queued on Redis) followed by a GET of the store's home page on its own host through
the whole middleware stack (django.test.Client, in process). `--stores N` first creates N
stores (cloned, with progress): django-tenants' clone got slower as the catalogs grew, and the
snapshot clone must not.

It runs on a database of its own, `bench_pycommerce` (dropped and created afresh; override
with BENCH_DATABASE_URL), and Redis db 14 (BENCH_REDIS_URL) as cache and Celery broker; no
worker consumes the queue, which is purged at the end. The database is dropped at the end
(with everything the run created) unless --keep is given. It refuses to touch the
development database (`pycommerce`) or any test database.
"""

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402 (needs the path above)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_pycommerce"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
PASSWORD = "Bench-password-2024!"
STRATEGIES = ("pool", "clone", "migrate")
GOAL_POOL_P95_MS = 50.0
GOAL_POOL_VS_MIGRATE = 20.0


def database_url() -> str:
    return common.database_url(script="bench/provision.py", default=DEFAULT_DATABASE_URL)


def django_setup(*, url: str, pool_size: int) -> None:
    # The local settings keep the production password hasher (Argon2id); the test settings'
    # MD5 would make signup look ~10 ms faster than it is.
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DATABASE_URL"] = url
    os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    os.environ["CELERY_BROKER_URL"] = os.environ["REDIS_URL"]
    os.environ["DEBUG"] = "false"  # no per-query bookkeeping
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["STORE_POOL_SIZE"] = str(pool_size)
    import django

    django.setup()


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample at or above `fraction` of them."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class Bench:
    def __init__(self) -> None:
        from django.db import connection
        from django.test import Client

        from tenants import services

        self.connection = connection
        self.services = services
        self.client = Client()
        self.samples: dict[str, list[tuple[float, float]]] = {name: [] for name in STRATEGIES}

    def store_create(self, slug: str, strategy: str):
        self.connection.set_schema_to_public()
        return self.services.store_provision(
            name=f"Bench {slug}",
            slug=slug,
            owner_email=f"owner@{slug}.bench.test",
            owner_password=PASSWORD,
            strategy=self.services.ProvisionStrategy(strategy),
        )

    def measure(self, slug: str, strategy: str) -> None:
        started = time.perf_counter()
        result = self.store_create(slug, strategy)
        created = time.perf_counter()
        response = self.client.get("/", HTTP_HOST=result.tenant.primary_host)
        answered = time.perf_counter()
        self.connection.set_schema_to_public()
        if response.status_code != 200 or result.strategy != strategy:
            raise SystemExit(
                f"{slug}: expected 200 by {strategy}, got {response.status_code} by "
                f"{result.strategy}"
            )
        self.samples[strategy].append(((created - started) * 1000, (answered - created) * 1000))


def stores_precreate(bench: Bench, count: int) -> None:
    if not count:
        return
    common.log(f"creating {count} stores first (cloned from the template) ...")
    started = time.monotonic()
    step = max(1, count // 20)
    for n in range(1, count + 1):
        bench.store_create(f"filler-{n}", "clone")
        if n % step == 0 or n == count:
            elapsed = time.monotonic() - started
            common.log(f"  {n}/{count} stores ({elapsed:.0f} s, {elapsed / n * 1000:.0f} ms each)")


def report(bench: Bench, *, stores: int, runs: int) -> bool:
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM pg_namespace "
            "WHERE nspname LIKE 'store%%' OR nspname LIKE 'pool%%'"
        )
        schemas = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = %s", [settings.TENANT_BASE_SCHEMA]
        )
        tables = cursor.fetchone()[0]

    hasher = settings.PASSWORD_HASHERS[0].rsplit(".", 1)[-1]
    rows = {}
    for strategy, samples in bench.samples.items():
        totals = [create + first for create, first in samples]
        rows[strategy] = {
            "create": statistics.median(create for create, _ in samples),
            "first": statistics.median(first for _, first in samples),
            "median": statistics.median(totals),
            "p95": percentile(totals, 0.95),
        }
    migrate = rows["migrate"]
    print()
    print(
        f"Provisioning, {stores} stores present before the run ({schemas} store/pool schemas "
        f"at the end, {tables} tables each), {runs} runs per strategy, PostgreSQL "
        f"{server_version}, {os.cpu_count()} CPUs, hasher {hasher}"
    )
    print()
    print(
        "| strategy | create median (ms) | first GET median (ms) | total median (ms) "
        "| total p95 (ms) | migrations ÷ this (median) | migrations ÷ this (p95) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for strategy, row in rows.items():
        print(
            f"| {strategy} | {row['create']:.1f} | {row['first']:.1f} | {row['median']:.1f} "
            f"| {row['p95']:.1f} | {migrate['median'] / row['median']:.1f}x "
            f"| {migrate['p95'] / row['p95']:.1f}x |"
        )
    from django.contrib.auth.hashers import make_password

    hashing = []
    for _ in range(max(runs, 5)):
        started = time.perf_counter()
        make_password(PASSWORD)
        hashing.append((time.perf_counter() - started) * 1000)
    hash_median = statistics.median(hashing)
    print()
    print(
        f"Of each create, hashing the owner's password alone takes {hash_median:.1f}"
        " ms (median, measured separately): the same for every strategy."
    )
    # The hash is the same fixed cost in every strategy; without it the ratio compares only
    # what each strategy does to give the store its schema (plus the rows every signup writes).
    work = {strategy: row["create"] - hash_median for strategy, row in rows.items()}
    print(
        "Schema work only (create median minus password-hash median): "
        + ", ".join(f"{strategy} {ms:.1f} ms" for strategy, ms in work.items())
        + f"; migrations ÷ pool = {work['migrate'] / work['pool']:.1f}x, "
        f"migrations ÷ clone = {work['migrate'] / work['clone']:.1f}x."
    )
    pool = rows["pool"]
    speedup = migrate["median"] / pool["median"]
    met_p95 = pool["p95"] <= GOAL_POOL_P95_MS
    met_speedup = speedup >= GOAL_POOL_VS_MIGRATE
    print()
    print(
        f"Goal pool p95 ≤ {GOAL_POOL_P95_MS:.0f} ms: {pool['p95']:.1f} ms "
        f"({'met' if met_p95 else 'NOT met'}). "
        f"Goal pool ≥ {GOAL_POOL_VS_MIGRATE:.0f}x migrations: {speedup:.1f}x "
        f"({'met' if met_speedup else 'NOT met'}). "
        f"Clone vs migrations: {migrate['median'] / rows['clone']['median']:.1f}x."
    )
    return met_p95 and met_speedup


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", type=int, default=0, help="stores to create before measuring")
    parser.add_argument("--runs", type=int, default=10, help="samples per strategy")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()
    if args.runs < 1 or args.stores < 0:
        parser.error("--runs must be ≥ 1 and --stores ≥ 0")

    url = database_url()
    common.log(f"database {urlsplit(url).path.lstrip('/')}: dropping and creating it afresh")
    common.database_recreate(url)
    django_setup(url=url, pool_size=args.runs)
    from django.core.management import call_command
    from django.db import connections

    from config.celery import app as celery_app

    try:
        common.log("migrating the public schema and building the template (migrate_schemas) ...")
        call_command("migrate_schemas", interactive=False, verbosity=0)
        bench = Bench()
        stores_precreate(bench, args.stores)
        # Warm-up, not measured: first imports, template caches, the broker connection.
        for strategy in STRATEGIES:
            bench.store_create(f"warm-{strategy}", strategy)
            bench.client.get("/", HTTP_HOST=f"warm-{strategy}.localhost")
        common.log(f"filling the pool with {args.runs} ready schemas (not measured) ...")
        bench.connection.set_schema_to_public()
        bench.services.pool_fill(size=args.runs)
        common.log(f"measuring {args.runs} runs of {', '.join(STRATEGIES)} ...")
        for run in range(args.runs):
            order = STRATEGIES[run % 3 :] + STRATEGIES[: run % 3]
            for strategy in order:
                bench.measure(f"by-{strategy}-{run + 1}", strategy)
        goals_met = report(bench, stores=args.stores, runs=args.runs)
    finally:
        celery_app.control.purge()  # the welcome emails and refills no worker will run
        connections.close_all()
        if args.keep:
            common.log("kept the benchmark database (--keep)")
        else:
            common.log("dropping the benchmark database (and every store this run created)")
            common.database_recreate(url, drop_only=True)
    return 0 if goals_met else 1


if __name__ == "__main__":
    sys.exit(main())
