"""The discounts admin: vouchers and promotions saved through the services, refusals on their
field with the merchant's input kept, and another store's ids unknown."""

import pytest
from django_tenants.utils import schema_context

from apps.discounts import services
from apps.discounts.models import Promotion, Voucher
from tests.catalog import factories
from tests.catalog.admin.conftest import admin_login

VOUCHERS = "/admin/discounts/voucher/"
PROMOTIONS = "/admin/discounts/promotion/"


@pytest.fixture
def owner_a(client_a, store_a):
    admin_login(client_a, store_a.owner_email, store_a.password)
    return client_a


def voucher_form(**fields) -> dict:
    return {
        "code": "SUMMER", "name": "", "is_active": "on", "kind": "percentage", "value": "10",
        "minimum_subtotal": "", "starts_at_0": "", "starts_at_1": "", "ends_at_0": "",
        "ends_at_1": "", "usage_limit": "", "usage_limit_per_customer": "", "scope": "all",
        **fields,
    }  # fmt: skip


def test_add_a_voucher_through_the_admin(owner_a, store_a):
    with schema_context(store_a.schema):
        shoes = factories.category("Shoes")
    response = owner_a.post(
        f"{VOUCHERS}add/",
        voucher_form(code="Shoes5", kind="fixed", value="5.00", scope="selected",
                     categories=[shoes.pk], usage_limit="10"),
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(store_a.schema):
        voucher = Voucher.objects.get()
        assert (voucher.code, voucher.kind, str(voucher.value), voucher.usage_limit) == (
            "Shoes5", "fixed", "5.00", 10,
        )  # fmt: skip
        assert list(voucher.categories.all()) == [shoes]
    page = owner_a.get(VOUCHERS).content.decode()
    assert "Shoes5" in page
    assert "$5.00 off" in page
    assert "0 / 10" in page


def test_a_refused_voucher_comes_back_with_the_error_on_its_field(owner_a, store_a):
    with schema_context(store_a.schema):
        services.voucher_create(code="SUMMER", kind="fixed", value="5")
    response = owner_a.post(f"{VOUCHERS}add/", voucher_form(code="summer", name="Again"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"code": ["The code summer is already used by another voucher."]}
    assert form["name"].value() == "Again"
    response = owner_a.post(f"{VOUCHERS}add/", voucher_form(code="OTHER", scope="selected"))
    form = response.context["adminform"].form
    assert form.errors == {
        "categories": ["Choose at least one category or product (or apply it to every product)."]
    }
    with schema_context(store_a.schema):
        assert Voucher.objects.count() == 1


def test_change_a_voucher_and_refuse_deleting_a_used_one(owner_a, store_a):
    with schema_context(store_a.schema):
        voucher = services.voucher_create(code="SUMMER", kind="fixed", value="5")
        services.voucher_redeem(voucher=voucher, order_id=1, email="a@example.com")
    url = f"{VOUCHERS}{voucher.pk}/change/"
    response = owner_a.post(url, voucher_form(kind="fixed", value="7.50", usage_limit="4"))
    assert response.status_code == 302
    with schema_context(store_a.schema):
        voucher.refresh_from_db()
        assert (str(voucher.value), voucher.usage_limit, voucher.used_count) == ("7.50", 4, 1)
    assert "Used" in owner_a.get(url).content.decode()
    # its redemption protects it (Django's page says so); nothing is deleted
    response = owner_a.post(f"{VOUCHERS}{voucher.pk}/delete/", {"post": "yes"})
    assert "protected" in response.content.decode()
    with schema_context(store_a.schema):
        assert Voucher.objects.filter(pk=voucher.pk).exists()


def test_deleting_a_used_voucher_without_redemptions_is_refused_with_a_message(owner_a, store_a):
    with schema_context(store_a.schema):
        voucher = services.voucher_create(code="SUMMER", kind="fixed", value="5")
        Voucher.objects.filter(pk=voucher.pk).update(used_count=1)
    response = owner_a.post(f"{VOUCHERS}{voucher.pk}/delete/", {"post": "yes"}, follow=True)
    assert "switch it off instead" in response.content.decode()
    with schema_context(store_a.schema):
        assert Voucher.objects.filter(pk=voucher.pk).exists()


def test_add_a_promotion_through_the_admin(owner_a, store_a):
    with schema_context(store_a.schema):
        mug = factories.product("Mug", price="10.00")
    response = owner_a.post(
        f"{PROMOTIONS}add/",
        {"name": "Mug week", "is_active": "on", "priority": "2", "kind": "fixed",
         "value": "1.50", "starts_at_0": "", "starts_at_1": "", "ends_at_0": "",
         "ends_at_1": "", "scope": "selected", "products": [mug.pk]},
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    with schema_context(store_a.schema):
        promotion = Promotion.objects.get()
        assert (promotion.name, promotion.priority, list(promotion.products.all())) == (
            "Mug week", 2, [mug],
        )  # fmt: skip
    assert "$1.50 off each" in owner_a.get(PROMOTIONS).content.decode()


def test_another_stores_voucher_is_not_found(client_b, store_a, store_b):
    with schema_context(store_a.schema):
        voucher = services.voucher_create(code="SUMMER", kind="fixed", value="5")
    admin_login(client_b, store_b.owner_email, store_b.password)
    assert client_b.get(f"{VOUCHERS}{voucher.pk}/change/").status_code == 404
    assert "SUMMER" not in client_b.get(VOUCHERS).content.decode()
