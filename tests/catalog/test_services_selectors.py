"""Catalog selectors: what they return, and their pinned query counts."""

import pytest
from django_tenants.utils import schema_context

from apps.catalog import selectors, services
from tests.catalog import factories


@pytest.fixture
def in_store_a(store_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with schema_context(store_a.schema):
        yield store_a


def _detail_shape(product) -> dict:
    return {
        "category": product.category.path,
        "type": product.product_type.name[:5],
        "variants": [
            (v.sku, [f"{o.option_type.name[:4]}={o.value}" for o in v.option_values.all()])
            for v in product.variants.all()
        ],
        "images": [i.alt_text for i in product.images.all()],
        "tags": sorted(t.name for t in product.tags.all()),
    }


@pytest.mark.parametrize("variant_count", [1, 6])
def test_product_detail_get_is_six_queries_whatever_the_variants(
    in_store_a, django_assert_num_queries, variant_count
):
    # given
    shirts = factories.category("Shirts")
    combos = [(s, c) for s in ("S", "M", "L") for c in ("Red", "Blue")][:variant_count]
    product = factories.product_with_variants(
        "Oxford",
        prices=dict.fromkeys(combos, "20.00"),
        sku_prefix="OX",
        category=shirts,
        tags=["Linen", "Summer"],
        publish=False,
    )
    factories.product_image(product, alt_text="front")
    factories.product_image(product, alt_text="back")
    services.product_set_status(product=product, status="published")
    # when: product + category + type (one JOIN), variants, option values (with types),
    # images, tags, attribute values
    with django_assert_num_queries(6):
        found = selectors.product_detail_get(slug="oxford")
        shape = _detail_shape(found)
    # then
    assert shape["category"] == "shirts"
    assert shape["variants"][0] == ("OX-S-RED", ["Colo=Red", "Size=S"])
    assert len(shape["variants"]) == variant_count
    assert shape["images"] == ["front", "back"]
    assert shape["tags"] == ["Linen", "Summer"]


def test_product_detail_get_hides_drafts_unless_asked(in_store_a):
    factories.product("Draft Mug")
    assert selectors.product_detail_get(slug="draft-mug") is None
    assert selectors.product_detail_get(slug="draft-mug", published_only=False).name == "Draft Mug"
    assert selectors.product_detail_get(slug="no-such-product") is None


def test_product_detail_get_does_not_see_another_store(store_a, store_b):
    with schema_context(store_a.schema):
        factories.product("Mug", publish=True)
    with schema_context(store_b.schema):
        assert selectors.product_detail_get(slug="mug", published_only=False) is None


def test_category_tree_is_one_query(in_store_a, django_assert_num_queries):
    # given
    men = factories.category("Men", position=2)
    women = factories.category("Women", position=1)
    factories.category("Shirts", parent=men, position=1)
    trousers = factories.category("Trousers", parent=men, position=0)
    factories.category("Chinos", parent=trousers)
    factories.category("Dresses", parent=women)
    # when
    with django_assert_num_queries(1):
        roots = selectors.category_tree()

        def walk(nodes):
            return [(n.name, walk(n.subcategories)) for n in nodes]

        tree = walk(roots)
        parent_name = roots[1].subcategories[0].parent.name
    # then: siblings by position
    assert tree == [
        ("Women", [("Dresses", [])]),
        ("Men", [("Trousers", [("Chinos", [])]), ("Shirts", [])]),
    ]
    assert parent_name == "Men"


def test_featured_collections_are_three_queries(in_store_a, django_assert_num_queries):
    # given
    a = factories.product("A", publish=True)
    b = factories.product("B", publish=True)
    draft = factories.product("Draft")
    factories.product_image(a, alt_text="a photo")
    services.collection_create(
        name="Summer", is_published=True, is_featured=True, product_ids=[b.pk, draft.pk, a.pk]
    )
    services.collection_create(name="Hidden", is_published=False, is_featured=True)
    services.collection_create(name="Plain", is_published=True, is_featured=False)
    # when: collections, entries with their products, the products' images
    with django_assert_num_queries(3):
        featured = selectors.featured_collections()
        shape = [
            (c.name, [(p.name, [i.alt_text for i in p.images.all()]) for p in c.featured_products])
            for c in featured
        ]
    # then: only published products, in the collection's order
    assert shape == [("Summer", [("B", []), ("A", ["a photo"])])]
