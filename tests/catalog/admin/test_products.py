"""The product admin on store A's host, as its owner: every save goes through the services and
every refusal is shown on its field with nothing saved."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from apps.catalog.models import Product, ProductImage, Tag, Variant
from tests.catalog import factories
from tests.catalog.admin.helpers import (
    PRODUCTS,
    field_errors,
    product_data,
    variant_row,
)

ADD = f"{PRODUCTS}add/"


def _counts(store) -> tuple[int, int, int]:
    with schema_context(store.schema):
        return Product.objects.count(), Variant.objects.count(), ProductImage.objects.count()


# --- creating -------------------------------------------------------------------------------


def test_owner_creates_a_product_with_variants_and_an_image(owner_a, store_a, media):
    # given: a Size x Colour type
    with schema_context(store_a.schema):
        product_type, size, colour = factories.size_colour_type()
        m, red = size.values.get(value="M"), colour.values.get(value="Red")
        large, blue = size.values.get(value="L"), colour.values.get(value="Blue")
    data = product_data(
        name="Linen shirt",
        product_type=str(product_type.pk),
        tags="summer, Linen",
        description='{"delta": "{}", "html": "<p>Cool <strong>linen</strong></p>"}',
        variants=[
            variant_row("LIN-M-RED", "39.00", option_values=[m.pk, red.pk], cost="12.50"),
            variant_row("LIN-L-BLUE", "45.50", option_values=[large.pk, blue.pk], position="1"),
        ],
        images=[
            {"image": factories.image_upload("front.png"), "alt_text": "Front", "position": "0"}
        ],
    )
    # when
    response = owner_a.post(ADD, data)
    # then
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(store_a.schema):
        product = Product.objects.get()
        assert (product.name, product.slug, product.status) == (
            "Linen shirt",
            "linen-shirt",
            "draft",
        )
        assert product.description == "<p>Cool <strong>linen</strong></p>"
        assert (product.price_min, product.price_max) == (Decimal("39.00"), Decimal("45.50"))
        assert sorted(Tag.objects.values_list("name", flat=True)) == ["Linen", "summer"]
        variants = list(product.variants.order_by("position"))
        assert [(v.sku, v.name, v.price, v.cost) for v in variants] == [
            ("LIN-M-RED", "M / Red", Decimal("39.00"), Decimal("12.50")),
            ("LIN-L-BLUE", "L / Blue", Decimal("45.50"), None),
        ]
        image = product.images.get()
        assert image.alt_text == "Front"
        assert set(image.thumbnails) == {"thumb", "card", "large"}
    assert response["Location"] == PRODUCTS


def test_a_product_without_options_gets_its_default_variant_and_can_be_published(owner_a, store_a):
    data = product_data(name="Mug", status="published", variants=[variant_row("MUG-1", "9.90")])
    response = owner_a.post(ADD, data)
    assert response.status_code == 302
    with schema_context(store_a.schema):
        product = Product.objects.get()
        assert product.status == "published"
        assert product.published_at is not None
        variant = product.variants.get()
        assert (variant.sku, variant.price, variant.is_default) == ("MUG-1", Decimal("9.90"), True)


# --- refusals: shown on the field, nothing saved, input kept ---------------------------------


def test_duplicate_sku_is_shown_on_the_variant_row(owner_a, store_a):
    # given: a variant with SKU TAKEN-1 already in the store
    with schema_context(store_a.schema):
        factories.product("Existing", sku="TAKEN-1")
    before = _counts(store_a)
    # when
    response = owner_a.post(
        ADD, product_data(name="New mug", variants=[variant_row("TAKEN-1", "5.00")])
    )
    # then
    assert response.status_code == 200
    assert field_errors(response, "sku", prefix="variants") == [
        'The SKU "TAKEN-1" is already used by another variant in this store.'
    ]
    assert _counts(store_a) == before
    form = response.context["adminform"].form
    assert form["name"].value() == "New mug"  # the merchant's input is still there
    html = response.content.decode()
    assert 'value="TAKEN-1"' in html
    assert "Please correct the error below." in html


def test_the_same_sku_twice_in_one_form_is_refused(owner_a, store_a):
    response = owner_a.post(
        ADD,
        product_data(
            name="Twice",
            variants=[variant_row("TWICE", "5.00"), variant_row("TWICE", "6.00", position="1")],
        ),
    )
    assert response.status_code == 200
    assert _counts(store_a) == (0, 0, 0)


def test_negative_price_is_shown_on_the_price_field(owner_a, store_a):
    response = owner_a.post(ADD, product_data(variants=[variant_row("NEG-1", "-1.00")]))
    assert response.status_code == 200
    assert field_errors(response, "price", prefix="variants") == ["A price cannot be negative."]
    assert _counts(store_a) == (0, 0, 0)


def test_negative_compare_at_price_and_cost_are_shown_on_their_fields(owner_a, store_a):
    response = owner_a.post(
        ADD,
        product_data(variants=[variant_row("NEG-2", "3.00", compare_at_price="-2", cost="-0.01")]),
    )
    assert response.status_code == 200
    assert field_errors(response, "compare_at_price", prefix="variants") == [
        "A price cannot be negative."
    ]
    assert field_errors(response, "cost", prefix="variants") == ["A price cannot be negative."]
    assert _counts(store_a) == (0, 0, 0)


def test_publishing_without_a_price_is_shown_on_the_status_field(owner_a, store_a):
    response = owner_a.post(ADD, product_data(name="No price yet", status="published"))
    assert response.status_code == 200
    assert field_errors(response, "status") == [
        '"No price yet" has no price yet: give it a price (or a variant) before publishing.'
    ]
    assert _counts(store_a) == (0, 0, 0)
    assert response.context["adminform"].form["status"].value() == "published"


def test_publishing_an_existing_product_without_a_price_keeps_it_a_draft(owner_a, store_a):
    with schema_context(store_a.schema):
        product = factories.product("Draft only", price=None)
    response = owner_a.post(
        f"{PRODUCTS}{product.pk}/change/", product_data(name="Draft only", status="published")
    )
    assert response.status_code == 200
    assert field_errors(response, "status") == [
        '"Draft only" has no price yet: give it a price (or a variant) before publishing.'
    ]
    with schema_context(store_a.schema):
        assert Product.objects.get(pk=product.pk).status == "draft"


def test_image_too_large_is_shown_on_the_image_field(owner_a, store_a, media, settings):
    settings.CATALOG_IMAGE_MAX_BYTES = 200
    upload = factories.image_upload("big.png", size=(400, 400))
    response = owner_a.post(
        ADD,
        product_data(
            variants=[variant_row("BIG-1", "5.00")],
            images=[{"image": upload, "alt_text": "Big", "position": "0"}],
        ),
    )
    assert response.status_code == 200
    (error,) = field_errors(response, "image", prefix="images")
    assert error.startswith("The image is too large (")
    assert error.endswith("the limit is 0 MB.")
    assert _counts(store_a) == (0, 0, 0)
    assert not any(media.rglob("*.*")), "no file is left behind"


def test_a_file_that_is_not_an_image_is_shown_on_the_image_field(owner_a, store_a, media):
    upload = SimpleUploadedFile("notes.png", b"just some text", content_type="image/png")
    response = owner_a.post(
        ADD,
        product_data(
            variants=[variant_row("TXT-1", "5.00")],
            images=[{"image": upload, "alt_text": "Notes", "position": "0"}],
        ),
    )
    assert response.status_code == 200
    assert field_errors(response, "image", prefix="images") == [
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ]
    assert _counts(store_a) == (0, 0, 0)


def test_a_refused_change_keeps_the_stored_product_as_it_was(owner_a, store_a):
    # given: two products; the first one's variant is renamed to the second one's SKU
    with schema_context(store_a.schema):
        first = factories.product("First", sku="FIRST-1", price="10.00")
        factories.product("Second", sku="SECOND-1")
        variant = first.variants.get()
    data = product_data(
        name="First, renamed",
        variants=[variant_row("SECOND-1", "12.00", id=str(variant.pk), product=str(first.pk))],
        variants_initial=1,
    )
    # when
    response = owner_a.post(f"{PRODUCTS}{first.pk}/change/", data)
    # then: the error on the row; neither the name nor the price changed
    assert response.status_code == 200
    assert field_errors(response, "sku", prefix="variants") == [
        'The SKU "SECOND-1" is already used by another variant in this store.'
    ]
    with schema_context(store_a.schema):
        first.refresh_from_db()
        variant.refresh_from_db()
        assert (first.name, variant.sku, variant.price) == ("First", "FIRST-1", Decimal("10.00"))


def test_owner_changes_a_variant_and_deletes_another(owner_a, store_a):
    with schema_context(store_a.schema):
        product = factories.product_with_variants("Tee", sku_prefix="TEE")
        keep, drop = product.variants.order_by("position", "id")
        keep_values = [v.pk for v in keep.option_values.all()]
        drop_values = [v.pk for v in drop.option_values.all()]
    data = product_data(
        name="Tee",
        product_type=str(product.product_type_id),
        variants=[
            variant_row(
                "TEE-NEW",
                "21.00",
                id=str(keep.pk),
                product=str(product.pk),
                option_values=keep_values,
            ),
            variant_row(
                drop.sku,
                str(drop.price),
                id=str(drop.pk),
                product=str(product.pk),
                option_values=drop_values,
                DELETE="on",
            ),
        ],
        variants_initial=2,
    )
    response = owner_a.post(f"{PRODUCTS}{product.pk}/change/", data)
    assert response.status_code == 302
    with schema_context(store_a.schema):
        product.refresh_from_db()
        assert list(product.variants.values_list("sku", "price")) == [("TEE-NEW", Decimal("21.00"))]
        assert (product.price_min, product.price_max) == (Decimal("21.00"), Decimal("21.00"))


# --- the list: columns, search, filters, pinned queries ---------------------------------------


def test_changelist_shows_price_range_variant_count_and_preview_link(owner_a, store_a):
    with schema_context(store_a.schema):
        product = factories.product_with_variants("Range shirt")
    html = owner_a.get(PRODUCTS).content.decode()
    assert "Range shirt" in html
    assert "$20.00 to $25.00" in html
    assert '<td class="field-variants_count">2</td>' in html
    assert f'<a href="/products/{product.slug}/" target="_blank" rel="noopener">Preview</a>' in html


def test_change_page_links_to_the_storefront_preview(owner_a, store_a):
    with schema_context(store_a.schema):
        product = factories.product("Previewed")
    html = owner_a.get(f"{PRODUCTS}{product.pk}/change/").content.decode()
    assert f'href="/products/{product.slug}/" class="viewsitelink"' in html
    assert "Preview on storefront" in html


def test_search_finds_a_product_by_sku_and_filters_by_status(owner_a, store_a):
    with schema_context(store_a.schema):
        factories.product("Blue kettle", sku="KET-77", publish=True)
        factories.product("Red teapot", sku="POT-12")
    by_sku = owner_a.get(PRODUCTS, {"q": "KET-77"})
    assert [p.name for p in by_sku.context["cl"].result_list] == ["Blue kettle"]
    drafts = owner_a.get(PRODUCTS, {"status__exact": "draft"})
    assert [p.name for p in drafts.context["cl"].result_list] == ["Red teapot"]


def _changelist_with(owner_a, store_a, django_assert_num_queries, how_many: int) -> None:
    with schema_context(store_a.schema):
        category = factories.category("Shirts")
        for _ in range(how_many):
            factories.product_with_variants(category=category)
    owner_a.get(PRODUCTS)  # warm: session and routing caches
    # The queries, whatever the number of products (the session comes from the cache):
    #  1 the user;
    #  2-5 the choices of the category, product type, collection and tag filters;
    #  6 COUNT(*) of the filtered products, 7 COUNT(*) of all products ("x of y");
    #  8 the page: products with their category (JOIN) and variant count (subquery).
    with django_assert_num_queries(EXPECTED_CHANGELIST_QUERIES):
        response = owner_a.get(PRODUCTS)
    assert len(response.context["cl"].result_list) == how_many


EXPECTED_CHANGELIST_QUERIES = 8


@pytest.mark.parametrize("how_many", [1, 8])
def test_changelist_query_count_does_not_grow_with_products(
    owner_a, store_a, django_assert_num_queries, how_many
):
    _changelist_with(owner_a, store_a, django_assert_num_queries, how_many)


# --- bulk actions and duplicate ----------------------------------------------------------------


def _action(client, action: str, ids: list[int]):
    return client.post(
        PRODUCTS, {"action": action, "_selected_action": [str(pk) for pk in ids]}, follow=True
    )


def test_bulk_publish_unpublish_and_archive(owner_a, store_a):
    with schema_context(store_a.schema):
        ids = [factories.product(f"Bulk {n}").pk for n in range(3)]
    response = _action(owner_a, "publish", ids)
    assert "3 products published." in response.content.decode()
    with schema_context(store_a.schema):
        assert set(Product.objects.values_list("status", flat=True)) == {"published"}
    _action(owner_a, "unpublish", ids[:1])
    _action(owner_a, "archive", ids[1:2])
    with schema_context(store_a.schema):
        assert dict(Product.objects.values_list("pk", "status")) == {
            ids[0]: "draft",
            ids[1]: "archived",
            ids[2]: "published",
        }


def test_bulk_publish_is_all_or_nothing_with_a_clear_message(owner_a, store_a):
    with schema_context(store_a.schema):
        priced = factories.product("Priced")
        unpriced = factories.product("Unpriced", price=None)
    response = _action(owner_a, "publish", [priced.pk, unpriced.pk])
    html = response.content.decode()
    assert (
        "Nothing was published: &quot;Unpriced&quot; has no price yet: give it a price "
        "(or a variant) before publishing." in html
    )
    with schema_context(store_a.schema):
        assert set(Product.objects.values_list("status", flat=True)) == {"draft"}


def test_duplicate_action_makes_draft_copies(owner_a, store_a, media):
    with schema_context(store_a.schema):
        original = factories.product("Original", sku="ORIG-1", publish=True)
    response = _action(owner_a, "duplicate", [original.pk])
    assert "Duplicated as a draft: Original (copy)." in response.content.decode()
    with schema_context(store_a.schema):
        copy = Product.objects.get(name="Original (copy)")
        assert copy.status == "draft"
        assert copy.slug != original.slug
        assert list(copy.variants.values_list("sku", flat=True)) == ["ORIG-1-COPY"]


def test_deleting_a_product_goes_through_the_service(owner_a, store_a):
    with schema_context(store_a.schema):
        product = factories.product("Doomed")
    response = owner_a.post(f"{PRODUCTS}{product.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _counts(store_a) == (0, 0, 0)


def test_a_refusal_after_an_image_upload_keeps_the_upload_valid(owner_a, store_a, media):
    # given: a new image without alt text, and the product set to published
    response = owner_a.post(
        ADD,
        product_data(
            name="Camera",
            status="published",
            variants=[variant_row("CAM-1", "99.00")],
            images=[{"image": factories.image_upload("cam.png"), "alt_text": "", "position": "0"}],
        ),
    )
    # then: the refusal is the missing alt text (shown on the status), not a broken upload
    assert response.status_code == 200
    assert field_errors(response, "status") == [
        'Describe every image of "Camera" (alt text) before publishing.'
    ]
    assert field_errors(response, "image", prefix="images") == []
    assert _counts(store_a) == (0, 0, 0)


def _change_page_queries(owner_a, store_a, combinations: list[tuple[str, str]]) -> int:
    with schema_context(store_a.schema):
        product = factories.product_with_variants(prices=dict.fromkeys(combinations, "10.00"))
    owner_a.get(f"{PRODUCTS}{product.pk}/change/")
    with CaptureQueriesContext(connection) as queries:
        response = owner_a.get(f"{PRODUCTS}{product.pk}/change/")
    variant_rows = response.context["inline_admin_formsets"][0].formset.forms
    assert len(variant_rows) == len(combinations) + 1  # and one empty row
    return len(queries)


def test_change_page_queries_do_not_grow_with_variants(owner_a, store_a):
    # the option values offered to every variant row are read once, not once per row
    every = [(size, colour) for size in ("S", "M", "L") for colour in ("Red", "Blue")]
    assert _change_page_queries(owner_a, store_a, every[:1]) == _change_page_queries(
        owner_a, store_a, every
    )


def test_tags_are_edited_as_comma_separated_names(owner_a, store_a):
    with schema_context(store_a.schema):
        product = factories.product("Tagged mug", tags=["kitchen", "gift"])
    page = owner_a.get(f"{PRODUCTS}{product.pk}/change/")
    assert page.context["adminform"].form["tags"].value() == "gift, kitchen"
    response = owner_a.post(
        f"{PRODUCTS}{product.pk}/change/", product_data(name="Tagged mug", tags="gift,  summer")
    )
    assert response.status_code == 302
    with schema_context(store_a.schema):
        assert sorted(product.tags.values_list("name", flat=True)) == ["gift", "summer"]


def test_deleting_the_last_variant_of_a_published_product_is_refused_on_its_row(owner_a, store_a):
    with schema_context(store_a.schema):
        product = factories.product_with_variants(
            "Solo Tee", prices={("M", "Red"): "20.00"}, sku_prefix="SOLO", publish=True
        )
        only = product.variants.get()
        values = [v.pk for v in only.option_values.all()]
    data = product_data(
        name="Solo Tee",
        status="published",
        product_type=str(product.product_type_id),
        variants=[
            variant_row(
                only.sku,
                str(only.price),
                id=str(only.pk),
                product=str(product.pk),
                option_values=values,
                DELETE="on",
            )
        ],
        variants_initial=1,
    )
    # when
    response = owner_a.post(f"{PRODUCTS}{product.pk}/change/", data)
    # then: the page comes back with the refusal (not a 500), and the variant stays
    assert response.status_code == 200
    assert "unpublish it first" in response.content.decode()
    with schema_context(store_a.schema):
        assert product.variants.count() == 1
