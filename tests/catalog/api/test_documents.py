"""Product documents (apps.catalog.api.documents): a shopper's product objects come from JSON
rendered by PostgreSQL and stored; they must be exactly the live objects staff reads are built
from (apps.catalog.api.queries), stay current after any catalog write, and stay per store."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.catalog.api import documents, queries
from apps.catalog.models import Product, ProductDocument, ProductImage
from apps.core.api.pagination import ID_ORDERING
from tests.catalog import factories

PRODUCTS = "/api/v1/products/"


def _live(product_ids: list[int], currency: str) -> dict[int, dict]:
    page = Product.objects.filter(pk__in=product_ids).values("id")
    rows = queries.product_page_fetch(page, ordering=ID_ORDERING, staff=False)
    return {
        row["id"]: obj
        for row, obj in zip(rows, queries.products_present(rows, currency=currency), strict=True)
    }


@pytest.fixture
def rich_product(store_a, catalog_a):
    """The catalog's shirt with every kind of attribute, a compare-at price, a second tag and a
    publication time with and without microseconds on its neighbours."""
    with schema_context(store_a.schema):
        shirt = catalog_a["shirt"]
        attrs = [
            services.attribute_create(name="Material", kind="text"),
            services.attribute_create(name="Weight", kind="number", unit="kg"),
            services.attribute_create(name="Washable", kind="boolean"),
            services.attribute_create(name="Fit", kind="choice", choices=["Slim", "Loose"]),
        ]
        shirt.product_type.attributes.add(*attrs)
        values = ["Linen & <cotton>", "1.2500", True, "loose"]
        for attribute, value in zip(attrs, values, strict=True):
            services.product_attribute_set(product=shirt, attribute=attribute, value=value)
        services.product_update(
            product=shirt, tags=["Summer", "Ünïcode “quotes”"], description="<p>Cool</p>"
        )
        variant = shirt.variants.order_by("id").first()
        services.variant_update(variant=variant, compare_at_price=Decimal("30.00"))
        Product.objects.filter(pk=catalog_a["mug"].pk).update(
            published_at=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
        )
    return shirt


def test_documents_are_the_live_objects(store_a, rich_product, catalog_a):
    with schema_context(store_a.schema):
        ids = [rich_product.pk, catalog_a["mug"].pk, catalog_a["draft"].pk]
        context = documents.DocumentContext.current("EUR")
        bodies = documents.documents_render(ids, context)
        live = _live(ids, "EUR")
    assert set(bodies) == set(ids)
    for pk in ids:
        assert json.loads(bodies[pk]) == live[pk]
    shirt = json.loads(bodies[rich_product.pk])
    # what the live objects hold, spelled out once
    assert [a["value"] for a in shirt["attributes"]] == [
        {"id": shirt["attributes"][0]["value"]["id"], "value": "Loose", "slug": "loose"},
        "Linen & <cotton>",
        True,
        "1.25",
    ]
    assert shirt["tags"] == ["Summer", "Ünïcode “quotes”"]
    assert shirt["images"][0]["thumbnails"]["card"].startswith(f"/media/{store_a.schema}/")
    assert json.loads(bodies[catalog_a["mug"].pk])["published_at"] == "2026-01-02T03:04:05Z"


def test_the_api_serves_documents_equal_to_staff_objects_minus_costs(
    api_a, editor_a, rich_product, catalog_a
):
    public = api_a.get(PRODUCTS).json()["results"]
    staff = {p["id"]: p for p in editor_a.get(PRODUCTS, {"status": "published"}).json()["results"]}
    assert {p["id"] for p in public} == {rich_product.pk, catalog_a["mug"].pk}
    for product in public:
        expected = staff[product["id"]]
        for variant in expected["variants"]:
            variant.pop("cost")
        assert product == expected
    detail = api_a.get(f"{PRODUCTS}{rich_product.pk}/")
    assert detail["Content-Type"] == "application/json"
    assert detail.json() == next(p for p in public if p["id"] == rich_product.pk)


def test_a_write_shows_at_once(api_a, store_a, catalog_a, django_capture_on_commit_callbacks):
    assert api_a.get(f"{PRODUCTS}{catalog_a['mug'].pk}/").json()["name"] == "Stoneware Mug"
    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        # a write elsewhere in the catalog (the category's name is inside the document)
        services.category_update(category=catalog_a["home"], name="Kitchen")
    body = api_a.get(f"{PRODUCTS}{catalog_a['mug'].pk}/").json()
    assert body["category"]["name"] == "Kitchen"


def test_names_that_need_quoting_take_the_live_path(api_a, store_a, catalog_a):
    with schema_context(store_a.schema):
        image = ProductImage.objects.filter(product=catalog_a["shirt"]).first()
        odd = f"{store_a.schema}/catalog/products/odd name #1.png"
        ProductImage.objects.filter(pk=image.pk).update(image=odd)
        context = documents.DocumentContext.current("EUR")
        assert documents.documents_render([catalog_a["shirt"].pk], context) == {
            catalog_a["shirt"].pk: None
        }
    body = api_a.get(f"{PRODUCTS}{catalog_a['shirt'].pk}/").json()
    urls = [i["url"] for i in body["images"]]
    assert f"/media/{store_a.schema}/catalog/products/odd%20name%20%231.png" in urls


def test_a_new_media_url_renders_documents_again(api_a, catalog_a, settings):
    api_a.get(PRODUCTS)
    settings.MEDIA_URL = "https://cdn.example.com/m/"
    body = api_a.get(f"{PRODUCTS}{catalog_a['shirt'].pk}/").json()
    assert body["images"][0]["url"].startswith("https://cdn.example.com/m/")


def test_documents_are_per_store(api_a, api_b, store_a, store_b, catalog_a):
    api_a.get(PRODUCTS)  # store A's documents rendered and stored
    with schema_context(store_b.schema):
        assert ProductDocument.objects.count() == 0
        kettle = factories.product("B's Kettle", price="30.00", publish=True)
    # store B lists and reads its own product, whatever ids store A uses
    assert [p["name"] for p in api_b.get(PRODUCTS).json()["results"]] == ["B's Kettle"]
    assert api_b.get(f"{PRODUCTS}{kettle.pk}/").json()["name"] == "B's Kettle"
    for key in ("shirt", "mug"):
        if catalog_a[key].pk != kettle.pk:
            assert api_b.get(f"{PRODUCTS}{catalog_a[key].pk}/").status_code == 404
    with schema_context(store_a.schema):
        assert not ProductDocument.objects.filter(body__contains="Kettle").exists()


def test_a_hidden_product_has_no_public_document(api_a, catalog_a):
    for key in ("draft", "archived"):
        assert api_a.get(f"{PRODUCTS}{catalog_a[key].pk}/").status_code == 404


def test_a_deleted_products_document_goes_with_it(store_a, catalog_a, api_a):
    api_a.get(PRODUCTS)
    with schema_context(store_a.schema):
        pk = catalog_a["mug"].pk
        assert ProductDocument.objects.filter(product_id=pk).exists()
        services.product_delete(product=Product.objects.get(pk=pk))
        assert not ProductDocument.objects.filter(product_id=pk).exists()
        assert connection.schema_name == store_a.schema
