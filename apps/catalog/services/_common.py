"""Helpers every catalog service shares: slugs, money input, the catalog version bump."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

from apps.catalog.cache import catalog_version_bump
from apps.catalog.errors import CatalogErrorCode
from apps.core.exceptions import ApplicationError

_SLUG_RE = re.compile(r"^[-a-z0-9_]+$")
M = TypeVar("M", bound=models.Model)
MONEY_MAX = Decimal("9999999999.99")  # 12 digits, 2 places (models.MONEY)


def changed() -> None:
    """Queue one catalog version bump for when the transaction commits (cached storefront
    pages and API responses of this store become stale; nothing happens on rollback)."""
    transaction.on_commit(catalog_version_bump)


def name_clean(name: str | None, *, field: str = "name", max_length: int = 200) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ApplicationError("Enter a name.", code=CatalogErrorCode.NAME_REQUIRED, field=field)
    if len(name) > max_length:
        raise ApplicationError(
            f"Use at most {max_length} characters.",
            code=CatalogErrorCode.NAME_REQUIRED,
            field=field,
        )
    return name


def slug_unique(
    *,
    queryset: models.QuerySet,
    name: str,
    slug: str | None,
    max_length: int,
    exclude_pk: Any = None,
    field: str = "slug",
) -> str:
    """A slug free in `queryset` (the scope where slugs are unique).

    Given a slug: it must be well-formed and free (else slug_invalid / slug_taken). Without one:
    derived from the name, with "-2", "-3"... appended until free ("t-shirt", "t-shirt-2").
    """
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    if slug:
        slug = slug.strip().lower()
        if not _SLUG_RE.match(slug) or len(slug) > max_length:
            raise ApplicationError(
                "Use only lower-case letters, digits, hyphens and underscores.",
                code=CatalogErrorCode.SLUG_INVALID,
                field=field,
            )
        if queryset.filter(slug=slug).exists():
            raise ApplicationError(
                f'The address "{slug}" is already used.',
                code=CatalogErrorCode.SLUG_TAKEN,
                field=field,
            )
        return slug
    base = (slugify(name) or "item")[:max_length].strip("-") or "item"
    taken = set(
        queryset.filter(slug__startswith=base[: max_length - 4]).values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = f"{base[: max_length - len(suffix)].rstrip('-')}{suffix}"
        if candidate not in taken:
            return candidate
        n += 1


def money_clean(
    value: Any, *, field: str, required: bool = False, allow_none: bool = True
) -> Decimal | None:
    """A non-negative Decimal with at most two places (price_negative / price_invalid)."""
    if value is None or value == "":
        if required or not allow_none:
            raise ApplicationError(
                "Enter a price.", code=CatalogErrorCode.PRICE_REQUIRED, field=field
            )
        return None
    if isinstance(value, float):
        value = repr(value)  # never compute with floats; the shortest repr is what was meant
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ApplicationError(
            "Enter a number.", code=CatalogErrorCode.PRICE_INVALID, field=field
        ) from None
    if not amount.is_finite():
        raise ApplicationError("Enter a number.", code=CatalogErrorCode.PRICE_INVALID, field=field)
    if amount < 0:
        raise ApplicationError(
            "A price cannot be negative.", code=CatalogErrorCode.PRICE_NEGATIVE, field=field
        )
    if amount != amount.quantize(Decimal("0.01")) or amount > MONEY_MAX:
        raise ApplicationError(
            "Use at most two decimal places and ten digits before the point.",
            code=CatalogErrorCode.PRICE_INVALID,
            field=field,
        )
    return amount.quantize(Decimal("0.01"))


def fields_check(fields: dict[str, Any], allowed: set[str], what: str) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"{what} cannot change {', '.join(sorted(unknown))}.")


def save_or_slug_taken(instance: M) -> M:
    """Insert/update in a savepoint; a concurrent writer that took the same slug between our
    check and the write gets slug_taken (not a server error), and the transaction goes on."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        if "slug" in str(exc) or "catalog_category_path" in str(exc):
            raise ApplicationError(
                f'The address "{instance.slug}" was just taken; try again.',
                code=CatalogErrorCode.SLUG_TAKEN,
                field="slug",
            ) from exc
        raise
    return instance
