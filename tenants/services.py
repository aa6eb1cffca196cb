"""Every write about *which* store: provisioning, the template and pool schemas, status changes.

Provisioning order of preference (see README, "Instant signup"):
  1. pool  — rename a ready, migrated schema (about a millisecond);
  2. clone — copy the migrated template schema (seconds on a big fleet);
  3. migrate — replay every migration (slowest; only when asked for, e.g. by the benchmark).
"""

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.utils import timezone as django_timezone
from django_tenants.utils import (
    get_public_schema_name,
    schema_context,
    schema_exists,
)

from apps.core.exceptions import ApplicationError
from tenants import routing, schemas
from tenants.errors import StoreErrorCode
from tenants.models import Domain, Tenant

logger = logging.getLogger(__name__)

SLUG_MIN_LENGTH = 3
SLUG_MAX_LENGTH = 40
# A DNS label: lower-case letters, digits and inner hyphens.
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
RESERVED_SLUGS = frozenset(
    {
        "www",
        "api",
        "admin",
        "static",
        "media",
        "public",
        "mail",
        "email",
        "smtp",
        "imap",
        "pop",
        "pop3",
        "ftp",
        "ns",
        "ns1",
        "ns2",
        "mx",
        "template",
        "pool",
        "store",
        "stores",
        "app",
        "apps",
        "dashboard",
        "help",
        "support",
        "status",
        "docs",
        "blog",
        "billing",
        "signup",
        "login",
        "auth",
        "account",
        "accounts",
        "assets",
        "cdn",
        "localhost",
        "webmail",
        "root",
        "system",
        "operator",
        "pycommerce",
        "test",
        "demo-template",
    }
)
STORE_SCHEMA_PREFIX = "store_"
POOL_SCHEMA_PREFIX = "pool_"


class ProvisionStrategy(StrEnum):
    AUTO = "auto"  # pool, falling back to clone
    POOL = "pool"
    CLONE = "clone"
    MIGRATE = "migrate"


@dataclass(frozen=True)
class ProvisionedStore:
    tenant: Tenant
    owner_id: int
    strategy: ProvisionStrategy


# --- slugs --------------------------------------------------------------------------------


def slug_normalize(slug: str) -> str:
    return (slug or "").strip().lower()


def slug_validate(*, slug: str, check_taken: bool = True) -> str:
    """Return the normalised slug or raise ApplicationError(field="slug") saying why not."""
    slug = slug_normalize(slug)
    if not SLUG_MIN_LENGTH <= len(slug) <= SLUG_MAX_LENGTH:
        raise ApplicationError(
            f"The address must be {SLUG_MIN_LENGTH} to {SLUG_MAX_LENGTH} characters long.",
            code=StoreErrorCode.SLUG_INVALID,
            field="slug",
        )
    if not SLUG_PATTERN.match(slug) or "--" in slug:
        raise ApplicationError(
            "Use lower-case letters, digits and single hyphens; start and end with a letter or "
            "digit.",
            code=StoreErrorCode.SLUG_INVALID,
            field="slug",
        )
    if slug in RESERVED_SLUGS or slug.startswith(("pool-", "store-template")):
        raise ApplicationError(
            f"“{slug}” is reserved. Please choose another address.",
            code=StoreErrorCode.SLUG_RESERVED,
            field="slug",
        )
    if check_taken and _slug_taken(slug):
        raise ApplicationError(
            f"“{slug}” is already taken. Please choose another address.",
            code=StoreErrorCode.SLUG_TAKEN,
            field="slug",
        )
    return slug


def _slug_taken(slug: str) -> bool:
    host = f"{slug}.{settings.BASE_DOMAIN}"
    return (
        Tenant.objects.filter(slug=slug).exists()
        or Domain.objects.filter(domain=host).exists()
        or schema_exists(schema_name_for_slug(slug), case_sensitive=False)
    )


def schema_name_for_slug(slug: str) -> str:
    # Slugs never hold "_", so mapping "-" to "_" cannot make two slugs share a schema.
    return STORE_SCHEMA_PREFIX + slug.replace("-", "_")


# --- provisioning -------------------------------------------------------------------------


