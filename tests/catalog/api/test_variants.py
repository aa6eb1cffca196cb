"""Variants through the API."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from apps.catalog.models import Variant

VARIANTS = "/api/v1/variants/"


def skus(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [variant["sku"] for variant in response.json()["results"]]


def test_variants_of_published_products_for_shoppers(api_a, staff_a, catalog_a):
    # shoppers: by product, then position; never a draft's
    assert skus(api_a.get(VARIANTS)) == ["LIN-M-RED", "LIN-L-BLUE", "MUG-1"]
    mug = api_a.get(VARIANTS, {"sku": "MUG-1"}).json()["results"][0]
    assert mug == {
        "id": mug["id"],
        "product": catalog_a["mug"].pk,
        "sku": "MUG-1",
        "name": "",
        "price": "12.50",
        "compare_at_price": "15.00",
        "weight_grams": None,
        "barcode": "",
        "position": 0,
        "is_default": True,
        "option_values": [],
        "updated": mug["updated"],
    }
    draft_variant = staff_a.get(VARIANTS, {"sku": "DRAFT-1"}).json()["results"][0]
    assert api_a.get(f"{VARIANTS}{draft_variant['id']}/").status_code == 404
    assert staff_a.get(f"{VARIANTS}{draft_variant['id']}/").json()["cost"] is None
    assert skus(staff_a.get(VARIANTS, {"product": catalog_a["draft"].pk})) == ["DRAFT-1"]
    assert skus(api_a.get(VARIANTS, {"limit": 1})) == ["LIN-M-RED"]


def test_variants_updated_since(staff_a, store_a, catalog_a):
    since = timezone.now() + timedelta(seconds=1)
    with schema_context(store_a.schema):
        Variant.objects.update(updated=since - timedelta(minutes=1))
        Variant.objects.filter(sku="DRAFT-1").update(updated=since + timedelta(seconds=1))
        Variant.objects.filter(sku="MUG-1").update(updated=since)
    assert skus(staff_a.get(VARIANTS, {"updated_since": since.isoformat()})) == [
        "MUG-1",
        "DRAFT-1",
    ]


def test_variant_writes(editor_a, customer_a, store_a, catalog_a):
    shirt = catalog_a["shirt"]
    with schema_context(store_a.schema):
        size, colour = (
            shirt.product_type.option_types.get(name__startswith=name)
            for name in ("Size", "Colour")
        )
        small = size.values.get(value="S").pk
        red = colour.values.get(value="Red").pk
        medium = size.values.get(value="M").pk
    new = {"product": shirt.pk, "sku": "LIN-S-RED", "price": "18.00", "option_values": [small, red]}
    assert customer_a.post(VARIANTS, new, format="json").status_code == 403
    # create
    created = editor_a.post(VARIANTS, new, format="json")
    assert created.status_code == 201, created.content
    variant = created.json()
    assert (variant["name"], variant["price"], variant["product"]) == ("S / Red", "18.00", shirt.pk)
    # the product's price range follows
    assert editor_a.get(f"/api/v1/products/{shirt.pk}/").json()["price_min"] == "18.00"
    # a combination another variant has
    again = editor_a.post(
        VARIANTS, {**new, "sku": "LIN-S-RED-2", "option_values": [medium, red]}, format="json"
    )
    assert [e["code"] for e in again.json()["errors"]] == ["variant_duplicate"]
    # duplicate SKU
    taken = editor_a.post(VARIANTS, {**new, "sku": "MUG-1"}, format="json")
    assert [(e["code"], e["attr"]) for e in taken.json()["errors"]] == [("sku_taken", "sku")]
    # update: negative price refused, then a valid one
    url = f"{VARIANTS}{variant['id']}/"
    negative = editor_a.patch(url, {"price": "-5"}, format="json")
    assert [(e["code"], e["attr"]) for e in negative.json()["errors"]] == [
        ("price_negative", "price")
    ]
    assert editor_a.patch(url, {"price": "17.00"}, format="json").json()["price"] == "17.00"
    moved = editor_a.patch(url, {"product": catalog_a["mug"].pk}, format="json")
    assert [e["code"] for e in moved.json()["errors"]] == ["variant_product_locked"]
    # delete
    assert editor_a.delete(url).status_code == 204
    assert editor_a.get(url).status_code == 404


def test_a_variant_is_the_same_object_inside_its_product(staff_a, catalog_a):
    product = staff_a.get(f"/api/v1/products/{catalog_a['shirt'].pk}/").json()
    listed = staff_a.get(VARIANTS, {"product": catalog_a["shirt"].pk}).json()["results"]
    assert [
        {k: v for k, v in variant.items() if k not in ("product", "updated")} for variant in listed
    ] == product["variants"]
    assert list(listed[0])[:-2] == list(product["variants"][0])  # same keys, same order
