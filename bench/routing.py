"""Routing cost: a hello view through our middleware vs django-tenants' stock one vs bare WSGI.

A fourth row, Django with no routing middleware at all, shows what Django itself costs.

    .venv/bin/python bench/routing.py [--workers 1] [--duration 10] [--rounds 3]

All run on the same gunicorn config (config/gunicorn.py: sync workers, access log off,
no worker recycling during the run) on a loopback port, loaded in turn by the same bounded
load generator (wrk if installed, else a small multi-process Python client), in the same run.
Rounds are interleaved (bare, django, stock, ours, bare, ...) so drift hits all three alike; the
median round is reported. Goals: ours ≥ 65% of bare WSGI and ≥ 4x the stock middleware.

The Django variants use bench/settings_routing.py against their own database
(`bench_routing`, created and migrated here; one store `bench` is provisioned through
tenants.services.store_provision) and Redis db 13 when Redis answers.
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
import urllib.request
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
BIN = Path(sys.executable).parent
STORE_SLUG = "bench"
STORE_HOST = f"{STORE_SLUG}.localhost"
GOAL_VS_BARE = 0.65
GOAL_VS_STOCK = 4.0
VARIANTS = ("bare", "django", "stock", "ours")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url() -> str:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return "redis://127.0.0.1:6379/13"
    except OSError:
        return ""


def database_url(given: str | None) -> str:
    if given:
        return given
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [PYTHON, str(ROOT / "config" / "devdb.py"), "database", "--name", "bench_routing"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def base_env(db_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url(),
        "DJANGO_SETTINGS_MODULE": "bench.settings_routing",
        "BASE_DOMAIN": "localhost",
        "PYTHONPATH": str(ROOT),
    }


def prepare(env: dict[str, str]) -> None:
    """Migrate the bench database and make sure the bench store exists."""
    log("migrating the bench database (template schema included)")
    subprocess.run(
        [PYTHON, "manage.py", "migrate_schemas", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**env, "BENCH_ROUTING": "ours"},
        check=True,
    )
    script = (
        "from tenants import services\n"
        "from tenants.models import Tenant\n"
        f"if not Tenant.objects.filter(slug={STORE_SLUG!r}).exists():\n"
        "    services.store_provision(name='Bench Store', "
        f"slug={STORE_SLUG!r}, owner_email='bench@example.com', "
        "owner_password='bench-Password-1', strategy=services.ProvisionStrategy.CLONE)\n"
        "    print('[bench] provisioned the bench store')\n"
    )
    subprocess.run(
        [PYTHON, "manage.py", "shell", "-v", "0", "-c", script],
        cwd=ROOT,
        env={**env, "BENCH_ROUTING": "ours"},
        check=True,
    )


class Server:
    def __init__(self, variant: str, env: dict[str, str], workers: int):
        self.variant = variant
        self.port = free_port()
        app = "bench.bare_wsgi:application" if variant == "bare" else "config.wsgi:application"
        self.env = {
            **env,
            "BENCH_ROUTING": "ours" if variant == "bare" else variant,
            "PORT": str(self.port),
            "GUNICORN_BIND_HOST": "127.0.0.1",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": "1",
            "GUNICORN_ACCESS_LOG": "",
            "GUNICORN_LOG_LEVEL": "warning",
            # No recycling mid-measurement: a restart would cost the Django variants an import.
            "GUNICORN_MAX_REQUESTS": "0",
        }
        self.cmd = [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", app]
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 30
        url = f"http://127.0.0.1:{self.port}/hello/"
        while True:
            try:
                request = urllib.request.Request(url, headers={"Host": STORE_HOST})
                with urllib.request.urlopen(request, timeout=2) as response:
                    body = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"{self.variant}: server did not answer on {url}") from None
                time.sleep(0.2)
        expected = {"bare": "bare wsgi", "django": "public"}.get(self.variant, "store_bench")
        if expected not in body:
            raise RuntimeError(f"{self.variant}: unexpected answer {body!r}")
        return self

    def __exit__(self, *exc) -> None:
        if self.process is None:
            return
        self.process.terminate()
        self.process.wait(timeout=30)


# --- load generators ----------------------------------------------------------------------


def load_wrk(port: int, *, duration: float, connections: int, threads: int) -> float:
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "-H",
            f"Host: {STORE_HOST}",
            f"http://127.0.0.1:{port}/hello/",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    if "Non-2xx" in result.stdout or "Socket errors" in result.stdout:
        raise RuntimeError(f"errors during the run:\n{result.stdout}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    if match is None:
        raise RuntimeError(f"cannot read wrk's output:\n{result.stdout}")
    return float(match.group(1))


def _python_client(args: tuple[int, float]) -> int:
    import http.client

    port, until = args
    done = 0
    while time.monotonic() < until:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/hello/", headers={"Host": STORE_HOST})
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")
        done += 1
    return done


def load_python(port: int, *, duration: float, connections: int, threads: int) -> float:
    started = time.monotonic()
    until = started + duration
    with Pool(connections) as pool:
        total = sum(pool.map(_python_client, [(port, until)] * connections))
    return total / (time.monotonic() - started)


def pick_load_generator():
    if shutil.which("wrk"):
        return "wrk", load_wrk
    log("wrk is not installed (Debian: apt-get install wrk): using the Python client")
    return "python", load_python


# --- the run ------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1, help="gunicorn sync workers")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds before measuring")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--stack",
        choices=("routing", "full"),
        default="routing",
        help="routing: only the routing middleware; full: production's whole middleware list",
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()

    env = {**base_env(database_url(args.database_url)), "BENCH_STACK": args.stack}
    prepare(env)
    generator_name, load = pick_load_generator()
    log(
        f"{generator_name}, {args.connections} connections, {args.duration:g}s x "
        f"{args.rounds} rounds, gunicorn {args.workers} sync worker(s), {os.cpu_count()} CPUs, "
        f"middleware stack: {args.stack}"
    )
    results: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    for round_no in range(1, args.rounds + 1):
        for variant in VARIANTS:
            with Server(variant, env, args.workers) as server:
                options = {"connections": args.connections, "threads": args.threads}
                if args.warmup > 0:
                    load(server.port, duration=args.warmup, **options)
                rate = load(server.port, duration=args.duration, **options)
            results[variant].append(rate)
            log(f"round {round_no}: {variant:<5} {rate:10.0f} req/s")

    median = {variant: statistics.median(rates) for variant, rates in results.items()}
    vs_bare = median["ours"] / median["bare"]
    vs_stock = median["ours"] / median["stock"]
    print()
    print(f"{'variant':<52} {'req/s (median)':>14}  rounds")
    labels = {
        "bare": "bare WSGI app",
        "django": "Django, no routing middleware (reference)",
        "stock": "stock TenantMainMiddleware (LIMIT_SET_CALLS=False)",
        "ours": "ours: StoreRoutingMiddleware",
    }
    for variant in VARIANTS:
        rounds = ", ".join(f"{rate:.0f}" for rate in results[variant])
        print(f"{labels[variant]:<52} {median[variant]:>14.0f}  {rounds}")
    print()
    ok_bare = vs_bare >= GOAL_VS_BARE
    ok_stock = vs_stock >= GOAL_VS_STOCK
    print(
        f"ours / bare  = {vs_bare:6.1%}  (goal ≥ {GOAL_VS_BARE:.0%})  "
        + ("met" if ok_bare else "NOT MET")
    )
    print(
        f"ours / stock = {vs_stock:6.2f}x  (goal ≥ {GOAL_VS_STOCK:g}x)   "
        + ("met" if ok_stock else "NOT MET")
    )
    return 0 if ok_bare and ok_stock else 1


if __name__ == "__main__":
    sys.exit(main())
