"""Changing and deleting option types (and their values), attributes (and their choices) and
product types: what is refused while products use them, what follows a change (variant
names, product values), the catalog version, and the storefront's option order."""

import re
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.catalog import storefront as reads
from apps.catalog.cache import catalog_version
from apps.catalog.models import (
    Attribute,
    AttributeChoice,
    OptionType,
    OptionValue,
    Product,
    ProductAttributeValue,
    ProductType,
    Variant,
)
from apps.catalog.selectors import product_detail_get
from apps.catalog.services.types import product_type_option_types
from apps.core.exceptions import ApplicationError
from tests.cache import cache_reset
from tests.catalog import factories


@pytest.fixture
def in_store_a(store_a):
    with schema_context(store_a.schema):
        yield store_a


def _refused(call, **kwargs) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    return caught.value


def _shirt_with(*combinations: tuple[str, str]) -> tuple[Product, OptionType, OptionType]:
    """A Size x Colour product with one variant per (size, colour)."""
    product = factories.product_with_variants(prices=dict.fromkeys(combinations, "20.00"))
    size, colour = product_type_option_types(product.product_type)
    return product, size, colour


def _names(product: Product) -> list[str]:
    return list(product.variants.order_by("position", "id").values_list("name", flat=True))


# --- option types ----------------------------------------------------------------------------


def test_an_option_type_is_renamed_and_moved_and_keeps_its_address(in_store_a):
    size = services.option_type_create(name="Size", values=["S"])
    # when
    size = services.option_type_update(option_type=size, name="  Garment   size ", position=3)
    # then: the slug (storefront filter links) stays
    size.refresh_from_db()
    assert (size.name, size.slug, size.position) == ("Garment size", "size", 3)
    assert services.option_type_update(option_type=size, slug="garment-size").slug == (
        "garment-size"
    )


def test_option_type_names_and_slugs_are_unique(in_store_a):
    services.option_type_create(name="Colour", values=["Red"], slug="colour")
    size = services.option_type_create(name="Size", values=["S"])
    error = _refused(services.option_type_update, option_type=size, name="colour")
    assert (error.code, error.field) == ("name_taken", "name")
    assert error.message == 'Another option type is already named "colour".'
    error = _refused(services.option_type_update, option_type=size, slug="colour")
    assert (error.code, error.field) == ("slug_taken", "slug")
    error = _refused(services.option_type_create, name="COLOUR", values=["Blue"])
    assert (error.code, error.field) == ("name_taken", "name")
    error = _refused(services.option_type_update, option_type=size, position=-1)
    assert (error.code, error.field) == ("position_invalid", "position")
    size.refresh_from_db()
    assert (size.name, size.slug, size.position) == ("Size", "size", 0)


def test_renaming_a_value_renames_the_variants_that_use_it(in_store_a):
    product, size, _ = _shirt_with(("M", "Red"), ("L", "Blue"))
    medium = size.values.get(value="M")
    stamp = Product.objects.filter(pk=product.pk).values_list("updated", flat=True).get()
    # when
    medium = services.option_value_update(option_value=medium, value="Medium")
    # then
    assert (medium.value, medium.slug) == ("Medium", "medium")
    assert _names(product) == ["Medium / Red", "L / Blue"]
    assert Product.objects.get(pk=product.pk).updated > stamp  # the API's sync sees it


def test_a_value_cannot_be_renamed_to_another_of_its_values(in_store_a):
    _, size, _ = _shirt_with(("M", "Red"))
    error = _refused(
        services.option_value_update, option_value=size.values.get(value="M"), value="l"
    )
    assert (error.code, error.field) == ("option_values_invalid", "value")
    assert list(size.values.values_list("value", flat=True)) == ["S", "M", "L"]


