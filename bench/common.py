"""What every benchmark needs: progress lines, a database of its own that it may drop, Redis, the
environment its Django (in process and in gunicorn) runs with, and the bench store's schema."""

import os
import socket
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
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


def redis_url(*, script: str, default: str) -> str:
    """BENCH_REDIS_URL or `default`, once Redis answers there (the cache and broker need it)."""
    url = os.environ.get("BENCH_REDIS_URL", default)
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=0.5):
            return url
    except OSError:
        sys.exit(f"{script}: Redis does not answer at {url}; the cache needs it.")


def environment(*, settings: str, database: str, redis: str, media_prefix: str) -> dict[str, str]:
    """The environment of the bench's Django, in process and in its gunicorn: its settings,
    database, Redis and a media directory of its own (a fresh temporary one)."""
    return {
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "MEDIA_ROOT": tempfile.mkdtemp(prefix=media_prefix),
        "BASE_DOMAIN": "localhost",
        "PYTHONPATH": str(ROOT),
    }


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def in_store(slug: str):
    """The store's schema, for ORM work from the bench's own process."""
    from django_tenants.utils import tenant_context

    from tenants.models import Tenant

    return tenant_context(Tenant.objects.get(slug=slug))
