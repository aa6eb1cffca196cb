"""What every benchmark needs: progress lines, and a database of its own that it may drop."""

import os
import sys
from urllib.parse import urlsplit

# Databases a benchmark must never drop: the development database and the tests' ones.
PROTECTED = ("pycommerce", "postgres")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def database_url(*, script: str, default: str) -> str:
    """BENCH_DATABASE_URL or `default`, refusing any database the benchmark must not drop."""
    url = os.environ.get("BENCH_DATABASE_URL", default)
    name = urlsplit(url).path.lstrip("/")
    if not name or name in PROTECTED or name.startswith("test"):
        sys.exit(f"{script}: refusing to use database {name!r}; give it its own.")
    return url


def database_recreate(url: str, *, drop_only: bool = False) -> None:
    """Drop (and unless drop_only, create) the benchmark database, from the maintenance db."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
