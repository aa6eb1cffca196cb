"""Writes of shipping methods and their rate brackets."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.db import transaction

from apps.core.addresses import Address, address_validate
from apps.core.exceptions import ApplicationError, ApplicationFieldErrors
from apps.core.store_config import store_config_changed
from apps.shipping.errors import ShippingErrorCode
from apps.shipping.models import ShippingBracket, ShippingMethod, ShippingZone
from apps.shipping.services._common import amount_clean, fields_check, name_clean, position_clean

RateType = ShippingMethod.RateType
METHOD_FIELDS = {
    "zone",
    "name",
    "description",
    "rate_type",
    "amount",
    "free_over",
    "active",
    "position",
    "delivery_estimate",
    "pickup_address",
}
_BRACKETED = {RateType.WEIGHT, RateType.SUBTOTAL}


@dataclass(frozen=True)
class BracketInput:
    """One bracket as given: `lower` <= value < `upper` (None: no upper bound) costs
    `amount`. Values are grams for weight methods, money for subtotal methods."""

    lower: Any
    upper: Any
    amount: Any


def _bracket_input(item: BracketInput | Mapping[str, Any]) -> BracketInput:
    if isinstance(item, BracketInput):
        return item
    return BracketInput(lower=item.get("lower"), upper=item.get("upper"), amount=item.get("amount"))


def _bracket_error(message: str, *, code: str, index: int, part: str) -> ApplicationError:
    # `index` is the bracket's place in the input, so the admin can put it on that row.
    return ApplicationError(
        message, code=code, field=f"brackets.{index}.{part}", extra={"index": index, "part": part}
    )


def brackets_clean(
    brackets: Sequence[BracketInput | Mapping[str, Any]], *, rate_type: str
) -> list[BracketInput]:
    """The brackets as Decimals, refused when a bound is missing or backwards or two of them
    overlap (gaps are allowed: a package in a gap is not offered the method)."""
    if brackets and rate_type not in _BRACKETED:
        raise ApplicationError(
            "Only weight and subtotal methods have brackets.",
            code=ShippingErrorCode.BRACKETS_NOT_USED,
            field="brackets",
        )
    whole = rate_type == RateType.WEIGHT
    cleaned: list[tuple[int, BracketInput]] = []
    for index, item in enumerate(brackets):
        given = _bracket_input(item)
        values = {}
        for part in ("lower", "upper", "amount"):
            value = getattr(given, part)
            if part == "upper" and value in (None, ""):
                values[part] = None
                continue
            if value in (None, ""):
                raise _bracket_error(
                    "Enter a number.",
                    code=ShippingErrorCode.BRACKET_INVALID,
                    index=index,
                    part=part,
                )
            try:
                values[part] = amount_clean(value, field=part, whole=whole and part != "amount")
            except ApplicationError as exc:
                raise _bracket_error(exc.message, code=exc.code, index=index, part=part) from None
        bracket = BracketInput(**values)
        if bracket.upper is not None and bracket.upper <= bracket.lower:
            raise _bracket_error(
                "The upper bound must be above the lower bound.",
                code=ShippingErrorCode.BRACKET_INVALID,
                index=index,
                part="upper",
            )
        cleaned.append((index, bracket))
    ordered = sorted(cleaned, key=lambda item: item[1].lower)
    for (_, previous), (index, bracket) in pairwise(ordered):
        if previous.upper is None or bracket.lower < previous.upper:
            upper = "and above" if previous.upper is None else f"to {previous.upper}"
            raise _bracket_error(
                f"Overlaps the bracket from {previous.lower} {upper}.",
                code=ShippingErrorCode.BRACKETS_OVERLAP,
                index=index,
                part="lower",
            )
    return [bracket for _, bracket in ordered]


def _pickup_address_clean(value: Address | Mapping[str, Any] | None) -> dict[str, str]:
    if isinstance(value, Address):
        value = value.to_dict()
    if not value or not any(str(part or "").strip() for part in value.values()):
        raise ApplicationError(
            "Enter the address where shoppers pick up their orders.",
            code=ShippingErrorCode.PICKUP_ADDRESS_REQUIRED,
            field="pickup_address",
        )
    try:
        return address_validate(value, name_required=False).to_dict()
    except ApplicationFieldErrors as exc:
        raise exc.prefixed("pickup_address") from None


def _method_fields_clean(fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    fields["name"] = name_clean(fields["name"])
    if fields["rate_type"] not in RateType.values:
        raise ApplicationError(
            f"Choose one of: {', '.join(RateType.values)}.",
            code=ShippingErrorCode.RATE_TYPE_INVALID,
            field="rate_type",
        )
    fields["amount"] = amount_clean(fields["amount"], field="amount")
    free_over = fields["free_over"]
    fields["free_over"] = (
        None if free_over in (None, "") else amount_clean(free_over, field="free_over")
    )
    if fields["rate_type"] == RateType.FREE_OVER and fields["free_over"] is None:
        raise ApplicationError(
            "Enter the order subtotal from which shipping is free.",
            code=ShippingErrorCode.FREE_OVER_REQUIRED,
            field="free_over",
        )
    fields["description"] = (fields["description"] or "").strip()
    fields["delivery_estimate"] = " ".join((fields["delivery_estimate"] or "").split())
    if len(fields["delivery_estimate"]) > 100:
        raise ApplicationError(
            "Use at most 100 characters.",
            code=ShippingErrorCode.NAME_REQUIRED,
            field="delivery_estimate",
        )
    fields["active"] = bool(fields["active"])
    fields["position"] = position_clean(fields["position"])
    if fields["rate_type"] == RateType.PICKUP:
        fields["pickup_address"] = _pickup_address_clean(fields["pickup_address"])
    else:
        fields["pickup_address"] = {}  # only pickup methods have one
    return fields


def _brackets_replace(method: ShippingMethod, brackets: list[BracketInput]) -> None:
    method.brackets.all().delete()
    ShippingBracket.objects.bulk_create(
        ShippingBracket(method=method, lower=b.lower, upper=b.upper, amount=b.amount)
        for b in brackets
    )
    store_config_changed()  # bulk_create sends no post_save (apps.core.store_config)


@transaction.atomic
def shipping_method_create(
    *,
    zone: ShippingZone,
    name: str,
    rate_type: str,
    amount: Decimal | str = Decimal(0),
    free_over: Decimal | str | None = None,
    description: str = "",
    active: bool = True,
    position: int = 0,
    delivery_estimate: str = "",
    pickup_address: Address | Mapping[str, Any] | None = None,
    brackets: Sequence[BracketInput | Mapping[str, Any]] = (),
) -> ShippingMethod:
    fields = _method_fields_clean(
        {
            "zone": zone,
            "name": name,
            "rate_type": rate_type,
            "amount": amount,
            "free_over": free_over,
            "description": description,
            "active": active,
            "position": position,
            "delivery_estimate": delivery_estimate,
            "pickup_address": pickup_address,
        }
    )
    cleaned_brackets = brackets_clean(brackets, rate_type=fields["rate_type"])
    method = ShippingMethod.objects.create(**fields)
    _brackets_replace(method, cleaned_brackets)
    return method


@transaction.atomic
def shipping_method_update(*, method: ShippingMethod, **fields: Any) -> ShippingMethod:
    """Change some of the method's fields (METHOD_FIELDS) and, with `brackets`, replace its
    brackets. Switching to a type without brackets drops the old ones."""
    brackets = fields.pop("brackets", None)
    fields_check(fields, METHOD_FIELDS, "shipping_method_update")
    # The row lock orders concurrent bracket changes of one method (overlap checks).
    method = ShippingMethod.objects.select_for_update().get(pk=method.pk)
    merged = {name: getattr(method, name) for name in METHOD_FIELDS} | fields
    for name, value in _method_fields_clean(merged).items():
        setattr(method, name, value)
    if brackets is not None:
        cleaned = brackets_clean(brackets, rate_type=method.rate_type)
    elif not method.uses_brackets:
        cleaned = []
    else:
        cleaned = None
    method.save()
    if cleaned is not None:
        _brackets_replace(method, cleaned)
    return method


@transaction.atomic
def shipping_method_brackets_set(
    *, method: ShippingMethod, brackets: Sequence[BracketInput | Mapping[str, Any]]
) -> list[ShippingBracket]:
    """Replace the method's brackets with `brackets` (all of them, in any order)."""
    method = ShippingMethod.objects.select_for_update().get(pk=method.pk)
    _brackets_replace(method, brackets_clean(brackets, rate_type=method.rate_type))
    return list(method.brackets.order_by("lower"))


@transaction.atomic
def shipping_method_delete(*, method: ShippingMethod) -> None:
    method.delete()