def test_a_value_used_by_variants_cannot_be_removed(in_store_a):
    product, size, _ = _shirt_with(("M", "Red"), ("M", "Blue"), ("L", "Red"))
    medium = size.values.get(value="M")
    # when
    error = _refused(services.option_value_delete, option_value=medium)
    # then
    assert (error.code, error.field) == ("option_value_in_use", "value")
    assert error.message == 'The value "M" is used by 2 variants: change or delete them first.'
    assert error.extra == {"variant_count": 2}
    assert product.variants.count() == 3
    # an unused value goes
    services.option_value_delete(option_value=size.values.get(value="S"))
    assert list(size.values.values_list("value", flat=True)) == ["M", "L"]


def test_values_are_added_where_asked_and_reordered(in_store_a):
    size = services.option_type_create(name="Size", values=["S", "M", "L"])
    services.option_value_add(option_type=size, value="XS", position=0)
    assert services.option_value_add(option_type=size, value="XL").position == 4
    assert list(size.values.values_list("value", "position")) == [
        ("XS", 0), ("S", 1), ("M", 2), ("L", 3), ("XL", 4),
    ]  # fmt: skip
    xl, large = size.values.get(value="XL"), size.values.get(value="L")
    services.option_value_update(option_value=xl, position=1)  # equal positions: by value
    assert list(size.values.values_list("value", flat=True)) == ["XS", "S", "XL", "M", "L"]
    # when: every value, in a new order
    by_value = {v.value: v for v in size.values.all()}
    order = [by_value[v] for v in ("L", "M", "S", "XS")] + [xl.pk]
    services.option_values_reorder(option_type=size, values=order)
    # then
    assert list(size.values.values_list("value", "position")) == [
        ("L", 0), ("M", 1), ("S", 2), ("XS", 3), ("XL", 4),
    ]  # fmt: skip
    error = _refused(services.option_values_reorder, option_type=size, values=[large, large])
    assert (error.code, error.field) == ("option_values_invalid", "values")


def test_an_option_type_on_a_product_type_cannot_be_deleted(in_store_a):
    product_type, size, colour = factories.size_colour_type()
    error = _refused(services.option_type_delete, option_type=size)
    assert (error.code, error.extra) == (
        "option_type_in_use",
        {"product_type_ids": [product_type.pk]},
    )
    assert error.message == (
        f'{size.name} is an option of 1 product type ("{product_type.name}"): '
        "take it off them first."
    )
    # when: taken off the type (no variants use it), it can go, with its values
    services.product_type_update(product_type=product_type, option_types=[colour])
    services.option_type_delete(option_type=size)
    assert not OptionType.objects.filter(pk=size.pk).exists()
    assert not OptionValue.objects.filter(option_type_id=size.pk).exists()


def test_an_option_type_whose_values_variants_still_use_cannot_be_deleted(in_store_a):
    # given: variants from before the rules, whose type no longer lists Size
    product, size, _ = _shirt_with(("M", "Red"))
    ProductType.option_types.through.objects.filter(optiontype=size).delete()
    # when
    error = _refused(services.option_type_delete, option_type=size)
    # then
    assert (error.code, error.extra) == ("option_type_in_use", {"variant_count": 1})
    assert product.variants.get().option_values.count() == 2


# --- product types ---------------------------------------------------------------------------


def test_an_option_type_its_variants_use_cannot_leave_a_product_type(in_store_a):
    product, size, colour = _shirt_with(("M", "Red"), ("L", "Blue"))
    error = _refused(
        services.product_type_update, product_type=product.product_type, option_types=[size]
    )
    assert (error.code, error.field) == ("option_type_in_use", "option_types")
    assert error.extra == {"option_type_id": colour.pk, "variant_count": 2}
    assert [t.pk for t in product_type_option_types(product.product_type)] == [
        size.pk,
        colour.pk,
    ]


def test_no_option_type_is_added_while_products_of_the_type_have_variants(in_store_a):
    product, size, colour = _shirt_with(("M", "Red"))
    fit = services.option_type_create(name="Fit", values=["Slim", "Loose"])
    error = _refused(
        services.product_type_update,
        product_type=product.product_type,
        option_types=[size, colour, fit],
    )
    assert (error.code, error.field) == ("product_type_locked", "option_types")
    assert error.extra == {"product_count": 1}
    assert "would have no Fit" in error.message


