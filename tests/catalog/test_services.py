"""Catalog write services: slugs, category paths, variants, prices, publishing, bulk status."""

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.catalog.cache import catalog_version
from apps.catalog.models import (
    Attribute,
    Category,
    Collection,
    Product,
    ProductAttributeValue,
    Tag,
    Variant,
)
from apps.core.exceptions import ApplicationError
from tests.catalog import factories


@pytest.fixture
def in_store_a(store_a):
    with schema_context(store_a.schema):
        yield store_a


def _code(caught) -> tuple[str, str | None]:
    return caught.value.code, caught.value.field


# --- slugs --------------------------------------------------------------------------------


def test_product_slugs_are_derived_from_names_and_unique_in_the_store(in_store_a):
    first = factories.product("T-Shirt")
    second = factories.product("T-shirt")
    third = factories.product("T shirt!")
    assert (first.slug, second.slug, third.slug) == ("t-shirt", "t-shirt-2", "t-shirt-3")


def test_a_given_slug_must_be_free_and_well_formed(in_store_a):
    factories.product("Mug", slug="mug")
    with pytest.raises(ApplicationError) as caught:
        services.product_create(name="Other mug", slug="mug")
    assert _code(caught) == ("slug_taken", "slug")
    with pytest.raises(ApplicationError) as caught:
        services.product_create(name="Other mug", slug="Big Mug!")
    assert _code(caught) == ("slug_invalid", "slug")


def test_same_slug_in_two_stores_does_not_collide(store_a, store_b):
    with schema_context(store_a.schema):
        a = factories.product("Lamp")
    with schema_context(store_b.schema):
        b = factories.product("Lamp")
        assert list(Product.objects.values_list("slug", flat=True)) == ["lamp"]
    assert (a.slug, b.slug) == ("lamp", "lamp")


def test_a_slug_taken_by_a_concurrent_writer_still_gives_slug_taken(in_store_a):
    # given: another writer saved "mug" after our free-slug check; the write step alone
    from apps.catalog.services._common import save_or_slug_taken

    factories.product("Mug")
    # when
    with pytest.raises(ApplicationError) as caught:
        save_or_slug_taken(Product(name="Mug", slug="mug"))
    # then: a clear error, and the transaction goes on
    assert _code(caught) == ("slug_taken", "slug")
    assert Product.objects.count() == 1


def test_name_is_required(in_store_a):
    with pytest.raises(ApplicationError) as caught:
        services.product_create(name="   ")
    assert _code(caught) == ("name_required", "name")


# --- categories ---------------------------------------------------------------------------


def test_category_paths_follow_the_parent_chain(in_store_a):
    men = factories.category("Men")
    shirts = factories.category("Shirts", parent=men)
    formal = factories.category("Formal", parent=shirts)
    assert [(c.path, c.depth) for c in (men, shirts, formal)] == [
        ("men", 0),
        ("men/shirts", 1),
        ("men/shirts/formal", 2),
    ]
    # the same slug under another parent is fine; twice under one parent gets a suffix
    women = factories.category("Women")
    assert factories.category("Shirts", parent=women).path == "women/shirts"
    assert factories.category("Shirts", parent=men).path == "men/shirts-2"


def test_moving_a_category_rewrites_its_descendants_in_one_update(
    in_store_a, django_assert_num_queries
):
    # given
    men = factories.category("Men")
    shirts = factories.category("Shirts", parent=men)
    formal = factories.category("Formal", parent=shirts)
    linen = factories.category("Linen", parent=formal)
    sale = factories.category("Sale")
    # when: SAVEPOINT, SELECT ... FOR UPDATE (the category), SELECT the new parent, SELECT a
    # sibling with its slug, SAVEPOINT, UPDATE the category, RELEASE SAVEPOINT, UPDATE all
    # descendants, RELEASE SAVEPOINT
    with django_assert_num_queries(9):
        services.category_update(category=shirts, parent=sale)
    # then
    paths = dict(Category.objects.values_list("pk", "path"))
    depths = dict(Category.objects.values_list("pk", "depth"))
    assert paths[shirts.pk] == "sale/shirts"
    assert (paths[formal.pk], depths[formal.pk]) == ("sale/shirts/formal", 2)
    assert (paths[linen.pk], depths[linen.pk]) == ("sale/shirts/formal/linen", 3)
    assert paths[men.pk] == "men"


