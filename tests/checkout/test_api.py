"""The checkout API: a cart becomes a checkout, steps are given, the order is placed once per
Idempotency-Key, priced only on the server; and nothing of it crosses to another store."""

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from apps.cart import services as cart_services
from apps.checkout.models import Checkout
from apps.inventory import services as inventory
from apps.orders.models import Order
from tests.api.helpers import error
from tests.catalog import factories
from tests.catalog.api.conftest import signed_in
from tests.checkout.conftest import ADDRESS, CARD_DECLINED, CARD_OK

URL = "/api/v1/checkouts/"


def cart_make(store, shop: dict, *, mugs: int = 2, posters: int = 1, customer=None) -> str:
    """A cart in `store` with mugs and posters; its token."""
    with schema_context(store.schema):
        cart = cart_services.cart_create(customer=customer)
        if mugs:
            cart_services.cart_line_add(cart=cart, variant_id=shop["mug"].pk, quantity=mugs)
        if posters:
            cart_services.cart_line_add(cart=cart, variant_id=shop["poster"].pk, quantity=posters)
        return cart.token


def steps(shop: dict, *, payment: str = "test") -> dict:
    return {
        "email": "ada@example.com",
        "shipping_address": ADDRESS,
        "shipping_method": shop["method_id"],
        "payment_method": payment,
    }


def ready_checkout(api, store, shop: dict, *, payment: str = "test", **cart) -> dict:
    """A checkout with every step given, through the API; its payload."""
    created = api.post(URL, {"cart": cart_make(store, shop, **cart)}, format="json")
    assert created.status_code == 201, created.content
    token = created.json()["token"]
    answer = api.patch(f"{URL}{token}/", steps(shop, payment=payment), format="json")
    assert answer.status_code == 200, answer.content
    return answer.json()


def complete(api, token: str, *, key: str | None = "key-1", **body):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return api.post(f"{URL}{token}/complete/", body, format="json", **headers)


def test_a_new_checkout_is_priced_on_the_server_and_says_what_is_missing(api_a, store_a, shop_a):
    # when
    response = api_a.post(URL, {"cart": cart_make(store_a, shop_a)}, format="json")
    # then: 2 x 12.50 + 8.00; no address yet, so no shipping and no tax
    assert response.status_code == 201
    body = response.json()
    assert len(body["token"]) >= 40
    assert body["currency"] == store_a.tenant.currency
    assert [(line["sku"], line["quantity"], line["unit_price"]) for line in body["lines"]] == [
        ("MUG-1", 2, "12.50"),
        ("POSTER-1", 1, "8.00"),
    ]
    assert (body["subtotal"], body["discount_total"], body["shipping_total"]) == (
        "33.00",
        "0.00",
        "0.00",
    )
    assert body["total"] == "33.00"
    assert body["missing"] == ["email", "shipping_address", "shipping_method", "payment_method"]
    assert body["shipping_methods"] == []
    assert {method["code"] for method in body["payment_methods"]} == {"manual", "test"}
    assert body["problems"] == []
    # the same cart gives the same checkout
    again = api_a.post(URL, {"cart": body["cart"]}, format="json")
    assert again.status_code == 200
    assert again.json()["token"] == body["token"]


def test_steps_price_shipping_and_tax_for_the_address(api_a, store_a, shop_a):
    created = api_a.post(URL, {"cart": cart_make(store_a, shop_a)}, format="json").json()
    # when: the address first, then the method it offers, the payment method and an email
    with_address = api_a.patch(
        f"{URL}{created['token']}/", {"shipping_address": ADDRESS}, format="json"
    ).json()
    [royal_mail] = with_address["shipping_methods"]
    assert (royal_mail["id"], royal_mail["name"], royal_mail["amount"]) == (
        shop_a["method_id"],
        "Royal Mail",
        "4.00",
    )
    response = api_a.patch(
        f"{URL}{created['token']}/",
        {
            "shipping_method": royal_mail["id"],
            "payment_method": "manual",
            "email": " ada@example.com ",
            "customer_note": "Ring twice",
        },
        format="json",
    )
    # then: 33.00 goods + 4.00 shipping, 20 % VAT added on top (prices exclude tax)
    assert response.status_code == 200
    body = response.json()
    assert body["missing"] == []
    assert body["email"] == "ada@example.com"
    assert body["shipping_address"]["postal_code"] == "SW1A 1AA"
    assert body["shipping_method"]["id"] == shop_a["method_id"]
    assert body["payment_method"] == "manual"
    assert body["customer_note"] == "Ring twice"
    assert body["shipping_total"] == "4.00"
    assert Decimal(body["tax_total"]) > 0
    assert Decimal(body["total"]) == Decimal("37.00") + Decimal(body["tax_total"])


