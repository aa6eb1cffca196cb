"""The template schema and the pool of ready, migrated schemas that make signup instant."""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django_tenants.utils import schema_exists

from apps.core.exceptions import ApplicationError
from tenants import schemas
from tenants import snapshot as template_snapshot
from tenants.errors import StoreErrorCode
from tenants.models import TemplateSnapshot, Tenant
from tenants.services.slugs import POOL_SCHEMA_PREFIX

logger = logging.getLogger(__name__)


def template_clone_into(schema_name: str) -> None:
    """Make schema `schema_name` a copy of the template, inside the caller's transaction.

    Five SQL statements whatever the number of stores (see tests/tenants/test_snapshot.py),
    plus a rebuild of the template snapshot first if the template changed since it was taken.
    """
    snapshot = _template_snapshot_current(rebuild_log_level=logging.WARNING)
    template_snapshot.snapshot_replay(sql=snapshot.sql, target=schema_name)


def _template_snapshot_current(*, rebuild_log_level: int) -> TemplateSnapshot:
    """The template's snapshot, (re)built first if it is missing or stale."""
    template = settings.TENANT_BASE_SCHEMA
    digest = template_snapshot.template_digest(template)
    if digest is None:
        # django-tenants would quietly fall back to migrations here (seconds per signup, and
        # a fleet that no longer matches its template); we refuse and say what to run.
        raise ApplicationError(
            f"The template schema {template!r} is missing; run migrate_schemas.",
            code=StoreErrorCode.TEMPLATE_MISSING,
            status_code=503,
        )
    snapshot = TemplateSnapshot.objects.filter(schema_name=template).first()
    if snapshot is not None and snapshot.digest == digest:
        return snapshot
    logger.log(
        rebuild_log_level,
        "template snapshot of %s is %s: rebuilding it",
        template,
        "missing" if snapshot is None else "stale (the template changed)",
    )
    snapshot = TemplateSnapshot(
        schema_name=template, digest=digest, sql=template_snapshot.snapshot_build(template)
    )
    # Two processes may find it stale at once: the second waits for the first's row, then
    # writes the same snapshot again instead of failing on the unique schema name.
    TemplateSnapshot.objects.bulk_create(
        [snapshot],
        update_conflicts=True,
        unique_fields=["schema_name"],
        update_fields=["digest", "sql", "built"],
    )
    return snapshot


# Session-level advisory lock: one pool filler at a time, so two refill tasks queued by two
# quick signups do not both top the pool up (and overshoot it).
_POOL_FILL_LOCK = 7_301_002


@dataclass(frozen=True)
class PoolStatus:
    ready: int
    target: int
    template_present: bool
    oldest_ready: datetime | None


def template_ensure() -> Tenant:
    """Make sure the migrated template schema exists and its snapshot is current
    (migrate_schemas runs this after migrating the fleet).

    The template is a Tenant row, so migrate_schemas migrates it with the fleet; this only
    builds it when it is missing altogether (a fresh database, or someone dropped it), and
    re-reads its snapshot when the migrations changed it.
    """
    schemas.assert_public_schema()
    template_name = settings.TENANT_BASE_SCHEMA
    template, _ = Tenant.objects.get_or_create(
        schema_name=template_name, defaults={"status": Tenant.Status.TEMPLATE}
    )
    if not schema_exists(template_name):
        logger.info("building the template schema %s by migrations", template_name)
        schemas.schema_create_by_migrations(template_name)
    with transaction.atomic():
        _template_snapshot_current(rebuild_log_level=logging.INFO)
    return template


def pool_take(*, schema_name: str) -> Tenant | None:
    """Claim a ready schema and rename it for a new store, or None when the pool is empty.

    The row stays locked until the signup commits; SKIP LOCKED lets concurrent signups each
    take a different one. If the signup fails, the rename rolls back with it.
    """
    tenant = (
        Tenant.objects.select_for_update(skip_locked=True)
        .filter(status=Tenant.Status.POOLED)
        .order_by("created")
        .first()
    )
    if tenant is None:
        return None
    schemas.schema_rename(current=tenant.schema_name, new=schema_name)
    tenant.schema_name = schema_name
    return tenant


def pool_status() -> PoolStatus:
    ready = Tenant.objects.filter(status=Tenant.Status.POOLED)
    oldest = ready.order_by("created").values_list("created", flat=True).first()
    return PoolStatus(
        ready=ready.count(),
        target=settings.STORE_POOL_SIZE,
        template_present=schema_exists(settings.TENANT_BASE_SCHEMA),
        oldest_ready=oldest,
    )


def pool_fill(
    *, size: int | None = None, progress: Callable[[int, int], None] | None = None
) -> int:
    """Top the pool up to `size` ready schemas (default STORE_POOL_SIZE); returns how many added.

    Each schema is cloned and committed on its own, so signups can take one at once.
    `progress(done, todo)` is called after each one. If another filler holds the pool lock,
    this one returns 0 at once: that filler will do the work.
    """
    schemas.assert_public_schema()
    target = settings.STORE_POOL_SIZE if size is None else size
    if Tenant.objects.filter(status=Tenant.Status.POOLED).count() >= target:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_POOL_FILL_LOCK])
        if not cursor.fetchone()[0]:
            logger.info("store pool: another filler is running")
            return 0
    try:
        todo = target - Tenant.objects.filter(status=Tenant.Status.POOLED).count()
        if todo > 0:
            template_ensure()
        for done in range(1, todo + 1):
            schema_name = f"{POOL_SCHEMA_PREFIX}{uuid.uuid4().hex[:16]}"
            with transaction.atomic():
                if schemas.fleet_migration_running():
                    # The deploy's migrate_schemas tops the pool up itself when it is done.
                    logger.info("store pool: fleet migration running, refill left to it")
                    return done - 1
                Tenant.objects.create(schema_name=schema_name, status=Tenant.Status.POOLED)
                template_clone_into(schema_name)
            if progress:
                progress(done, todo)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_POOL_FILL_LOCK])
    if todo > 0:
        logger.info("store pool: %d schema(s) added, %d ready", todo, target)
    return max(todo, 0)


def pool_drain() -> int:
    """Drop every pooled schema (e.g. to rebuild the pool from a changed template)."""
    schemas.assert_public_schema()
    dropped = 0
    for tenant in Tenant.objects.filter(status=Tenant.Status.POOLED):
        with transaction.atomic():
            locked = (
                Tenant.objects.select_for_update(skip_locked=True)
                .filter(pk=tenant.pk, status=Tenant.Status.POOLED)
                .first()
            )
            if locked is None:  # a signup is taking it right now
                continue
            schemas.schema_drop(locked.schema_name)
            locked.delete()
        dropped += 1
    return dropped