def test_renaming_a_category_slug_rewrites_descendants_and_to_root_reduces_depth(in_store_a):
    men = factories.category("Men")
    shirts = factories.category("Shirts", parent=men)
    formal = factories.category("Formal", parent=shirts)
    services.category_update(category=men, slug="gents")
    formal.refresh_from_db()
    assert formal.path == "gents/shirts/formal"
    services.category_update(category=shirts, parent=None)
    formal.refresh_from_db()
    assert (formal.path, formal.depth) == ("shirts/formal", 1)


def test_a_category_cannot_move_under_itself_or_its_descendants(in_store_a):
    men = factories.category("Men")
    shirts = factories.category("Shirts", parent=men)
    for new_parent in (men, shirts):
        with pytest.raises(ApplicationError) as caught:
            services.category_update(category=men, parent=new_parent)
        assert _code(caught) == ("category_cycle", "parent")
    assert Category.objects.get(pk=men.pk).path == "men"


def test_a_category_prefix_does_not_capture_a_sibling_with_a_longer_slug(in_store_a):
    men = factories.category("Men")
    factories.category("Menswear")
    shirts = factories.category("Shirts", parent=men)
    services.category_update(category=men, slug="gents")
    assert sorted(Category.objects.values_list("path", flat=True)) == [
        "gents",
        "gents/shirts",
        "menswear",
    ]
    assert shirts.pk


def test_category_delete_refuses_a_category_with_children_and_keeps_products(in_store_a):
    men = factories.category("Men")
    shirts = factories.category("Shirts", parent=men)
    tee = factories.product("Tee", category=shirts)
    with pytest.raises(ApplicationError) as caught:
        services.category_delete(category=men)
    assert _code(caught) == ("category_has_children", "category")
    services.category_delete(category=shirts)
    tee.refresh_from_db()
    assert tee.category_id is None


def test_category_description_is_sanitised(in_store_a):
    category = factories.category("Men", description='<p onclick="x()">Hi<script>1</script></p>')
    assert category.description == "<p>Hi</p>"


# --- products and default variants ------------------------------------------------------------


def test_a_product_without_options_gets_one_default_variant(in_store_a):
    product = services.product_create(
        name="Canvas Tote",
        price=Decimal("12.50"),
        sku="TOTE-1",
        compare_at_price=Decimal("15.00"),
        tags=["Summer", "summer ", "Bags"],
    )
    variant = product.variants.get()
    assert (variant.sku, variant.price, variant.compare_at_price) == (
        "TOTE-1",
        Decimal("12.50"),
        Decimal("15.00"),
    )
    assert (variant.is_default, variant.name) == (True, "")
    assert (product.price_min, product.price_max) == (Decimal("12.50"), Decimal("12.50"))
    assert (product.status, product.published_at) == ("draft", None)
    assert sorted(product.tags.values_list("slug", flat=True)) == ["bags", "summer"]
    assert Tag.objects.count() == 2


def test_a_default_variant_sku_is_generated_from_the_slug_when_omitted(in_store_a):
    first = factories.product("Mug")
    second = factories.product("Mug")
    assert first.variants.get().sku == "MUG"
    assert second.variants.get().sku == "MUG-2"


