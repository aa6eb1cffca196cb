"""Demo stock for the demo store: believable quantities for every variant of its catalog.

Everything goes through apps.inventory.services, so the demo store's ledger tells the same
story as its quantities: a delivery into the main warehouse, a few units moved to a pop-up
shop, and a stock-take that found a few variants nearly gone and two sold out. Every variant
watches a low-stock threshold of 5, so the low-stock list and email have something to show.

`demo_stock_seed()` runs inside the store's schema (the caller uses `tenant_context`), after
the catalog exists. It only fills a store without stock: a second run changes nothing.
"""

import zlib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum

from apps.catalog.models import Variant
from apps.inventory import services
from apps.inventory.models import StockItem, StockLocation, StockMovement

LOW_STOCK_THRESHOLD = 5
SHOP_CODE = "popup"
# Every n-th variant (by id) ends up low, or sold out: a handful of each in the demo catalog.
LOW_EVERY = 13
SOLD_OUT_AT = (4, 17)


@dataclass
class DemoStockResult:
    created: bool
    variants: int = 0
    units: int = 0
    low: int = 0
    sold_out: int = 0

    def summary(self) -> str:
        return (
            f"{self.units} units of {self.variants} variants, {self.low} low, "
            f"{self.sold_out} sold out"
        )


def demo_stock_present() -> bool:
    return StockItem.objects.exists() or StockMovement.objects.exists()


def _delivery_size(sku: str) -> int:
    # Stable per SKU (not random): reruns on a fresh store give the same demo. 12 to 60 units.
    return 12 + zlib.crc32(sku.encode()) % 49


@transaction.atomic
def demo_stock_seed() -> DemoStockResult:
    """Receive stock for every variant of the current store (see the module docstring)."""
    if demo_stock_present():
        return DemoStockResult(created=False, variants=StockItem.objects.count())
    variants = list(Variant.objects.order_by("pk").values_list("pk", "sku"))
    if not variants:
        return DemoStockResult(created=False)
    warehouse = services.location_default()
    shop = StockLocation.objects.filter(code=SHOP_CODE).first() or services.location_create(
        name="Pop-up shop", code=SHOP_CODE, position=1, address="Market Hall, stand 12"
    )
    deliveries = {pk: _delivery_size(sku) for pk, sku in variants}
    services.stock_receive_many(
        entries=list(deliveries.items()),
        location=warehouse,
        reason="Opening stock",
        reference="delivery:demo-1",
    )
    result = DemoStockResult(created=True, variants=len(variants), units=sum(deliveries.values()))
    for index, (pk, _sku) in enumerate(variants):
        if index in SOLD_OUT_AT:
            services.stock_adjust(variant=pk, quantity=0, reason="Sold out at the spring market")
            result.sold_out += 1
        elif index % LOW_EVERY == 2:
            services.stock_adjust(
                variant=pk, quantity=1 + index % 3, reason="Stock-take: fewer than counted"
            )
            result.low += 1
        elif index % 5 == 0:
            services.stock_transfer(
                variant=pk,
                from_location=warehouse,
                to_location=shop,
                quantity=3,
                reason="Stock for the pop-up shop",
            )
    services.policy_threshold_set(variant_ids=deliveries, threshold=LOW_STOCK_THRESHOLD)
    result.units = StockItem.objects.aggregate(units=Sum("on_hand"))["units"]
    return result
