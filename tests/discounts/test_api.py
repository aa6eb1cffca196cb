"""The staff API of vouchers and promotions: CRUD through the services, permissions, one error
shape, and nothing of another store's."""

import pytest
from django.contrib.auth.models import Permission
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.discounts import services
from apps.discounts.models import Promotion, Voucher
from tests.api.helpers import error, token_pair
from tests.catalog import factories
from tests.catalog.api.conftest import signed_in

VOUCHERS = "/api/v1/vouchers/"
PROMOTIONS = "/api/v1/promotions/"


@pytest.fixture
def owner_a(store_a) -> APIClient:
    return signed_in(store_a, store_a.owner_email)


@pytest.fixture
def owner_b(store_b) -> APIClient:
    return signed_in(store_b, store_b.owner_email)


@pytest.fixture
def voucher_a(store_a) -> Voucher:
    with schema_context(store_a.schema):
        return services.voucher_create(code="SPRING", kind="percentage", value="15")


def test_create_read_change_and_delete_a_voucher(owner_a, store_a):
    with schema_context(store_a.schema):
        shoes = factories.category("Shoes")
    response = owner_a.post(
        VOUCHERS,
        {
            "code": "Shoes20", "kind": "fixed", "value": "20.00", "minimum_subtotal": "100",
            "usage_limit": 50, "usage_limit_per_customer": 1, "scope": "selected",
            "category_ids": [shoes.pk], "starts_at": "2030-01-01T00:00:00Z",
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert {k: body[k] for k in ("code", "kind", "value", "minimum_subtotal", "usage_limit",
                                 "used_count", "scope", "category_ids", "product_ids",
                                 "starts_at", "ends_at", "is_active")} == {
        "code": "Shoes20", "kind": "fixed", "value": "20.00", "minimum_subtotal": "100.00",
        "usage_limit": 50, "used_count": 0, "scope": "selected", "category_ids": [shoes.pk],
        "product_ids": [], "starts_at": "2030-01-01T00:00:00Z", "ends_at": None,
        "is_active": True,
    }  # fmt: skip
    url = f"{VOUCHERS}{body['id']}/"
    assert owner_a.get(url).json() == body
    changed = owner_a.patch(url, {"is_active": False, "value": "25"}, format="json").json()
    assert (changed["is_active"], changed["value"], changed["code"]) == (False, "25.00", "Shoes20")
    assert owner_a.get(VOUCHERS).json()["results"][0]["id"] == body["id"]
    assert owner_a.delete(url).status_code == 204
    assert owner_a.get(url).status_code == 404


def test_voucher_refusals_come_on_their_field(owner_a, voucher_a):
    response = owner_a.post(
        VOUCHERS, {"code": "spring", "kind": "percentage", "value": "5"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == error(
        "code_taken", "The code spring is already used by another voucher.", attr="code",
        type_="validation_error",
    )  # fmt: skip
    response = owner_a.patch(f"{VOUCHERS}{voucher_a.pk}/", {"value": "120"}, format="json")
    assert response.json() == error(
        "value_invalid", "A percentage is at most 100.", attr="value", type_="validation_error"
    )


def test_a_used_voucher_is_kept(owner_a, store_a, voucher_a):
    with schema_context(store_a.schema):
        services.voucher_redeem(voucher=voucher_a, order_id=1, email="a@example.com")
    response = owner_a.delete(f"{VOUCHERS}{voucher_a.pk}/")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "voucher_in_use"
    assert owner_a.get(f"{VOUCHERS}{voucher_a.pk}/").json()["used_count"] == 1


def test_create_change_and_delete_a_promotion(owner_a, store_a):
    with schema_context(store_a.schema):
        mug = factories.product("Mug", price="10.00")
    response = owner_a.post(
        PROMOTIONS,
        {"name": "Mug week", "kind": "fixed", "value": "2.50", "product_ids": [mug.pk],
         "priority": 3},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert {k: body[k] for k in ("name", "kind", "value", "scope", "product_ids", "priority")} == {
        "name": "Mug week", "kind": "fixed", "value": "2.50", "scope": "selected",
        "product_ids": [mug.pk], "priority": 3,
    }  # fmt: skip
    url = f"{PROMOTIONS}{body['id']}/"
    assert owner_a.patch(url, {"scope": "all"}, format="json").json()["product_ids"] == []
    response = owner_a.patch(url, {"scope": "selected"}, format="json")
    assert response.json()["errors"][0]["code"] == "scope_empty"
    assert owner_a.delete(url).status_code == 204
    with schema_context(store_a.schema):
        assert not Promotion.objects.exists()


def test_vouchers_are_for_staff_with_the_permission(store_a, api_a, voucher_a):
    # anonymous: 401; a customer: 403; staff without the voucher permissions: 403
    assert api_a.get(VOUCHERS).status_code == 401
    customer = signed_in(store_a, store_a.customer_email)
    assert customer.get(VOUCHERS).status_code == 403
    with schema_context(store_a.schema):
        User.objects.create_user(
            email="clerk@store-a.test", password=store_a.password, role="staff", is_staff=True
        )
    clerk = signed_in(store_a, "clerk@store-a.test")
    assert clerk.get(VOUCHERS).status_code == 403
    # the shared staff account has the view permissions only: it reads, it does not write
    staff = signed_in(store_a, store_a.staff_email)
    assert [v["code"] for v in staff.get(VOUCHERS).json()["results"]] == ["SPRING"]
    response = staff.post(VOUCHERS, {"code": "X", "kind": "fixed", "value": "1"}, format="json")
    assert response.status_code == 403
    assert staff.delete(f"{VOUCHERS}{voucher_a.pk}/").status_code == 403
    # given the add permission, it creates
    with schema_context(store_a.schema):
        user = User.objects.get(email=store_a.staff_email)
        user.user_permissions.add(Permission.objects.get(codename="add_voucher"))
    response = staff.post(VOUCHERS, {"code": "X", "kind": "fixed", "value": "1"}, format="json")
    assert response.status_code == 201


def test_another_store_sees_and_changes_nothing(store_a, store_b, owner_b, voucher_a):
    # store B's owner on store B's host: store A's ids are unknown
    assert owner_b.get(VOUCHERS).json()["results"] == []
    for method, data in (("get", None), ("patch", {"value": "1"}), ("delete", None)):
        response = getattr(owner_b, method)(f"{VOUCHERS}{voucher_a.pk}/", data, format="json")
        assert response.status_code == 404
    # store B's token on store A's host: refused
    access = token_pair(
        APIClient(HTTP_HOST=store_b.host), email=store_b.owner_email, password=store_b.password
    )["access"]
    on_a = APIClient(HTTP_HOST=store_a.host)
    on_a.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    response = on_a.get(VOUCHERS)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "token_wrong_store"
    assert on_a.patch(f"{VOUCHERS}{voucher_a.pk}/", {"value": "1"}, format="json").status_code == (
        401
    )
    with schema_context(store_a.schema):
        voucher_a.refresh_from_db()
        assert voucher_a.value == 15
