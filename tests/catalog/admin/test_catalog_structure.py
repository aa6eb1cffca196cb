"""Categories, collections, option types, attributes and product types in the admin."""

from django_tenants.utils import schema_context

from apps.catalog.models import (
    Attribute,
    Category,
    Collection,
    OptionType,
    ProductType,
    Tag,
)
from tests.catalog import factories
from tests.catalog.admin.helpers import field_errors, formset_data

CATEGORIES = "/admin/catalog/category/"


def _category_data(**fields):
    return {
        "name": "",
        "slug": "",
        "parent": "",
        "position": "0",
        "description": "",
        "seo_title": "",
        "seo_description": "",
        **fields,
    }


def test_owner_creates_a_subcategory_and_sees_its_path(owner_a, store_a):
    with schema_context(store_a.schema):
        men = factories.category("Men")
    response = owner_a.post(
        f"{CATEGORIES}add/", _category_data(name="Shirts", parent=str(men.pk), position="2")
    )
    assert response.status_code == 302
    with schema_context(store_a.schema):
        shirts = Category.objects.get(name="Shirts")
        assert (shirts.path, shirts.depth, shirts.position) == ("men/shirts", 1, 2)
    page = owner_a.get(f"{CATEGORIES}{shirts.pk}/change/").content.decode()
    assert '<div class="readonly">men/shirts</div>' in page


def test_renaming_a_category_slug_moves_its_subtree(owner_a, store_a):
    with schema_context(store_a.schema):
        men = factories.category("Men")
        factories.category("Shirts", parent=men)
    response = owner_a.post(
        f"{CATEGORIES}{men.pk}/change/", _category_data(name="Men", slug="gentlemen")
    )
    assert response.status_code == 302
    with schema_context(store_a.schema):
        assert sorted(Category.objects.values_list("path", flat=True)) == [
            "gentlemen",
            "gentlemen/shirts",
        ]


def test_a_taken_category_slug_is_shown_on_the_slug_field(owner_a, store_a):
    with schema_context(store_a.schema):
        factories.category("Men")
    response = owner_a.post(f"{CATEGORIES}add/", _category_data(name="Gents", slug="men"))
    assert response.status_code == 200
    assert field_errors(response, "slug") == ['The address "men" is already used.']
    with schema_context(store_a.schema):
        assert Category.objects.count() == 1


