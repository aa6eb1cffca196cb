"""The merchant's stock changes: receive, adjust, transfer, and returns coming back.

Each one locks the stock rows it changes (in id order), checks the change against the rows'
current quantities, updates them and writes its ledger rows, in one transaction.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from uuid import uuid4

from django.db import transaction

from apps.core.exceptions import ApplicationError
from apps.inventory.errors import InventoryErrorCode
from apps.inventory.models import StockItem, StockMovement
from apps.inventory.services._common import (
    QUANTITY_MAX,
    LocationRef,
    VariantRef,
    location_require_active,
    location_resolve,
    movement,
    pk_of,
    quantity_clean,
    reason_clean,
    stock_items_lock,
    whole_number,
)

Kind = StockMovement.Kind


def _stock_add(
    *,
    entries: Iterable[tuple[VariantRef, Any]],
    location: LocationRef,
    kind: str,
    reason: str,
    reference: str,
    actor: Any,
) -> list[StockItem]:
    totals: dict[int, int] = defaultdict(int)
    for variant, quantity in entries:
        totals[pk_of(variant)] += quantity_clean(quantity)
    if not totals:
        return []
    place = location_resolve(location)
    if kind == Kind.RECEIVED:
        location_require_active(place)
    items = stock_items_lock((variant_id, place.pk) for variant_id in totals)
    ordered = sorted(items.values(), key=lambda item: item.pk)
    movements = []
    for item in ordered:
        added = totals[item.variant_id]
        item.on_hand += added
        movements.append(
            movement(
                item,
                kind=kind,
                sku=item.variant.sku,
                on_hand_delta=added,
                reason=reason,
                actor=actor,
                reference=reference,
            )
        )
    StockItem.objects.bulk_update(ordered, ["on_hand"])
    StockMovement.objects.bulk_create(movements)
    return ordered


@transaction.atomic
def stock_receive_many(
    *,
    entries: Iterable[tuple[VariantRef, int]],
    location: LocationRef = None,
    reason: str = "",
    reference: str = "",
    actor: Any = None,
) -> list[StockItem]:
    """Receive units of many variants into one location (the default when None) in a few
    queries, e.g. a delivery or an import (`reference="import:2024-05"`)."""
    return _stock_add(
        entries=entries,
        location=location,
        kind=Kind.RECEIVED,
        reason=reason_clean(reason),
        reference=reference,
        actor=actor,
    )


def stock_receive(
    *,
    variant: VariantRef,
    quantity: int,
    location: LocationRef = None,
    reason: str = "",
    reference: str = "",
    actor: Any = None,
) -> StockItem:
    """Add `quantity` (> 0) units to the variant's stock at `location` (default location when
    None; it must be active). Ledger: one "received" row."""
    return stock_receive_many(
        entries=[(variant, quantity)],
        location=location,
        reason=reason,
        reference=reference,
        actor=actor,
    )[0]


@transaction.atomic
def stock_return(
    *,
    variant: VariantRef,
    quantity: int,
    reference: str,
    location: LocationRef = None,
    reason: str = "",
    actor: Any = None,
) -> StockItem:
    """Put returned units back on hand (e.g. `reference="return:17"` or `"order:1001"`).
    Ledger: one "returned" row."""
    if not (reference or "").strip():
        raise ApplicationError(
            "Say which order or return the units come back from.",
            code=InventoryErrorCode.REFERENCE_REQUIRED,
            field="reference",
        )
    return _stock_add(
        entries=[(variant, quantity)],
        location=location,
        kind=Kind.RETURNED,
        reason=reason_clean(reason),
        reference=reference,
        actor=actor,
    )[0]


def _units_check(item: StockItem, new_on_hand: int, *, field: str) -> None:
    """The checks behind the CHECK constraints, with messages a merchant understands. Reserved
    units cannot be taken away (whether or not the variant is tracked) unless backorders are
    allowed."""
    if item.allow_backorders:
        return
    if new_on_hand < 0:
        raise ApplicationError(
            f"Only {item.on_hand} on hand: the stock cannot go below zero.",
            code=InventoryErrorCode.STOCK_NEGATIVE,
            field=field,
            extra={"on_hand": item.on_hand, "reserved": item.reserved},
        )
    if new_on_hand < item.reserved:
        raise ApplicationError(
            f"{item.reserved} units are reserved for orders: on hand cannot go below "
            f"{item.reserved}.",
            code=InventoryErrorCode.STOCK_RESERVED,
            field=field,
            extra={"on_hand": item.on_hand, "reserved": item.reserved},
        )


@transaction.atomic
def stock_adjust(
    *,
    variant: VariantRef,
    reason: str,
    quantity: int | None = None,
    delta: int | None = None,
    location: LocationRef = None,
    reference: str = "",
    actor: Any = None,
) -> StockItem:
    """Correct the on-hand count: to a new `quantity` (a stock-take) or by a `delta` (e.g. -2
    damaged); exactly one of them. A reason is required. Setting the count it already has
    changes nothing and writes no ledger row. Ledger: one "adjusted" row."""
    reason = reason_clean(reason, required=True)
    if (quantity is None) == (delta is None):
        raise ApplicationError(
            "Give either the new quantity or the change, not both.",
            code=InventoryErrorCode.ADJUST_INVALID,
            field="quantity",
        )
    if quantity is not None:
        quantity = quantity_clean(quantity, allow_zero=True)
    else:
        delta = whole_number(delta)
        if delta is None or delta == 0 or abs(delta) > QUANTITY_MAX:
            raise ApplicationError(
                f"Enter a non-zero change of at most {QUANTITY_MAX:,} units either way.",
                code=InventoryErrorCode.QUANTITY_INVALID,
                field="delta",
            )
    place = location_resolve(location)
    variant_id = pk_of(variant)
    item = stock_items_lock([(variant_id, place.pk)])[(variant_id, place.pk)]
    new_on_hand = quantity if quantity is not None else item.on_hand + delta
    if new_on_hand == item.on_hand:
        return item
    _units_check(item, new_on_hand, field="quantity" if quantity is not None else "delta")
    change = new_on_hand - item.on_hand
    item.on_hand = new_on_hand
    item.save(update_fields=["on_hand"])
    movement(
        item,
        kind=Kind.ADJUSTED,
        sku=item.variant.sku,
        on_hand_delta=change,
        reason=reason,
        actor=actor,
        reference=reference,
    ).save()
    return item


@transaction.atomic
def stock_transfer(
    *,
    variant: VariantRef,
    from_location: LocationRef,
    to_location: LocationRef,
    quantity: int,
    reason: str = "",
    reference: str = "",
    actor: Any = None,
) -> tuple[StockItem, StockItem]:
    """Move `quantity` on-hand units between two locations, atomically (None = the default
    location). Reserved units stay where they are. Ledger: a "transferred_out" and a
    "transferred_in" row sharing one reference ("transfer:<id>" unless one is given)."""
    quantity = quantity_clean(quantity)
    source = location_resolve(from_location, field="from_location")
    target = location_resolve(to_location, field="to_location")
    if source.pk == target.pk:
        raise ApplicationError(
            "Choose two different locations.",
            code=InventoryErrorCode.TRANSFER_SAME_LOCATION,
            field="to_location",
        )
    location_require_active(target, field="to_location")
    variant_id = pk_of(variant)
    if not StockItem.objects.filter(variant_id=variant_id, location=source).exists():
        raise _short(0, quantity, source.name)
    items = stock_items_lock([(variant_id, source.pk), (variant_id, target.pk)])
    out, into = items[(variant_id, source.pk)], items[(variant_id, target.pk)]
    movable = out.on_hand - max(out.reserved, 0)
    if quantity > movable:
        raise _short(max(movable, 0), quantity, source.name)
    reference = reference or f"transfer:{uuid4().hex[:12]}"
    reason = reason_clean(reason)
    out.on_hand -= quantity
    into.on_hand += quantity
    StockItem.objects.bulk_update(sorted([out, into], key=lambda item: item.pk), ["on_hand"])
    StockMovement.objects.bulk_create(
        [
            movement(
                out,
                kind=Kind.TRANSFERRED_OUT,
                sku=out.variant.sku,
                on_hand_delta=-quantity,
                reason=reason,
                actor=actor,
                reference=reference,
            ),
            movement(
                into,
                kind=Kind.TRANSFERRED_IN,
                sku=into.variant.sku,
                on_hand_delta=quantity,
                reason=reason,
                actor=actor,
                reference=reference,
            ),
        ]
    )
    return out, into


def _short(movable: int, quantity: int, where: str) -> ApplicationError:
    return ApplicationError(
        f"Only {movable} unreserved units at “{where}”; cannot move {quantity}.",
        code=InventoryErrorCode.STOCK_INSUFFICIENT,
        field="quantity",
        extra={"available": movable, "requested": quantity},
    )
