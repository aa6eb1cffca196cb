"""Discounts test fixtures: tests that run inside store A's schema, and catalog helpers."""

import pytest
from django_tenants.utils import tenant_context

from apps.inventory import services as inventory
from tests.catalog import factories


@pytest.fixture
def in_a(store_a):
    """The test body runs inside store A (its schema, and connection.tenant is the store)."""
    with tenant_context(store_a.tenant):
        yield store_a


def stocked_variant(name: str, *, price: str = "10.00", stock: int = 100, **fields):
    """A published product without options and its default variant, with `stock` units."""
    product = factories.product(name, price=price, publish=True, **fields)
    variant = product.variants.get()
    if stock:
        inventory.stock_receive(variant=variant, quantity=stock)
    return variant
