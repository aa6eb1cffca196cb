"""Reading products: what each caller sees, the product's shape, filters, ordering, pages."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from apps.catalog import services
from apps.catalog.models import Product
from tests.catalog import factories

PRODUCTS = "/api/v1/products/"


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [product["name"] for product in response.json()["results"]]


def test_anonymous_list_shows_published_products_with_variants_and_images(api_a, catalog_a):
    # when
    response = api_a.get(PRODUCTS, {"ordering": "name"})
    # then: drafts and archived products are not there
    assert names(response) == ["Linen Shirt", "Stoneware Mug"]
    body = response.json()
    assert body["next"] is None
    shirt, mug = body["results"]
    # the whole shape of one product
    assert set(shirt) == {
        "id", "name", "slug", "description", "status", "category", "product_type", "tags",
        "seo_title", "seo_description", "currency", "price_min", "price_max", "variants",
        "images", "attributes", "created", "updated", "published_at",
    }  # fmt: skip
    assert shirt["id"] == catalog_a["shirt"].pk
    assert shirt["status"] == "published"
    assert shirt["category"] == {
        "id": catalog_a["shirts"].pk,
        "name": "Shirts",
        "slug": "shirts",
        "path": "clothing/shirts",
    }
    assert shirt["product_type"]["id"] == catalog_a["shirt"].product_type_id
    assert shirt["tags"] == ["Summer"]
    assert shirt["currency"] == "USD"
    assert (shirt["price_min"], shirt["price_max"]) == ("20.00", "25.00")
    assert [(v["sku"], v["name"], v["price"], v["is_default"]) for v in shirt["variants"]] == [
        ("LIN-M-RED", "M / Red", "20.00", False),
        ("LIN-L-BLUE", "L / Blue", "25.00", False),
    ]
    # option values by option type name (Colour before Size), as on the storefront
    assert [value["value"] for value in shirt["variants"][0]["option_values"]] == ["Red", "M"]
    assert "cost" not in shirt["variants"][0]  # staff only
    (image,) = shirt["images"]
    assert image["alt_text"] == "A red linen shirt"
    assert (image["width"], image["height"]) == (64, 48)
    assert image["url"].startswith("/media/store_store_a/catalog/products/")
    assert set(image["thumbnails"]) == {"thumb", "card", "large"}
    assert all(url.endswith(".webp") for url in image["thumbnails"].values())
    assert mug["variants"] == [
        {
            "id": mug["variants"][0]["id"],
            "sku": "MUG-1",
            "name": "",
            "price": "12.50",
            "compare_at_price": "15.00",
            "weight_grams": None,
            "barcode": "",
            "position": 0,
            "is_default": True,
            "option_values": [],
        }
    ]
    assert mug["published_at"].endswith("Z")


def test_staff_list_shows_every_status_and_costs(staff_a, catalog_a):
    # when
    response = staff_a.get(PRODUCTS, {"ordering": "name"})
    # then
    assert names(response) == ["Linen Shirt", "Old Lamp", "Secret Prototype", "Stoneware Mug"]
    mug = response.json()["results"][3]
    assert mug["variants"][0]["cost"] == "4.00"
    # and the status filter is theirs
    assert names(staff_a.get(PRODUCTS, {"status": "draft"})) == ["Secret Prototype"]


def test_customer_sees_what_anonymous_sees(customer_a, catalog_a):
    assert names(customer_a.get(PRODUCTS, {"ordering": "name", "status": "draft"})) == [
        "Linen Shirt",
        "Stoneware Mug",
    ]


def test_detail_hides_drafts_from_non_staff(api_a, customer_a, staff_a, catalog_a):
    draft_url = f"{PRODUCTS}{catalog_a['draft'].pk}/"
    # when / then
    assert api_a.get(draft_url).status_code == 404
    assert customer_a.get(draft_url).status_code == 404
    assert staff_a.get(draft_url).json()["status"] == "draft"
    shirt = api_a.get(f"{PRODUCTS}{catalog_a['shirt'].pk}/")
    assert shirt.status_code == 200
    assert shirt.json()["slug"] == "linen-shirt"
    assert api_a.get(f"{PRODUCTS}999999/").json() == {
        "type": "client_error",
        "errors": [{"code": "not_found", "detail": "Not found.", "attr": None}],
    }


def test_filter_by_category_includes_subcategories(api_a, catalog_a):
    clothing = catalog_a["clothing"]
    for value in (str(clothing.pk), "clothing", "clothing/shirts", "/clothing/"):
        assert names(api_a.get(PRODUCTS, {"category": value})) == ["Linen Shirt"], value
    assert names(api_a.get(PRODUCTS, {"category": "home"})) == ["Stoneware Mug"]
    # a path, not a bare slug of a subcategory
    assert names(api_a.get(PRODUCTS, {"category": "shirts"})) == []
    assert names(api_a.get(PRODUCTS, {"category": "nowhere"})) == []


def test_filter_by_collection_hides_unpublished_collections(api_a, staff_a, catalog_a):
    featured, hidden = catalog_a["featured"], catalog_a["hidden"]
    assert names(api_a.get(PRODUCTS, {"collection": "summer-picks", "ordering": "name"})) == [
        "Linen Shirt",
        "Stoneware Mug",
    ]
    assert names(api_a.get(PRODUCTS, {"collection": str(featured.pk)})) != []
    assert names(api_a.get(PRODUCTS, {"collection": hidden.slug})) == []
    assert names(staff_a.get(PRODUCTS, {"collection": hidden.slug})) == ["Stoneware Mug"]


def test_filter_by_price_range_of_one_variant(api_a, catalog_a):
    # the shirt costs 20.00 to 25.00, the mug 12.50
    assert names(api_a.get(PRODUCTS, {"price_min": "21", "ordering": "name"})) == ["Linen Shirt"]
    assert names(api_a.get(PRODUCTS, {"price_max": "19.99"})) == ["Stoneware Mug"]
    assert names(api_a.get(PRODUCTS, {"price_min": "13", "price_max": "19.99"})) == []
    response = api_a.get(PRODUCTS, {"price_min": "30", "price_max": "10"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "price_max"
    response = api_a.get(PRODUCTS, {"price_min": "-1"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "min_value",
            "detail": "Ensure this value is greater than or equal to 0.",
            "attr": "price_min",
        }
    ]


def test_filter_by_option_values(api_a, store_a, catalog_a):
    with schema_context(store_a.schema):
        types = catalog_a["shirt"].product_type.option_types
        size = types.get(name__startswith="Size").slug
        colour = types.get(name__startswith="Colour").slug
    # one variant must have every asked option value
    assert names(api_a.get(PRODUCTS, {"option": [f"{size}:m", f"{colour}:red"]})) == ["Linen Shirt"]
    assert names(api_a.get(PRODUCTS, {"option": [f"{size}:m", f"{colour}:blue"]})) == []
    # values of one option type are alternatives
    assert names(api_a.get(PRODUCTS, {"option": [f"{size}:s", f"{size}:l"]})) == ["Linen Shirt"]
    response = api_a.get(PRODUCTS, {"option": "no-colon"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "option.0"


def test_filter_by_availability(staff_a, store_a, catalog_a):
    # given: a draft without any variant (no price)
    with schema_context(store_a.schema):
        factories.product("Unpriced", price=None)
    # then: only published products with a variant can be bought
    assert names(staff_a.get(PRODUCTS, {"available": "false", "ordering": "name"})) == [
        "Old Lamp",
        "Secret Prototype",
        "Unpriced",
    ]
    assert names(staff_a.get(PRODUCTS, {"available": "true", "ordering": "name"})) == [
        "Linen Shirt",
        "Stoneware Mug",
    ]
    assert len(names(staff_a.get(PRODUCTS))) == 5


def test_orderings(api_a, store_a, catalog_a):
    with schema_context(store_a.schema):
        factories.product("Apron", price="20.00", publish=True)
    assert names(api_a.get(PRODUCTS, {"ordering": "price"})) == [
        "Stoneware Mug",
        "Linen Shirt",  # 20.00, id before the apron's
        "Apron",
    ]
    assert names(api_a.get(PRODUCTS, {"ordering": "-price"})) == [
        "Apron",  # 20.00 like the shirt's cheapest, later id first
        "Linen Shirt",
        "Stoneware Mug",
    ]
    assert names(api_a.get(PRODUCTS, {"ordering": "name"})) == [
        "Apron",
        "Linen Shirt",
        "Stoneware Mug",
    ]
    # newest by publication date (the default)
    assert names(api_a.get(PRODUCTS)) == ["Apron", "Stoneware Mug", "Linen Shirt"]
    response = api_a.get(PRODUCTS, {"ordering": "cheapest"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "ordering"
    response = api_a.get(PRODUCTS, {"ordering": "relevance"})
    assert response.json()["errors"] == [
        {
            "code": "ordering_invalid",
            "detail": "Ordering by relevance needs a search query (q).",
            "attr": "ordering",
        }
    ]


def test_updated_since_lists_changes_oldest_first(staff_a, store_a, catalog_a):
    # given: everything is older than `since`, then two products change
    since = timezone.now() + timedelta(seconds=1)
    with schema_context(store_a.schema):
        Product.objects.update(updated=since - timedelta(minutes=5))
        mug = Product.objects.get(pk=catalog_a["mug"].pk)
        services.variant_update(variant=mug.variants.get(), price="13.00")  # a variant change
        Product.objects.filter(pk=mug.pk).update(updated=since + timedelta(seconds=2))
        Product.objects.filter(pk=catalog_a["draft"].pk).update(
            updated=since + timedelta(seconds=1)
        )
    # when
    response = staff_a.get(PRODUCTS, {"updated_since": since.isoformat()})
    # then
    assert names(response) == ["Secret Prototype", "Stoneware Mug"]
    bad = staff_a.get(PRODUCTS, {"updated_since": "yesterday"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["attr"] == "updated_since"


def test_variant_change_marks_its_product_updated(staff_a, store_a, catalog_a):
    with schema_context(store_a.schema):
        Product.objects.update(updated=timezone.now() - timedelta(days=1))
    since = timezone.now() - timedelta(seconds=1)
    with schema_context(store_a.schema):
        services.variant_update(
            variant=Product.objects.get(pk=catalog_a["mug"].pk).variants.get(), price="13.00"
        )
    assert names(staff_a.get(PRODUCTS, {"updated_since": since.isoformat()})) == ["Stoneware Mug"]


def test_cursor_pages_are_stable_and_complete(api_a, store_a):
    # given: 7 published products, 3 of them at the same price (ties broken by id)
    with schema_context(store_a.schema):
        for n, price in enumerate(["5", "7", "7", "7", "9", "11", "3"]):
            factories.product(f"P{n}", price=price, publish=True)
    for ordering in ("newest", "price", "-price", "name"):
        everything = names(api_a.get(PRODUCTS, {"ordering": ordering, "limit": 100}))
        seen, url, params = [], PRODUCTS, {"ordering": ordering, "limit": 3}
        pages = 0
        while url:
            response = api_a.get(url, params)
            seen += names(response)
            url, params = response.json()["next"], None
            pages += 1
            if url is not None:
                assert url.startswith("http://store-a.localhost/api/v1/products/?")
        assert pages == 3
        assert seen == everything
        assert len(set(seen)) == 7


def test_insertions_between_pages_neither_repeat_nor_skip(api_a, store_a):
    with schema_context(store_a.schema):
        for n in range(4):
            factories.product(f"Item {n}", price="10", publish=True)
    first = api_a.get(PRODUCTS, {"ordering": "name", "limit": 2})
    assert names(first) == ["Item 0", "Item 1"]
    # when: a product sorting before the cursor appears
    with schema_context(store_a.schema):
        factories.product("Aardvark", price="10", publish=True)
    # then: the next page carries on after "Item 1"
    assert names(api_a.get(first.json()["next"])) == ["Item 2", "Item 3"]


def test_bad_cursor_and_limit(api_a, catalog_a):
    next_url = api_a.get(PRODUCTS, {"limit": 1, "ordering": "name"}).json()["next"]
    cursor = next_url.split("cursor=")[1].split("&")[0]
    for params in (
        {"cursor": "garbage"},
        {"cursor": cursor, "ordering": "price"},  # a cursor of another ordering
        {"cursor": "WyJuYW1lIiwgWzEsIDJdXQ", "ordering": "name"},  # ["name", [1, 2]]
    ):
        response = api_a.get(PRODUCTS, params)
        assert response.status_code == 400, params
        assert response.json()["errors"] == [
            {
                "code": "cursor_invalid",
                "detail": "This cursor is not valid for this list; start again without it.",
                "attr": "cursor",
            }
        ]
    for limit in ("0", "101", "ten"):
        response = api_a.get(PRODUCTS, {"limit": limit})
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {"code": "limit_invalid", "detail": "Give a whole number from 1 to 100.",
             "attr": "limit"}
        ]  # fmt: skip
    assert len(names(api_a.get(PRODUCTS, {"limit": 1}))) == 1
