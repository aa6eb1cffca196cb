"""Store B's host never shows store A's catalog: A's slugs and paths are 404 in B's look."""

import pytest

PATHS = [
    "/products/linen-shirt/",
    "/categories/clothing/",
    "/categories/clothing/shirts/",
    "/collections/summer-picks/",
]


@pytest.mark.parametrize("path", PATHS)
def test_store_a_pages_are_404_on_store_b_in_store_b_look(path, client_a, client_b, catalog_a):
    # given: the page exists (and is cached) on A
    assert client_a.get(path).status_code == 200
    # when
    response = client_b.get(path)
    # then
    assert response.status_code == 404
    html = response.content.decode()
    assert '<a class="brand" href="/">Store STORE-B</a>' in html
    assert "Store STORE-A" not in html
    assert "Linen Shirt" not in html


def test_store_b_search_sitemap_and_lists_show_nothing_of_store_a(client_b, catalog_a):
    for path in ("/search/?q=linen", "/products/", "/", "/sitemap.xml"):
        body = client_b.get(path).content.decode()
        assert "linen-shirt" not in body, path
        assert "Stoneware" not in body, path
    assert "http://store-b.localhost/sitemap.xml" in client_b.get("/robots.txt").content.decode()
