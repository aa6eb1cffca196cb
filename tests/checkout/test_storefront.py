"""The storefront checkout through the test client: a guest and a signed-in customer buy, with
the test gateway (paid, declined then paid again) and a bank transfer; every refusal lands on
its field or comes back to the review with the reason; "Place order" twice is one order."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import CustomerAddress, User
from apps.catalog.services.variants import variant_update
from apps.checkout.models import Checkout
from apps.inventory import services as inventory
from apps.inventory.selectors import availability
from apps.orders.models import Order
from apps.payments.services import provider_config_save
from tests.checkout.conftest import CARD_DECLINED, CARD_OK, cart_in_browser

DETAILS = {
    "email": "ada@example.com",
    "shipping-first_name": "Ada",
    "shipping-last_name": "Lovelace",
    "shipping-street_address_1": "12 Analytical Row",
    "shipping-city": "London",
    "shipping-postal_code": "sw1a 1aa",
    "shipping-country_code": "GB",
    "billing_same": "on",
}

TIMES = "\N{MULTIPLICATION SIGN}"  # the pages write quantities as "2 <times> Mug"
MINUS = "\N{MINUS SIGN}"


def _card(card: dict) -> dict:
    return {f"card-{name}": value for name, value in card.items()}


def _input(html: str, input_id: str) -> str:
    found = re.search(rf'<input[^>]*id="{re.escape(input_id)}"[^>]*>', html)
    assert found, input_id
    return found.group(0)


def _place_token(html: str) -> str:
    return re.search(r'name="place_token" value="([^"]+)"', html).group(1)


def _to_review(client: Client, shop: dict, details: dict | None = None) -> str:
    """Through the first two steps; the review page's HTML."""
    response = client.post("/checkout/", details or DETAILS)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/checkout/shipping/"
    response = client.post("/checkout/shipping/", {"shipping_method": shop["method_id"]})
    assert response.status_code == 302
    assert response["Location"] == "/checkout/review/"
    response = client.get("/checkout/review/")
    assert response.status_code == 200
    return response.content.decode()


def _place(client: Client, html: str, *, method: str = "test", card: dict | None = None):
    data = {"place_token": _place_token(html), "payment_method": method, **_card(card or {})}
    return client.post("/checkout/review/", data)


def _log_in(client: Client, store, user) -> None:
    # Client.force_login saves the user in the connection's current schema: the store's here.
    with schema_context(store.schema):
        client.force_login(user)


def _order_token(response) -> str:
    assert response.status_code == 302
    found = re.fullmatch(r"/orders/([\w-]{43})/", response["Location"])
    assert found, response["Location"]
    return found.group(1)


# --- the whole journey ----------------------------------------------------------------------


