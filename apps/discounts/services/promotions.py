"""The merchant's writes of automatic promotions: create, change, delete."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from apps.core.exceptions import ApplicationError
from apps.discounts.errors import DiscountErrorCode
from apps.discounts.models import Promotion, Scope
from apps.discounts.services._common import (
    choice_clean,
    dates_clean,
    name_clean,
    scope_clean,
    value_clean,
)

PROMOTION_FIELDS = frozenset(
    {
        "name", "kind", "value", "scope", "category_ids", "product_ids", "starts_at", "ends_at",
        "is_active", "priority",
    }
)  # fmt: skip


def _priority_clean(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or not -10000 <= number <= 10000:
        raise ApplicationError(
            "Enter a whole number from -10000 to 10000.",
            code=DiscountErrorCode.VALUE_INVALID,
            field="priority",
        )
    return number


@transaction.atomic
def promotion_create(
    *,
    name: str,
    kind: str = Promotion.Kind.PERCENTAGE,
    value: Decimal | str | int,
    scope: str = Scope.SELECTED,
    category_ids: list[int] | None = None,
    product_ids: list[int] | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    is_active: bool = True,
    priority: int = 0,
) -> Promotion:
    kind = choice_clean(kind, Promotion.Kind.values)
    dates_clean(starts_at, ends_at)
    scope, categories, products = scope_clean(scope, category_ids, product_ids)
    promotion = Promotion.objects.create(
        name=name_clean(name),
        kind=kind,
        value=value_clean(kind, value),
        scope=scope,
        starts_at=starts_at,
        ends_at=ends_at,
        is_active=bool(is_active),
        priority=_priority_clean(priority),
    )
    promotion.categories.set(categories)
    promotion.products.set(products)
    return promotion


@transaction.atomic
def promotion_update(*, promotion: Promotion, **fields: Any) -> Promotion:
    """Change the given fields (the others stay)."""
    unknown = set(fields) - PROMOTION_FIELDS
    if unknown:
        raise TypeError(f"promotion_update() got unexpected fields: {', '.join(sorted(unknown))}")
    promotion = Promotion.objects.select_for_update().get(pk=promotion.pk)
    if "name" in fields:
        promotion.name = name_clean(fields["name"])
    if "kind" in fields:
        promotion.kind = choice_clean(fields["kind"], Promotion.Kind.values)
    if "value" in fields or "kind" in fields:
        promotion.value = value_clean(promotion.kind, fields.get("value", promotion.value))
    promotion.starts_at = fields.get("starts_at", promotion.starts_at)
    promotion.ends_at = fields.get("ends_at", promotion.ends_at)
    dates_clean(promotion.starts_at, promotion.ends_at)
    if "is_active" in fields:
        promotion.is_active = bool(fields["is_active"])
    if "priority" in fields:
        promotion.priority = _priority_clean(fields["priority"])
    promotion.save()
    if {"scope", "category_ids", "product_ids"} & set(fields):
        scope, categories, products = scope_clean(
            fields.get("scope", promotion.scope),
            fields.get("category_ids", list(promotion.categories.values_list("pk", flat=True))),
            fields.get("product_ids", list(promotion.products.values_list("pk", flat=True))),
        )
        promotion.scope = scope
        promotion.save(update_fields=["scope", "updated"])
        promotion.categories.set(categories)
        promotion.products.set(products)
    return promotion


@transaction.atomic
def promotion_delete(*, promotion: Promotion) -> None:
    """Delete a promotion; orders placed with it keep their discount (they store amounts)."""
    Promotion.objects.filter(pk=promotion.pk).delete()
