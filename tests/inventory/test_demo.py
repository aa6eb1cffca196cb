"""The demo stock: every variant stocked, a few low, two sold out, books balanced, once."""

from apps.inventory import demo, selectors
from apps.inventory.models import StockItem, StockMovement
from tests.inventory.conftest import books_balance, variant_make


def test_demo_stock_for_every_variant_once(in_a):
    # given: a catalog of 20 variants and no stock
    variants = [variant_make(f"DEMO-{n:02d}") for n in range(20)]
    # when
    result = demo.demo_stock_seed()
    # then
    assert (result.created, result.variants, result.sold_out, result.low) == (True, 20, 2, 2)
    found = selectors.availability(variant_ids=[v.pk for v in variants])
    assert len(found) == 20
    sold_out = sorted(v.sku for v in variants if found[v.pk].available == 0)
    assert sold_out == ["DEMO-04", "DEMO-17"]
    low = sorted((row.sku, row.available) for row in selectors.low_stock_list())
    assert low == [("DEMO-02", 3), ("DEMO-04", 0), ("DEMO-15", 1), ("DEMO-17", 0)]
    assert all(found[v.pk].available >= 6 for v in variants if v.sku not in dict(low))
    assert StockItem.objects.filter(location__code="popup").count() == 3  # 0, 5, 10
    books_balance()
    # and a second run changes nothing
    movements = StockMovement.objects.count()
    assert demo.demo_stock_seed().created is False
    assert StockMovement.objects.count() == movements


def test_demo_stock_without_a_catalog_does_nothing(in_a):
    assert demo.demo_stock_seed().created is False
    assert not StockItem.objects.exists()
