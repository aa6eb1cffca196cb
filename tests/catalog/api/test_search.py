"""Searching products through the API (apps.catalog.search ranks; the API pages by relevance)."""

from django_tenants.utils import schema_context

from tests.catalog import factories

PRODUCTS = "/api/v1/products/"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [product["name"] for product in response.json()["results"]]


def test_search_ranks_and_tolerates_typos(api_a, staff_a, store_a, catalog_a):
    with schema_context(store_a.schema):
        factories.product(
            "Beach Towel",
            price="9.00",
            publish=True,
            description="<p>Goes with a linen shirt.</p>",
        )
        factories.product("Linen Napkin", price="4.00", sku="NAP-1")  # a draft
    # a name match ranks above a description match; drafts are never found (staff neither)
    assert names(api_a.get(PRODUCTS, {"q": "linen"})) == ["Linen Shirt", "Beach Towel"]
    assert names(staff_a.get(PRODUCTS, {"q": "linen"})) == ["Linen Shirt", "Beach Towel"]
    # a typo still finds the product
    assert names(api_a.get(PRODUCTS, {"q": "stonware"})) == ["Stoneware Mug"]
    # a SKU finds its product
    assert names(api_a.get(PRODUCTS, {"q": "MUG-1"})) == ["Stoneware Mug"]
    # search combines with filters and other orderings
    assert names(api_a.get(PRODUCTS, {"q": "linen", "category": "clothing"})) == ["Linen Shirt"]
    assert names(api_a.get(PRODUCTS, {"q": "linen", "ordering": "price"})) == [
        "Beach Towel",
        "Linen Shirt",
    ]


def test_search_pages_by_relevance_without_repeats(api_a, store_a):
    with schema_context(store_a.schema):
        for n in range(5):
            factories.product(f"Wool Sock {n}", price="3.00", publish=True)
        factories.product("Wool", price="30.00", publish=True)
    everything = names(api_a.get(PRODUCTS, {"q": "wool", "limit": 100}))
    assert everything[0] == "Wool"
    seen, response = [], api_a.get(PRODUCTS, {"q": "wool", "limit": 2})
    while True:
        seen += names(response)
        if response.json()["next"] is None:
            break
        response = api_a.get(response.json()["next"])
    assert seen == everything
    assert len(set(seen)) == 6