def test_address_errors_name_each_field(api_a, store_a, shop_a):
    created = api_a.post(URL, {"cart": cart_make(store_a, shop_a)}, format="json").json()
    # when
    response = api_a.patch(
        f"{URL}{created['token']}/",
        {"shipping_address": {**ADDRESS, "postal_code": "NOT A CODE", "city": ""}},
        format="json",
    )
    # then: every bad field at once, nested under the step
    assert response.status_code == 400
    attrs = {entry["attr"] for entry in response.json()["errors"]}
    assert attrs == {"shipping_address.postal_code", "shipping_address.city"}
    assert response.json()["type"] == "validation_error"


def test_bad_steps_are_refused_on_their_field(api_a, store_a, shop_a):
    token = api_a.post(URL, {"cart": cart_make(store_a, shop_a)}, format="json").json()["token"]
    cases = [
        ({"email": "not-an-email"}, "email", "email_invalid"),
        ({"payment_method": "bitcoin"}, "payment_method", "payment_method_unavailable"),
        ({"shipping_method": "table:999999"}, "shipping_method", "shipping_method_unavailable"),
    ]
    api_a.patch(f"{URL}{token}/", {"shipping_address": ADDRESS}, format="json")
    for data, attr, code in cases:
        response = api_a.patch(f"{URL}{token}/", data, format="json")
        assert response.status_code == 400, data
        [entry] = response.json()["errors"]
        assert (entry["attr"], entry["code"]) == (attr, code)


def test_a_card_order_is_placed_paid_and_answered_once_per_key(api_a, store_a, shop_a):
    checkout = ready_checkout(api_a, store_a, shop_a)
    # when
    response = complete(
        api_a, checkout["token"], key="order-1", payment=CARD_OK, expected_total=checkout["total"]
    )
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    order = body["order"]
    assert order["status"] == "paid"
    assert order["payment_status"] == "paid"
    assert order["total"] == checkout["total"]
    assert order["number"] == order["id"] + 1000
    assert len(order["token"]) >= 40
    assert [(line["sku"], line["quantity"]) for line in order["lines"]] == [
        ("MUG-1", 2),
        ("POSTER-1", 1),
    ]
    assert order["shipping_address"]["city"] == "London"
    assert order["billing_address"] == order["shipping_address"]
    assert order["shipping_method"] == {
        "id": shop_a["method_id"],
        "name": "Royal Mail",
        "amount": "4.00",
    }
    assert body["payment"]["status"] == "captured"
    assert body["payment"]["amount"] == checkout["total"]
    # the checkout is gone with its cart...
    assert api_a.get(f"{URL}{checkout['token']}/").status_code == 404
    # ...but the same key answers with the same order, 200
    replay = complete(api_a, checkout["token"], key="order-1", payment=CARD_OK)
    assert replay.status_code == 200
    assert replay.json()["order"]["number"] == order["number"]
    assert replay.json()["payment"]["status"] == "captured"
    # and a new key on the spent checkout finds nothing to complete
    assert complete(api_a, checkout["token"], key="order-2").status_code == 404
    with schema_context(store_a.schema):
        assert Order.objects.count() == 1


def test_a_declined_card_still_places_the_order_awaiting_payment(api_a, store_a, shop_a):
    checkout = ready_checkout(api_a, store_a, shop_a)
    # when
    response = complete(api_a, checkout["token"], payment=CARD_DECLINED)
    # then
    assert response.status_code == 201
    body = response.json()
    assert body["order"]["status"] == "pending_payment"
    assert body["order"]["payment_status"] == "failed"
    assert body["payment"]["status"] == "failed"
    assert body["payment"]["error_code"]
    assert "declined" in body["payment"]["message"].lower()
    # a replay shows the same failure
    replay = complete(api_a, checkout["token"], payment=CARD_DECLINED).json()
    assert replay["payment"]["status"] == "failed"
    assert replay["payment"]["message"] == body["payment"]["message"]


def test_a_manual_payment_awaits_the_money(api_a, store_a, shop_a):
    checkout = ready_checkout(api_a, store_a, shop_a, payment="manual")
    response = complete(api_a, checkout["token"])
    assert response.status_code == 201
    body = response.json()
    assert (body["order"]["status"], body["payment"]["status"]) == ("pending_payment", "pending")


def test_complete_needs_an_idempotency_key(api_a, store_a, shop_a):
    checkout = ready_checkout(api_a, store_a, shop_a)
    for key in (None, "", "x" * 101):
        response = complete(api_a, checkout["token"], key=key, payment=CARD_OK)
        assert response.status_code == 400
        [entry] = response.json()["errors"]
        assert (entry["attr"], entry["code"]) == ("idempotency_key", "idempotency_key_invalid")
    with schema_context(store_a.schema):
        assert Order.objects.count() == 0


