"""Fixed SQL query counts whatever the catalog's size, and the whole-page cache: a cached page
costs no query, any catalog write makes it stale, signed-in visitors never share it."""

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from apps.catalog import services
from tests.catalog import factories
from tests.catalog.storefront.conftest import warm


def _catalog(n: int) -> None:
    """n published products in one category and one featured collection, each with two
    option variants and two images."""
    category = factories.category("Things")
    ids = []
    for i in range(n):
        product = factories.product_with_variants(
            f"Thing {i}", category=category, sku_prefix=f"T{i}",
            prices={("M", "Red"): "20.00", ("L", "Blue"): "25.00"},
        )  # fmt: skip
        factories.product_image(product, alt_text=f"Thing {i} from the front")
        factories.product_image(product, alt_text=f"Thing {i} from the back")
        services.product_set_status(product=product, status="published")
        ids.append(product.pk)
    services.collection_create(
        name="Featured", slug="featured", is_published=True, is_featured=True, product_ids=ids
    )


# Queries per page once the worker's host map and the theme snapshot are warm (both cached):
PAGES = [
    # categories (header, sidebar), featured collection, its cards, new-arrival cards
    ("/", 4),
    # categories, one page of cards (first image and cheapest compare-at inside each row)
    ("/products/", 2),
    # categories (the category itself is found among them), cards
    ("/categories/things/", 2),
    # categories, the collection, its cards
    ("/collections/featured/", 3),
    # categories, the product with its images and attributes, the variants with options
    ("/products/thing-0/", 3),
    # categories, option facets with their values, the search results' cards
    ("/search/?q=thing", 3),
    # products, categories, collections
    ("/sitemap.xml", 3),
    ("/robots.txt", 0),
]


@pytest.mark.parametrize("n", [1, 20])
@pytest.mark.parametrize(("path", "queries"), PAGES)
def test_page_query_count_does_not_grow_with_the_catalog(
    n, path, queries, client_a, store_a, django_assert_num_queries
):
    # given
    with schema_context(store_a.schema):
        _catalog(n)
    warm(client_a)
    separator = "&" if "?" in path else "?"
    # when / then: a query string never seen before, so the page cache misses
    with django_assert_num_queries(queries):
        response = client_a.get(f"{path}{separator}utm_source=test")
    assert response.status_code == 200
    if path != "/robots.txt":
        assert response["X-Storefront-Cache"] == "miss"


@pytest.mark.parametrize("path", [p for p, _ in PAGES])
def test_a_cached_page_costs_no_query(path, client_a, store_a, django_assert_num_queries):
    with schema_context(store_a.schema):
        _catalog(3)
    warm(client_a)
    first = client_a.get(path)
    with django_assert_num_queries(0):
        second = client_a.get(path)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    if path != "/robots.txt":
        assert second["X-Storefront-Cache"] == "hit"


def test_a_product_change_invalidates_cached_pages(
    client_a, store_a, catalog_a, django_capture_on_commit_callbacks
):
    # given: cached
    assert "$12.50" in client_a.get("/products/stoneware-mug/").content.decode()
    assert client_a.get("/products/stoneware-mug/")["X-Storefront-Cache"] == "hit"
    home = client_a.get("/")
    # when: the merchant changes the price
    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        variant = catalog_a["mug"].variants.get()
        services.variant_update(variant=variant, price=Decimal("14.00"))
    # then: every page of the store renders again
    response = client_a.get("/products/stoneware-mug/")
    assert response["X-Storefront-Cache"] == "miss"
    assert "$14.00" in response.content.decode()
    assert client_a.get("/")["X-Storefront-Cache"] == "miss"
    assert home["X-Storefront-Cache"] in ("hit", "miss")


def test_a_stock_change_invalidates_cached_pages(
    client_a, store_a, catalog_a, django_capture_on_commit_callbacks
):
    # given: cached
    client_a.get("/products/stoneware-mug/")
    assert client_a.get("/products/stoneware-mug/")["X-Storefront-Cache"] == "hit"
    # when: the last mugs are sold (stock, not the catalog, changes)
    from apps.inventory import services as inventory

    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        inventory.stock_adjust(
            variant=catalog_a["mug"].variants.get(), quantity=0, reason="Stocktake"
        )
    # then: the page renders again
    assert client_a.get("/products/stoneware-mug/")["X-Storefront-Cache"] == "miss"


def test_unpublishing_removes_the_product_from_cached_pages(
    client_a, store_a, catalog_a, django_capture_on_commit_callbacks
):
    assert client_a.get("/products/stoneware-mug/").status_code == 200
    assert "/products/stoneware-mug/" in client_a.get("/").content.decode()
    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        services.product_set_status(product=catalog_a["mug"], status="draft")
    assert client_a.get("/products/stoneware-mug/").status_code == 404
    assert "/products/stoneware-mug/" not in client_a.get("/").content.decode()


def test_signed_in_customers_bypass_the_page_cache(client_a, store_a, catalog_a):
    from django.test import Client

    # given: an anonymous visit cached the home page
    assert client_a.get("/")["X-Storefront-Cache"] == "miss"
    customer = Client(HTTP_HOST=store_a.host)
    customer.login(username=store_a.customer_email, password=store_a.password)
    # when: the customer visits, twice
    for _ in range(2):
        response = customer.get("/")
        # then: their own page, rendered for them, never stored
        assert "X-Storefront-Cache" not in response
        assert "Signed in as customer@store-a.test" in response.content.decode()
    # and the anonymous visitor still gets the anonymous page
    anonymous = client_a.get("/")
    assert anonymous["X-Storefront-Cache"] == "hit"
    assert "customer@store-a.test" not in anonymous.content.decode()


def test_a_page_that_sets_a_cookie_is_not_cached(client_a, catalog_a):
    # the language cookie changes nothing here, but a session cookie means "bypass"
    client_a.cookies["sessionid"] = "not-a-session"
    assert "X-Storefront-Cache" not in client_a.get("/")
    del client_a.cookies["sessionid"]
    assert client_a.get("/")["X-Storefront-Cache"] == "miss"


def test_cache_is_per_store(client_a, client_b, catalog_a):
    # A's pages are cached under A's keys; B renders its own
    assert client_a.get("/")["X-Storefront-Cache"] == "miss"
    response = client_b.get("/")
    assert response["X-Storefront-Cache"] == "miss"
    assert "Linen Shirt" not in response.content.decode()


def test_public_site_is_never_served_from_the_store_cache(public_client, client_a, catalog_a):
    client_a.get("/")
    response = public_client.get("/")
    assert "X-Storefront-Cache" not in response
    assert "Linen Shirt" not in response.content.decode()


def test_the_product_page_says_which_variant_is_sold_out(client_a, store_a, catalog_a):
    with schema_context(store_a.schema):
        sold_out = catalog_a["shirt"].variants.get(sku="LIN-S-RED").pk
    html = client_a.get(f"/products/linen-shirt/?variant={sold_out}").content.decode()
    assert "Sold out" in html
    assert "https://schema.org/OutOfStock" in html  # that variant's offer in the JSON-LD
    html = client_a.get("/products/stoneware-mug/").content.decode()
    assert "In stock" in html
    assert "https://schema.org/OutOfStock" not in html
