"""Catalog API test helpers: media in a temporary directory, signed-in API clients and a small
catalog in store A built through the services."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.catalog import services
from tests.api.helpers import token_pair
from tests.catalog import factories


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def signed_in(store, email: str) -> APIClient:
    """An API client on `store`'s host with a Bearer token for `email`."""
    api = APIClient(HTTP_HOST=store.host)
    access = token_pair(api, email=email, password=store.password)["access"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return api


def catalog_perms_grant(store, email: str) -> None:
    """Give a staff account every catalog model permission (add/change/delete/view)."""
    with schema_context(store.schema):
        user = User.objects.get(email=email)
        user.user_permissions.add(*Permission.objects.filter(content_type__app_label="catalog"))


@pytest.fixture
def owner_a(store_a) -> APIClient:
    return signed_in(store_a, store_a.owner_email)


@pytest.fixture
def staff_a(store_a) -> APIClient:
    """Store A's staff member with only the view permissions of the shared fixture."""
    return signed_in(store_a, store_a.staff_email)


@pytest.fixture
def editor_a(store_a) -> APIClient:
    """Store A's staff member with every catalog permission."""
    catalog_perms_grant(store_a, store_a.staff_email)
    return signed_in(store_a, store_a.staff_email)


@pytest.fixture
def customer_a(store_a) -> APIClient:
    return signed_in(store_a, store_a.customer_email)


@pytest.fixture
def catalog_a(store_a):
    """Store A: Clothing > Shirts and Home; a published shirt with Size x Colour variants and
    two images, a published mug, a draft, an archived product, a published and a hidden
    collection."""
    with schema_context(store_a.schema):
        clothing = factories.category("Clothing")
        shirts = factories.category("Shirts", parent=clothing)
        home = factories.category("Home")
        shirt = factories.product_with_variants(
            "Linen Shirt",
            prices={("M", "Red"): "20.00", ("L", "Blue"): "25.00"},
            category=shirts,
            sku_prefix="LIN",
            tags=["Summer"],
        )
        factories.product_image(shirt, alt_text="A red linen shirt")
        shirt = services.product_set_status(product=shirt, status="published")
        mug = factories.product(
            "Stoneware Mug", price="12.50", category=home, publish=True, sku="MUG-1"
        )
        draft = factories.product("Secret Prototype", price="99.00", category=home, sku="DRAFT-1")
        archived = factories.product("Old Lamp", price="5.00", sku="LAMP-1", publish=True)
        archived = services.product_set_status(product=archived, status="archived")
        featured = services.collection_create(
            name="Summer Picks", is_published=True, product_ids=[mug.pk, shirt.pk, draft.pk]
        )
        hidden = services.collection_create(name="Back Room", product_ids=[mug.pk])
        services.variant_update(
            variant=mug.variants.get(), compare_at_price=Decimal("15.00"), cost=Decimal("4.00")
        )
        # stock for what is published (a tracked variant without stock is sold out)
        from apps.inventory import services as inventory

        for variant in [*shirt.variants.all(), mug.variants.get()]:
            inventory.stock_receive(variant=variant, quantity=5, reason="First delivery")
    return {
        "clothing": clothing, "shirts": shirts, "home": home, "shirt": shirt, "mug": mug,
        "draft": draft, "archived": archived, "featured": featured, "hidden": hidden,
    }  # fmt: skip
