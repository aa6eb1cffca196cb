"""Reads about *which* store: the operator's list, sizes on disk, stores by owner email."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet

from tenants.models import Tenant

STORE_STATUSES = (Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED)


def store_list() -> QuerySet[Tenant]:
    """Real stores only: the template and the pool of ready schemas are the platform's."""
    return Tenant.objects.filter(status__in=STORE_STATUSES)


def store_sizes(*, schema_names: Iterable[str]) -> dict[str, int]:
    """Bytes on disk per schema (tables with their indexes and TOAST), in one query.

    Only the schemas asked for are measured: the catalog is scanned once, whatever the
    number of schemas, and a schema that does not exist is simply absent from the result.
    """
    names = sorted(set(schema_names))
    if not names:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT n.nspname, COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint
            FROM pg_catalog.pg_namespace n
            LEFT JOIN pg_catalog.pg_class c
                ON c.relnamespace = n.oid AND c.relkind IN ('r', 'm')
            WHERE n.nspname = ANY(%s)
            GROUP BY n.nspname
            """,
            [names],
        )
        return {name: int(size) for name, size in cursor.fetchall()}


def stores_for_owner_email(*, email: str) -> list[Tenant]:
    """The stores this address owns, oldest first. Never shown on a page (see find my store)."""
    email = (email or "").strip().lower()
    if not email:
        return []
    return list(store_list().filter(owner_email=email).order_by("created", "slug"))
