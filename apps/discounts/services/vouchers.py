"""The merchant's writes of vouchers: create, change, delete. Codes are unique whatever their
case (the database's unique index on UPPER(code) decides under races)."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from apps.core.exceptions import ApplicationError
from apps.discounts.errors import DiscountErrorCode as Code
from apps.discounts.models import Scope, Voucher
from apps.discounts.services._common import (
    choice_clean,
    code_clean,
    dates_clean,
    limit_clean,
    name_clean,
    optional_amount_clean,
    scope_clean,
    value_clean,
)

VOUCHER_FIELDS = frozenset(
    {
        "code", "name", "kind", "value", "minimum_subtotal", "starts_at", "ends_at",
        "usage_limit", "usage_limit_per_customer", "scope", "category_ids", "product_ids",
        "is_active",
    }
)  # fmt: skip


def _code_taken(code: str) -> ApplicationError:
    return ApplicationError(
        f"The code {code} is already used by another voucher.", code=Code.CODE_TAKEN, field="code"
    )


def _save(voucher: Voucher, *, category_ids: list[int], product_ids: list[int]) -> Voucher:
    try:
        with transaction.atomic():
            voucher.save()
    except IntegrityError as exc:
        if "discounts_voucher_code_ci_unique" in str(exc):
            raise _code_taken(voucher.code) from None
        raise
    voucher.categories.set(category_ids)
    voucher.products.set(product_ids)
    return voucher


@transaction.atomic
def voucher_create(
    *,
    code: str,
    kind: str = Voucher.Kind.PERCENTAGE,
    value: Decimal | str | int = 0,
    name: str = "",
    minimum_subtotal: Decimal | str | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    usage_limit: int | None = None,
    usage_limit_per_customer: int | None = None,
    scope: str = Scope.ALL,
    category_ids: list[int] | None = None,
    product_ids: list[int] | None = None,
    is_active: bool = True,
) -> Voucher:
    code = code_clean(code)
    if Voucher.objects.filter(code__iexact=code).exists():
        raise _code_taken(code)
    kind = choice_clean(kind, Voucher.Kind.values)
    dates_clean(starts_at, ends_at)
    scope, categories, products = scope_clean(scope, category_ids, product_ids)
    voucher = Voucher(
        code=code,
        name=name_clean(name, required=False),
        kind=kind,
        value=value_clean(kind, value),
        minimum_subtotal=optional_amount_clean(minimum_subtotal, field="minimum_subtotal"),
        starts_at=starts_at,
        ends_at=ends_at,
        usage_limit=limit_clean(usage_limit, field="usage_limit"),
        usage_limit_per_customer=limit_clean(
            usage_limit_per_customer, field="usage_limit_per_customer"
        ),
        scope=scope,
        is_active=bool(is_active),
    )
    return _save(voucher, category_ids=categories, product_ids=products)


@transaction.atomic
def voucher_update(*, voucher: Voucher, **fields: Any) -> Voucher:
    """Change the given fields (the others stay). The voucher row is locked first, so a limit
    is never lowered below the uses an order is counting at the same moment."""
    unknown = set(fields) - VOUCHER_FIELDS
    if unknown:
        raise TypeError(f"voucher_update() got unexpected fields: {', '.join(sorted(unknown))}")
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if "code" in fields:
        code = code_clean(fields["code"])
        if Voucher.objects.filter(code__iexact=code).exclude(pk=voucher.pk).exists():
            raise _code_taken(code)
        voucher.code = code
    if "name" in fields:
        voucher.name = name_clean(fields["name"], required=False)
    if "kind" in fields:
        voucher.kind = choice_clean(fields["kind"], Voucher.Kind.values)
    if "value" in fields or "kind" in fields:
        voucher.value = value_clean(voucher.kind, fields.get("value", voucher.value))
    if "minimum_subtotal" in fields:
        voucher.minimum_subtotal = optional_amount_clean(
            fields["minimum_subtotal"], field="minimum_subtotal"
        )
    voucher.starts_at = fields.get("starts_at", voucher.starts_at)
    voucher.ends_at = fields.get("ends_at", voucher.ends_at)
    dates_clean(voucher.starts_at, voucher.ends_at)
    if "usage_limit" in fields:
        limit = limit_clean(fields["usage_limit"], field="usage_limit")
        if limit is not None and limit < voucher.used_count:
            raise ApplicationError(
                f"This voucher was already used {voucher.used_count} times: the limit cannot "
                "be lower than that.",
                code=Code.LIMIT_INVALID,
                field="usage_limit",
            )
        voucher.usage_limit = limit
    if "usage_limit_per_customer" in fields:
        voucher.usage_limit_per_customer = limit_clean(
            fields["usage_limit_per_customer"], field="usage_limit_per_customer"
        )
    if "is_active" in fields:
        voucher.is_active = bool(fields["is_active"])
    scope_given = {"scope", "category_ids", "product_ids"} & set(fields)
    if scope_given:
        current_categories = list(voucher.categories.values_list("pk", flat=True))
        current_products = list(voucher.products.values_list("pk", flat=True))
        scope, categories, products = scope_clean(
            fields.get("scope", voucher.scope),
            fields.get("category_ids", current_categories),
            fields.get("product_ids", current_products),
        )
        voucher.scope = scope
        return _save(voucher, category_ids=categories, product_ids=products)
    try:
        with transaction.atomic():
            voucher.save()
    except IntegrityError as exc:
        if "discounts_voucher_code_ci_unique" in str(exc):
            raise _code_taken(voucher.code) from None
        raise
    return voucher


@transaction.atomic
def voucher_delete(*, voucher: Voucher) -> None:
    """Delete a voucher no order used; a used one is kept for the orders' history (switch it
    off instead)."""
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.used_count or voucher.redemptions.exists():
        raise ApplicationError(
            "Orders used this voucher, so it stays for their history: switch it off instead.",
            code=Code.VOUCHER_IN_USE,
            field="is_active",
        )
    voucher.delete()
