"""Writing products through the API: who may, the services' rules in the one error shape,
status actions and image uploads."""

import pytest
from django_tenants.utils import schema_context

from apps.catalog.models import Product, ProductImage, Variant
from tests.api.helpers import error
from tests.catalog import factories

PRODUCTS = "/api/v1/products/"
NEW_PRODUCT = {"name": "Canvas Tote", "price": "14.00", "sku": "TOTE-1", "tags": ["Bags"]}


def validation_error(code: str, detail: str, attr: str) -> dict:
    return {"type": "validation_error", "errors": [{"code": code, "detail": detail, "attr": attr}]}


# --- who may write ------------------------------------------------------------------------


def test_anonymous_cannot_write(api_a, store_a):
    response = api_a.post(PRODUCTS, NEW_PRODUCT, format="json")
    assert response.status_code == 401
    assert response.json() == error(
        "not_authenticated", "Authentication credentials were not provided."
    )


def test_customer_cannot_write(customer_a):
    response = customer_a.post(PRODUCTS, NEW_PRODUCT, format="json")
    assert response.status_code == 403
    assert response.json() == error(
        "permission_denied", "You do not have permission to perform this action."
    )


def test_staff_without_catalog_permissions_cannot_write(staff_a, catalog_a):
    # the shared fixture's staff can view everything but change nothing
    shirt = catalog_a["shirt"].pk
    assert staff_a.post(PRODUCTS, NEW_PRODUCT, format="json").status_code == 403
    assert staff_a.patch(f"{PRODUCTS}{shirt}/", {"name": "X"}, format="json").status_code == 403
    assert staff_a.post(f"{PRODUCTS}{shirt}/archive/").status_code == 403
    assert staff_a.delete(f"{PRODUCTS}{shirt}/").status_code == 403


@pytest.mark.parametrize("who", ["editor_a", "owner_a"])
def test_staff_with_permissions_and_owner_create_products(who, request, store_a):
    api = request.getfixturevalue(who)
    # when
    response = api.post(PRODUCTS, NEW_PRODUCT, format="json")
    # then: a draft with its default variant, in the product shape
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["slug"], body["status"], body["tags"]) == (
        "Canvas Tote",
        "canvas-tote",
        "draft",
        ["Bags"],
    )
    assert [(v["sku"], v["price"], v["is_default"]) for v in body["variants"]] == [
        ("TOTE-1", "14.00", True)
    ]
    with schema_context(store_a.schema):
        assert Product.objects.get(pk=body["id"]).price_min == 14


def test_permission_is_per_model_and_action(store_a, catalog_a):
    # given: a staff member who may change products but not add or delete them
    from django.contrib.auth.models import Permission

    from apps.accounts.models import User
    from tests.catalog.api.conftest import signed_in

    with schema_context(store_a.schema):
        user = User.objects.get(email=store_a.staff_email)
        user.user_permissions.add(Permission.objects.get(codename="change_product"))
    api = signed_in(store_a, store_a.staff_email)
    shirt = catalog_a["shirt"].pk
    # then
    assert (
        api.patch(f"{PRODUCTS}{shirt}/", {"name": "Linen Shirt II"}, format="json").json()["name"]
        == "Linen Shirt II"
    )
    assert api.post(f"{PRODUCTS}{shirt}/unpublish/").json()["status"] == "draft"
    assert api.post(PRODUCTS, NEW_PRODUCT, format="json").status_code == 403
    assert api.delete(f"{PRODUCTS}{shirt}/").status_code == 403


# --- validation in the one error shape ----------------------------------------------------


