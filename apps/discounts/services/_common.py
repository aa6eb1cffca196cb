"""Input checks shared by the voucher and promotion writes: each refusal on its field."""

import re
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection

from apps.catalog.models import Category, Product
from apps.core.exceptions import ApplicationError
from apps.core.money import Money
from apps.discounts.errors import DiscountErrorCode as Code
from apps.discounts.models import Scope

MONEY_MAX = Decimal("9999999999.99")  # 12 digits, 2 places (models.MONEY)
_TWO_PLACES = Decimal("0.01")


def store_currency() -> str:
    return getattr(getattr(connection, "tenant", None), "currency", "") or "USD"


def money_text(amount: Decimal) -> str:
    return str(Money(amount, store_currency()))


def choice_clean(value: Any, choices: Iterable[str], *, field: str = "kind") -> str:
    allowed = list(choices)
    if value not in allowed:
        raise ApplicationError(
            f"Choose one of: {', '.join(allowed)}.", code=Code.KIND_INVALID, field=field
        )
    return str(value)


def decimal_clean(value: Any, *, field: str, code: str = Code.AMOUNT_INVALID) -> Decimal:
    """A non-negative amount with at most two decimal places."""
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or number < 0 or number > MONEY_MAX:
        raise ApplicationError("Enter an amount of 0 or more.", code=code, field=field)
    if number != number.quantize(_TWO_PLACES):
        raise ApplicationError("Use at most two decimal places.", code=code, field=field)
    return number.quantize(_TWO_PLACES)


def value_clean(kind: str, value: Any, *, field: str = "value") -> Decimal:
    """A percentage above 0 and at most 100, or an amount above 0 (free shipping: 0)."""
    if kind == "free_shipping":
        return Decimal("0.00")
    number = decimal_clean(value, field=field, code=Code.VALUE_INVALID)
    if number <= 0:
        raise ApplicationError("Enter a value above 0.", code=Code.VALUE_INVALID, field=field)
    if kind == "percentage" and number > 100:
        raise ApplicationError("A percentage is at most 100.", code=Code.VALUE_INVALID, field=field)
    return number


def optional_amount_clean(value: Any, *, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    return decimal_clean(value, field=field)


def limit_clean(value: Any, *, field: str) -> int | None:
    """Empty (no limit) or a whole number of 1 or more."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not str(value).strip().isdigit() or int(value) < 1:
        raise ApplicationError(
            "Enter a whole number of 1 or more, or leave it empty for no limit.",
            code=Code.LIMIT_INVALID,
            field=field,
        )
    return int(value)


def dates_clean(starts_at: datetime | None, ends_at: datetime | None) -> None:
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            raise ApplicationError(
                "Give a date and time with its time zone.", code=Code.DATES_INVALID, field=name
            )
    if starts_at and ends_at and ends_at <= starts_at:
        raise ApplicationError(
            "The end must come after the start.", code=Code.DATES_INVALID, field="ends_at"
        )


def name_clean(name: Any, *, field: str = "name", required: bool = True) -> str:
    name = " ".join(str(name or "").split())
    if required and not name:
        raise ApplicationError("Enter a name.", code=Code.NAME_REQUIRED, field=field)
    if len(name) > 120:
        raise ApplicationError("Use at most 120 characters.", code=Code.NAME_REQUIRED, field=field)
    return name


_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def code_clean(code: Any) -> str:
    code = str(code or "").strip()
    if not code:
        raise ApplicationError("Enter a code.", code=Code.CODE_REQUIRED, field="code")
    if len(code) > 40 or not _CODE_RE.match(code):
        raise ApplicationError(
            "Use up to 40 letters, digits, hyphens and underscores (no spaces).",
            code=Code.CODE_INVALID,
            field="code",
        )
    return code


def _ids_clean(ids: Iterable[Any] | None, *, field: str) -> list[int]:
    cleaned = []
    for raw in ids or []:
        pk = getattr(raw, "pk", raw)
        if isinstance(pk, bool) or not str(pk).isdigit():
            raise ApplicationError("Give ids.", code=Code.SCOPE_INVALID, field=field)
        cleaned.append(int(pk))
    return sorted(set(cleaned))


def scope_clean(
    scope: Any, category_ids: Iterable[Any] | None, product_ids: Iterable[Any] | None
) -> tuple[str, list[int], list[int]]:
    """(scope, category ids, product ids): "selected" needs at least one category or product,
    and every id must exist in this store; "all" keeps no ids."""
    scope = choice_clean(scope, Scope.values, field="scope")
    categories = _ids_clean(category_ids, field="category_ids")
    products = _ids_clean(product_ids, field="product_ids")
    if scope == Scope.ALL:
        return scope, [], []
    if not categories and not products:
        raise ApplicationError(
            "Choose at least one category or product (or apply it to every product).",
            code=Code.SCOPE_EMPTY,
            field="category_ids",
        )
    for model, ids, field in (
        (Category, categories, "category_ids"),
        (Product, products, "product_ids"),
    ):
        found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise ApplicationError(
                f"No such {model._meta.verbose_name}: {', '.join(map(str, missing))}.",
                code=Code.SCOPE_INVALID,
                field=field,
            )
    return scope, categories, products
