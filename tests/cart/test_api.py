"""The cart API: tokens, lines, vouchers, the customer's own cart and the merge, prices always
from the server, one error shape, and nothing reachable from another store."""

import pytest
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.cart.models import Cart
from apps.discounts import services as discounts
from tests.api.helpers import error, token_pair
from tests.cart.conftest import customer_of, stocked_variant
from tests.catalog.api.conftest import signed_in

CARTS = "/api/v1/carts/"


@pytest.fixture
def mug(store_a):
    with schema_context(store_a.schema):
        return stocked_variant("Stoneware Mug", price="12.50", stock=3)


@pytest.fixture
def cart_a(api_a) -> str:
    response = api_a.post(CARTS, {}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["token"]


def test_create_a_cart(api_a):
    response = api_a.post(CARTS, {"email": "Me@Example.com"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert len(body["token"]) == 43
    assert {k: body[k] for k in ("lines", "subtotal", "total", "item_count", "email")} == {
        "lines": [], "subtotal": "0.00", "total": "0.00", "item_count": 0,
        "email": "me@example.com",
    }  # fmt: skip
    assert (body["currency"], body["voucher"], body["can_checkout"]) == ("USD", None, False)


def test_lines_are_priced_on_the_server(api_a, cart_a, mug):
    # a price in the request is not an input
    response = api_a.post(
        f"{CARTS}{cart_a}/lines/",
        {"variant_id": mug.pk, "quantity": 2, "unit_price": "0.01"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    line = body["lines"][0]
    assert {k: line[k] for k in ("variant_id", "product_name", "sku", "quantity", "unit_price",
                                 "subtotal", "discount", "total", "status", "message",
                                 "available")} == {
        "variant_id": mug.pk, "product_name": "Stoneware Mug", "sku": mug.sku, "quantity": 2,
        "unit_price": "12.50", "subtotal": "25.00", "discount": "0.00", "total": "25.00",
        "status": "ok", "message": "", "available": 3,
    }  # fmt: skip
    assert (body["subtotal"], body["total"], body["item_count"], body["can_checkout"]) == (
        "25.00", "25.00", 2, True,
    )  # fmt: skip


def test_change_and_remove_a_line(api_a, cart_a, mug):
    line_id = api_a.post(f"{CARTS}{cart_a}/lines/", {"variant_id": mug.pk}, format="json").json()[
        "lines"
    ][0]["id"]
    response = api_a.patch(f"{CARTS}{cart_a}/lines/{line_id}/", {"quantity": 3}, format="json")
    assert (response.status_code, response.json()["item_count"]) == (200, 3)
    response = api_a.delete(f"{CARTS}{cart_a}/lines/{line_id}/")
    assert (response.status_code, response.json()["lines"]) == (200, [])
    response = api_a.delete(f"{CARTS}{cart_a}/lines/{line_id}/")
    assert response.status_code == 404
    assert response.json() == error("line_not_found", "This line is not in your cart.")


def test_refusals_come_in_the_one_error_shape(api_a, cart_a, mug):
    response = api_a.post(
        f"{CARTS}{cart_a}/lines/", {"variant_id": mug.pk, "quantity": 4}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == error(
        "quantity_unavailable", "Only 3 left of Stoneware Mug.", attr="quantity",
        type_="validation_error",
    )  # fmt: skip
    response = api_a.post(f"{CARTS}{cart_a}/voucher/", {"code": "NOPE"}, format="json")
    assert response.json() == error(
        "voucher_not_found", "There is no voucher with the code NOPE. Check the spelling.",
        attr="code", type_="validation_error",
    )  # fmt: skip
    response = api_a.post(f"{CARTS}{cart_a}/lines/", {"quantity": 1}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "variant_id"


def test_apply_and_remove_a_voucher(api_a, store_a, cart_a, mug):
    with schema_context(store_a.schema):
        discounts.voucher_create(code="TENOFF", kind="percentage", value="10")
        discounts.promotion_create(name="Mug week", kind="fixed", value="2.50", scope="all")
    api_a.post(f"{CARTS}{cart_a}/lines/", {"variant_id": mug.pk, "quantity": 2}, format="json")
    response = api_a.post(f"{CARTS}{cart_a}/voucher/", {"code": "tenoff"}, format="json")
    assert response.status_code == 200
    body = response.json()
    # 2 x 12.50 = 25.00; the promotion takes 2 x 2.50; the voucher 10% of the 20.00 left
    assert (body["subtotal"], body["discount_total"], body["total"]) == ("25.00", "7.00", "18.00")
    assert body["discounts"] == [
        {"kind": "promotion", "name": "Mug week", "code": "", "amount": "5.00"},
        {"kind": "voucher", "name": "TENOFF", "code": "TENOFF", "amount": "2.00"},
    ]
    assert body["voucher"] == {
        "code": "TENOFF", "kind": "percentage", "amount": "2.00", "free_shipping": False,
    }  # fmt: skip
    assert body["voucher_problem"] is None
    body = api_a.delete(f"{CARTS}{cart_a}/voucher/").json()
    assert (body["voucher_code"], body["total"]) == ("", "20.00")


def test_a_voucher_that_stopped_applying_is_explained(api_a, store_a, cart_a, mug):
    with schema_context(store_a.schema):
        voucher = discounts.voucher_create(code="TENOFF", kind="percentage", value="10")
    api_a.post(f"{CARTS}{cart_a}/lines/", {"variant_id": mug.pk}, format="json")
    api_a.post(f"{CARTS}{cart_a}/voucher/", {"code": "TENOFF"}, format="json")
    with schema_context(store_a.schema):
        discounts.voucher_update(voucher=voucher, is_active=False)
    body = api_a.get(f"{CARTS}{cart_a}/").json()
    assert body["voucher"] is None
    assert body["voucher_problem"] == {
        "code": "voucher_inactive", "message": "This voucher is no longer active.",
    }  # fmt: skip
    assert body["total"] == "12.50"


def test_delete_a_cart(api_a, cart_a):
    assert api_a.delete(f"{CARTS}{cart_a}/").status_code == 204
    response = api_a.get(f"{CARTS}{cart_a}/")
    assert response.status_code == 404
    assert response.json() == error("not_found", "No such cart.")


def test_unknown_tokens_are_not_found(api_a):
    for token in ("x" * 43, "mine-not", "a"):
        assert api_a.get(f"{CARTS}{token}/").status_code == 404


# --- the customer's own cart --------------------------------------------------------------
def test_mine_needs_a_signed_in_customer(api_a):
    response = api_a.get(f"{CARTS}mine/")
    assert response.status_code == 401


def test_a_customer_uses_their_own_cart_as_mine(store_a, mug):
    customer = signed_in(store_a, store_a.customer_email)
    response = customer.post(f"{CARTS}mine/lines/", {"variant_id": mug.pk}, format="json")
    assert response.status_code == 201
    token = response.json()["token"]
    with schema_context(store_a.schema):
        assert Cart.objects.get(token=token).customer == customer_of(store_a)
    assert customer.get(f"{CARTS}mine/").json()["token"] == token
    assert customer.get(f"{CARTS}{token}/").status_code == 200
    # the token alone (no account, or someone else's) does not open it
    assert APIClient(HTTP_HOST=store_a.host).get(f"{CARTS}{token}/").status_code == 404
    staff = signed_in(store_a, store_a.staff_email)
    assert staff.get(f"{CARTS}{token}/").status_code == 404


def test_merge_an_anonymous_cart_into_mine(store_a, api_a, cart_a, mug):
    api_a.post(f"{CARTS}{cart_a}/lines/", {"variant_id": mug.pk, "quantity": 2}, format="json")
    customer = signed_in(store_a, store_a.customer_email)
    customer.post(f"{CARTS}mine/lines/", {"variant_id": mug.pk, "quantity": 2}, format="json")
    response = customer.post(f"{CARTS}mine/merge/", {"token": cart_a}, format="json")
    assert response.status_code == 200
    assert response.json()["item_count"] == 3  # capped to the 3 in stock
    assert api_a.get(f"{CARTS}{cart_a}/").status_code == 404
    assert customer.post(f"{CARTS}mine/merge/", {"token": cart_a}, format="json").status_code == (
        404
    )
    assert api_a.post(f"{CARTS}mine/merge/", {"token": cart_a}, format="json").status_code == 401


# --- other stores ---------------------------------------------------------------------------
def test_another_stores_host_finds_nothing_of_this_stores_carts(api_a, api_b, cart_a, mug):
    api_a.post(f"{CARTS}{cart_a}/lines/", {"variant_id": mug.pk}, format="json")
    line_id = api_a.get(f"{CARTS}{cart_a}/").json()["lines"][0]["id"]
    for method, path, data in [
        ("get", f"{CARTS}{cart_a}/", None),
        ("delete", f"{CARTS}{cart_a}/", None),
        ("post", f"{CARTS}{cart_a}/lines/", {"variant_id": mug.pk}),
        ("patch", f"{CARTS}{cart_a}/lines/{line_id}/", {"quantity": 2}),
        ("delete", f"{CARTS}{cart_a}/lines/{line_id}/", None),
        ("post", f"{CARTS}{cart_a}/voucher/", {"code": "X"}),
        ("delete", f"{CARTS}{cart_a}/voucher/", None),
    ]:
        response = getattr(api_b, method)(path, data, format="json")
        assert response.status_code == 404, (method, path, response.content)
        assert response.json() == error("not_found", "No such cart.")
    # and store A's cart is as it was
    body = api_a.get(f"{CARTS}{cart_a}/").json()
    assert (body["item_count"], body["lines"][0]["id"]) == (1, line_id)


def test_another_stores_customer_token_is_refused(store_a, store_b, cart_a):
    access = token_pair(
        APIClient(HTTP_HOST=store_b.host), email=store_b.customer_email, password=store_b.password
    )["access"]
    on_a = APIClient(HTTP_HOST=store_a.host)
    on_a.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    for path in (f"{CARTS}mine/", f"{CARTS}{cart_a}/"):
        response = on_a.get(path)
        assert response.status_code == 401
        assert response.json()["errors"][0]["code"] == "token_wrong_store"
    response = on_a.post(f"{CARTS}mine/merge/", {"token": cart_a}, format="json")
    assert response.status_code == 401


def test_a_store_b_merge_cannot_take_store_as_cart(store_b, api_a, cart_a, mug):
    api_a.post(f"{CARTS}{cart_a}/lines/", {"variant_id": mug.pk}, format="json")
    customer_b = signed_in(store_b, store_b.customer_email)
    response = customer_b.post(f"{CARTS}mine/merge/", {"token": cart_a}, format="json")
    assert response.status_code == 404
    assert api_a.get(f"{CARTS}{cart_a}/").json()["item_count"] == 1