def test_reordering_a_types_options_reorders_its_variant_names(in_store_a):
    product, size, colour = _shirt_with(("M", "Red"), ("L", "Blue"))
    services.product_type_update(product_type=product.product_type, option_types=[colour, size])
    assert _names(product) == ["Red / M", "Blue / L"]
    # and a new variant follows the new order
    variant = services.variant_create(
        product=product,
        sku="NEW-S-RED",
        price=Decimal("9"),
        option_values=[size.values.get(value="S"), colour.values.get(value="Red")],
    )
    assert variant.name == "Red / S"


def test_a_product_type_without_variants_changes_freely(in_store_a):
    product_type, _, colour = factories.size_colour_type()
    services.product_create(name="Bare shirt", product_type=product_type)  # no variants yet
    fit = services.option_type_create(name="Fit", values=["Slim"])
    product_type = services.product_type_update(
        product_type=product_type, name="Top", option_types=[fit, colour]
    )
    assert product_type.name == "Top"
    assert [t.pk for t in product_type_option_types(product_type)] == [
        fit.pk,
        colour.pk,
    ]
    error = _refused(services.product_type_update, product_type=product_type, name="")
    assert (error.code, error.field) == ("name_required", "name")


def test_an_attribute_taken_off_a_type_loses_its_product_values(in_store_a):
    material = services.attribute_create(name="Material", kind="text")
    care = services.attribute_create(name="Care", kind="text")
    product_type = services.product_type_create(name="Jacket", attributes=[material, care])
    product = services.product_create(name="Parka", product_type=product_type)
    services.product_attribute_set(product=product, attribute=material, value="Wool")
    services.product_attribute_set(product=product, attribute=care, value="Dry clean")
    # when
    services.product_type_update(product_type=product_type, attributes=[care])
    # then
    assert list(product_type.attributes.all()) == [care]
    assert list(
        ProductAttributeValue.objects.filter(product=product).values_list("value_text", flat=True)
    ) == ["Dry clean"]


def test_a_product_type_with_products_cannot_be_deleted(in_store_a):
    product_type = services.product_type_create(name="Mug")
    product = factories.product("Tea mug", product_type=product_type)
    error = _refused(services.product_type_delete, product_type=product_type)
    assert (error.code, error.extra) == ("product_type_in_use", {"product_count": 1})
    assert error.message.startswith('"Mug" is the type of 1 product:')
    services.product_delete(product=product)
    services.product_type_delete(product_type=product_type)
    assert not ProductType.objects.exists()


# --- attributes ------------------------------------------------------------------------------


def _jacket_with_material(value: str = "wool") -> tuple[Attribute, Product]:
    material = services.attribute_create(name="Material", kind="choice", choices=["Wool", "Linen"])
    product_type = services.product_type_create(name="Jacket", attributes=[material])
    product = services.product_create(name="Parka", product_type=product_type)
    services.product_attribute_set(product=product, attribute=material, value=value)
    return material, product


def test_an_attributes_kind_cannot_change_once_products_have_values(in_store_a):
    material, _ = _jacket_with_material()
    error = _refused(services.attribute_update, attribute=material, kind="text")
    assert (error.code, error.field, error.extra) == (
        "attribute_kind_locked",
        "kind",
        {"product_count": 1},
    )
    material.refresh_from_db()
    assert material.kind == "choice"
    # the rest of it changes
    material = services.attribute_update(attribute=material, name="Fabric", unit="")
    assert (material.name, material.slug) == ("Fabric", "material")


