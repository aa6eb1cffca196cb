"""The operator's actions on a store: edit its profile, suspend, reactivate, delete."""

import logging
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from apps.core.exceptions import ApplicationError
from apps.core.validation import email_normalize
from tenants import routing, schemas
from tenants.errors import StoreErrorCode
from tenants.models import Tenant

logger = logging.getLogger(__name__)

CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class StoreProfile:
    """What the operator may edit about a store (its address and status have their own paths)."""

    name: str
    owner_email: str
    plan: str
    currency: str
    language: str
    timezone: str


def store_profile_clean(profile: StoreProfile) -> StoreProfile:
    """Normalise a profile or raise ApplicationError(field=...) saying what is wrong."""
    name = profile.name.strip()
    if not name:
        raise ApplicationError(
            "Give the store a name.", code=StoreErrorCode.NAME_REQUIRED, field="name"
        )
    owner_email = email_normalize(profile.owner_email, field="owner_email")
    currency = profile.currency.strip().upper()
    if not CURRENCY_PATTERN.match(currency):
        raise ApplicationError(
            "Use a three-letter ISO 4217 code, e.g. USD or EUR.",
            code=StoreErrorCode.CURRENCY_INVALID,
            field="currency",
        )
    if profile.language not in dict(settings.LANGUAGES):
        raise ApplicationError(
            f"Choose one of: {', '.join(dict(settings.LANGUAGES))}.",
            code=StoreErrorCode.LANGUAGE_INVALID,
            field="language",
        )
    if not _timezone_known(profile.timezone):
        raise ApplicationError(
            "Use an IANA time zone name, e.g. Europe/Berlin.",
            code=StoreErrorCode.TIMEZONE_INVALID,
            field="timezone",
        )
    return StoreProfile(
        name=name,
        owner_email=owner_email,
        plan=profile.plan.strip() or "free",
        currency=currency,
        language=profile.language,
        timezone=profile.timezone,
    )


def _timezone_known(name: str) -> bool:
    # ZoneInfo() is cached per key; available_timezones() walks the tz database (~14 ms).
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def store_update(*, tenant: Tenant, profile: StoreProfile) -> Tenant:
    """Change a store's profile (name, owner email, plan, currency, language, time zone)."""
    if not tenant.is_store:
        raise ApplicationError(
            "Only stores have a profile to edit.", code=StoreErrorCode.INVALID_STATUS
        )
    profile = store_profile_clean(profile)
    fields = list(StoreProfile.__dataclass_fields__)
    for field in fields:
        setattr(tenant, field, getattr(profile, field))
    with transaction.atomic():
        tenant.save(update_fields=fields)
    return tenant


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