def test_bad_card_details_are_refused_before_anything_is_placed(api_a, store_a, shop_a):
    checkout = ready_checkout(api_a, store_a, shop_a)
    response = complete(api_a, checkout["token"], payment={"number": "1234"})
    assert response.status_code == 400
    assert {entry["attr"] for entry in response.json()["errors"]} >= {"payment.number"}
    with schema_context(store_a.schema):
        assert Order.objects.count() == 0


def test_sold_out_meanwhile_is_a_409_with_the_reason(api_a, store_a, shop_a):
    checkout = ready_checkout(api_a, store_a, shop_a, mugs=3)
    with schema_context(store_a.schema):
        inventory.stock_adjust(variant=shop_a["mug"], quantity=2, reason="Breakage")
    # when
    response = complete(api_a, checkout["token"], payment=CARD_OK)
    # then
    assert response.status_code == 409
    [entry] = response.json()["errors"]
    assert entry["code"] in ("lines_unavailable", "out_of_stock")
    assert "Only 2 left" in entry["detail"]
    with schema_context(store_a.schema):
        assert Order.objects.count() == 0


def test_a_moved_price_is_a_409_with_the_new_total(api_a, store_a, shop_a):
    checkout = ready_checkout(api_a, store_a, shop_a)
    response = complete(api_a, checkout["token"], payment=CARD_OK, expected_total="1.00")
    assert response.status_code == 409
    assert response.json() == error(
        "total_changed",
        f"The total changed to {checkout['total']} {store_a.tenant.currency}; "
        "check your order again.",
    )


def test_a_key_used_by_another_checkout_is_refused(api_a, store_a, shop_a):
    first = ready_checkout(api_a, store_a, shop_a, mugs=1)
    second = ready_checkout(api_a, store_a, shop_a, mugs=1)
    assert complete(api_a, first["token"], key="shared", payment=CARD_OK).status_code == 201
    # when
    response = complete(api_a, second["token"], key="shared", payment=CARD_OK)
    # then: not the first shopper's order
    assert response.status_code == 409
    [entry] = response.json()["errors"]
    assert (entry["attr"], entry["code"]) == ("idempotency_key", "idempotency_key_reused")
    assert first["token"] not in response.content.decode()


def test_an_incomplete_checkout_says_which_step_is_missing(api_a, store_a, shop_a):
    token = api_a.post(URL, {"cart": cart_make(store_a, shop_a)}, format="json").json()["token"]
    api_a.patch(f"{URL}{token}/", {"email": "ada@example.com"}, format="json")
    response = complete(api_a, token, payment=CARD_OK)
    assert response.status_code == 400
    [entry] = response.json()["errors"]
    assert (entry["attr"], entry["code"]) == ("shipping_address", "shipping_address_required")


def test_an_unknown_cart_is_not_found(api_a, store_a, shop_a):
    response = api_a.post(URL, {"cart": "no-such-cart"}, format="json")
    assert response.status_code == 404
    [entry] = response.json()["errors"]
    assert (entry["attr"], entry["code"]) == ("cart", "cart_not_found")


def test_a_customers_token_attaches_the_checkout_to_them(api_a, store_a, shop_a):
    # given: a guest's checkout
    checkout = api_a.post(URL, {"cart": cart_make(store_a, shop_a)}, format="json").json()
    customer = signed_in(store_a, store_a.customer_email)
    # when: the customer opens it while signed in
    response = customer.get(f"{URL}{checkout['token']}/")
    # then: it is theirs, with their email
    assert response.status_code == 200
    assert response.json()["email"] == store_a.customer_email
    with schema_context(store_a.schema):
        assert Checkout.objects.get(token=checkout["token"]).customer.email == (
            store_a.customer_email
        )
    # and the token alone no longer opens it
    assert api_a.get(f"{URL}{checkout['token']}/").status_code == 404
    other = signed_in(store_a, store_a.staff_email)
    assert other.get(f"{URL}{checkout['token']}/").status_code == 404
    # the customer completes it: the order is theirs
    customer.patch(f"{URL}{checkout['token']}/", steps(shop_a), format="json")
    order = complete(customer, checkout["token"], payment=CARD_OK).json()["order"]
    assert order["customer"] is not None
    assert order["email"] == "ada@example.com"


def test_a_customers_cart_is_only_theirs_to_check_out(api_a, store_a, shop_a):
    with schema_context(store_a.schema):
        from apps.accounts.models import User

        customer = User.objects.get(email=store_a.customer_email)
    token = cart_make(store_a, shop_a, customer=customer)
    assert api_a.post(URL, {"cart": token}, format="json").status_code == 404
    mine = signed_in(store_a, store_a.customer_email).post(URL, {"cart": token}, format="json")
    assert mine.status_code == 201