def test_a_guest_buys_with_a_card_and_lands_on_the_paid_order(
    client_a, store_a, shop_a, django_capture_on_commit_callbacks
):
    # given: two mugs and a poster in this browser's cart
    cart_in_browser(client_a, store_a, shop_a)
    # when: the three steps
    page = client_a.get("/checkout/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'href="/account/login/?next=/checkout/"' in html
    assert '<label for="id_shipping-postal_code">Postcode or ZIP code</label>' in html
    assert '<option value="GB">United Kingdom</option>' in html
    review = _to_review(client_a, shop_a)
    # then: the review shows the lines and the server's price: 2 x 12.50 + 8.00 goods, 20 %
    # VAT on them added on top (6.60; this store does not tax shipping), 4.00 shipping
    assert f"2 {TIMES} Stoneware Mug" in review
    assert "Royal Mail" in review
    assert "Total to pay: <strong>$43.60</strong>" in review
    assert "Ada Lovelace, 12 Analytical Row, LONDON, SW1A 1AA, UNITED KINGDOM" in review
    # when: placing it with a good card
    with django_capture_on_commit_callbacks(execute=True):
        placed = _place(client_a, review, card=CARD_OK)
    token = _order_token(placed)
    # then: the cart became the order, the cart cookies are cleared
    assert placed.cookies["cart"].value == ""
    assert placed.cookies["cart_count"].value == ""
    with schema_context(store_a.schema):
        order = Order.objects.get()
        assert order.token == token
        assert order.status == Order.Status.PAID
        assert order.customer is None
        assert order.email == "ada@example.com"
        assert order.total == Decimal("43.60")
        assert not Checkout.objects.exists()
    page = client_a.get(placed["Location"]).content.decode()
    assert f"Thank you! Your order #{order.number} is placed and paid." in page
    assert "<dt>Payment</dt><dd>Paid" in page
    assert f"2 {TIMES} Stoneware Mug" in page
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.com"]


def test_a_declined_card_keeps_the_order_and_another_card_pays_it(client_a, store_a, shop_a):
    cart_in_browser(client_a, store_a, shop_a, quantity=1)
    review = _to_review(client_a, shop_a)
    # when: the card is declined
    placed = _place(client_a, review, card=CARD_DECLINED)
    token = _order_token(placed)
    page = client_a.get(placed["Location"]).content.decode()
    # then: the order waits for its money, with a form to pay again on the same order
    assert "Your card was declined." in page
    assert "pay with another card below" in page
    assert "<dt>Payment</dt><dd>Payment failed" in page
    assert f'action="/orders/{token}/pay/"' in page
    # when: another card
    paid = client_a.post(f"/orders/{token}/pay/", {"payment_method": "test", **_card(CARD_OK)})
    # then
    assert paid.status_code == 302
    assert paid["Location"] == f"/orders/{token}/"
    with schema_context(store_a.schema):
        order = Order.objects.get()
        assert order.status == Order.Status.PAID
        assert order.payments.count() == 2  # the declined attempt is kept
    page = client_a.get(f"/orders/{token}/").content.decode()
    assert f"Thank you! Your order #{order.number} is paid." in page
    assert f'action="/orders/{token}/pay/"' not in page


def test_a_bank_transfer_shows_the_instructions_and_the_order_number(client_a, store_a, shop_a):
    with schema_context(store_a.schema):
        provider_config_save(
            provider_code="manual", instructions="Pay into IBAN GB33 BUKB 2020 1555 5555 55."
        )
    cart_in_browser(client_a, store_a, shop_a)
    review = _to_review(client_a, shop_a)
    assert "Pay into IBAN GB33 BUKB 2020 1555 5555 55." in review  # under its radio
    # when
    placed = _place(client_a, review, method="manual")
    # then
    page = client_a.get(placed["Location"]).content.decode()
    with schema_context(store_a.schema):
        order = Order.objects.get()
    assert order.status == Order.Status.PENDING_PAYMENT
    assert order.payment_provider == "manual"
    assert '<h2 id="pay-heading">How to pay</h2>' in page
    assert "Pay into IBAN GB33 BUKB 2020 1555 5555 55." in page
    assert f"quoting your order number <strong>#{order.number}</strong>" in page
    assert "/pay/" not in page  # nothing to pay by card


def test_a_signed_in_customer_checks_out_and_saves_the_address(client_a, store_a, shop_a):
    # given
    with schema_context(store_a.schema):
        customer = User.objects.get(email=store_a.customer_email)
    _log_in(client_a, store_a, customer)
    cart_in_browser(client_a, store_a, shop_a, customer=customer)
    # then: the email is known; no login link
    html = client_a.get("/checkout/").content.decode()
    assert 'value="customer@store-a.test"' in _input(html, "id_email")
    assert "/account/login/" not in html
    assert 'id="id_save_address"' in html
    # when
    review = _to_review(
        client_a, shop_a, {**DETAILS, "email": store_a.customer_email, "save_address": "on"}
    )
    placed = _place(client_a, review, card=CARD_OK)
    # then: the order is the customer's, the address is in their book (as the default)
    token = _order_token(placed)
    with schema_context(store_a.schema):
        order = Order.objects.get()
        assert order.customer_id == customer.pk
        [saved] = CustomerAddress.objects.filter(customer=customer)
        assert (saved.street_address_1, saved.postal_code, saved.is_default) == (
            "12 Analytical Row",
            "SW1A 1AA",
            True,
        )
    account = client_a.get("/account/").content.decode()
    assert f'<a class="order-list__number" href="/orders/{token}/">Order #{order.number}</a>' in (
        account
    )


def test_a_saved_address_ships_in_one_click_and_another_customers_is_refused(
    client_a, store_a, shop_a
):
    from apps.accounts.addresses import customer_address_create

    with schema_context(store_a.schema):
        customer = User.objects.get(email=store_a.customer_email)
        other = User.objects.create_user(email="other@example.com", password="x")
        mine = customer_address_create(customer=customer, data=_address("1 Mine Street"))
        theirs = customer_address_create(customer=other, data=_address("9 Theirs Road"))
    _log_in(client_a, store_a, customer)
    cart_in_browser(client_a, store_a, shop_a, customer=customer)
    html = client_a.get("/checkout/").content.decode()
    assert "1 Mine Street" in html
    assert "9 Theirs Road" not in html
    # the default address fills the form
    assert 'value="1 Mine Street"' in _input(html, "id_shipping-street_address_1")
    # when: another customer's address id
    refused = client_a.post("/checkout/saved-address/", {"address": theirs.pk})
    # then
    assert refused["Location"] == "/checkout/"
    with schema_context(store_a.schema):
        assert Checkout.objects.get().shipping_address is None
    # when: their own
    used = client_a.post("/checkout/saved-address/", {"address": mine.pk})
    assert used["Location"] == "/checkout/shipping/"
    with schema_context(store_a.schema):
        assert Checkout.objects.get().shipping_address["street_address_1"] == "1 Mine Street"


def _address(street: str) -> dict:
    return {
        "last_name": "Lovelace",
        "street_address_1": street,
        "city": "London",
        "postal_code": "N1 9GU",
        "country_code": "GB",
    }


def test_the_carts_voucher_is_shown_and_priced_into_the_order(client_a, store_a, shop_a):
    from apps.cart import services as cart_services
    from apps.discounts.services import voucher_create

    # given: 10 % off with a voucher applied in the cart
    cart = cart_in_browser(client_a, store_a, shop_a)
    with schema_context(store_a.schema):
        voucher_create(code="SPRING10", kind="percentage", value="10")
        cart_services.cart_voucher_apply(cart=cart, code="spring10")
    # when
    review = _to_review(client_a, shop_a)
    # then: 33.00 - 3.30 = 29.70 goods, 5.94 VAT, 4.00 shipping
    assert "Voucher SPRING10" in review
    assert f"{MINUS}$3.30" in review
    assert "Total to pay: <strong>$39.64</strong>" in review
    placed = _place(client_a, review, method="manual")
    page = client_a.get(placed["Location"]).content.decode()
    with schema_context(store_a.schema):
        order = Order.objects.get()
    assert (order.voucher_code, order.discount_total, order.total) == (
        "SPRING10",
        Decimal("3.30"),
        Decimal("39.64"),
    )
    assert "Voucher SPRING10" in page


# --- refusals on their fields ---------------------------------------------------------------


def test_every_refused_detail_is_shown_on_its_field_at_once(client_a, store_a, shop_a):
    cart_in_browser(client_a, store_a, shop_a)
    # when: a bad email, no city, a bad postcode, and a billing address with no name
    response = client_a.post(
        "/checkout/",
        {
            **DETAILS,
            "email": "not-an-email",
            "shipping-city": "",
            "shipping-postal_code": "12345",
            "billing_same": "",
            "billing-street_address_1": "1 Bill Street",
            "billing-city": "Leeds",
            "billing-postal_code": "LS1 1AA",
            "billing-country_code": "GB",
        },
    )
    # then
    assert response.status_code == 400
    html = response.content.decode()
    for input_id, message in [
        ("id_email", "Enter a valid email address."),
        ("id_shipping-city", "Enter the post town."),
        ("id_shipping-postal_code", "Enter a valid postcode, e.g. EC1Y 8SY."),
        ("id_billing-last_name", "Enter the last name."),
    ]:
        field = _input(html, input_id)
        assert 'aria-invalid="true"' in field, input_id
        assert f"{input_id}_error" in field, input_id
        assert f'<ul class="errorlist" id="{input_id}_error"><li>{message}</li></ul>' in html
    assert 'href="#id_billing-last_name">Billing address: Last name: Enter the last name.' in html
    # what was typed is kept; nothing was recorded
    assert 'value="12 Analytical Row"' in _input(html, "id_shipping-street_address_1")
    with schema_context(store_a.schema):
        checkout = Checkout.objects.get()
        assert (checkout.email, checkout.shipping_address) == ("", None)


def test_a_shipping_method_the_address_cannot_have_is_refused_on_the_field(
    client_a, store_a, shop_a
):
    cart_in_browser(client_a, store_a, shop_a)
    client_a.post("/checkout/", DETAILS)
    response = client_a.post("/checkout/shipping/", {"shipping_method": "table:999999"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_shipping_method_error"><li>This shipping method' in html
    assert 'aria-describedby="id_shipping_method_error"' in html


def test_a_mistyped_card_is_refused_on_its_fields_before_any_order(client_a, store_a, shop_a):
    cart_in_browser(client_a, store_a, shop_a)
    review = _to_review(client_a, shop_a)
    # when
    response = _place(client_a, review, card={**CARD_OK, "number": "4242 4242 4242 4241"})
    # then
    assert response.status_code == 400
    html = response.content.decode()
    number = _input(html, "id_card-number")
    assert 'aria-invalid="true"' in number
    assert "value=" not in number  # a card number is never put back into the page
    assert "This card number is not valid." in html
    assert _place_token(html) == _place_token(review)  # still the same order if placed now
    with schema_context(store_a.schema):
        assert not Order.objects.exists()
    # when: fixed, with the same page's token
    placed = _place(client_a, html, card=CARD_OK)
    _order_token(placed)


def test_no_payment_method_chosen_is_refused_on_the_field(client_a, store_a, shop_a):
    cart_in_browser(client_a, store_a, shop_a)
    review = _to_review(client_a, shop_a)
    response = client_a.post("/checkout/review/", {"place_token": _place_token(review)})
    assert response.status_code == 400
    assert '<ul class="errorlist" id="id_payment_method_error"><li>Choose how you want to pay.' in (
        response.content.decode()
    )


# --- placing the order: once, at the price seen, with stock ------------------------------


def test_placing_twice_with_the_same_page_gives_the_same_order(client_a, store_a, shop_a):
    cart_in_browser(client_a, store_a, shop_a)
    review = _to_review(client_a, shop_a)
    # when: a double click (the second post arrives after the first placed the order)
    first = _place(client_a, review, card=CARD_OK)
    again = _place(client_a, review, card=CARD_OK)
    # then
    assert again["Location"] == first["Location"]
    with schema_context(store_a.schema):
        assert Order.objects.count() == 1
        assert availability(variant_ids=[shop_a["mug"].pk])[shop_a["mug"].pk].available == 8


def test_a_place_token_cannot_be_made_up(client_a, store_a, shop_a):
    cart_in_browser(client_a, store_a, shop_a)
    review = _to_review(client_a, shop_a)
    forged = _place_token(review)[:-2] + "xx"
    response = client_a.post(
        "/checkout/review/", {"place_token": forged, "payment_method": "test", **_card(CARD_OK)}
    )
    assert response["Location"] == "/checkout/review/"
    with schema_context(store_a.schema):
        assert not Order.objects.exists()


def test_a_price_change_brings_the_shopper_back_to_the_review(client_a, store_a, shop_a):
    cart_in_browser(client_a, store_a, shop_a)
    review = _to_review(client_a, shop_a)
    # given: the merchant raises the mug's price while the shopper reads the review
    with schema_context(store_a.schema):
        variant_update(variant=shop_a["mug"], price=Decimal("15.00"))
    # when
    response = _place(client_a, review, card=CARD_OK)
    # then: no order; the review again, with the new total and a word about it
    assert response.status_code == 302
    assert response["Location"] == "/checkout/review/"
    with schema_context(store_a.schema):
        assert not Order.objects.exists()
    html = client_a.get("/checkout/review/").content.decode()
    assert "Prices changed since you opened this page" in html
    assert "Total to pay: <strong>$49.60</strong>" in html  # (30 + 8) x 1.2 + 4
    # when: placed from the new page
    placed = _place(client_a, html, card=CARD_OK)
    _order_token(placed)
    with schema_context(store_a.schema):
        assert Order.objects.get().total == Decimal("49.60")


def test_a_sold_out_item_comes_back_with_the_reason(client_a, store_a, shop_a):
    cart_in_browser(client_a, store_a, shop_a, quantity=2)
    review = _to_review(client_a, shop_a)
    # given: the other mugs are sold meanwhile
    with schema_context(store_a.schema):
        inventory.stock_adjust(variant=shop_a["mug"], quantity=1, reason="Breakage")
    # when
    response = _place(client_a, review, card=CARD_OK)
    # then
    assert response["Location"] == "/checkout/review/"
    html = client_a.get("/checkout/review/").content.decode()
    assert "Stoneware Mug: Only 1 left." in html
    assert "Nothing was charged" in html
    assert 'name="place_token"' not in html  # fix the cart first
    assert 'href="/cart/">Update your cart</a>' in html
    with schema_context(store_a.schema):
        assert not Order.objects.exists()


# --- the steps in order, the cart, caching, CSRF, other stores ----------------------------


def test_without_a_cart_the_checkout_sends_the_shopper_to_the_cart(client_a, store_a, shop_a):
    response = client_a.get("/checkout/")
    assert response["Location"] == "/cart/"


def test_a_step_cannot_be_skipped(client_a, store_a, shop_a):
    cart_in_browser(client_a, store_a, shop_a)
    assert client_a.get("/checkout/shipping/")["Location"] == "/checkout/"
    assert client_a.get("/checkout/review/")["Location"] == "/checkout/"
    client_a.post("/checkout/", DETAILS)
    assert client_a.get("/checkout/review/")["Location"] == "/checkout/shipping/"


@pytest.mark.parametrize("path", ["/checkout/", "/checkout/shipping/", "/checkout/review/"])
def test_checkout_pages_are_never_cached(client_a, store_a, shop_a, path):
    cart_in_browser(client_a, store_a, shop_a)
    client_a.post("/checkout/", DETAILS)
    client_a.post("/checkout/shipping/", {"shipping_method": shop_a["method_id"]})
    # a visitor with no session or messages cookie: what the page cache would store
    client_a.cookies.pop("sessionid", None)
    client_a.cookies.pop("messages", None)
    first = client_a.get(path)
    second = client_a.get(path)
    assert second.status_code == 200
    for response in (first, second):
        assert "X-Storefront-Cache" not in response
        assert "no-store" in response["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in second.content.decode()


def test_a_post_without_the_csrf_token_is_refused(store_a, shop_a):
    client = Client(HTTP_HOST=store_a.host, enforce_csrf_checks=True)
    cart_in_browser(client, store_a, shop_a)
    response = client.post("/checkout/", DETAILS)
    assert response.status_code == 403
    with schema_context(store_a.schema):
        assert not Checkout.objects.exclude(email="").exists()


def test_another_stores_cart_cookie_is_no_cart_here(client_b, store_a, shop_a, shop_b):
    # given: store A's cart token, sent to store B's host
    cart_in_browser(client_b, store_a, shop_a)
    # then
    assert client_b.get("/checkout/")["Location"] == "/cart/"


def test_the_review_query_count(client_a, store_a, shop_a, django_assert_num_queries):
    cart_in_browser(client_a, store_a, shop_a)
    _to_review(client_a, shop_a)
    client_a.get("/checkout/review/")  # warms the host map and the theme snapshot
    # the cart (no session: a guest), its checkout, its lines, the variants, their
    # availability, the category tree (promotions, shipping zones, tax and payment methods
    # come from the store's configuration memo, apps.core.store_config)
    with django_assert_num_queries(6):
        response = client_a.get("/checkout/review/")
    assert response.status_code == 200
