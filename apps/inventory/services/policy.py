"""A variant's stock policy: tracked or not, backorders or not, low-stock threshold."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from apps.core.exceptions import ApplicationError
from apps.inventory.errors import InventoryErrorCode
from apps.inventory.models import StockItem, StockPolicy
from apps.inventory.services._common import (
    QUANTITY_MAX,
    VariantRef,
    pk_of,
    policies_ensure,
    stock_changed,
    whole_number,
)

_UNSET: Any = object()


def _threshold_clean(value: Any) -> int | None:
    if value is None or value == "":
        return None
    threshold = whole_number(value)
    if threshold is None or not 0 <= threshold <= QUANTITY_MAX:
        raise ApplicationError(
            "Enter a whole number of units, or leave it empty for no low-stock warning.",
            code=InventoryErrorCode.THRESHOLD_INVALID,
            field="low_stock_threshold",
        )
    return threshold


@transaction.atomic
def policy_update(
    *,
    variant: VariantRef,
    track_inventory: bool | None = None,
    allow_backorders: bool | None = None,
    low_stock_threshold: int | None = _UNSET,
) -> StockPolicy:
    """Change a variant's stock policy (None / not given: unchanged; `low_stock_threshold=None`
    removes the threshold). The flags are copied onto every stock row of the variant in the same
    transaction, under the policy row's lock (which stock row creation takes too).

    Refused (policy_conflict) when a stock row would break its constraints: backorders cannot
    be switched off while a location has negative stock or more reserved than on hand.
    """
    variant_id = pk_of(variant)
    policy = policies_ensure([variant_id])[variant_id]
    if low_stock_threshold is not _UNSET:
        policy.low_stock_threshold = _threshold_clean(low_stock_threshold)
    if track_inventory is not None:
        policy.track_inventory = bool(track_inventory)
    if allow_backorders is not None:
        policy.allow_backorders = bool(allow_backorders)
    rows = StockItem.objects.filter(variant_id=variant_id)
    # Lock the rows (in id order) before checking them: a reservation in between could
    # otherwise make the check stale and the UPDATE below break a constraint.
    locked = list(rows.select_for_update().order_by("pk").values_list("on_hand", "reserved"))
    if not policy.allow_backorders and any(
        on_hand < 0 or (policy.track_inventory and reserved > on_hand)
        for on_hand, reserved in locked
    ):
        raise ApplicationError(
            "Some locations have negative stock or more units reserved than on hand: "
            "receive or adjust stock there before switching backorders off.",
            code=InventoryErrorCode.POLICY_CONFLICT,
            field="allow_backorders",
        )
    policy.save()
    rows.update(track_inventory=policy.track_inventory, allow_backorders=policy.allow_backorders)
    stock_changed()  # tracking and backorders decide what a shopper can buy
    return policy


@transaction.atomic
def policy_threshold_set(*, variant_ids: Iterable[VariantRef], threshold: int | None) -> int:
    """Give many variants the same low-stock threshold (None: none) in a few queries, e.g.
    for a whole catalog; their other settings stay. How many variants."""
    threshold = _threshold_clean(threshold)
    ids = sorted({pk_of(variant) for variant in variant_ids})
    if not ids:
        return 0
    policies_ensure(ids)
    return StockPolicy.objects.filter(pk__in=ids).update(low_stock_threshold=threshold)
