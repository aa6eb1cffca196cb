"""Who reaches the catalog admin: a store's staff, for that store's catalog only."""

import pytest
from django_tenants.utils import schema_context

from apps.catalog.models import Product
from tests.catalog import factories
from tests.catalog.admin.conftest import admin_login
from tests.catalog.admin.helpers import PRODUCTS, product_data, variant_row


@pytest.fixture
def product_of_a(store_a):
    with schema_context(store_a.schema):
        return factories.product("Store A secret kettle", sku="A-KETTLE")


def test_store_b_owner_does_not_see_store_a_products(client_b, store_b, product_of_a):
    # given
    admin_login(client_b, store_b.owner_email, store_b.password)
    # when
    listing = client_b.get(PRODUCTS)
    search = client_b.get(PRODUCTS, {"q": "A-KETTLE"})
    # then
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == []
    assert "secret kettle" not in listing.content.decode()
    assert list(search.context["cl"].result_list) == []


@pytest.mark.parametrize("page", ["change", "delete", "history"])
def test_store_a_product_ids_are_404_in_store_b_admin(client_b, store_b, product_of_a, page):
    admin_login(client_b, store_b.owner_email, store_b.password)
    with schema_context(store_b.schema):
        assert not Product.objects.filter(pk=product_of_a.pk).exists()
    response = client_b.get(f"{PRODUCTS}{product_of_a.pk}/{page}/")
    assert response.status_code == 404


def test_store_b_cannot_change_store_a_product_by_posting(client_b, store_a, store_b, product_of_a):
    admin_login(client_b, store_b.owner_email, store_b.password)
    response = client_b.post(
        f"{PRODUCTS}{product_of_a.pk}/change/",
        product_data(name="Hijacked", variants=[variant_row("HIJACK", "1.00")]),
    )
    assert response.status_code == 404
    with schema_context(store_a.schema):
        assert Product.objects.get(pk=product_of_a.pk).name == "Store A secret kettle"


def test_store_b_bulk_action_with_store_a_ids_changes_nothing_in_store_a(
    client_b, store_a, store_b, product_of_a
):
    admin_login(client_b, store_b.owner_email, store_b.password)
    client_b.post(
        PRODUCTS, {"action": "publish", "_selected_action": [str(product_of_a.pk)]}, follow=True
    )
    with schema_context(store_a.schema):
        assert Product.objects.get(pk=product_of_a.pk).status == "draft"


def test_store_a_owner_cannot_log_in_to_store_b_admin(client_b, store_a):
    response = client_b.post(
        "/admin/login/?next=/admin/",
        {"username": store_a.owner_email, "password": store_a.password},
    )
    assert response.status_code == 200  # the login form again, with its error
    assert client_b.get(PRODUCTS).status_code == 302


def test_a_customer_cannot_reach_the_catalog_admin(client_a, store_a, product_of_a):
    client_a.login(username=store_a.customer_email, password=store_a.password)
    for url in (PRODUCTS, f"{PRODUCTS}add/", f"{PRODUCTS}{product_of_a.pk}/change/"):
        response = client_a.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_staff_with_view_permission_only_cannot_change_products(client_a, store_a, product_of_a):
    # the fixture's "Staff" group has view_* permissions only
    admin_login(client_a, store_a.staff_email, store_a.password)
    assert client_a.get(PRODUCTS).status_code == 200
    assert client_a.get(f"{PRODUCTS}add/").status_code == 403
    response = client_a.post(
        f"{PRODUCTS}{product_of_a.pk}/change/", product_data(name="Renamed by staff")
    )
    assert response.status_code == 403
    with schema_context(store_a.schema):
        assert Product.objects.get(pk=product_of_a.pk).name == "Store A secret kettle"