def store_provision(
    *,
    name: str,
    slug: str,
    owner_email: str,
    owner_password: str,
    currency: str = "USD",
    language: str = "en",
    timezone: str = "UTC",
    strategy: ProvisionStrategy = ProvisionStrategy.AUTO,
) -> ProvisionedStore:
    """Create a store (Tenant + Domain + owner account) in one transaction.

    A failure at any step rolls everything back, schema DDL included (PostgreSQL DDL is
    transactional): no orphan schema, domain or account is ever left behind, and a schema
    taken from the pool goes back to the pool under its old name.

    Two signups racing for one address: the database's unique constraints (slug, schema name,
    domain, and PostgreSQL's own schema names) let exactly one through; the other gets the same
    `slug_taken` error as if it had come second.
    """
    name = (name or "").strip()
    if not name:
        raise ApplicationError("Give your store a name.", code="name_required", field="name")
    slug = slug_validate(slug=slug)
    owner_email = _owner_email_validate(owner_email)
    _owner_password_validate(owner_password, email=owner_email)
    _assert_public_schema()
    # Argon2 costs ~20 ms of CPU on purpose: pay it before the transaction holds any lock.
    password_hash = make_password(owner_password)
    fields = {
        "name": name,
        "slug": slug,
        "status": Tenant.Status.ACTIVE,
        "owner_email": owner_email,
        "currency": currency.upper(),
        "language": language,
        "timezone": timezone,
        "created": django_timezone.now(),
    }

    try:
        with transaction.atomic():
            tenant, used = _store_schema_create(fields=fields, strategy=strategy)
            # bulk_create: a new store has no other domain whose is_primary Domain.save() would
            # clear, so one INSERT does (instead of a savepoint, an UPDATE and the INSERT).
            Domain.objects.bulk_create(
                [Domain(domain=tenant.primary_host, tenant=tenant, is_primary=True)]
            )
            owner_id = _owner_create(
                schema_name=tenant.schema_name, email=owner_email, password_hash=password_hash
            )
            transaction.on_commit(routing.routing_invalidate)
            # Side effects must not turn a created store into an error page: robust=True logs
            # a failure to queue instead of raising it after the commit.
            transaction.on_commit(
                partial(_welcome_email_queue, schema_name=tenant.schema_name, owner_id=owner_id),
                robust=True,
            )
            if used is not ProvisionStrategy.MIGRATE and settings.STORE_POOL_SIZE:
                transaction.on_commit(_pool_refill_queue, robust=True)
    except (IntegrityError, ProgrammingError, ValidationError) as exc:
        # Only a lost race for the address becomes `slug_taken`; any other database error is
        # a fault, not a business rule, and goes up as it is.
        if not _slug_taken(slug):
            raise
        raise ApplicationError(
            f"“{slug}” is already taken. Please choose another address.",
            code=StoreErrorCode.SLUG_TAKEN,
            field="slug",
        ) from exc
    logger.info("store provisioned: %s (%s) by %s", slug, tenant.schema_name, used)
    return ProvisionedStore(tenant=tenant, owner_id=owner_id, strategy=used)