def test_a_product_without_price_has_no_variant_until_it_gets_one(in_store_a):
    product = factories.product("Poster", price=None)
    assert product.variants.count() == 0
    assert product.price_min is None
    product = services.product_update(product=product, price=Decimal("9.00"))
    assert list(product.variants.values_list("price", "is_default")) == [(Decimal("9.00"), True)]
    product = services.product_update(product=product, price="7.50", sku="POSTER-A")
    assert list(product.variants.values_list("sku", "price")) == [("POSTER-A", Decimal("7.50"))]
    assert (product.price_min, product.price_max) == (Decimal("7.50"), Decimal("7.50"))


@pytest.mark.parametrize(
    ("price", "code"),
    [
        (Decimal("-0.01"), "price_negative"),
        ("-5", "price_negative"),
        ("abc", "price_invalid"),
        (Decimal("1.001"), "price_invalid"),
        (Decimal("NaN"), "price_invalid"),
    ],
)
def test_bad_prices_are_refused_before_anything_is_written(in_store_a, price, code):
    with pytest.raises(ApplicationError) as caught:
        services.product_create(name="Cheap", price=price)
    assert _code(caught) == (code, "price")
    assert not Product.objects.exists()


def test_negative_compare_at_and_cost_are_refused(in_store_a):
    product = factories.product("Mug")
    variant = product.variants.get()
    for field in ("compare_at_price", "cost"):
        with pytest.raises(ApplicationError) as caught:
            services.variant_update(variant=variant, **{field: Decimal("-1")})
        assert _code(caught) == ("price_negative", field)


def test_a_float_price_is_read_as_written_never_as_binary(in_store_a):
    product = services.product_create(name="Mug", price=19.99)
    assert product.variants.get().price == Decimal("19.99")


def test_description_is_sanitised_on_create_and_update(in_store_a):
    product = services.product_create(
        name="Mug", description='<p>Fine <a href="javascript:alert(1)">mug</a></p><iframe></iframe>'
    )
    assert product.description == '<p>Fine <a rel="noopener noreferrer nofollow">mug</a></p>'
    product = services.product_update(product=product, description="<img src=x onerror=alert(1)>")
    assert product.description == '<img src="x">'


# --- SKUs -----------------------------------------------------------------------------------


def test_sku_is_unique_in_the_store(in_store_a):
    factories.product("Mug", sku="MUG-1")
    with pytest.raises(ApplicationError) as caught:
        factories.product("Other mug", sku="MUG-1")
    assert _code(caught) == ("sku_taken", "sku")
    assert (
        caught.value.message == 'The SKU "MUG-1" is already used by another variant in this store.'
    )
    assert Product.objects.count() == 1  # the whole create rolled back


def test_same_sku_in_two_stores_is_fine(store_a, store_b):
    with schema_context(store_a.schema):
        factories.product("Mug", sku="MUG-1")
    with schema_context(store_b.schema):
        assert factories.product("Mug", sku="MUG-1").variants.get().sku == "MUG-1"


def test_a_sku_taken_by_a_concurrent_writer_still_gives_sku_taken(in_store_a):
    # given: another writer's variant took the SKU after our pre-check passed; the insert then
    # meets the unique index. The save step alone is what runs after the pre-check.
    from apps.catalog.services.variants import _save

    factories.product("Mug", sku="MUG-1")
    late = Variant(product=factories.product("Cup", price=None), sku="MUG-1", price=Decimal(1))
    # when
    with pytest.raises(ApplicationError) as caught:
        _save(late)
    # then: a clear error, and the transaction is still usable (the savepoint rolled back)
    assert _code(caught) == ("sku_taken", "sku")
    assert Variant.objects.filter(sku="MUG-1").count() == 1


def test_sku_must_be_given_without_spaces(in_store_a):
    product = factories.product("Mug", price=None)
    for sku in ("", "  ", "MUG 1", "X" * 65):
        with pytest.raises(ApplicationError) as caught:
            services.variant_create(product=product, sku=sku, price=Decimal("1"))
        assert _code(caught) == ("sku_required", "sku")


# --- variants with options ----------------------------------------------------------------


