"""Catalog speed: the storefront's product list and product page, and the products API,
against a trivial JSON view on the same gunicorn server (the ceiling).

    .venv/bin/python bench/catalog.py [--products 35] [--workers 2] [--duration 10] [--rounds 3]

One gunicorn (config/gunicorn.py: sync workers, access log off, no recycling during the run)
on a loopback port serves one store, `bench`, seeded with the demo catalog
(apps.catalog.demo; `--products N` tops it up to N products with generated editions). wrk
loads each endpoint in turn (8 connections, `--latency`), in interleaved rounds (the order
rotates every round so drift hits every endpoint alike); the median round is reported:

  ceiling   GET /bench/ping/               a JSON view through the whole middleware stack
  list      the product list page          anonymous, cached: warmed before measuring
  api       GET /api/v1/products/          must not be cached: checked before measuring
  detail    GET /products/<slug>/          the product page, anonymous

Before the load, each endpoint is requested twice in process (django.test.Client, cache
emptied first) to count its SQL queries cold and warm (the routing map's own query included
when cold); a cached page should cost 0 warm, and the API must still query.
Goals: cached list ≥ 60% of the ceiling's req/s, uncached API list ≥ 15%.

It runs on a database of its own, `bench_catalog` (dropped and created afresh; override with
BENCH_DATABASE_URL; it refuses the development database `pycommerce`, `postgres` and any
test database), Redis db 12 (BENCH_REDIS_URL) under the key prefix `pyc-bench-catalog`
(those keys are deleted at the end) and a temporary MEDIA_ROOT (removed at the end). The
database is dropped at the end unless --keep is given.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402 (needs the path above)

BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_catalog"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
STORE_SLUG = "bench"
STORE_HOST = f"{STORE_SLUG}.localhost"
SETTINGS = "bench.settings_catalog"
CEILING_PATH = "/bench/ping/"
API_PATH = "/api/v1/products/"
GOALS = {"list": 0.60, "api": 0.15}
LABELS = {
    "ceiling": "trivial JSON view (ceiling)",
    "list": "product list page (cached)",
    "api": "GET /api/v1/products/ (uncached)",
    "detail": "product page",
}


def database_url() -> str:
    return common.database_url(script="bench/catalog.py", default=DEFAULT_DATABASE_URL)


def redis_url() -> str:
    return common.redis_url(script="bench/catalog.py", default=DEFAULT_REDIS_URL)


def cache_keys_delete() -> int:
    """Delete this bench's cache keys (its own prefix), leaving the rest of the db alone."""
    from django.conf import settings
    from django_redis import get_redis_connection

    client = get_redis_connection("default")
    deleted = 0
    for key in client.scan_iter(match=f"*{settings.CACHE_KEY_PREFIX}*", count=1000):
        deleted += client.delete(key)
    return deleted


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- set-up, in process ---------------------------------------------------------------------


