"""Cart test fixtures: tests inside store A's schema, stocked variants, carts."""

import pytest
from django_tenants.utils import tenant_context

from apps.accounts.models import User
from apps.catalog import services as catalog
from apps.inventory import services as inventory
from tests.catalog import factories

# The browser journeys' fixtures (a gunicorn on the test database, headless Chromium), for
# tests/cart/test_browser.py.
from tests.e2e.conftest import (  # noqa: F401
    artifacts_dir,
    chromium_path,
    live_server_url,
    mail_dir,
    media_root,
)


@pytest.fixture
def in_a(store_a):
    with tenant_context(store_a.tenant):
        yield store_a


def stocked_variant(name: str, *, price: str = "10.00", stock: int | None = 100, **fields):
    """A published product without options and its default variant with `stock` units
    (None: not tracked)."""
    product = factories.product(name, price=price, publish=True, **fields)
    variant = product.variants.get()
    if stock is None:
        inventory.policy_update(variant=variant, track_inventory=False)
    elif stock:
        inventory.stock_receive(variant=variant, quantity=stock)
    return variant


def stock_set(variant, units: int) -> None:
    inventory.stock_adjust(variant=variant, quantity=units, reason="stock-take")


def shirt_variants(*, stock: int = 50, category=None, sku_prefix: str | None = "LIN"):
    """A published shirt with M/Red (20.00) and L/Blue (25.00), each with `stock` units."""
    product = factories.product_with_variants(
        "Linen Shirt", category=category, sku_prefix=sku_prefix
    )
    product = catalog.product_set_status(product=product, status="published")
    variants = list(product.variants.order_by("price"))
    inventory.stock_receive_many(entries=[(v, stock) for v in variants])
    return variants


def customer_of(store) -> User:
    return User.objects.get(email=store.customer_email)


@pytest.fixture
def customer(in_a):
    return customer_of(in_a)