def test_an_unused_attribute_changes_kind(in_store_a):
    fit = services.attribute_create(name="Fit", kind="choice", choices=["Slim", "Loose"])
    fit = services.attribute_update(attribute=fit, kind="text")
    assert fit.kind == "text"
    assert not AttributeChoice.objects.filter(attribute=fit).exists()  # no choices off Choice
    error = _refused(services.attribute_choice_add, attribute=fit, value="Slim")
    assert (error.code, error.field) == ("option_values_invalid", "value")
    # back to Choice: choices are added one by one
    fit = services.attribute_update(attribute=fit, kind="choice")
    services.attribute_choice_add(attribute=fit, value="Regular")
    assert list(fit.choices.values_list("value", flat=True)) == ["Regular"]
    error = _refused(services.attribute_update, attribute=fit, kind="colour")
    assert (error.code, error.field) == ("attribute_kind_invalid", "kind")


def test_a_choice_a_product_has_cannot_be_removed(in_store_a):
    material, _ = _jacket_with_material("wool")
    wool, linen = material.choices.order_by("position")
    error = _refused(services.attribute_choice_delete, choice=wool)
    assert (error.code, error.field, error.extra) == (
        "attribute_choice_in_use",
        "value",
        {"product_count": 1},
    )
    assert error.message.startswith('The choice "Wool" is given to 1 product:')
    services.attribute_choice_delete(choice=linen)
    assert list(material.choices.values_list("value", flat=True)) == ["Wool"]


def test_choices_are_renamed_added_and_reordered(in_store_a):
    material, product = _jacket_with_material("wool")
    wool = material.choices.get(value="Wool")
    services.attribute_choice_update(choice=wool, value="Merino wool")
    value = ProductAttributeValue.objects.get(product=product)
    assert value.value_choice.value == "Merino wool"
    cotton = services.attribute_choice_add(attribute=material, value="Cotton", position=0)
    error = _refused(services.attribute_choice_add, attribute=material, value="cotton")
    assert (error.code, error.field) == ("option_values_invalid", "value")
    linen = material.choices.get(value="Linen")
    services.attribute_choices_reorder(attribute=material, choices=[linen, cotton.pk, wool])
    assert list(material.choices.values_list("value", flat=True)) == [
        "Linen",
        "Cotton",
        "Merino wool",
    ]


def test_deleting_an_attribute_removes_its_product_values(in_store_a):
    material, product = _jacket_with_material()
    stamp = Product.objects.filter(pk=product.pk).values_list("updated", flat=True).get()
    services.attribute_delete(attribute=material)
    assert not Attribute.objects.exists()
    assert not AttributeChoice.objects.exists()
    assert not ProductAttributeValue.objects.filter(product=product).exists()
    assert list(product.product_type.attributes.all()) == []
    assert Product.objects.get(pk=product.pk).updated > stamp


def test_attribute_and_product_type_names_are_unique(in_store_a):
    services.attribute_create(name="Material", kind="text")
    care = services.attribute_create(name="Care", kind="text")
    error = _refused(services.attribute_update, attribute=care, name="MATERIAL")
    assert (error.code, error.field) == ("name_taken", "name")
    services.product_type_create(name="Jacket")
    shoe = services.product_type_create(name="Shoe")
    error = _refused(services.product_type_update, product_type=shoe, name="jacket")
    assert (error.code, error.field) == ("name_taken", "name")
    error = _refused(services.product_type_update, product_type=shoe, slug="jacket")
    assert (error.code, error.field) == ("slug_taken", "slug")


# --- the catalog version ---------------------------------------------------------------------


