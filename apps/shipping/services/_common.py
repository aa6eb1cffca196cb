"""Input checks the shipping services share."""

from decimal import Decimal, InvalidOperation
from typing import Any

from apps.core.exceptions import ApplicationError
from apps.shipping.errors import ShippingErrorCode

AMOUNT_MAX = Decimal("9999999999.99")  # models.MONEY: 12 digits, 2 places


def name_clean(name: str | None, *, field: str = "name", max_length: int = 100) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ApplicationError("Enter a name.", code=ShippingErrorCode.NAME_REQUIRED, field=field)
    if len(name) > max_length:
        raise ApplicationError(
            f"Use at most {max_length} characters.",
            code=ShippingErrorCode.NAME_REQUIRED,
            field=field,
        )
    return name


def amount_clean(value: Any, *, field: str, whole: bool = False) -> Decimal:
    """A non-negative Decimal with at most two places (whole numbers when `whole`: grams)."""
    if isinstance(value, float):
        value = repr(value)  # never compute with floats; the shortest repr is what was meant
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ApplicationError(
            "Enter a number.", code=ShippingErrorCode.AMOUNT_INVALID, field=field
        ) from None
    if not amount.is_finite():
        raise ApplicationError(
            "Enter a number.", code=ShippingErrorCode.AMOUNT_INVALID, field=field
        )
    if amount < 0:
        raise ApplicationError(
            "Enter zero or more.", code=ShippingErrorCode.AMOUNT_NEGATIVE, field=field
        )
    places = Decimal(1) if whole else Decimal("0.01")
    if amount != amount.quantize(places) or amount > AMOUNT_MAX:
        detail = "a whole number of grams" if whole else "at most two decimal places"
        raise ApplicationError(
            f"Use {detail} and at most ten digits before the point.",
            code=ShippingErrorCode.AMOUNT_INVALID,
            field=field,
        )
    return amount.quantize(places)


def fields_check(fields: dict[str, Any], allowed: set[str], what: str) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"{what} cannot change {', '.join(sorted(unknown))}.")


def position_clean(position: Any) -> int:
    if position is None or position == "":
        return 0
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        raise ApplicationError(
            "Enter a whole number, zero or more.",
            code=ShippingErrorCode.POSITION_INVALID,
            field="position",
        )
    return position
