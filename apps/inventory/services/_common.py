"""Helpers every inventory service shares: input checks, stock rows, ledger rows."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from apps.catalog.cache import stock_version_bump
from apps.catalog.models import Variant
from apps.core.exceptions import ApplicationError
from apps.inventory.errors import InventoryErrorCode
from apps.inventory.models import StockItem, StockLocation, StockMovement, StockPolicy

VariantRef = Variant | int
LocationRef = StockLocation | int | None
QUANTITY_MAX = 1_000_000  # a sanity bound: no one receives a million units of a variant at once
REASON_MAX = StockMovement._meta.get_field("reason").max_length
REFERENCE_TYPE_MAX = StockMovement._meta.get_field("reference_type").max_length
REFERENCE_ID_MAX = StockMovement._meta.get_field("reference_id").max_length


def pk_of(ref: Any) -> int:
    return int(getattr(ref, "pk", ref))


def whole_number(value: Any) -> int | None:
    """An int from an int or its decimal string ("12"); None for anything else (floats,
    booleans, "1.5")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def quantity_clean(value: Any, *, field: str = "quantity", allow_zero: bool = False) -> int:
    """A whole number of units, > 0 (or >= 0), at most QUANTITY_MAX."""
    value = whole_number(value)
    low = 0 if allow_zero else 1
    if value is None or not low <= value <= QUANTITY_MAX:
        raise ApplicationError(
            f"Enter a whole number of units from {low} to {QUANTITY_MAX:,}.",
            code=InventoryErrorCode.QUANTITY_INVALID,
            field=field,
        )
    return value


def reason_clean(reason: str | None, *, required: bool = False) -> str:
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise ApplicationError(
            "Say why the stock changes (e.g. “stock-take”, “damaged in transit”).",
            code=InventoryErrorCode.REASON_REQUIRED,
            field="reason",
        )
    return reason[:REASON_MAX]


def reference_split(reference: str | None) -> tuple[str, str]:
    """The type and id of a reference: "order:1001" -> ("order", "1001"), "import" ->
    ("import", ""), "" -> ("", "")."""
    kind, _, ident = (reference or "").strip().partition(":")
    return kind.strip()[:REFERENCE_TYPE_MAX], ident.strip()[:REFERENCE_ID_MAX]


def actor_label(actor: Any) -> str:
    return (getattr(actor, "email", "") or "") if actor is not None else ""


def actor_or_none(actor: Any) -> Any:
    # An anonymous request user is no one to record.
    return actor if getattr(actor, "pk", None) is not None else None


def location_resolve(location: LocationRef, *, field: str = "location") -> StockLocation:
    """The location given (object or id), or the store's default one when None."""
    from apps.inventory.services.locations import location_default

    if location is None:
        return location_default()
    if isinstance(location, StockLocation):
        return location
    found = StockLocation.objects.filter(pk=pk_of(location)).first()
    if found is None:
        raise ApplicationError(
            "There is no such stock location in this store.",
            code=InventoryErrorCode.LOCATION_NOT_FOUND,
            field=field,
        )
    return found


def location_require_active(location: StockLocation, *, field: str = "location") -> None:
    if not location.is_active:
        raise ApplicationError(
            f"“{location.name}” is inactive: activate it first.",
            code=InventoryErrorCode.LOCATION_INACTIVE,
            field=field,
        )


def policies_ensure(variant_ids: Iterable[int]) -> dict[int, StockPolicy]:
    """The variants' policy rows, created with the defaults where missing, locked (FOR NO KEY
    UPDATE) in variant order. policy_update takes the same lock, so a stock row created here
    copies flags no concurrent policy change can make stale. Unknown variants: variant_not_found.
    """
    ids = sorted(set(variant_ids))
    known = set(Variant.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [pk for pk in ids if pk not in known]
    if missing:
        raise ApplicationError(
            "There is no such variant in this store.",
            code=InventoryErrorCode.VARIANT_NOT_FOUND,
            field="variant",
            extra={"variant_ids": missing},
        )
    StockPolicy.objects.bulk_create(
        [StockPolicy(variant_id=pk) for pk in ids], ignore_conflicts=True
    )
    policies = StockPolicy.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")
    return {policy.pk: policy for policy in policies}


@transaction.atomic
def stock_items_ensure(pairs: Iterable[tuple[int, int]]) -> None:
    """Make sure a stock row exists for each (variant id, location id), with the variant's
    policy flags; existing rows are left alone (INSERT ... ON CONFLICT DO NOTHING)."""
    pairs = sorted(set(pairs))
    if not pairs:
        return
    existing = set(
        StockItem.objects.filter(
            variant_id__in={v for v, _ in pairs}, location_id__in={loc for _, loc in pairs}
        ).values_list("variant_id", "location_id")
    )
    wanted = [pair for pair in pairs if pair not in existing]
    if not wanted:
        return
    policies = policies_ensure(v for v, _ in wanted)
    StockItem.objects.bulk_create(
        [
            StockItem(
                variant_id=variant_id,
                location_id=location_id,
                track_inventory=policies[variant_id].track_inventory,
                allow_backorders=policies[variant_id].allow_backorders,
            )
            for variant_id, location_id in wanted
        ],
        ignore_conflicts=True,
    )


def stock_items_lock(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], StockItem]:
    """The stock rows of (variant id, location id) pairs, created if missing, locked in id
    order (every service locks stock rows in id order: no deadlocks between them)."""
    pairs = set(pairs)
    stock_items_ensure(pairs)
    variant_ids = {v for v, _ in pairs}
    rows = (
        StockItem.objects.select_for_update(of=("self",))
        .select_related("variant", "location")
        .filter(variant_id__in=variant_ids, location_id__in={loc for _, loc in pairs})
        .order_by("pk")
    )
    return {
        (row.variant_id, row.location_id): row
        for row in rows
        if (row.variant_id, row.location_id) in pairs
    }


def stock_changed() -> None:
    """Storefront pages show availability: move the stock version when this commits (cached
    pages of the store become stale; nothing happens on rollback)."""
    transaction.on_commit(stock_version_bump)


def movement(
    item: StockItem,
    *,
    kind: str,
    sku: str,
    on_hand_delta: int = 0,
    reserved_delta: int = 0,
    reason: str = "",
    actor: Any = None,
    reference: str = "",
) -> StockMovement:
    """An unsaved ledger row for a change to `item` (the caller bulk-inserts them)."""
    stock_changed()
    reference_type, reference_id = reference_split(reference)
    actor = actor_or_none(actor)
    return StockMovement(
        stock_item_id=item.pk,
        variant_id=item.variant_id,
        sku=sku,
        location_id=item.location_id,
        kind=kind,
        on_hand_delta=on_hand_delta,
        reserved_delta=reserved_delta,
        reason=reason,
        actor=actor,
        actor_label=actor_label(actor),
        reference_type=reference_type,
        reference_id=reference_id,
    )
