"""The 500 page in the store's look (without the database), and paging without COUNT(*)."""

from django.test import RequestFactory
from django_tenants.utils import schema_context

from apps.catalog import views
from tests.catalog import factories


def test_server_error_page_is_in_the_store_look_and_needs_no_query(
    store_a, django_assert_num_queries
):
    request = RequestFactory().get("/products/anything/", HTTP_HOST=store_a.host)
    request.tenant = store_a.tenant
    with django_assert_num_queries(0):
        response = views.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Something went wrong on our side</h1>" in html
    assert '<a class="brand" href="/">Store STORE-A</a>' in html
    assert '<body class="layout-classic">' in html


def test_server_error_under_api_keeps_the_json_shape(store_a):
    request = RequestFactory().get("/api/v1/products/", HTTP_HOST=store_a.host)
    request.tenant = store_a.tenant
    response = views.server_error(request)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"


def test_product_list_pages_through_the_catalog(client_a, store_a):
    # given: one product more than a page holds
    with schema_context(store_a.schema):
        for i in range(views.PER_PAGE + 1):
            factories.product(f"Item {i:02d}", price="5.00", publish=True, sku=f"ITEM-{i}")
    # when
    first = client_a.get("/products/?sort=name").content.decode()
    second = client_a.get("/products/?sort=name&page=2").content.decode()
    # then
    assert first.count('<article class="card">') == views.PER_PAGE
    assert '<a class="button button--ghost" rel="next" href="?sort=name&amp;page=2">' in first
    assert 'rel="prev"' not in first
    assert second.count('<article class="card">') == 1
    assert "Item 24" in second
    assert '<a class="button button--ghost" rel="prev" href="?sort=name">' in second
    assert client_a.get("/products/?page=3").status_code == 404
