"""Change and delete pages of option types, attributes and product types: every save is a
service call, a refusal shows on its field (or inline row) or as a message, never a 500; and
another store's staff reach none of it."""

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.catalog.models import (
    Attribute,
    AttributeChoice,
    OptionType,
    OptionValue,
    ProductAttributeValue,
    ProductType,
)
from apps.catalog.services.types import product_type_option_types
from tests.catalog import factories
from tests.catalog.admin.conftest import admin_login
from tests.catalog.admin.helpers import field_errors, formset_data

OPTION_TYPES = "/admin/catalog/optiontype/"
ATTRIBUTES = "/admin/catalog/attribute/"
PRODUCT_TYPES = "/admin/catalog/producttype/"


def _rows(entries, fk: str, owner_pk: int, **changes: dict) -> list[dict]:
    """Inline rows for existing values/choices as the page posts them; `changes` maps a value
    to the fields to post differently (e.g. {"M": {"DELETE": "on"}})."""
    return [
        {
            "id": str(entry.pk),
            fk: str(owner_pk),
            "value": entry.value,
            "position": str(entry.position),
            **changes.get(entry.value, {}),
        }
        for entry in entries
    ]


def _option_type_post(option_type: OptionType, *, new_rows=(), changes=None, **fields) -> dict:
    values = list(option_type.values.order_by("position", "id"))
    rows = _rows(values, "option_type", option_type.pk, **(changes or {})) + list(new_rows)
    return {
        "name": option_type.name,
        "slug": option_type.slug,
        "position": str(option_type.position),
        **fields,
        **formset_data("values", rows, initial=len(values)),
    }


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def shirt(store_a):
    """Store A: a Size x Colour product type with one product and its variants M/Red, M/Blue."""
    with schema_context(store_a.schema):
        product = factories.product_with_variants(
            prices={("M", "Red"): "20.00", ("M", "Blue"): "21.00"}
        )
        size, colour = product_type_option_types(product.product_type)
    return {"product": product, "type": product.product_type, "size": size, "colour": colour}


# --- option types ----------------------------------------------------------------------------


def test_an_option_type_and_its_values_are_changed_on_one_page(owner_a, store_a, shirt):
    size = shirt["size"]
    # when: rename the type and move it; rename M, move L first, remove S, add XL
    data = _option_type_post(
        size,
        name="Garment size",
        position="4",
        changes={"M": {"value": "Medium"}, "L": {"position": "0"}, "S": {"DELETE": "on"}},
        new_rows=[{"value": "XL", "position": "9"}],
    )
    response = owner_a.post(f"{OPTION_TYPES}{size.pk}/change/", data)
    # then
    assert response.status_code == 302
    with schema_context(store_a.schema):
        size.refresh_from_db()
        assert (size.name, size.slug, size.position) == ("Garment size", size.slug, 4)
        assert list(size.values.values_list("value", flat=True)) == ["L", "Medium", "XL"]
        # the variants took the new value's name
        assert sorted(shirt["product"].variants.values_list("name", flat=True)) == [
            "Medium / Blue",
            "Medium / Red",
        ]


def test_removing_a_value_variants_use_is_refused_on_its_row(owner_a, store_a, shirt):
    size = shirt["size"]
    data = _option_type_post(
        size, name="Renamed too", changes={"M": {"DELETE": "on"}, "S": {"value": "Small"}}
    )
    response = owner_a.post(f"{OPTION_TYPES}{size.pk}/change/", data)
    assert response.status_code == 200
    assert field_errors(response, "value", prefix="values", index=1) == [
        'The value "M" is used by 2 variants: change or delete them first.'
    ]
    # nothing of the save stayed: not the type's new name, not the other row's rename
    with schema_context(store_a.schema):
        size.refresh_from_db()
        assert size.name.startswith("Size")
        assert list(size.values.values_list("value", flat=True)) == ["S", "M", "L"]


def test_a_taken_option_type_name_is_shown_on_the_name_field(owner_a, store_a, shirt):
    size, colour = shirt["size"], shirt["colour"]
    response = owner_a.post(
        f"{OPTION_TYPES}{size.pk}/change/", _option_type_post(size, name=colour.name.upper())
    )
    assert response.status_code == 200
    assert field_errors(response, "name") == [
        f'Another option type is already named "{colour.name.upper()}".'
    ]


def test_option_type_positions_are_edited_in_the_list(owner_a, store_a, shirt):
    size, colour = shirt["size"], shirt["colour"]
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(colour.pk),
        "form-0-position": "1",
        "form-1-id": str(size.pk),
        "form-1-position": "0",
        "_save": "Save",
    }
    response = owner_a.post(OPTION_TYPES, data)
    assert response.status_code == 302
    with schema_context(store_a.schema):
        assert list(OptionType.objects.values_list("pk", flat=True)) == [size.pk, colour.pk]