def test_deleting_a_category_with_subcategories_is_refused(owner_a, store_a):
    with schema_context(store_a.schema):
        men = factories.category("Men")
        factories.category("Shirts", parent=men)
    response = owner_a.post(f"{CATEGORIES}{men.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert response.context["title"] == "Cannot delete category"
    assert "men / shirts" in response.content.decode()  # the subcategory in the way
    with schema_context(store_a.schema):
        assert Category.objects.count() == 2


def test_collection_products_are_saved_in_the_order_given(owner_a, store_a):
    with schema_context(store_a.schema):
        first, second, third = (factories.product(f"Pick {n}") for n in range(3))
    data = {
        "name": "Summer picks",
        "slug": "",
        "description": "",
        "is_published": "on",
        "seo_title": "",
        "seo_description": "",
        **formset_data(
            "entries",
            [
                {"product": str(third.pk), "position": "0"},
                {"product": str(first.pk), "position": "1"},
                {"product": str(second.pk), "position": "2"},
            ],
        ),
    }
    response = owner_a.post("/admin/catalog/collection/add/", data)
    assert response.status_code == 302
    with schema_context(store_a.schema):
        collection = Collection.objects.get()
        assert collection.is_published
        assert list(collection.entries.values_list("product__name", flat=True)) == [
            "Pick 2",
            "Pick 0",
            "Pick 1",
        ]


def test_option_type_with_values_then_a_value_added(owner_a, store_a):
    data = {
        "name": "Size",
        "slug": "",
        **formset_data(
            "values",
            [
                {"value": "L", "position": "2"},
                {"value": "S", "position": "0"},
                {"value": "M", "position": "1"},
            ],
        ),
    }
    response = owner_a.post("/admin/catalog/optiontype/add/", data)
    assert response.status_code == 302
    with schema_context(store_a.schema):
        size = OptionType.objects.get()
        assert list(size.values.values_list("value", flat=True)) == ["S", "M", "L"]
        existing = list(size.values.values_list("pk", "value", "position"))
    # when: the change page adds a value (existing rows are posted as the page shows them)
    rows = [
        {"id": str(pk), "option_type": str(size.pk), "value": value, "position": str(position)}
        for pk, value, position in existing
    ]
    rows.append({"value": "XL", "position": "3"})
    response = owner_a.post(
        f"/admin/catalog/optiontype/{size.pk}/change/",
        {"name": "Size", "slug": "size", **formset_data("values", rows, initial=3)},
    )
    assert response.status_code == 302
    with schema_context(store_a.schema):
        assert list(size.values.values_list("value", flat=True)) == ["S", "M", "L", "XL"]


def test_an_option_value_that_exists_is_shown_on_its_row(owner_a, store_a):
    with schema_context(store_a.schema):
        size = factories.size_colour_type()[1]
        existing = list(size.values.values_list("pk", "value", "position"))
    rows = [
        {"id": str(pk), "option_type": str(size.pk), "value": value, "position": str(position)}
        for pk, value, position in existing
    ]
    rows.append({"value": "m", "position": "9"})
    response = owner_a.post(
        f"/admin/catalog/optiontype/{size.pk}/change/",
        {"name": size.name, "slug": size.slug, **formset_data("values", rows, initial=3)},
    )
    assert response.status_code == 200
    assert field_errors(response, "value", prefix="values", index=3) != []
    with schema_context(store_a.schema):
        assert size.values.count() == 3


def test_attribute_with_choices_and_product_type_are_created_through_services(owner_a, store_a):
    response = owner_a.post(
        "/admin/catalog/attribute/add/",
        {"name": "Material", "slug": "", "kind": "choice", "unit": "", "choices": "Linen\nCotton"},
    )
    assert response.status_code == 302
    with schema_context(store_a.schema):
        material = Attribute.objects.get()
        assert list(material.choices.values_list("value", flat=True)) == ["Linen", "Cotton"]
        size = factories.size_colour_type()[1]
    response = owner_a.post(
        "/admin/catalog/producttype/add/",
        {
            "name": "Garment",
            "slug": "",
            "option_types": [str(size.pk)],
            "attributes": [str(material.pk)],
        },
    )
    assert response.status_code == 302
    with schema_context(store_a.schema):
        garment = ProductType.objects.get(name="Garment")
        assert list(garment.option_types.all()) == [size]
        assert list(garment.attributes.all()) == [material]


def test_a_choice_attribute_without_choices_is_refused(owner_a, store_a):
    response = owner_a.post(
        "/admin/catalog/attribute/add/",
        {"name": "Fit", "slug": "", "kind": "choice", "unit": "", "choices": ""},
    )
    assert response.status_code == 200
    assert field_errors(response, "choices") != []
    with schema_context(store_a.schema):
        assert not Attribute.objects.exists()


def test_tags_are_listed_read_only(owner_a, store_a):
    with schema_context(store_a.schema):
        factories.product("Tagged", tags=["summer"])
        tag = Tag.objects.get()
    listing = owner_a.get("/admin/catalog/tag/")
    assert listing.status_code == 200
    assert "summer" in listing.content.decode()
    assert owner_a.get("/admin/catalog/tag/add/").status_code == 403
    assert owner_a.post(f"/admin/catalog/tag/{tag.pk}/delete/", {"post": "yes"}).status_code == 403


def test_an_option_type_needs_at_least_one_value(owner_a, store_a):
    response = owner_a.post(
        "/admin/catalog/optiontype/add/",
        {"name": "Size", "slug": "", **formset_data("values", [])},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == ["Give at least one value."]
    with schema_context(store_a.schema):
        assert not OptionType.objects.exists()
