"""The API's read helpers that are not visible through one endpoint alone."""

from django.core.files.storage import default_storage
from django_tenants.utils import schema_context

from apps.catalog.api.queries import storage_url_function


def test_fast_storage_urls_equal_the_storage_s_own(store_a):
    with schema_context(store_a.schema):
        url = storage_url_function()
        for name in (
            "store_store_a/catalog/products/shirt.jpg",
            "store_store_a/catalog/thumbs/a b#c?d-card.webp",
            "store_store_a/catalog/products/ünïcode.png",
            "catalog/products/unprefixed.png",  # the storage adds the store's prefix itself
            "store_store_a/../escape.png",
        ):
            assert url(name) == default_storage.url(name), name
        assert url("catalog/products/unprefixed.png") == (
            "/media/store_store_a/catalog/products/unprefixed.png"
        )
