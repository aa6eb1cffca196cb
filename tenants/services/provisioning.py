"""Creating a store: Tenant + schema + Domain + owner account, in one transaction.

Provisioning order of preference (figures in bench/README.md):
  1. pool  — rename a ready, migrated schema (the rename itself is about a millisecond);
  2. clone — replay the template snapshot (tenants.snapshot; ~40 ms, whatever the fleet size);
  3. migrate — replay every migration (slowest; only when asked for, e.g. by the benchmark).
"""

import logging
from dataclasses import asdict, dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, ProgrammingError, transaction
from django.utils import timezone as django_timezone
from django_tenants.utils import (
    get_public_schema_name,
    schema_context,
)

from apps.core.exceptions import ApplicationError
from apps.core.validation import email_normalize
from tenants import routing, schemas
from tenants.errors import StoreErrorCode
from tenants.models import Domain, Tenant
from tenants.services.lifecycle import StoreProfile, store_profile_clean
from tenants.services.pool import pool_take, template_clone_into
from tenants.services.slugs import schema_name_for_slug, slug_taken, slug_validate

logger = logging.getLogger(__name__)


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
    owner_email = email_normalize(owner_email)
    profile = store_profile_clean(
        StoreProfile(
            name=name or "",
            owner_email=owner_email,
            plan="free",
            currency=currency,
            language=language,
            timezone=timezone,
        )
    )
    slug = slug_validate(slug=slug)
    _owner_password_validate(owner_password, email=owner_email)
    schemas.assert_public_schema()
    # Argon2 costs ~20 ms of CPU on purpose: pay it before the transaction holds any lock.
    password_hash = make_password(owner_password)
    fields = {
        **asdict(profile),
        "slug": slug,
        "status": Tenant.Status.ACTIVE,
        "created": django_timezone.now(),
    }

    try:
        with transaction.atomic():
            if schemas.fleet_migration_running():
                raise ApplicationError(
                    "We are updating the platform right now; please try again in a minute.",
                    code=StoreErrorCode.FLEET_MIGRATING,
                    status_code=503,
                )
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
        if not slug_taken(slug):
            raise
        raise ApplicationError(
            f"“{slug}” is already taken. Please choose another address.",
            code=StoreErrorCode.SLUG_TAKEN,
            field="slug",
        ) from exc
    logger.info("store provisioned: %s (%s) by %s", slug, tenant.schema_name, used)
    return ProvisionedStore(tenant=tenant, owner_id=owner_id, strategy=used)


def _owner_password_validate(password: str, *, email: str) -> None:
    user = get_user_model()(email=email)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ApplicationError(
            " ".join(exc.messages), code="password_invalid", field="password"
        ) from exc


def _store_schema_create(
    *, fields: dict[str, Any], strategy: ProvisionStrategy
) -> tuple[Tenant, ProvisionStrategy]:
    """Give the new store its schema and its saved Tenant row (one write either way)."""
    schema_name = schema_name_for_slug(fields["slug"])
    if strategy in (ProvisionStrategy.AUTO, ProvisionStrategy.POOL):
        tenant = pool_take(schema_name=schema_name)
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
    template_clone_into(schema_name)
    return tenant, ProvisionStrategy.CLONE


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
