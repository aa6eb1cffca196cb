"""The operator's actions on a store: suspend, reactivate, delete."""

import logging

from django.db import transaction

from apps.core.exceptions import ApplicationError
from tenants import routing, schemas
from tenants.errors import StoreErrorCode
from tenants.models import Tenant

logger = logging.getLogger(__name__)


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
    schemas.assert_public_schema()
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
        schemas.schema_drop(tenant.schema_name)
        tenant.domains.all().delete()
        Tenant.objects.filter(pk=tenant.pk).delete()
        transaction.on_commit(routing.routing_invalidate)
    logger.info("store deleted: %s (%s)", tenant.slug, tenant.schema_name)