def store_seed(products: int, images_per_product: int) -> None:
    from django_tenants.utils import tenant_context

    from apps.catalog import demo
    from tenants import services

    store = services.store_provision(
        name="Fernhill Outfitters (bench)",
        slug=STORE_SLUG,
        owner_email="bench@example.com",
        owner_password="bench-Password-1",
        strategy=services.ProvisionStrategy.CLONE,
    ).tenant
    step = max(1, products // 10)
    started = time.monotonic()

    def progress(done: int, total: int, product) -> None:
        if done % step == 0 or done == total:
            common.log(f"  {done}/{total} products ({time.monotonic() - started:.1f} s)")

    with tenant_context(store):
        result = demo.demo_catalog_seed(
            products=products, images_per_product=images_per_product, progress=progress
        )
    common.log(f"seeded the bench store: {result.summary()}")


def in_store():
    """The bench store's schema, for ORM work from this process."""
    return common.in_store(STORE_SLUG)


def list_path_find(client) -> str:
    """The storefront's all-products page if it has one, else the first category's page."""
    from django.urls import NoReverseMatch, reverse

    from apps.catalog.models import Category

    for name in ("storefront:products",):
        try:
            path = reverse(name)
        except NoReverseMatch:
            continue
        if client.get(path).status_code == 200:
            return path
    with in_store():
        category = Category.objects.filter(parent=None).order_by("position").first()
    return f"/categories/{category.path}/"


def detail_path_find() -> str:
    from apps.catalog.models import Product

    with in_store():
        slug = (
            Product.objects.filter(status="published")
            .order_by("id")
            .values_list("slug", flat=True)[0]
        )
    return f"/products/{slug}/"


@dataclass
class Endpoint:
    key: str
    path: str
    queries_cold: int = -1
    queries_warm: int = -1
    rates: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    kilobytes: float = 0.0


def endpoints_check(endpoints: list[Endpoint]) -> list[str]:
    """Request each endpoint twice in process: it must answer 200; count the queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=STORE_HOST)
    problems = []
    for endpoint in endpoints:
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(endpoint.path)
            counts.append(len(queries))
            if response.status_code != 200:
                problems.append(f"{endpoint.key}: {endpoint.path} answered {response.status_code}")
                break
        connection.set_schema_to_public()
        if len(counts) == 2:
            endpoint.queries_cold, endpoint.queries_warm = counts
    api = next((e for e in endpoints if e.key == "api"), None)
    if api is not None and api.queries_warm == 0:
        problems.append(
            f"api: a second GET {api.path} ran no SQL query: it is served from a cache, so it "
            "would not measure the uncached list"
        )
    return problems


# --- the server and the load -----------------------------------------------------------------


class Server:
    def __init__(self, env: dict[str, str], workers: int):
        self.port = free_port()
        self.env = {
            **env,
            "PORT": str(self.port),
            "GUNICORN_BIND_HOST": "127.0.0.1",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": "1",
            "GUNICORN_ACCESS_LOG": "",
            "GUNICORN_LOG_LEVEL": "warning",
            # No recycling mid-measurement: a restart would cost an import and a cold cache.
            "GUNICORN_MAX_REQUESTS": "0",
        }
        self.process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> tuple[int, bytes]:
        request = urllib.request.Request(self.url(path), headers={"Host": STORE_HOST})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application"],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = self.get(CEILING_PATH)
                if status == 200 and b"store_bench" in body:
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.__exit__()
                raise RuntimeError(f"gunicorn did not answer on {self.url(CEILING_PATH)}")
            time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"cannot read a latency from {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


_SIZES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def wrk(url: str, *, duration: float, connections: int) -> tuple[float, float, float, float]:
    """(requests/s, p50 ms, p99 ms, KB per response) of one wrk run; any non-2xx answer or
    socket error fails."""
    result = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "--latency",
            "-H",
            f"Host: {STORE_HOST}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"errors during the run of {url}:\n{out}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)
    read = re.search(r"(\d+) requests in \S+, ([\d.]+)(B|KB|MB|GB) read", out)
    if not (rate and p50 and p99 and read):
        raise RuntimeError(f"cannot read wrk's output:\n{out}")
    kilobytes = float(read.group(2)) * _SIZES[read.group(3)] / 1024 / max(1, int(read.group(1)))
    return float(rate.group(1)), _ms(p50.group(1)), _ms(p99.group(1)), kilobytes


# --- the run --------------------------------------------------------------------------------


def report(endpoints: list[Endpoint], *, args: argparse.Namespace, products: int) -> bool:
    """The table. Each ratio is the median of the per-round ratios (an endpoint against the
    ceiling measured in the same round), which drift on a shared machine hits least."""
    ceiling = endpoints[0]
    print()
    print(
        f"Catalog of {products} products, gunicorn {args.workers} sync worker(s), wrk "
        f"{args.connections} connections, {args.rounds} rounds x {args.duration:g} s per "
        f"endpoint (medians of the rounds), {os.cpu_count()} CPUs"
    )
    print()
    print(
        "| endpoint | path | KB | SQL queries (cold / warm) | req/s | p50 ms | p99 ms "
        "| vs ceiling | goal |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    met = True
    for endpoint in endpoints:
        ratio = statistics.median(
            rate / base for rate, base in zip(endpoint.rates, ceiling.rates, strict=True)
        )
        goal = GOALS.get(endpoint.key)
        if goal is None:
            verdict = ""
        elif ratio >= goal:
            verdict = f"≥ {goal:.0%}: met"
        else:
            verdict = f"≥ {goal:.0%}: NOT MET"
            met = False
        print(
            f"| {LABELS[endpoint.key]} | `{endpoint.path}` | {endpoint.kilobytes:.1f} "
            f"| {endpoint.queries_cold} / {endpoint.queries_warm} "
            f"| {statistics.median(endpoint.rates):,.0f} "
            f"| {statistics.median(endpoint.p50):.2f} | {statistics.median(endpoint.p99):.2f} "
            f"| {ratio:.1%} | {verdict} |"
        )
    print()
    for endpoint in endpoints:
        rounds = ", ".join(
            f"{rate:.0f} ({rate / base:.0%})"
            for rate, base in zip(endpoint.rates, ceiling.rates, strict=True)
        )
        print(f"{endpoint.key:<8} req/s by round (vs that round's ceiling): {rounds}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=35, help="products in the catalog")
    parser.add_argument(
        "--images", type=int, default=2, help="images per product (drawn with Pillow)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds per endpoint first")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated endpoints to measure (ceiling is always measured): list,api,detail",
    )
    args = parser.parse_args()
    if args.products < 1 or args.rounds < 1 or args.images < 1:
        parser.error("--products, --rounds and --images must be ≥ 1")
    if not shutil.which("wrk"):
        sys.exit("bench/catalog.py needs wrk (Debian: apt-get install wrk).")

    url = database_url()
    env = common.environment(
        settings=SETTINGS, database=url, redis=redis_url(), media_prefix="bench-catalog-media-"
    )
    media = env["MEDIA_ROOT"]
    common.log(f"database {urlsplit(url).path.lstrip('/')}: dropping and creating it afresh")
    common.database_recreate(url)
    common.django_setup(env)
    from django.core.management import call_command
    from django.db import connection, connections

    goals_met = False
    try:
        deleted = cache_keys_delete()
        if deleted:
            common.log(f"deleted {deleted} cache keys left by an earlier run")
        common.log("migrating the public schema and building the template (migrate_schemas) ...")
        call_command("migrate_schemas", interactive=False, verbosity=0)
        common.log(f"seeding the bench store with {args.products} products ...")
        store_seed(args.products, args.images)
        connection.set_schema_to_public()

        from django.test import Client

        client = Client(HTTP_HOST=STORE_HOST)
        wanted = {"list", "api", "detail"}
        if args.only:
            wanted = {name.strip() for name in args.only.split(",") if name.strip()}
        endpoints = [Endpoint("ceiling", CEILING_PATH)]
        if "list" in wanted:
            endpoints.append(Endpoint("list", list_path_find(client)))
        if "api" in wanted:
            endpoints.append(Endpoint("api", API_PATH))
        if "detail" in wanted:
            endpoints.append(Endpoint("detail", detail_path_find()))
        connection.set_schema_to_public()
        cache_keys_delete()  # so the first in-process request of each endpoint is cold
        problems = endpoints_check(endpoints)
        for problem in problems:
            common.log(f"PROBLEM: {problem}")
        broken = {problem.split(":", 1)[0] for problem in problems if "answered" in problem}
        if broken:
            common.log(f"leaving out what does not answer 200 yet: {', '.join(sorted(broken))}")
            endpoints = [endpoint for endpoint in endpoints if endpoint.key not in broken]
        connections.close_all()

        with Server(env, args.workers) as server:
            common.log(
                f"wrk, {args.connections} connections, {args.duration:g} s x {args.rounds} "
                f"rounds per endpoint, gunicorn {args.workers} sync worker(s) on port "
                f"{server.port}"
            )
            for endpoint in endpoints:  # warm: imports, connections, the page cache
                wrk(server.url(endpoint.path), duration=args.warmup, connections=args.connections)
            for round_no in range(args.rounds):
                shift = round_no % len(endpoints)
                for endpoint in endpoints[shift:] + endpoints[:shift]:
                    rate, p50, p99, endpoint.kilobytes = wrk(
                        server.url(endpoint.path),
                        duration=args.duration,
                        connections=args.connections,
                    )
                    endpoint.rates.append(rate)
                    endpoint.p50.append(p50)
                    endpoint.p99.append(p99)
                    common.log(
                        f"round {round_no + 1}: {endpoint.key:<8} {rate:9.0f} req/s  "
                        f"p50 {p50:6.2f} ms  p99 {p99:6.2f} ms"
                    )
        goals_met = report(endpoints, args=args, products=args.products) and not problems
        if problems:
            print()
            for problem in problems:
                print(f"PROBLEM: {problem}")
    finally:
        connections.close_all()
        deleted = cache_keys_delete()
        common.log(f"deleted {deleted} cache keys (prefix {SETTINGS}'s CACHE_KEY_PREFIX)")
        shutil.rmtree(media, ignore_errors=True)
        if args.keep:
            common.log("kept the benchmark database (--keep)")
        else:
            common.log("dropping the benchmark database")
            common.database_recreate(url, drop_only=True)
    return 0 if goals_met else 1


if __name__ == "__main__":
    sys.exit(main())
