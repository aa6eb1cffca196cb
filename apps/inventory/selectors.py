"""Reads of the inventory: availability for the storefront and checkout, stock lists, the ledger,
the low-stock list and the ledger check."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from apps.catalog.models import Variant
from apps.core.api.pagination import KeysetOrdering, KeysetPage, SortKey, keyset_page
from apps.inventory.models import Reservation, StockItem, StockMovement, StockPolicy


@dataclass(frozen=True)
class Availability:
    """What a shopper may buy of a variant now.

    `available`: units free to reserve at active locations (None when the variant is not
    tracked); `backorderable`: tracked and may be sold beyond that; `in_stock`: it can be
    bought (untracked, backorderable or available > 0); `low_stock`: tracked, has a threshold
    and available is at or below it.
    """

    available: int | None
    backorderable: bool
    in_stock: bool
    low_stock: bool

    @classmethod
    def of(
        cls, *, track: bool | None, backorders: bool | None, threshold: int | None, free: int
    ) -> "Availability":
        """From the variant's policy (None: no policy row, the defaults) and its free units
        at active locations."""
        tracked = track is not False
        backorderable = tracked and bool(backorders)
        return cls(
            available=free if tracked else None,
            backorderable=backorderable,
            in_stock=(not tracked) or backorderable or free > 0,
            low_stock=tracked and threshold is not None and free <= threshold,
        )


def _free_units(prefix: str = "") -> Coalesce:
    """SUM over active locations of max(on_hand - reserved, 0) (a backordered row counts 0)."""
    return Coalesce(
        Sum(
            Greatest(
                F(f"{prefix}stock_items__on_hand") - F(f"{prefix}stock_items__reserved"), Value(0)
            ),
            filter=Q(**{f"{prefix}stock_items__location__is_active": True}),
        ),
        Value(0),
        output_field=IntegerField(),
    )


def availability(*, variant_ids: Iterable[int]) -> dict[int, Availability]:
    """{variant id: Availability} for the variants that exist, in ONE query whatever their
    number (variants without a policy row have the defaults: tracked, no backorders)."""
    ids = sorted({int(pk) for pk in variant_ids})
    if not ids:
        return {}
    rows = (
        Variant.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk",
            "stock_policy__track_inventory",
            "stock_policy__allow_backorders",
            "stock_policy__low_stock_threshold",
        )
        .annotate(free=_free_units())
    )
    return {
        pk: Availability.of(track=track, backorders=backorders, threshold=threshold, free=free)
        for pk, track, backorders, threshold, free in rows
    }


def variant_buyable_q() -> Q:
    """A filter for Variant querysets: the variants a shopper can buy now (untracked,
    backorderable, or with a free unit at an active location), the same rule as
    Availability.in_stock, for lists filtered by availability (two EXISTS, indexed)."""
    relaxed = StockPolicy.objects.filter(variant=OuterRef("pk")).filter(
        Q(track_inventory=False) | Q(allow_backorders=True)
    )
    free = StockItem.objects.filter(
        variant=OuterRef("pk"), location__is_active=True, on_hand__gt=F("reserved")
    )
    return Q(Exists(relaxed)) | Q(Exists(free))


def stock_items(
    *, variant_id: int | None = None, location_id: int | None = None
) -> QuerySet[StockItem]:
    """Stock rows with their variant, product and location (for lists)."""
    queryset = StockItem.objects.select_related("variant__product", "location")
    if variant_id is not None:
        queryset = queryset.filter(variant_id=variant_id)
    if location_id is not None:
        queryset = queryset.filter(location_id=location_id)
    return queryset


LEDGER_NEWEST_FIRST = KeysetOrdering(name="newest", keys=(SortKey("id", descending=True),))


def ledger_page(*, variant_id: int, cursor: str | None = None, limit: int = 50) -> KeysetPage:
    """One page of a variant's movements, newest first (keyset: no OFFSET, no COUNT(*); the
    ledger grows forever)."""
    queryset = StockMovement.objects.filter(variant_id=variant_id).select_related("location")
    return keyset_page(queryset, ordering=LEDGER_NEWEST_FIRST, cursor=cursor, limit=limit)


@dataclass(frozen=True)
class LowStockRow:
    variant_id: int
    sku: str
    product_name: str
    variant_name: str
    available: int
    threshold: int

    @property
    def title(self) -> str:
        if self.variant_name:
            return f"{self.product_name} — {self.variant_name}"
        return self.product_name


def low_stock_list() -> list[LowStockRow]:
    """Tracked variants with a threshold whose available units are at or below it, fewest
    first. One query."""
    rows = (
        StockPolicy.objects.filter(track_inventory=True, low_stock_threshold__isnull=False)
        .order_by()
        .values_list(
            "variant_id",
            "variant__sku",
            "variant__product__name",
            "variant__name",
            "low_stock_threshold",
        )
        .annotate(free=_free_units("variant__"))
        .filter(free__lte=F("low_stock_threshold"))
        .order_by("free", "variant__sku")
    )
    return [
        LowStockRow(
            variant_id=variant_id,
            sku=sku,
            product_name=product_name,
            variant_name=variant_name,
            available=free,
            threshold=threshold,
        )
        for variant_id, sku, product_name, variant_name, threshold, free in rows
    ]


def reservations_active(*, reference: str) -> list[Reservation]:
    """The active reservations held by `reference`, with their stock rows."""
    return list(
        Reservation.objects.filter(reference=reference, state=Reservation.State.ACTIVE)
        .select_related("stock_item")
        .order_by("id")
    )


@dataclass(frozen=True)
class LedgerDiscrepancy:
    stock_item_id: int
    on_hand: int
    reserved: int
    ledger_on_hand: int
    ledger_reserved: int
    reservations_active: int


def _sum_of(queryset: QuerySet, column: str) -> Coalesce:
    total = queryset.filter(stock_item=OuterRef("pk")).order_by().values("stock_item")
    total = total.annotate(total=Sum(column)).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def ledger_check(*, variant_ids: Iterable[int] | None = None) -> list[LedgerDiscrepancy]:
    """Stock rows whose quantities differ from their ledger: on_hand != SUM(on_hand_delta),
    reserved != SUM(reserved_delta), or reserved != the units of their active reservations.
    Empty when the books balance (the invariant every service keeps)."""
    queryset = StockItem.objects.order_by("pk")
    if variant_ids is not None:
        queryset = queryset.filter(variant_id__in=list(variant_ids))
    rows = (
        queryset.annotate(
            ledger_on_hand=_sum_of(StockMovement.objects.all(), "on_hand_delta"),
            ledger_reserved=_sum_of(StockMovement.objects.all(), "reserved_delta"),
            held=_sum_of(Reservation.objects.filter(state=Reservation.State.ACTIVE), "quantity"),
        )
        .filter(
            ~Q(on_hand=F("ledger_on_hand"))
            | ~Q(reserved=F("ledger_reserved"))
            | ~Q(reserved=F("held"))
        )
        .values_list("pk", "on_hand", "reserved", "ledger_on_hand", "ledger_reserved", "held")
    )
    return [LedgerDiscrepancy(*row) for row in rows]