def test_duplicate_sku(editor_a, catalog_a):
    response = editor_a.post(PRODUCTS, {**NEW_PRODUCT, "sku": "MUG-1"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert [(e["code"], e["attr"]) for e in body["errors"]] == [("sku_taken", "sku")]


def test_negative_price(editor_a, store_a):
    response = editor_a.post(PRODUCTS, {**NEW_PRODUCT, "price": "-1.00"}, format="json")
    assert response.status_code == 400
    assert [(e["code"], e["attr"]) for e in response.json()["errors"]] == [
        ("price_negative", "price")
    ]
    with schema_context(store_a.schema):
        assert not Product.objects.filter(name="Canvas Tote").exists()


def test_serializer_errors_share_the_shape(editor_a):
    response = editor_a.post(PRODUCTS, {"price": "abc"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {"code": "required", "detail": "This field is required.", "attr": "name"},
            {"code": "invalid", "detail": "A valid number is required.", "attr": "price"},
        ],
    }


def test_publish_without_price(editor_a, store_a):
    with schema_context(store_a.schema):
        unpriced = factories.product("Unpriced", price=None)
    response = editor_a.post(f"{PRODUCTS}{unpriced.pk}/publish/")
    assert response.status_code == 400
    assert [(e["code"], e["attr"]) for e in response.json()["errors"]] == [
        ("publish_without_price", "price")
    ]


def test_status_actions(editor_a, api_a, catalog_a):
    draft = catalog_a["draft"].pk
    # publish: visible to shoppers, with a publication date
    published = editor_a.post(f"{PRODUCTS}{draft}/publish/")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert published.json()["published_at"] is not None
    assert api_a.get(f"{PRODUCTS}{draft}/").status_code == 200
    # archive: hidden again
    assert editor_a.post(f"{PRODUCTS}{draft}/archive/").json()["status"] == "archived"
    assert api_a.get(f"{PRODUCTS}{draft}/").status_code == 404
    assert editor_a.post(f"{PRODUCTS}{draft}/unpublish/").json()["status"] == "draft"


def test_partial_update_and_delete(editor_a, store_a, catalog_a):
    mug = catalog_a["mug"].pk
    response = editor_a.patch(
        f"{PRODUCTS}{mug}/",
        {
            "description": '<p onclick="x()">Hand <script>alert(1)</script>made</p>',
            "price": "13.00",
            "category": catalog_a["clothing"].pk,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["description"] == "<p>Hand made</p>"
    assert body["variants"][0]["price"] == "13.00"
    assert body["category"]["path"] == "clothing"
    assert body["name"] == "Stoneware Mug"  # untouched
    # delete
    assert editor_a.delete(f"{PRODUCTS}{mug}/").status_code == 204
    with schema_context(store_a.schema):
        assert not Product.objects.filter(pk=mug).exists()
        assert not Variant.objects.filter(product_id=mug).exists()
    assert editor_a.get(f"{PRODUCTS}{mug}/").status_code == 404


def test_unknown_related_ids_are_validation_errors(editor_a):
    response = editor_a.post(PRODUCTS, {**NEW_PRODUCT, "category": 999999}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "does_not_exist",
            "detail": 'Invalid pk "999999" - object does not exist.',
            "attr": "category",
        }
    ]


# --- images -------------------------------------------------------------------------------


def test_image_upload(editor_a, store_a, catalog_a):
    mug = catalog_a["mug"].pk
    # when
    response = editor_a.post(
        f"{PRODUCTS}{mug}/images/",
        {"image": factories.image_upload("Mug Side.JPG", image_format="JPEG"), "alt_text": "Side"},
        format="multipart",
    )
    # then
    assert response.status_code == 201, response.content
    (image,) = response.json()["images"]
    assert image["alt_text"] == "Side"
    assert (image["width"], image["height"]) == (64, 48)
    assert image["url"].startswith("/media/store_store_a/catalog/products/mug-side")
    assert image["url"].endswith(".jpg")
    with schema_context(store_a.schema):
        stored = ProductImage.objects.get(pk=image["id"])
        assert set(stored.thumbnails) == {"thumb", "card", "large"}
    # and its alt text can change
    changed = editor_a.patch(
        f"{PRODUCTS}{mug}/images/{image['id']}/", {"alt_text": "The mug"}, format="json"
    )
    assert changed.json()["alt_text"] == "The mug"
    assert editor_a.delete(f"{PRODUCTS}{mug}/images/{image['id']}/").status_code == 204
    assert editor_a.get(f"{PRODUCTS}{mug}/").json()["images"] == []


def test_image_upload_not_an_image(editor_a, catalog_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = editor_a.post(
        f"{PRODUCTS}{catalog_a['mug'].pk}/images/",
        {
            "image": SimpleUploadedFile("evil.png", b"<?php echo 1; ?>", "image/png"),
            "alt_text": "Evil",
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == validation_error(
        "image_invalid", "Upload a JPEG, PNG, WebP or GIF image.", "image"
    )


def test_image_upload_too_large(editor_a, catalog_a, settings):
    settings.CATALOG_IMAGE_MAX_BYTES = 100
    response = editor_a.post(
        f"{PRODUCTS}{catalog_a['mug'].pk}/images/",
        {"image": factories.image_upload(size=(300, 300)), "alt_text": "Big"},
        format="multipart",
    )
    assert response.status_code == 400
    (problem,) = response.json()["errors"]
    assert (problem["code"], problem["attr"]) == ("image_too_large", "image")


def test_image_upload_needs_a_file_and_multipart(editor_a, catalog_a):
    url = f"{PRODUCTS}{catalog_a['mug'].pk}/images/"
    response = editor_a.post(url, {"alt_text": "No file"}, format="multipart")
    assert response.json() == validation_error("required", "No file was submitted.", "image")
    assert editor_a.post(url, {"alt_text": "x"}, format="json").status_code == 415


def test_published_product_image_needs_alt_text(editor_a, catalog_a):
    response = editor_a.post(
        f"{PRODUCTS}{catalog_a['mug'].pk}/images/",
        {"image": factories.image_upload()},
        format="multipart",
    )
    assert response.status_code == 400
    assert [(e["code"], e["attr"]) for e in response.json()["errors"]] == [
        ("image_alt_missing", "alt_text")
    ]


@pytest.fixture
def shirt_attributes(store_a, catalog_a):
    from apps.catalog import services

    with schema_context(store_a.schema):
        attributes = [
            services.attribute_create(name="Material", kind="text"),
            services.attribute_create(name="Weight", kind="number", unit="kg"),
            services.attribute_create(name="Fit", kind="choice", choices=["Slim", "Loose"]),
        ]
        catalog_a["shirt"].product_type.attributes.add(*attributes)
    return attributes


def test_staff_set_and_remove_attributes(editor_a, catalog_a, shirt_attributes):
    url = f"{PRODUCTS}{catalog_a['shirt'].pk}/"
    values = {"material": "Linen", "weight": "0.35", "fit": "slim"}
    response = editor_a.patch(url, {"attributes": values}, format="json")
    assert response.status_code == 200, response.content
    shown = {a["slug"]: a["value"] for a in response.json()["attributes"]}
    assert shown["material"] == "Linen"
    assert shown["weight"] == "0.35"
    assert shown["fit"]["slug"] == "slim"
    # null removes one value; the others stay
    response = editor_a.patch(url, {"attributes": {"material": None}}, format="json")
    assert [a["slug"] for a in response.json()["attributes"]] == ["fit", "weight"]


def test_a_bad_attribute_value_names_the_attribute_and_changes_nothing(
    editor_a, catalog_a, shirt_attributes
):
    url = f"{PRODUCTS}{catalog_a['shirt'].pk}/"
    response = editor_a.patch(
        url,
        {"name": "Renamed", "attributes": {"material": "Linen", "weight": "heavy"}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "attributes.weight"
    assert response.json()["errors"][0]["code"] == "attribute_value_invalid"
    body = editor_a.get(url).json()
    assert body["name"] == "Linen Shirt"
    assert body["attributes"] == []
    response = editor_a.patch(url, {"attributes": {"colourway": "x"}}, format="json")
    assert response.json()["errors"][0]["attr"] == "attributes.colourway"