def test_variants_of_an_option_type_get_derived_names_and_the_price_range(in_store_a):
    product_type, size, colour = factories.size_colour_type()
    product = services.product_create(name="Oxford Shirt", product_type=product_type)
    assert product.variants.count() == 0
    blue = colour.values.get(value="Blue")
    # values may come in any order and as ids: the name follows the type's option order
    m_blue = services.variant_create(
        product=product,
        sku="OX-M-BLUE",
        price=Decimal("30.00"),
        option_values=[blue.pk, size.values.get(value="M")],
    )
    services.variant_create(
        product=product,
        sku="OX-L-BLUE",
        price=Decimal("34.00"),
        option_values=[size.values.get(value="L"), blue],
    )
    product.refresh_from_db()
    assert (m_blue.name, m_blue.is_default) == ("M / Blue", False)
    assert (product.price_min, product.price_max) == (Decimal("30.00"), Decimal("34.00"))
    assert sorted(m_blue.option_values.values_list("slug", flat=True)) == ["blue", "m"]


def test_a_product_with_options_takes_no_price_of_its_own(in_store_a):
    product_type, _, _ = factories.size_colour_type()
    with pytest.raises(ApplicationError) as caught:
        services.product_create(name="Shirt", product_type=product_type, price=Decimal("10"))
    assert _code(caught) == ("variant_options_invalid", "price")


@pytest.mark.parametrize(
    "values",
    [
        [],  # no values
        ["M"],  # one option missing
        ["M", "L"],  # two sizes, no colour
        ["M", "Red", "Blue"],  # two colours
        ["M", "Red", "other"],  # a value of an option type the product type lacks
    ],
)
def test_variant_options_must_be_one_value_per_option_type(in_store_a, values):
    product_type, size, colour = factories.size_colour_type()
    stranger = services.option_type_create(name="Material", values=["other"])
    lookup = {v.value: v for t in (size, colour, stranger) for v in t.values.all()}
    product = services.product_create(name="Shirt", product_type=product_type)
    with pytest.raises(ApplicationError) as caught:
        services.variant_create(
            product=product,
            sku="X-1",
            price=Decimal("1"),
            option_values=[lookup[v] for v in values],
        )
    assert _code(caught) == ("variant_options_invalid", "option_values")
    assert not product.variants.exists()


def test_a_combination_cannot_be_added_twice(in_store_a):
    product = factories.product_with_variants(prices={("M", "Red"): "20.00"})
    values = list(product.variants.get().option_values.all())
    with pytest.raises(ApplicationError) as caught:
        services.variant_create(
            product=product, sku="OTHER", price=Decimal("1"), option_values=values
        )
    assert _code(caught) == ("variant_duplicate", "option_values")


def test_a_product_without_options_has_exactly_one_variant(in_store_a):
    product = factories.product("Mug")
    with pytest.raises(ApplicationError) as caught:
        services.variant_create(product=product, sku="MUG-2", price=Decimal("2"))
    assert _code(caught) == ("variant_duplicate", "option_values")


def test_variant_update_changes_options_and_name_and_refreshes_prices(in_store_a):
    product = factories.product_with_variants(
        prices={("M", "Red"): "20.00", ("L", "Blue"): "25.00"}
    )
    variant = product.variants.get(name="M / Red")
    l_red = [
        Variant.objects.get(name="L / Blue").option_values.get(
            option_type__name__startswith="Size"
        ),
        variant.option_values.get(option_type__name__startswith="Colour"),
    ]
    variant = services.variant_update(variant=variant, option_values=l_red, price="40.00")
    product.refresh_from_db()
    assert (variant.name, variant.price) == ("L / Red", Decimal("40.00"))
    assert (product.price_min, product.price_max) == (Decimal("25.00"), Decimal("40.00"))


