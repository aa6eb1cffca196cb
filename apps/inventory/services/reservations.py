"""Reservations for checkout: hold units, then sell them or let them go.

stock_reserve is the hot path of every checkout. It reads the candidate stock rows without
locks, plans which rows serve each line, then takes each planned row with one conditional
`UPDATE ... SET reserved = reserved + n WHERE id = ... AND <enough available>` in stock row id
order (so carts with the same variants in opposite orders never deadlock), and bulk-inserts the
ledger rows and reservations. When a row turned out to have less than planned (a concurrent
checkout took it), the attempt's savepoint is rolled back and the plan is made again from fresh
numbers; a plan that cannot be met is the out_of_stock answer, with nothing changed.

Untracked variants need no stock row and reserve nothing: their lines are accepted and get no
Reservation (selling or releasing the reference then has nothing to do for them).
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from apps.core.exceptions import ApplicationError
from apps.core.sql import rows_insert
from apps.inventory.errors import InventoryErrorCode
from apps.inventory.models import Reservation, StockItem, StockMovement, StockPolicy
from apps.inventory.services._common import (
    movement,
    pk_of,
    quantity_clean,
    reason_clean,
    stock_items_ensure,
)
from apps.inventory.services.locations import location_default

logger = logging.getLogger(__name__)

Kind = StockMovement.Kind
State = Reservation.State
# Fresh plans tried when concurrent checkouts keep taking the planned rows first. Each retry
# reads numbers at least as recent as the failed UPDATE saw, so a shortage is found at once;
# repeated retries only happen while stock is still there but moving between rows.
MAX_ATTEMPTS = 5
REFERENCE_MAX = Reservation._meta.get_field("reference").max_length
EXPIRE_BATCH = 500


# Take n units of a row when it has them free (or backorders / is not tracked).
_TAKE_SQL = (
    f"UPDATE {StockItem._meta.db_table} SET reserved = reserved + %s "
    "WHERE id = %s AND (on_hand >= reserved + %s OR allow_backorders OR NOT track_inventory)"
)


class _RowTaken(Exception):
    """A planned stock row no longer had the units when we got to it."""


@dataclass(frozen=True)
class StockRow:
    """A stock row as planning reads it (no lock): apps.checkout.selectors reads them with
    the cart and hands them to stock_reserve, in the order _rows_read gives."""

    id: int
    variant_id: int
    location_id: int
    sku: str
    on_hand: int
    reserved: int
    track_inventory: bool
    allow_backorders: bool

    @property
    def free(self) -> int:
        return max(self.on_hand - self.reserved, 0)


@dataclass
class _Plan:
    # stock row id -> units to reserve there
    takes: dict[int, int] = field(default_factory=dict)
    rows: dict[int, StockRow] = field(default_factory=dict)
    shortages: list[dict[str, int]] = field(default_factory=list)


def _lines_clean(lines: Iterable[tuple[int, int]]) -> dict[int, int]:
    """{variant id: quantity} in first-seen order; a variant named twice is summed."""
    wanted: dict[int, int] = {}
    try:
        for variant_id, quantity in lines:
            variant_id = pk_of(variant_id)
            wanted[variant_id] = wanted.get(variant_id, 0) + quantity_clean(quantity)
    except (TypeError, ValueError):
        raise ApplicationError(
            "Give the lines as (variant id, quantity) pairs.",
            code=InventoryErrorCode.LINES_INVALID,
            field="lines",
        ) from None
    if not wanted:
        raise ApplicationError(
            "Nothing to reserve.", code=InventoryErrorCode.LINES_INVALID, field="lines"
        )
    return wanted


def _rows_read(variant_ids: Iterable[int]) -> dict[int, list[StockRow]]:
    """Each variant's stock rows at active locations, in serving order: the default location
    first, then by position. One query, no locks."""
    rows = (
        StockItem.objects.filter(variant_id__in=list(variant_ids), location__is_active=True)
        .order_by("variant_id", "-location__is_default", "location__position", "location_id")
        .values_list(
            "id",
            "variant_id",
            "location_id",
            "variant__sku",
            "on_hand",
            "reserved",
            "track_inventory",
            "allow_backorders",
        )
    )
    by_variant: dict[int, list[StockRow]] = defaultdict(list)
    for values in rows:
        row = StockRow(*values)
        by_variant[row.variant_id].append(row)
    return by_variant


def _rowless_policies(wanted: dict[int, int], by_variant: dict[int, list[StockRow]]) -> set[int]:
    """For variants without a stock row at an active location, their policy decides: untracked
    ones are returned (nothing to hold), backorderable ones get a row at the default location
    (where their backorders are recorded) and are added to `by_variant`."""
    rowless = [variant_id for variant_id in wanted if variant_id not in by_variant]
    if not rowless:
        return set()
    policies = {
        pk: (track, backorders)
        for pk, track, backorders in StockPolicy.objects.filter(pk__in=rowless).values_list(
            "pk", "track_inventory", "allow_backorders"
        )
    }
    untracked = {pk for pk, (track, _) in policies.items() if not track}
    backorderable = [pk for pk, (track, backorders) in policies.items() if track and backorders]
    if backorderable:
        default = location_default()
        stock_items_ensure((variant_id, default.pk) for variant_id in backorderable)
        by_variant.update(_rows_read(backorderable))
    return untracked


def _plan_make(wanted: dict[int, int], known: dict[int, list[StockRow]] | None = None) -> _Plan:
    by_variant = _rows_read(wanted) if known is None else defaultdict(list, known)
    untracked = _rowless_policies(wanted, by_variant)
    plan = _Plan()
    for variant_id, requested in wanted.items():
        rows = by_variant.get(variant_id, [])
        if variant_id in untracked or (rows and not rows[0].track_inventory):
            continue  # untracked: nothing to hold
        remaining = requested
        for row in rows:
            take = min(row.free, remaining)
            if take:
                plan.takes[row.id] = take
                plan.rows[row.id] = row
                remaining -= take
            if not remaining:
                break
        if remaining and rows and rows[0].allow_backorders:
            # The rest is backordered at the first location in serving order.
            first = rows[0]
            plan.takes[first.id] = plan.takes.get(first.id, 0) + remaining
            plan.rows[first.id] = first
            remaining = 0
        if remaining:
            plan.shortages.append(
                {
                    "variant_id": variant_id,
                    "available": sum(row.free for row in rows),
                    "requested": requested,
                }
            )
    return plan


def _out_of_stock(shortages: list[dict[str, int]]) -> ApplicationError:
    first = shortages[0]
    if first["available"]:
        message = (
            f"Only {first['available']} of this item are available; "
            f"{first['requested']} were requested."
        )
    else:
        message = "This item is out of stock."
    return ApplicationError(
        message,
        code=InventoryErrorCode.OUT_OF_STOCK,
        field=None,
        extra={**first, "shortages": shortages},
        status_code=409,
    )


def _plan_apply(
    plan: _Plan, *, reference: str, expires_at: datetime | None, actor: Any
) -> list[Reservation]:
    """Take the planned units row by row in id order; _RowTaken when a row is short."""
    with connection.cursor() as cursor:
        for row_id in sorted(plan.takes):
            # Written out rather than through the ORM: this is the hot row of every checkout
            # of a popular product, and the ORM takes ~1 ms of Python to build the statement.
            cursor.execute(_TAKE_SQL, [plan.takes[row_id], row_id, plan.takes[row_id]])
            if not cursor.rowcount:
                raise _RowTaken(row_id)
    movements, reservations = [], []
    now = timezone.now()
    for row_id in sorted(plan.takes):
        row, take = plan.rows[row_id], plan.takes[row_id]
        item = StockItem(pk=row.id, variant_id=row.variant_id, location_id=row.location_id)
        movements.append(
            movement(
                item,
                kind=Kind.RESERVED,
                sku=row.sku,
                reserved_delta=take,
                reason="Reserved",
                actor=actor,
                reference=reference,
            )
        )
        reservations.append(
            Reservation(
                stock_item_id=row.id,
                quantity=take,
                reference=reference,
                expires_at=expires_at,
                created=now,
            )
        )
    rows_insert(movements)
    rows_insert(reservations)
    return reservations


def _reference_clean(reference: str | None) -> str:
    reference = (reference or "").strip()
    if not reference or len(reference) > REFERENCE_MAX:
        raise ApplicationError(
            f"Give a reference of 1 to {REFERENCE_MAX} characters, e.g. “order:1001”.",
            code=InventoryErrorCode.REFERENCE_REQUIRED,
            field="reference",
        )
    return reference


def stock_reserve(
    *,
    lines: Iterable[tuple[int, int]],
    reference: str,
    expires_at: datetime | None,
    actor: Any = None,
    rows: dict[int, list[StockRow]] | None = None,
) -> list[Reservation]:
    """Hold stock for every line, all or nothing.

    `lines`: (variant id, quantity) pairs; `reference` e.g. "checkout:<token>" or
    "order:1001" (release and sell go by it); `expires_at`: when reservations_expire may
    release them (None: never). A line is served from the default location first, then the
    others by position (one Reservation per stock row used); a backorderable variant takes
    what is free and backorders the rest at its first location; an untracked one reserves
    nothing.

    Raises ApplicationError(code="out_of_stock", field=None, status 409, extra={"variant_id",
    "available", "requested", "shortages": [every short line]}) and changes nothing when any
    line cannot be served. Runs in the caller's transaction (as a savepoint) or its own.

    `rows`: the lines' variants' stock rows at active locations, in serving order, when the
    caller has just read them (apps.checkout.selectors.cart_for_order): the first plan is made
    from them instead of reading them again; retries always read afresh.
    """
    wanted = _lines_clean(lines)
    reference = _reference_clean(reference)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        plan = _plan_make(wanted, rows if attempt == 1 else None)
        if plan.shortages:
            raise _out_of_stock(plan.shortages)
        if not plan.takes:
            return []  # only untracked variants
        try:
            with _apply_block(plan):
                return _plan_apply(plan, reference=reference, expires_at=expires_at, actor=actor)
        except _RowTaken:
            logger.debug("stock_reserve: attempt %s lost a row to a concurrent checkout", attempt)
    # Still racing after every attempt: answer with the latest numbers.
    plan = _plan_make(wanted)
    shortages = plan.shortages or [
        {"variant_id": variant_id, "available": 0, "requested": requested}
        for variant_id, requested in list(wanted.items())[:1]
    ]
    raise _out_of_stock(shortages)


def _apply_block(plan: _Plan):
    """The block _plan_apply runs in. A savepoint undoes the rows already taken when a later
    one is short; with ONE row to take inside the caller's transaction there is nothing to
    undo (its conditional UPDATE is the first write, and a short row raises before any
    other), so the savepoint would only add two round trips, its RELEASE while the row is
    locked (a hot product's row, in checkout). Outside a transaction: one of its own."""
    if len(plan.takes) == 1 and transaction.get_connection().in_atomic_block:
        return nullcontext()
    return transaction.atomic()


def _settle(
    reservations: list[Reservation], *, state: str, reason: str, actor: Any
) -> list[Reservation]:
    """Turn locked active reservations into released or sold ones: stock rows locked in id
    order and updated in one statement, one ledger row per reservation."""
    if not reservations:
        return []
    per_item: dict[int, int] = defaultdict(int)
    for reservation in reservations:
        per_item[reservation.stock_item_id] += reservation.quantity
    items = list(
        StockItem.objects.select_for_update(of=("self",))
        .select_related("variant")
        .filter(pk__in=per_item)
        .order_by("pk")
    )
    sold = state == State.SOLD
    for item in items:
        item.reserved -= per_item[item.pk]
        if sold:
            item.on_hand -= per_item[item.pk]
    StockItem.objects.bulk_update(items, ["on_hand", "reserved"])
    by_pk = {item.pk: item for item in items}
    now = timezone.now()
    Reservation.objects.filter(pk__in=[r.pk for r in reservations]).update(
        state=state, settled_at=now
    )
    movements = []
    for reservation in reservations:
        item = by_pk[reservation.stock_item_id]
        movements.append(
            movement(
                item,
                kind=Kind.SOLD if sold else Kind.RELEASED,
                sku=item.variant.sku,
                on_hand_delta=-reservation.quantity if sold else 0,
                reserved_delta=-reservation.quantity,
                reason=reason,
                actor=actor,
                reference=reservation.reference,
            )
        )
        reservation.state, reservation.settled_at = state, now
    StockMovement.objects.bulk_create(movements)
    return reservations


def _active_locked(reference: str) -> list[Reservation]:
    return list(
        Reservation.objects.select_for_update()
        .filter(reference=reference, state=State.ACTIVE)
        .order_by("stock_item_id", "id")
    )


@transaction.atomic
def reservations_release(
    *, reference: str, reason: str = "Released", actor: Any = None
) -> list[Reservation]:
    """Give back the units of every active reservation of `reference` (a cancelled checkout
    or order). Returns the released reservations; none (already settled): []. Ledger: one
    "released" row per reservation."""
    return _settle(
        _active_locked(_reference_clean(reference)),
        state=State.RELEASED,
        reason=reason_clean(reason) or "Released",
        actor=actor,
    )


@transaction.atomic
def reservations_sell(*, reference: str, actor: Any = None) -> list[Reservation]:
    """Turn the active reservations of `reference` into sales: on hand and reserved both go
    down. Expired but not yet released reservations are sold too. Returns the sold ones; []
    when there were none (already sold, or released by expiry: the caller decides what then).
    Ledger: one "sold" row per reservation."""
    return _settle(
        _active_locked(_reference_clean(reference)), state=State.SOLD, reason="Sold", actor=actor
    )


def reservations_expire(*, now: datetime | None = None, batch: int = EXPIRE_BATCH) -> int:
    """Release every active reservation whose expiry has passed; how many were released.

    Works in batches, each its own transaction (when called outside one). Reservations being
    sold or released right now are skipped (SKIP LOCKED), not waited for: the sale wins, and
    anything left is caught by the next run.
    """
    now = now or timezone.now()
    released = 0
    while True:
        with transaction.atomic():
            due = list(
                Reservation.objects.select_for_update(skip_locked=True)
                .filter(state=State.ACTIVE, expires_at__lte=now)
                .order_by("stock_item_id", "id")[:batch]
            )
            _settle(due, state=State.RELEASED, reason="Reservation expired", actor=None)
        released += len(due)
        if len(due) < batch:
            return released
