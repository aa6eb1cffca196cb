"""Pinned SQL query counts of the hot catalog endpoints: the same whatever the page size and the
number of variants, option values, images and tags. A shopper's page of products is one
statement when its product documents are current, two when some must be rendered first; a
staff page (live objects, with costs) is two plus the token's user. The issue's budget is at
most 3 for the product list and detail at page sizes 1, 20 and 100."""

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from tests.catalog import factories

PRODUCTS = "/api/v1/products/"


@pytest.fixture
def big_catalog(store_a):
    """100 published products, each with two option variants, an image, a tag and a category;
    the first ten in a collection."""
    with schema_context(store_a.schema):
        category = factories.category("Everything")
        products = []
        for n in range(100):
            product = factories.product_with_variants(
                f"Shirt {n:03}", category=category, tags=[f"tag-{n % 3}"]
            )
            factories.product_image(product, alt_text=f"Shirt {n}")
            products.append(services.product_set_status(product=product, status="published"))
        size = products[0].product_type.option_types.get(name__startswith="Size")
        services.collection_create(
            name="Some", is_published=True, product_ids=[p.pk for p in products[:10]]
        )
    # and "<size type slug>:m", an option value only the first product's variants have
    return {"products": products, "option": f"{size.slug}:m"}


LIMITS = (1, 20, 100)


def test_anonymous_product_reads_are_one_query(api_a, big_catalog, django_assert_num_queries):
    # (one test, one 100-product catalog: building it is the slow part)
    api_a.get(PRODUCTS, {"limit": 1})  # warm: the worker's host map and the schema switch
    # 1. SELECT the page (LIMIT 101, no COUNT(*)) with the current documents of its products;
    # 2. render the 99 missing documents and store them, one statement.
    with django_assert_num_queries(2):
        assert len(api_a.get(PRODUCTS, {"limit": 100}).json()["results"]) == 100
    for limit in LIMITS:
        # 1. SELECT the page with its products' documents (all current now).
        with django_assert_num_queries(1):
            body = api_a.get(PRODUCTS, {"limit": limit}).json()
        assert len(body["results"]) == limit
        assert all(len(p["variants"]) == 2 and len(p["images"]) == 1 for p in body["results"])
        assert (body["next"] is None) == (limit == 100)

    first = api_a.get(PRODUCTS, {"limit": 1, "ordering": "price"}).json()
    cursor = first["next"].split("cursor=")[1].split("&")[0]
    for limit in LIMITS:
        # 1. SELECT the page as above, the filters being EXISTS subqueries and the cursor a
        #    WHERE on the sort key.
        with django_assert_num_queries(1):
            response = api_a.get(
                PRODUCTS,
                {
                    "category": "everything",
                    "collection": "some",
                    "price_max": "100",
                    "ordering": "price",
                    "limit": limit,
                    "cursor": cursor,
                },
            )
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(limit, 9)

    # 1. SELECT the page, the option values and price an EXISTS over one variant.
    with django_assert_num_queries(1):
        response = api_a.get(
            PRODUCTS, {"option": big_catalog["option"], "price_min": "1", "limit": 100}
        )
    assert [p["id"] for p in response.json()["results"]] == [big_catalog["products"][0].pk]

    for limit in LIMITS:
        # 1. SELECT the page ranked by relevance (full text + trigram similarity).
        with django_assert_num_queries(1):
            assert len(api_a.get(PRODUCTS, {"q": "shirt", "limit": limit}).json()["results"]) == (
                limit
            )

    url = f"{PRODUCTS}{big_catalog['products'][0].pk}/"
    # 1. SELECT the product with its document.
    with django_assert_num_queries(1):
        assert api_a.get(url).status_code == 200

    # 1. SELECT the page's variant ids (keyset); 2. SELECT those variants with their option
    #    values.
    with django_assert_num_queries(2):
        assert len(api_a.get("/api/v1/variants/", {"limit": 100}).json()["results"]) == 100
    # 1. SELECT the page of collections with their product ids as an array.
    with django_assert_num_queries(1):
        assert len(api_a.get("/api/v1/collections/").json()["results"]) == 1
    # 1. SELECT the page of categories.
    with django_assert_num_queries(1):
        assert len(api_a.get("/api/v1/categories/").json()["results"]) == 1


def test_staff_product_reads_add_only_the_token_user(
    editor_a, big_catalog, django_assert_num_queries
):
    editor_a.get(PRODUCTS, {"limit": 1})
    for limit in LIMITS:
        # 1. SELECT the user of the Bearer token; 2. SELECT the page; 3. SELECT its variants
        #    (with costs).
        with django_assert_num_queries(3):
            response = editor_a.get(PRODUCTS, {"limit": limit})
        assert len(response.json()["results"]) == limit
    # 1. SELECT the token's user; 2. SELECT the product; 3. SELECT its variants.
    with django_assert_num_queries(3):
        assert editor_a.get(f"{PRODUCTS}{big_catalog['products'][0].pk}/").status_code == 200


def test_after_a_catalog_write_a_page_renders_again_once(
    api_a, big_catalog, store_a, django_assert_num_queries, django_capture_on_commit_callbacks
):
    api_a.get(PRODUCTS, {"limit": 100})  # every document rendered
    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        services.product_update(product=big_catalog["products"][-1], name="Renamed Shirt")
    api_a.get("/api/v1/categories/")  # the connection back on store A's schema
    for limit in LIMITS:
        # 1. SELECT the page with its documents, all stale now (the catalog version moved);
        # 2. render and store them.
        with django_assert_num_queries(2):
            body = api_a.get(PRODUCTS, {"limit": limit}).json()
        assert body["results"][0]["name"] == "Renamed Shirt"
        # then current again: one query
        with django_assert_num_queries(1):
            assert api_a.get(PRODUCTS, {"limit": limit}).json() == body