WRITES = {
    "option_type_update": lambda c: services.option_type_update(option_type=c["size"], position=2),
    "option_type_delete": lambda c: services.option_type_delete(option_type=c["spare"]),
    "option_value_add": lambda c: services.option_value_add(option_type=c["size"], value="XL"),
    "option_value_update": lambda c: services.option_value_update(
        option_value=c["size"].values.get(value="M"), value="Medium"
    ),
    "option_value_delete": lambda c: services.option_value_delete(
        option_value=c["size"].values.get(value="S")
    ),
    "option_values_reorder": lambda c: services.option_values_reorder(
        option_type=c["size"], values=list(c["size"].values.order_by("-position"))
    ),
    "attribute_update": lambda c: services.attribute_update(attribute=c["material"], unit="g"),
    "attribute_delete": lambda c: services.attribute_delete(attribute=c["material"]),
    "attribute_choice_add": lambda c: services.attribute_choice_add(
        attribute=c["material"], value="Silk"
    ),
    "attribute_choice_update": lambda c: services.attribute_choice_update(
        choice=c["material"].choices.get(value="Wool"), value="Merino"
    ),
    "attribute_choice_delete": lambda c: services.attribute_choice_delete(
        choice=c["material"].choices.get(value="Linen")
    ),
    "attribute_choices_reorder": lambda c: services.attribute_choices_reorder(
        attribute=c["material"], choices=list(c["material"].choices.order_by("-position"))
    ),
    "product_type_update": lambda c: services.product_type_update(
        product_type=c["product"].product_type, name="Blouse"
    ),
    "product_type_delete": lambda c: services.product_type_delete(product_type=c["empty_type"]),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_type_write_bumps_the_catalog_version_on_commit(
    in_store_a, django_capture_on_commit_callbacks, write
):
    # given
    product, size, _ = _shirt_with(("M", "Red"))
    material, _ = _jacket_with_material()
    catalog = {
        "product": product,
        "size": size,
        "material": material,
        "spare": services.option_type_create(name="Spare", values=["x"]),
        "empty_type": services.product_type_create(name="Empty"),
    }
    before = catalog_version()
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        WRITES[write](catalog)
    # then: nothing until the commit, then a new version
    assert catalog_version() == before
    for callback in callbacks:
        callback()
    assert catalog_version() > before


def test_a_refused_write_does_not_bump_the_catalog_version(
    in_store_a, django_capture_on_commit_callbacks
):
    _, size, _ = _shirt_with(("M", "Red"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _refused(services.option_value_delete, option_value=size.values.get(value="M"))
    assert callbacks == []


# --- the storefront's option order -----------------------------------------------------------


def test_the_storefront_orders_option_pickers_by_position_then_name(in_store_a, client_a):
    # given: by name Colour would come first; the merchant puts Size first
    product = factories.product_with_variants(
        "Ordered shirt", prices={("M", "Red"): "20.00", ("L", "Blue"): "25.00"}, publish=True
    )
    size, colour = product_type_option_types(product.product_type)
    services.option_type_update(option_type=size, position=0)
    services.option_type_update(option_type=colour, position=1)
    # then: the reads
    _, groups = reads.product_variants(product=product)
    assert [group.type_id for group in groups] == [size.pk, colour.pk]
    facets = [t.pk for t in reads.option_facets() if t.pk in (size.pk, colour.pk)]
    assert facets == [size.pk, colour.pk]
    detail = product_detail_get(slug=product.slug)
    first = detail.variants.all()[0]
    assert [v.option_type_id for v in first.option_values.all()] == [size.pk, colour.pk]
    # and the page (fresh cache: the version only moves on commit)
    cache_reset()
    html = client_a.get(f"/products/{product.slug}/").content.decode()
    cache_reset()
    legends = re.findall(r"<legend>(.*?)</legend>", html)
    assert legends.index(size.name) < legends.index(colour.name)
    # when: Colour moves before Size, the pickers follow
    services.option_type_update(option_type=colour, position=0)
    services.option_type_update(option_type=size, position=5)
    _, groups = reads.product_variants(product=product)
    assert [group.type_id for group in groups] == [colour.pk, size.pk]
    # and equal positions fall back to the name
    services.option_type_update(option_type=size, position=0)
    assert [group.name for group in reads.product_variants(product=product)[1]] == sorted(
        [size.name, colour.name]
    )
    assert Variant.objects.filter(product=product).count() == 2