def _owner_email_validate(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ApplicationError(
            "Enter a valid email address.", code="email_invalid", field="email"
        ) from exc
    return email


def _owner_password_validate(password: str, *, email: str) -> None:
    user = get_user_model()(email=email)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ApplicationError(
            " ".join(exc.messages), code="password_invalid", field="password"
        ) from exc


def _assert_public_schema() -> None:
    if connection.schema_name != get_public_schema_name():
        raise RuntimeError("Stores are provisioned from the public schema only.")


def _store_schema_create(
    *, fields: dict[str, Any], strategy: ProvisionStrategy
) -> tuple[Tenant, ProvisionStrategy]:
    """Give the new store its schema and its saved Tenant row (one write either way)."""
    schema_name = schema_name_for_slug(fields["slug"])
    if strategy in (ProvisionStrategy.AUTO, ProvisionStrategy.POOL):
        tenant = _pool_take(schema_name=schema_name)
        if tenant is not None:
            for field, value in fields.items():
                setattr(tenant, field, value)
            tenant.save()
            return tenant, ProvisionStrategy.POOL
        if strategy is ProvisionStrategy.POOL:
            raise ApplicationError(
                "The pool of ready stores is empty.",
                code=StoreErrorCode.POOL_EMPTY,
                status_code=503,
            )
        logger.warning("store pool empty: cloning the template for %s", fields["slug"])
    # The row goes in first: a concurrent signup for the same slug waits on its unique index
    # here, before either of them spends time copying a schema.
    tenant = Tenant(schema_name=schema_name, **fields)
    tenant.save()
    if strategy is ProvisionStrategy.MIGRATE:
        schemas.schema_create_by_migrations(schema_name)
        return tenant, ProvisionStrategy.MIGRATE
    _template_clone_into(schema_name)
    return tenant, ProvisionStrategy.CLONE


def _template_clone_into(schema_name: str) -> None:
    template = settings.TENANT_BASE_SCHEMA
    if not schema_exists(template):
        # django-tenants would quietly fall back to migrations here (seconds per signup, and
        # a fleet that no longer matches its template); we refuse and say what to run.
        raise ApplicationError(
            f"The template schema {template!r} is missing; run migrate_schemas.",
            code=StoreErrorCode.TEMPLATE_MISSING,
            status_code=503,
        )
    schemas.schema_clone(source=template, target=schema_name)


def _owner_create(*, schema_name: str, email: str, password_hash: str) -> int:
    user_model = get_user_model()
    with schema_context(schema_name):
        owner = user_model.objects.create(
            email=email,
            password=password_hash,
            role=user_model.Role.OWNER,
            is_staff=True,
            is_superuser=True,
        )
    return owner.pk


def _welcome_email_queue(*, schema_name: str, owner_id: int) -> None:
    from apps.accounts.tasks import welcome_email_send

    welcome_email_send.apply_async(
        kwargs={"user_id": owner_id}, headers={"_schema_name": schema_name}
    )


def _pool_refill_queue() -> None:
    from tenants.tasks import store_pool_refill

    store_pool_refill.apply_async(headers={"_schema_name": get_public_schema_name()})


# --- template and pool --------------------------------------------------------------------

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
    """Make sure the migrated template schema and the clone function exist (migrate_schemas).

    The template is a Tenant row, so migrate_schemas migrates it with the fleet; this only
    builds it when it is missing altogether (a fresh database, or someone dropped it).
    """
    _assert_public_schema()
    template_name = settings.TENANT_BASE_SCHEMA
    template, _ = Tenant.objects.get_or_create(
        schema_name=template_name, defaults={"status": Tenant.Status.TEMPLATE}
    )
    if not schema_exists(template_name):
        logger.info("building the template schema %s by migrations", template_name)
        schemas.schema_create_by_migrations(template_name)
    schemas.clone_function_ensure()
    return template


def _pool_take(*, schema_name: str) -> Tenant | None:
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
    _assert_public_schema()
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
                Tenant.objects.create(schema_name=schema_name, status=Tenant.Status.POOLED)
                _template_clone_into(schema_name)
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
    _assert_public_schema()
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
            _schema_drop(locked.schema_name)
            locked.delete()
        dropped += 1
    return dropped


def _schema_drop(schema_name: str) -> None:
    schemas.schema_drop(schema_name)


# --- the operator's actions ---------------------------------------------------------------


def store_suspend(*, tenant: Tenant) -> Tenant:
    return _store_status_set(tenant=tenant, status=Tenant.Status.SUSPENDED)


def store_reactivate(*, tenant: Tenant) -> Tenant:
    return _store_status_set(tenant=tenant, status=Tenant.Status.ACTIVE)


def _store_status_set(*, tenant: Tenant, status: str) -> Tenant:
    if not tenant.is_store:
        raise ApplicationError(
            "Only stores can be suspended or reactivated.", code=StoreErrorCode.INVALID_STATUS
        )
    with transaction.atomic():
        Tenant.objects.filter(pk=tenant.pk).update(status=status)
        transaction.on_commit(routing.routing_invalidate)
    tenant.status = status
    return tenant


def store_delete(*, tenant: Tenant, confirmation: str) -> None:
    """Delete a store for good: its schema (all its data), domains and row.

    The operator must type the store's slug; anything else is refused.
    """
    _assert_public_schema()
    if not tenant.is_store:
        raise ApplicationError(
            "Only stores can be deleted here.", code=StoreErrorCode.INVALID_STATUS
        )
    if (confirmation or "").strip() != tenant.slug:
        raise ApplicationError(
            f"Type the store's address “{tenant.slug}” to confirm.",
            code=StoreErrorCode.CONFIRMATION_MISMATCH,
            field="confirmation",
        )
    with transaction.atomic():
        _schema_drop(tenant.schema_name)
        tenant.domains.all().delete()
        Tenant.objects.filter(pk=tenant.pk).delete()
        transaction.on_commit(routing.routing_invalidate)
    logger.info("store deleted: %s (%s)", tenant.slug, tenant.schema_name)
