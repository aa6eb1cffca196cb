"""Storefront test helpers: a clean per-store cache for every test, and a small catalog.

The page cache and the catalog version live in Redis, which the rolled-back test transaction
does not undo: every test starts from an empty cache.
"""

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from tests.cache import cache_reset
from tests.catalog import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache_reset()
    yield
    cache_reset()


def warm(client, path: str = "/robots.txt") -> None:
    """One request that loads the worker's host map (a public-schema query) and the theme."""
    client.get("/?warm=1")
    client.get(path)


@pytest.fixture
def catalog_a(store_a, django_capture_on_commit_callbacks):
    """Store A: categories Clothing > Shirts and Home; a shirt with Size x Colour variants
    (one on sale), a mug, a featured collection and a draft."""
    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        clothing = factories.category("Clothing", description="Things to wear.")
        shirts = factories.category("Shirts", parent=clothing)
        home = factories.category("Home")
        shirt = factories.product_with_variants(
            "Linen Shirt",
            prices={("M", "Red"): "20.00", ("L", "Blue"): "25.00", ("S", "Red"): "18.00"},
            category=shirts,
            description="<p>Cool <strong>linen</strong> for hot days.</p>",
            sku_prefix="LIN",
        )
        sale = shirt.variants.get(sku="LIN-M-RED")
        services.variant_update(variant=sale, compare_at_price=Decimal("30.00"))
        factories.product_image(shirt, alt_text="A red linen shirt on a hanger")
        factories.product_image(shirt, alt_text="The shirt's collar up close", color=(0, 0, 200))
        shirt = services.product_set_status(product=shirt, status="published")
        mug = factories.product(
            "Stoneware Mug", price="12.50", category=home, publish=True, sku="MUG-1"
        )
        draft = factories.product("Secret Prototype", price="99.00", category=home, sku="DRAFT-1")
        featured = services.collection_create(
            name="Summer Picks",
            description="Light things for long days.",
            is_published=True,
            is_featured=True,
            product_ids=[mug.pk, shirt.pk],
        )
        hidden = services.collection_create(name="Back Room", product_ids=[mug.pk])
        # in stock, but for the small red shirt (sold out)
        from apps.inventory import services as inventory

        for variant in [*shirt.variants.exclude(sku="LIN-S-RED"), mug.variants.get()]:
            inventory.stock_receive(variant=variant, quantity=5, reason="First delivery")
    return {
        "clothing": clothing, "shirts": shirts, "home": home, "shirt": shirt, "mug": mug,
        "draft": draft, "featured": featured, "hidden": hidden,
    }  # fmt: skip