def test_variant_delete_refuses_the_last_variant_of_a_published_product(in_store_a):
    product = factories.product_with_variants(publish=True)
    first, second = product.variants.all()
    services.variant_delete(variant=first)
    with pytest.raises(ApplicationError) as caught:
        services.variant_delete(variant=second)
    assert _code(caught) == ("variant_last", "variant")
    product.refresh_from_db()
    assert (product.price_min, product.price_max) == (second.price, second.price)


def test_weight_must_be_whole_non_negative_grams(in_store_a):
    variant = factories.product("Mug").variants.get()
    assert services.variant_update(variant=variant, weight_grams=350).weight_grams == 350
    for weight in (-1, "1.5", "heavy"):
        with pytest.raises(ApplicationError) as caught:
            services.variant_update(variant=variant, weight_grams=weight)
        assert _code(caught) == ("weight_invalid", "weight_grams")


# --- publishing -----------------------------------------------------------------------------


def test_publishing_sets_published_at_once(in_store_a):
    product = factories.product("Mug")
    product = services.product_set_status(product=product, status="published")
    first = product.published_at
    assert first is not None
    services.product_set_status(product=product, status="draft")
    product = services.product_set_status(product=product, status="published")
    assert product.published_at == first


def test_publishing_without_a_price_is_refused(in_store_a):
    product = factories.product("Poster", price=None)
    with pytest.raises(ApplicationError) as caught:
        services.product_set_status(product=product, status="published")
    assert _code(caught) == ("publish_without_price", "price")
    product.refresh_from_db()
    assert (product.status, product.published_at) == ("draft", None)


