"""Every storefront page renders for anonymous shoppers with the right content."""

import json
import re

from django_tenants.utils import schema_context


def _jsonld(html: str) -> list[dict]:
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def _card(html: str, slug: str) -> str:
    """The product card linking to /products/<slug>/."""
    cards = re.findall(r'<article class="card">.*?</article>', html, re.S)
    return next(card for card in cards if f'href="/products/{slug}/"' in card)


def test_home_shows_hero_featured_collection_and_new_arrivals(client_a, catalog_a):
    # when
    response = client_a.get("/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Store STORE-A</h1>" in html
    assert '<h2 id="featured-title">Summer Picks</h2>' in html
    assert 'href="/collections/summer-picks/"' in html
    assert '<h2 id="new-title">New arrivals</h2>' in html
    assert 'href="/products/linen-shirt/"' in html
    assert 'href="/products/stoneware-mug/"' in html
    assert "Secret Prototype" not in html
    # header: categories, search and account links; footer: store info
    assert '<a href="/categories/clothing/">Clothing</a>' in html
    assert '<form class="search-form" role="search" action="/search/" method="get">' in html
    assert 'href="/account/login/"' in html
    assert '<h2 id="footer-store">Store STORE-A</h2>' in html
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html


def test_product_cards_show_image_price_and_compare_at(client_a, catalog_a):
    html = client_a.get("/products/").content.decode()
    shirt_card = _card(html, "linen-shirt")
    assert 'alt="A red linen shirt on a hanger"' in shirt_card
    # the cheapest variant (S/Red 18.00) has no compare-at; "From" because prices vary
    assert '<span class="price__now">From $18.00</span>' in shirt_card
    assert '<span class="price__now">$12.50</span>' in _card(html, "stoneware-mug")
    assert "Secret Prototype" not in html


def test_card_shows_compare_at_of_the_cheapest_variant(client_a, catalog_a, store_a):
    from decimal import Decimal

    from apps.catalog import services

    with schema_context(store_a.schema):
        cheapest = catalog_a["shirt"].variants.get(sku="LIN-S-RED")
        services.variant_update(variant=cheapest, compare_at_price=Decimal("24.00"))
    html = client_a.get("/products/?sort=price").content.decode()
    card = _card(html, "linen-shirt")
    assert '<span class="badge">Sale</span>' in card
    assert '<s class="price__was">$24.00</s>' in card


def test_category_page_lists_its_products_and_its_subcategories(client_a, catalog_a):
    # when: the parent category
    response = client_a.get("/categories/clothing/")
    # then: the shirt (in Clothing > Shirts) is there, the mug (Home) is not
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Clothing</h1>" in html
    assert '<p class="lead">Things to wear.</p>' in html
    assert "Linen Shirt" in html
    assert "Stoneware Mug" not in html
    assert '<link rel="canonical" href="http://store-a.localhost/categories/clothing/">' in html
    # the nested path
    sub = client_a.get("/categories/clothing/shirts/").content.decode()
    assert "<h1>Shirts</h1>" in sub
    assert '<a href="/categories/clothing/">Clothing</a>' in sub  # breadcrumb
    assert client_a.get("/categories/nope/").status_code == 404


def test_collection_page_and_unpublished_collection(client_a, catalog_a):
    response = client_a.get("/collections/summer-picks/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Summer Picks</h1>" in html
    # the merchant's order: mug first, then the shirt
    assert html.index("/products/stoneware-mug/") < html.index("/products/linen-shirt/")
    assert client_a.get("/collections/back-room/").status_code == 404


def test_product_page_shows_gallery_price_compare_at_and_availability(client_a, catalog_a):
    response = client_a.get("/products/linen-shirt/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="product-title">Linen Shirt</h1>' in html
    # the first variant (M/Red) is chosen: on sale from 30.00
    assert '<span class="price__now">$20.00</span>' in html
    assert '<s class="price__was">$30.00</s>' in html
    assert "You save $10.00" in html
    assert re.search(r'<p class="availability availability--in" id="availability">In stock', html)
    assert '<span id="sku">LIN-M-RED</span>' in html
    assert html.count('<figure id="image-') == 2
    assert 'alt="The shirt&#x27;s collar up close"' in html
    assert "<p>Cool <strong>linen</strong> for hot days.</p>" in html
    # option radios in a GET form, labelled and grouped
    assert '<form method="get" action="/products/linen-shirt/" class="options"' in html
    assert re.search(r"<fieldset>\s*<legend>Size \d+</legend>", html)
    assert re.search(
        r'<input type="radio" id="option-size-\d+-m" name="size-\d+" value="m" checked>', html
    )


def test_product_page_seo(client_a, catalog_a):
    html = client_a.get("/products/linen-shirt/").content.decode()
    assert "<title>Linen Shirt · Store STORE-A</title>" in html
    assert '<meta name="description" content="Cool linen for hot days.">' in html
    assert '<link rel="canonical" href="http://store-a.localhost/products/linen-shirt/">' in html
    assert '<meta property="og:type" content="product">' in html
    assert '<meta property="og:title" content="Linen Shirt · Store STORE-A">' in html
    assert re.search(r'<meta property="og:image" content="http://store-a\.localhost/media/', html)
    product = next(d for d in _jsonld(html) if d["@type"] == "Product")
    assert product["name"] == "Linen Shirt"
    assert product["url"] == "http://store-a.localhost/products/linen-shirt/"
    assert product["description"] == "Cool linen for hot days."
    assert len(product["image"]) == 2
    offers = {offer["sku"]: offer for offer in product["offers"]}
    assert set(offers) == {"LIN-M-RED", "LIN-L-BLUE", "LIN-S-RED"}
    assert offers["LIN-L-BLUE"]["price"] == "25.00"
    assert offers["LIN-L-BLUE"]["priceCurrency"] == "USD"
    assert offers["LIN-L-BLUE"]["availability"] == "https://schema.org/InStock"


def test_jsonld_cannot_break_out_of_its_script(
    client_a, store_a, django_capture_on_commit_callbacks
):
    from tests.catalog import factories

    with schema_context(store_a.schema):
        factories.product("Evil </script><script>alert(1)</script>", publish=True, slug="evil")
    html = client_a.get("/products/evil/").content.decode()
    assert "<script>alert(1)" not in html
    assert _jsonld(html)[0]["name"] == "Evil </script><script>alert(1)</script>"


def test_variant_is_chosen_without_javascript_by_option_parameters(client_a, catalog_a, store_a):
    # given: the option parameters the form sends
    with schema_context(store_a.schema):
        size, colour = _size_colour(catalog_a["shirt"])
    # when
    html = client_a.get(f"/products/linen-shirt/?{size}=l&{colour}=blue").content.decode()
    # then
    assert '<span class="price__now">$25.00</span>' in html
    assert "price__was" not in html
    assert '<span id="sku">LIN-L-BLUE</span>' in html
    assert f'name="{size}" value="l" checked' in html
    assert f'name="{colour}" value="blue" checked' in html


def test_variant_by_id_and_an_unavailable_combination(client_a, catalog_a, store_a):
    with schema_context(store_a.schema):
        blue = catalog_a["shirt"].variants.get(sku="LIN-L-BLUE")
        size, colour = _size_colour(catalog_a["shirt"])
    html = client_a.get(f"/products/linen-shirt/?variant={blue.pk}").content.decode()
    assert '<span id="sku">LIN-L-BLUE</span>' in html
    # S/Blue does not exist: the page says so and keeps the choice in the form
    response = client_a.get(f"/products/linen-shirt/?{size}=s&{colour}=blue")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This combination is not available." in html
    assert f'name="{size}" value="s" checked' in html
    assert 'id="sku"' not in html


def _size_colour(product) -> tuple[str, str]:
    slugs = {ot.name.split()[0]: ot.slug for ot in product.product_type.option_types.all()}
    return slugs["Size"], slugs["Colour"]


def test_drafts_and_unknown_products_are_404_in_the_store_look(client_a, catalog_a):
    response = client_a.get("/products/secret-prototype/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>We can\u2019t find that page</h1>" in html
    assert '<a class="brand" href="/">Store STORE-A</a>' in html
    assert "--color-accent:" in html
    assert '<meta name="robots" content="noindex">' in html
    assert client_a.get("/no/such/page/").status_code == 404


def test_search_finds_products_with_facets(client_a, catalog_a):
    response = client_a.get("/search/?q=linen")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Results for “linen”" in html
    assert 'href="/products/linen-shirt/"' in html
    assert "Stoneware Mug" not in html
    # facets: category, price range, options
    assert '<label for="search-category">Category</label>' in html
    assert '<option value="clothing/shirts">Clothing / Shirts</option>' in html
    assert '<label for="price-min">From</label>' in html
    assert re.search(r"<legend>Colour \d+</legend>", html)
    assert '<meta name="robots" content="noindex">' in html


def test_search_tolerates_a_typo(client_a, catalog_a):
    html = client_a.get("/search/?q=stonware").content.decode()
    assert 'href="/products/stoneware-mug/"' in html


def test_search_filters_by_category_price_and_option(client_a, catalog_a, store_a):
    html = client_a.get("/search/?category=home").content.decode()
    assert "/products/stoneware-mug/" in html
    assert "/products/linen-shirt/" not in html
    html = client_a.get("/search/?price_min=13&price_max=100").content.decode()
    assert "/products/linen-shirt/" in html
    assert "/products/stoneware-mug/" not in html
    with schema_context(store_a.schema):
        blue = catalog_a["shirt"].variants.get(sku="LIN-L-BLUE").option_values.get(slug="blue")
    html = client_a.get(f"/search/?option={blue.pk}").content.decode()
    assert "/products/linen-shirt/" in html
    assert "/products/stoneware-mug/" not in html
    assert f'name="option" value="{blue.pk}" checked' in html
    html = client_a.get("/search/?price_min=abc").content.decode()
    assert "The lowest price must be a number" in html


def test_sitemap_lists_published_products_categories_and_collections(client_a, catalog_a):
    response = client_a.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    xml = response.content.decode()
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    for loc in (
        "http://store-a.localhost/",
        "http://store-a.localhost/products/linen-shirt/",
        "http://store-a.localhost/products/stoneware-mug/",
        "http://store-a.localhost/categories/clothing/",
        "http://store-a.localhost/categories/clothing/shirts/",
        "http://store-a.localhost/collections/summer-picks/",
    ):
        assert f"<loc>{loc}</loc>" in xml
    assert "secret-prototype" not in xml
    assert "back-room" not in xml


def test_robots_txt(client_a):
    response = client_a.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    for line in ("User-agent: *", "Disallow: /admin/", "Disallow: /account/", "Disallow: /api/"):
        assert line in body.splitlines()
    assert "Sitemap: http://store-a.localhost/sitemap.xml" in body


def test_empty_store_home_still_renders(client_b):
    response = client_b.get("/")
    assert response.status_code == 200
    assert "New products are on their way." in response.content.decode()
