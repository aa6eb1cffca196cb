"""Inventory test fixtures: tests that run inside store A's schema, and variants to stock."""

import pytest
from django_tenants.utils import tenant_context

from apps.inventory import selectors
from tests.catalog import factories


@pytest.fixture
def in_a(store_a):
    """The test body runs inside store A (its schema, and connection.tenant is the store)."""
    with tenant_context(store_a.tenant):
        yield store_a


def variant_make(sku: str, *, price: str = "10.00"):
    """A product without options and its one (default) variant, SKU `sku`."""
    return factories.product(f"Product {sku}", price=price, sku=sku).variants.get()


def books_balance() -> None:
    """Quantities equal the ledger, and reserved equals the active reservations."""
    assert selectors.ledger_check() == []


@pytest.fixture
def variant(in_a):
    return variant_make("TEE-1")


@pytest.fixture
def other_variant(in_a):
    return variant_make("MUG-1")