def test_publishing_with_an_image_without_alt_text_is_refused(in_store_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    product = factories.product("Mug")
    image = factories.product_image(product, alt_text="")
    with pytest.raises(ApplicationError) as caught:
        services.product_set_status(product=product, status="published")
    assert _code(caught) == ("image_alt_missing", "alt_text")
    assert caught.value.extra == {"product_id": product.pk, "image_ids": [image.pk]}
    services.product_image_update(image=image, alt_text="A white mug")
    assert services.product_set_status(product=product, status="published").status == "published"
    # and a published product's images cannot lose their alt text
    with pytest.raises(ApplicationError) as caught:
        services.product_image_update(image=image, alt_text=" ")
    assert _code(caught) == ("image_alt_missing", "alt_text")


def test_an_unknown_status_is_refused(in_store_a):
    with pytest.raises(ApplicationError) as caught:
        services.product_set_status(product=factories.product("Mug"), status="live")
    assert _code(caught) == ("status_invalid", "status")


def test_bulk_status_is_all_or_nothing(in_store_a):
    # given
    ready = factories.product("Mug")
    unpriced = factories.product("Poster", price=None)
    # when
    with pytest.raises(ApplicationError) as caught:
        services.products_bulk_set_status(product_ids=[ready.pk, unpriced.pk], status="published")
    # then
    assert _code(caught) == ("publish_without_price", "price")
    assert caught.value.extra == {"product_id": unpriced.pk}
    assert set(Product.objects.values_list("status", flat=True)) == {"draft"}
    # and with only publishable products it changes them all, counting real changes
    other = factories.product("Cup", publish=True)
    assert (
        services.products_bulk_set_status(product_ids=[ready.pk, other.pk], status="published") == 1
    )
    assert (
        services.products_bulk_set_status(product_ids=[ready.pk, other.pk], status="archived") == 2
    )
    assert set(
        Product.objects.filter(pk__in=[ready.pk, other.pk]).values_list("status", flat=True)
    ) == {"archived"}


def test_bulk_status_reports_unknown_ids(in_store_a):
    ready = factories.product("Mug")
    with pytest.raises(ApplicationError) as caught:
        services.products_bulk_set_status(product_ids=[ready.pk, 999999], status="published")
    assert (caught.value.code, caught.value.extra) == (
        "product_not_found",
        {"product_ids": [999999]},
    )


def test_bulk_status_cannot_reach_another_stores_products(store_a, store_b):
    with schema_context(store_a.schema):
        product_a = factories.product("Mug")
    with schema_context(store_b.schema), pytest.raises(ApplicationError) as caught:
        services.products_bulk_set_status(product_ids=[product_a.pk], status="published")
    assert caught.value.code == "product_not_found"
    with schema_context(store_a.schema):
        assert Product.objects.get(pk=product_a.pk).status == "draft"


# --- duplicate, delete, type change ---------------------------------------------------------


def test_duplicate_makes_a_draft_copy_with_new_slug_and_skus(in_store_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    source = factories.product_with_variants(
        "Oxford", sku_prefix="OX", publish=True, tags=["Linen"]
    )
    image = factories.product_image(source)
    copy = services.product_duplicate(product=source)
    assert (copy.name, copy.slug, copy.status, copy.published_at) == (
        "Oxford (copy)",
        "oxford-copy",
        "draft",
        None,
    )
    assert sorted(copy.variants.values_list("sku", "name", "price")) == [
        ("OX-L-BLUE-COPY", "L / Blue", Decimal("25.00")),
        ("OX-M-RED-COPY", "M / Red", Decimal("20.00")),
    ]
    assert list(copy.tags.values_list("name", flat=True)) == ["Linen"]
    (copied_image,) = copy.images.all()
    assert copied_image.image.name != image.image.name
    assert copied_image.alt_text == image.alt_text
    assert (copy.price_min, copy.price_max) == (Decimal("20.00"), Decimal("25.00"))
    # a second copy gets other SKUs and slug again
    again = services.product_duplicate(product=source)
    assert again.slug == "oxford-copy-2"
    assert "OX-M-RED-COPY-2" in set(again.variants.values_list("sku", flat=True))


def test_product_delete_removes_variants_and_image_files_after_commit(
    in_store_a, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    product = factories.product("Mug")
    image = factories.product_image(product)
    files = [image.image.path, *(tmp_path / n for n in image.thumbnails.values())]
    assert all(__import__("os").path.exists(f) for f in files)
    with django_capture_on_commit_callbacks(execute=True):
        services.product_delete(product=product)
    assert not Variant.objects.exists()
    assert not any(__import__("os").path.exists(f) for f in files)


def test_product_type_cannot_change_under_existing_variants(in_store_a):
    product = factories.product_with_variants()
    with pytest.raises(ApplicationError) as caught:
        services.product_update(product=product, product_type=None)
    assert _code(caught) == ("product_type_locked", "product_type")


# --- attributes ---------------------------------------------------------------------------


def test_attributes_are_typed_and_belong_to_the_type(in_store_a):
    material = services.attribute_create(
        name="Material", kind="choice", choices=["Cotton", "Linen"]
    )
    waterproof = services.attribute_create(name="Waterproof", kind="boolean")
    length = services.attribute_create(name="Length", kind="number", unit="cm")
    note = services.attribute_create(name="Care", kind="text")
    product_type = services.product_type_create(
        name="Jacket", attributes=[material, waterproof, length]
    )
    product = services.product_create(name="Parka", product_type=product_type)
    assert (
        services.product_attribute_set(
            product=product, attribute=material, value="linen"
        ).value_choice.value
        == "Linen"
    )
    assert (
        services.product_attribute_set(
            product=product, attribute=waterproof, value=True
        ).value_boolean
        is True
    )
    assert services.product_attribute_set(
        product=product, attribute=length, value="72.5"
    ).value_number == Decimal("72.5")
    for attribute, value in ((material, "wool"), (waterproof, "yes"), (length, "long")):
        with pytest.raises(ApplicationError) as caught:
            services.product_attribute_set(product=product, attribute=attribute, value=value)
        assert _code(caught) == ("attribute_value_invalid", "value")
    with pytest.raises(ApplicationError) as caught:
        services.product_attribute_set(product=product, attribute=note, value="Wash cold")
    assert _code(caught) == ("attribute_invalid", "attribute")
    assert ProductAttributeValue.objects.filter(product=product).count() == 3


def test_attribute_kind_and_choices_are_checked(in_store_a):
    with pytest.raises(ApplicationError) as caught:
        services.attribute_create(name="Colour", kind="colour")
    assert _code(caught) == ("attribute_kind_invalid", "kind")
    with pytest.raises(ApplicationError) as caught:
        services.attribute_create(name="Material", kind="choice")
    assert _code(caught) == ("option_values_invalid", "choices")
    assert not Attribute.objects.exists()


def test_option_values_keep_their_order_and_refuse_duplicates(in_store_a):
    size = services.option_type_create(name="Size", values=["S", "M", "L"])
    assert list(size.values.values_list("value", "position")) == [("S", 0), ("M", 1), ("L", 2)]
    assert services.option_value_add(option_type=size, value="XL").position == 3
    with pytest.raises(ApplicationError) as caught:
        services.option_type_create(name="Colour", values=["Red", "red"])
    assert _code(caught) == ("option_values_invalid", "values")


# --- collections --------------------------------------------------------------------------


def test_collections_keep_the_given_order(in_store_a):
    a, b, c = (factories.product(n) for n in ("A", "B", "C"))
    collection = services.collection_create(name="Picks", product_ids=[c.pk, a.pk, c.pk])
    assert list(collection.entries.values_list("product_id", "position")) == [(c.pk, 0), (a.pk, 1)]
    services.collection_set_products(collection=collection, product_ids=[b.pk, a.pk])
    assert list(collection.entries.values_list("product_id", flat=True)) == [b.pk, a.pk]
    with pytest.raises(ApplicationError) as caught:
        services.collection_set_products(collection=collection, product_ids=[a.pk, 424242])
    assert (caught.value.code, caught.value.extra) == (
        "product_not_found",
        {"product_ids": [424242]},
    )
    collection = services.collection_update(
        collection=collection, name="Our picks", is_featured=True
    )
    assert (collection.slug, collection.is_featured) == ("picks", True)
    services.collection_delete(collection=collection)
    assert not Collection.objects.exists()


# --- the catalog version --------------------------------------------------------------------


def test_every_write_bumps_the_catalog_version_on_commit_only(
    in_store_a, django_capture_on_commit_callbacks
):
    before = catalog_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        factories.product("Mug")
    assert catalog_version() == before  # nothing until the commit
    for callback in callbacks:
        callback()
    assert catalog_version() > before


def test_the_catalog_version_is_per_store(store_a, store_b, django_capture_on_commit_callbacks):
    with schema_context(store_b.schema):
        b_before = catalog_version()
    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        factories.product("Mug")
    with schema_context(store_b.schema):
        assert catalog_version() == b_before


def test_catalog_version_moves_by_one_and_never_repeats_after_a_flush(in_store_a):
    from apps.catalog.cache import catalog_version_bump
    from tests.cache import cache_reset

    first = catalog_version()
    assert catalog_version_bump() == first + 1
    assert catalog_version() == first + 1
    for _ in range(3):
        catalog_version_bump()
    reached = catalog_version()
    # when: the counter is lost (Redis flushed, key evicted)
    cache_reset()
    # then: it starts again above every value it had, so nothing keyed by an old version
    # (cached pages, stored product documents) can ever be taken for current
    assert catalog_version() > reached
    cache_reset()
    assert catalog_version_bump() > reached


def test_renaming_a_product_updates_its_search_document(in_store_a):
    from apps.catalog.search import product_search

    product = factories.product("Mug", publish=True)
    services.product_update(product=product, name="Beaker")
    assert [p.pk for p in product_search(query="beaker")] == [product.pk]
    # "mug" is still its generated SKU, until the SKU changes
    assert [p.pk for p in product_search(query="mug")] == [product.pk]
    services.variant_update(variant=product.variants.get(), sku="BK-77")
    assert [p.pk for p in product_search(query="BK-77")] == [product.pk]
    assert list(product_search(query="mug")) == []