def test_an_option_type_on_a_product_type_cannot_be_deleted(owner_a, store_a, shirt):
    size = shirt["size"]
    page = owner_a.get(f"{OPTION_TYPES}{size.pk}/delete/")
    assert page.context["title"] == "Cannot delete option type"
    assert f"{shirt['type'].name}</a> (take {size.name} off it first)" in page.content.decode()
    response = owner_a.post(f"{OPTION_TYPES}{size.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    with schema_context(store_a.schema):
        assert OptionType.objects.filter(pk=size.pk).exists()


def test_an_unused_option_type_is_deleted_with_its_values(owner_a, store_a):
    with schema_context(store_a.schema):
        fit = services.option_type_create(name="Fit", values=["Slim", "Loose"])
    page = owner_a.get(f"{OPTION_TYPES}{fit.pk}/delete/")
    assert page.context["title"] == "Delete"
    response = owner_a.post(f"{OPTION_TYPES}{fit.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    with schema_context(store_a.schema):
        assert not OptionType.objects.filter(pk=fit.pk).exists()
        assert not OptionValue.objects.filter(option_type_id=fit.pk).exists()


def test_a_refused_delete_is_a_message_on_the_change_page(owner_a, store_a, shirt):
    # given: variants from before the rules use Size, which no product type lists any more
    size = shirt["size"]
    with schema_context(store_a.schema):
        ProductType.option_types.through.objects.filter(optiontype=size).delete()
    # when
    response = owner_a.post(f"{OPTION_TYPES}{size.pk}/delete/", {"post": "yes"}, follow=True)
    # then
    assert response.redirect_chain == [(f"{OPTION_TYPES}{size.pk}/change/", 302)]
    assert _messages(response) == [f"{size.name} is used by 2 variants: delete them first."]
    with schema_context(store_a.schema):
        assert size.values.count() == 3


# --- attributes ------------------------------------------------------------------------------


@pytest.fixture
def material(store_a):
    """Store A: a Material choice attribute (Wool, Linen); a jacket has Wool."""
    with schema_context(store_a.schema):
        material = services.attribute_create(
            name="Material", kind="choice", choices=["Wool", "Linen"]
        )
        jacket = services.product_type_create(name="Jacket", attributes=[material])
        product = services.product_create(name="Parka", product_type=jacket)
        services.product_attribute_set(product=product, attribute=material, value="wool")
    return material


def _attribute_post(attribute: Attribute, *, new_rows=(), changes=None, **fields) -> dict:
    choices = list(attribute.choices.order_by("position", "id"))
    rows = _rows(choices, "attribute", attribute.pk, **(changes or {})) + list(new_rows)
    return {
        "name": attribute.name,
        "slug": attribute.slug,
        "kind": attribute.kind,
        "unit": attribute.unit,
        **fields,
        **formset_data("choices", rows, initial=len(choices)),
    }


def test_an_attributes_choices_are_edited_inline(owner_a, store_a, material):
    data = _attribute_post(
        material,
        name="Fabric",
        changes={"Wool": {"value": "Merino wool", "position": "5"}},
        new_rows=[{"value": "Cotton", "position": "1"}],
    )
    response = owner_a.post(f"{ATTRIBUTES}{material.pk}/change/", data)
    assert response.status_code == 302
    with schema_context(store_a.schema):
        material.refresh_from_db()
        assert material.name == "Fabric"
        # a new row's position inserts it there: Cotton goes before Linen (also 1)
        assert list(material.choices.values_list("value", flat=True)) == [
            "Cotton",
            "Linen",
            "Merino wool",
        ]
        assert ProductAttributeValue.objects.get().value_choice.value == "Merino wool"


def test_an_attributes_kind_is_locked_while_products_have_values(owner_a, store_a, material):
    response = owner_a.post(
        f"{ATTRIBUTES}{material.pk}/change/", _attribute_post(material, kind="text")
    )
    assert response.status_code == 200
    assert field_errors(response, "kind") == [
        '"Material" has a value on 1 product, so its kind cannot change; '
        "make a new attribute instead."
    ]
    with schema_context(store_a.schema):
        assert Attribute.objects.get(pk=material.pk).kind == "choice"


def test_a_choice_a_product_has_is_refused_on_its_row(owner_a, store_a, material):
    data = _attribute_post(material, changes={"Wool": {"DELETE": "on"}})
    response = owner_a.post(f"{ATTRIBUTES}{material.pk}/change/", data)
    assert response.status_code == 200
    assert field_errors(response, "value", prefix="choices", index=0) == [
        'The choice "Wool" is given to 1 product: give them another choice first.'
    ]
    with schema_context(store_a.schema):
        assert material.choices.count() == 2


def test_deleting_an_attribute_lists_and_removes_its_product_values(owner_a, store_a, material):
    page = owner_a.get(f"{ATTRIBUTES}{material.pk}/delete/")
    assert page.context["title"] == "Delete"
    assert dict(page.context["model_count"])["product attribute values"] == 1
    response = owner_a.post(f"{ATTRIBUTES}{material.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    with schema_context(store_a.schema):
        assert not Attribute.objects.exists()
        assert not AttributeChoice.objects.exists()
        assert not ProductAttributeValue.objects.exists()


# --- product types ---------------------------------------------------------------------------


def _product_type_post(product_type: ProductType, **fields) -> dict:
    return {
        "name": product_type.name,
        "slug": product_type.slug,
        "option_types": [str(t.pk) for t in product_type.option_types.all()],
        "attributes": [str(a.pk) for a in product_type.attributes.all()],
        **fields,
    }


def test_an_option_its_variants_use_cannot_leave_the_product_type(owner_a, store_a, shirt):
    product_type, size, colour = shirt["type"], shirt["size"], shirt["colour"]
    response = owner_a.post(
        f"{PRODUCT_TYPES}{product_type.pk}/change/",
        _product_type_post(product_type, name="Top", option_types=[str(size.pk)]),
    )
    assert response.status_code == 200
    assert field_errors(response, "option_types") == [
        f'{colour.name} is used by 2 variants of "{product_type.name}" products: '
        "delete them before taking it off the type."
    ]
    with schema_context(store_a.schema):
        assert ProductType.objects.get(pk=product_type.pk).name == product_type.name


def test_a_product_type_is_renamed_and_given_an_option(owner_a, store_a):
    with schema_context(store_a.schema):
        _, size, colour = factories.size_colour_type()
        fit = services.option_type_create(name="Fit", values=["Slim"])
        product_type = services.product_type_create(name="Blank", option_types=[size, colour])
        care = services.attribute_create(name="Care", kind="text")
    data = _product_type_post(
        product_type,
        name="Tee",
        option_types=[str(fit.pk), str(colour.pk), str(size.pk)],
        attributes=[str(care.pk)],
    )
    response = owner_a.post(f"{PRODUCT_TYPES}{product_type.pk}/change/", data)
    assert response.status_code == 302
    with schema_context(store_a.schema):
        product_type.refresh_from_db()
        assert product_type.name == "Tee"
        # kept options keep their order (variant names), the new one follows
        assert product_type_option_types(product_type) == [size, colour, fit]
        assert list(product_type.attributes.all()) == [care]


def test_a_product_type_with_products_cannot_be_deleted(owner_a, store_a, shirt):
    product_type = shirt["type"]
    response = owner_a.post(f"{PRODUCT_TYPES}{product_type.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert response.context["title"] == "Cannot delete product type"
    assert shirt["product"].name in response.content.decode()
    with schema_context(store_a.schema):
        assert ProductType.objects.filter(pk=product_type.pk).exists()
        empty = services.product_type_create(name="Empty")
    response = owner_a.post(f"{PRODUCT_TYPES}{empty.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    with schema_context(store_a.schema):
        assert not ProductType.objects.filter(pk=empty.pk).exists()


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [OPTION_TYPES, ATTRIBUTES, PRODUCT_TYPES])
def test_store_b_staff_see_nothing_of_store_as_types(client_b, store_b, shirt, material, url):
    admin_login(client_b, store_b.owner_email, store_b.password)
    with schema_context(store_b.schema):
        assert not OptionType.objects.exists()
        assert not Attribute.objects.exists()
        assert not ProductType.objects.exists()
    listing = client_b.get(url)
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == []
    pk = {OPTION_TYPES: shirt["size"].pk, ATTRIBUTES: material.pk, PRODUCT_TYPES: shirt["type"].pk}
    for page in ("change", "delete"):
        assert client_b.get(f"{url}{pk[url]}/{page}/").status_code == 404


def test_store_b_cannot_change_or_delete_store_as_types_by_posting(
    client_b, store_a, store_b, shirt
):
    admin_login(client_b, store_b.owner_email, store_b.password)
    size = shirt["size"]
    response = client_b.post(
        f"{OPTION_TYPES}{size.pk}/change/", _option_type_post(size, name="Hijacked")
    )
    assert response.status_code == 404
    response = client_b.post(f"{PRODUCT_TYPES}{shirt['type'].pk}/delete/", {"post": "yes"})
    assert response.status_code == 404
    with schema_context(store_a.schema):
        size.refresh_from_db()
        assert size.name.startswith("Size")
        assert ProductType.objects.filter(pk=shirt["type"].pk).exists()


def test_view_only_staff_cannot_change_or_delete_types(client_a, store_a, shirt):
    # the fixture's "Staff" group has view_* permissions only
    admin_login(client_a, store_a.staff_email, store_a.password)
    size = shirt["size"]
    assert client_a.get(f"{OPTION_TYPES}{size.pk}/change/").status_code == 200
    response = client_a.post(
        f"{OPTION_TYPES}{size.pk}/change/", _option_type_post(size, name="By staff")
    )
    assert response.status_code == 403
    assert client_a.post(f"{OPTION_TYPES}{size.pk}/delete/", {"post": "yes"}).status_code == 403
    with schema_context(store_a.schema):
        size.refresh_from_db()
        assert size.name.startswith("Size")
        assert shirt["product"].variants.filter(price=Decimal("20.00")).exists()