def test_reading_a_checkout_costs_the_same_queries_whatever_its_size(
    api_a, store_a, shop_a, django_assert_num_queries
):
    small = ready_checkout(api_a, store_a, shop_a, mugs=1, posters=0)
    large = ready_checkout(api_a, store_a, shop_a, mugs=2, posters=1)
    with schema_context(store_a.schema):
        cart = Checkout.objects.get(token=large["token"]).cart
        for n in range(3):
            extra = factories.product(f"Extra {n}", price="3.00", sku=f"EXTRA-{n}", publish=True)
            inventory.stock_receive(variant=extra.variants.get(), quantity=5, reason="Delivery")
            cart_services.cart_line_add(cart=cart, variant_id=extra.variants.get().pk, quantity=1)
    api_a.get(f"{URL}{small['token']}/")  # the connection is on store A's schema from here
    for token, lines in ((small["token"], 1), (large["token"], 5)):
        # The checkout with its cart; then the price: cart lines, catalog rows, stock (the
        # shipping options reuse it). Promotions, shipping zones, tax and payment methods
        # come from the store's configuration memo (apps.core.store_config), warm since the
        # first request.
        with django_assert_num_queries(4):
            response = api_a.get(f"{URL}{token}/")
        assert response.status_code == 200
        assert len(response.json()["lines"]) == lines


# --- another store ---------------------------------------------------------------------------


@pytest.fixture
def b_customer_token(store_b) -> str:
    return signed_in(store_b, store_b.customer_email)._credentials["HTTP_AUTHORIZATION"]


def test_store_b_token_is_refused_on_every_checkout_endpoint(
    api_a, store_a, shop_a, b_customer_token
):
    checkout = ready_checkout(api_a, store_a, shop_a)
    cart = cart_make(store_a, shop_a)
    api_a.credentials(HTTP_AUTHORIZATION=b_customer_token)
    attempts = [
        ("post", URL, {"cart": cart}),
        ("get", f"{URL}{checkout['token']}/", None),
        ("patch", f"{URL}{checkout['token']}/", {"email": "mallory@example.com"}),
        ("post", f"{URL}{checkout['token']}/complete/", {"payment": CARD_OK}),
    ]
    for method, url, data in attempts:
        response = getattr(api_a, method)(url, data, format="json", HTTP_IDEMPOTENCY_KEY="k")
        assert response.status_code == 401, (method, url)
        assert response.json()["errors"][0]["code"] == "token_wrong_store"
    with schema_context(store_a.schema):
        assert Order.objects.count() == 0
        assert Checkout.objects.get(token=checkout["token"]).email == "ada@example.com"


def test_store_a_tokens_mean_nothing_on_store_b(api_a, api_b, store_a, store_b, shop_a):
    checkout = ready_checkout(api_a, store_a, shop_a)
    cart = cart_make(store_a, shop_a)
    placed = ready_checkout(api_a, store_a, shop_a, mugs=1)
    assert complete(api_a, placed["token"], key="a-key", payment=CARD_OK).status_code == 201
    b_customer = signed_in(store_b, store_b.customer_email)
    for client in (api_b, b_customer):
        assert client.post(URL, {"cart": cart}, format="json").status_code == 404
        assert client.get(f"{URL}{checkout['token']}/").status_code == 404
        assert (
            client.patch(
                f"{URL}{checkout['token']}/", {"email": "m@example.com"}, format="json"
            ).status_code
            == 404
        )
        # neither a live checkout nor a replay of A's placed order
        for token, key in ((checkout["token"], "b-key"), (placed["token"], "a-key")):
            response = complete(client, token, key=key, payment=CARD_OK)
            assert response.status_code == 404
            assert "order" not in response.json()
    with schema_context(store_b.schema):
        assert Order.objects.count() == 0


def test_a_shipping_method_withdrawn_meanwhile_is_named_not_a_failure(api_a, store_a, shop_a):
    from apps.shipping.models import ShippingMethod
    from apps.shipping.services import shipping_method_delete

    checkout = ready_checkout(api_a, store_a, shop_a)
    with schema_context(store_a.schema):
        shipping_method_delete(method=ShippingMethod.objects.get())
    # when
    response = api_a.get(f"{URL}{checkout['token']}/")
    # then: priced without it, and the shopper is told to choose again
    assert response.status_code == 200
    body = response.json()
    assert body["shipping_method"] is None
    assert body["shipping_total"] == "0.00"
    assert body["missing"] == ["shipping_method"]
    assert body["problems"] == [
        "This shipping method is not available for this address and order; choose another."
    ]
    refused = complete(api_a, checkout["token"], payment=CARD_OK)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "shipping_method_unavailable"
