"""The order page, /orders/<token>/: found by the order's unguessable token only (never its
number or id, never from another store's host); lines, totals, addresses, shipping and the
payment state; paying an unpaid card order again; a bank transfer's instructions."""

import re

import pytest
from django_tenants.utils import schema_context

from apps.orders.models import Order
from apps.orders.services import order_cancel
from apps.payments.services import provider_config_save
from tests.checkout.conftest import CARD_DECLINED, CARD_OK, order_placed, shop_build

PAY_CARD = {
    "payment_method": "test",
    **{f"card-{name}": value for name, value in CARD_OK.items()},
}

TIMES = "\N{MULTIPLICATION SIGN}"  # the pages write quantities as "2 <times> Mug"
MINUS = "\N{MINUS SIGN}"


@pytest.fixture
def shop_a(store_a):
    """A store to buy from (tests/checkout/conftest.py builds it through the services)."""
    with schema_context(store_a.schema):
        return shop_build()


def test_the_order_page_shows_what_was_bought_and_how_it_is_paid(client_a, store_a, shop_a):
    order = order_placed(store_a, shop_a)
    # when
    response = client_a.get(f"/orders/{order.token}/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>Order #{order.number}</h1>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response["Cache-Control"]
    assert "<dt>Status</dt><dd>Paid</dd>" in html
    assert "<dt>Payment</dt><dd>Paid" in html
    assert f"2 {TIMES} Stoneware Mug" in html
    assert f"1 {TIMES} Poster" in html
    assert "<dt>Subtotal</dt><dd>$33.00</dd>" in html
    assert "<dt>Shipping method</dt><dd>Royal Mail</dd>" in html
    assert f'<dd class="summary-totals__total">${order.total}</dd>' in html
    assert "Ada Lovelace<br>12 Analytical Row<br>LONDON<br>SW1A 1AA<br>UNITED KINGDOM" in html
    assert "/pay/" not in html  # paid: nothing to pay again


@pytest.mark.parametrize("path", ["/orders/{number}/", "/orders/{id}/", "/orders/{token}x/"])
def test_only_the_token_finds_an_order(client_a, store_a, shop_a, path):
    order = order_placed(store_a, shop_a)
    url = path.format(number=order.number, id=order.pk, token=order.token)
    assert client_a.get(url).status_code == 404
    assert client_a.post(url.rstrip("/") + "/pay/", PAY_CARD).status_code == 404


def test_another_stores_host_does_not_find_the_order(client_b, store_a, shop_a, store_b):
    order = order_placed(store_a, shop_a, card=CARD_DECLINED)
    # when: store A's order token on store B's host
    page = client_b.get(f"/orders/{order.token}/")
    pay = client_b.post(f"/orders/{order.token}/pay/", PAY_CARD)
    # then
    assert page.status_code == 404
    assert pay.status_code == 404
    assert str(order.number) not in page.content.decode()
    with schema_context(store_a.schema):
        order.refresh_from_db()
        assert order.status == Order.Status.PENDING_PAYMENT


def test_a_declined_order_can_be_paid_again_with_another_card(client_a, store_a, shop_a):
    order = order_placed(store_a, shop_a, card=CARD_DECLINED)
    html = client_a.get(f"/orders/{order.token}/").content.decode()
    assert "<dt>Status</dt><dd>Awaiting payment</dd>" in html
    assert "<dt>Payment</dt><dd>Payment failed" in html
    assert f'action="/orders/{order.token}/pay/"' in html
    assert '<label for="id_card-number">Card number</label>' in html
    # when: a card that is declined again, then a good one
    again = client_a.post(
        f"/orders/{order.token}/pay/",
        {**PAY_CARD, "card-number": CARD_DECLINED["number"]},
    )
    assert again["Location"] == f"/orders/{order.token}/"
    assert (
        "Your card was declined. Try another card."
        in client_a.get(again["Location"]).content.decode()
    )
    paid = client_a.post(f"/orders/{order.token}/pay/", PAY_CARD)
    # then
    assert paid["Location"] == f"/orders/{order.token}/"
    with schema_context(store_a.schema):
        order.refresh_from_db()
        assert order.status == Order.Status.PAID
        assert order.payments.filter(status="captured").count() == 1


def test_card_errors_on_the_order_page_land_on_their_fields(client_a, store_a, shop_a):
    order = order_placed(store_a, shop_a, card=CARD_DECLINED)
    response = client_a.post(
        f"/orders/{order.token}/pay/",
        {**PAY_CARD, "card-exp_month": "13", "card-cvc": "1"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    for input_id in ("id_card-exp_month", "id_card-cvc"):
        field = re.search(rf'<input[^>]*id="{input_id}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in field
        assert f"{input_id}_error" in field
    assert "Enter the expiry month, 1 to 12." in html
    with schema_context(store_a.schema):
        order.refresh_from_db()
        assert order.status == Order.Status.PENDING_PAYMENT


def test_a_paid_or_cancelled_order_is_not_paid_again(client_a, store_a, shop_a):
    paid = order_placed(store_a, shop_a)
    cancelled = order_placed(store_a, shop_a, card=CARD_DECLINED)
    with schema_context(store_a.schema):
        order_cancel(order=cancelled, reason="Unpaid")
    for order, message in [
        (paid, "This order is already paid."),
        (cancelled, "This order was cancelled; it cannot be paid."),
    ]:
        response = client_a.post(f"/orders/{order.token}/pay/", PAY_CARD)
        assert response["Location"] == f"/orders/{order.token}/"
        html = client_a.get(response["Location"]).content.decode()
        assert message in html
        assert f'action="/orders/{order.token}/pay/"' not in html
    with schema_context(store_a.schema):
        assert cancelled.payments.filter(status="captured").count() == 0


def test_a_bank_transfer_order_shows_the_instructions_with_the_reference(client_a, store_a, shop_a):
    with schema_context(store_a.schema):
        provider_config_save(
            provider_code="manual", instructions="Sort code 20-20-15\nAccount 55555555"
        )
    order = order_placed(store_a, shop_a, payment="manual")
    html = client_a.get(f"/orders/{order.token}/").content.decode()
    assert "<p>Sort code 20-20-15<br>Account 55555555</p>" in html
    assert f"quoting your order number <strong>#{order.number}</strong>" in html
    assert f"<strong>${order.total}</strong>" in html
    assert "/pay/" not in html
    # once paid, no instructions any more
    from apps.payments.services import payment_mark_paid

    with schema_context(store_a.schema):
        payment_mark_paid(payment=order.payments.get(), actor=None)
    assert "Sort code" not in client_a.get(f"/orders/{order.token}/").content.decode()


def test_a_discounted_order_shows_its_discounts(client_a, store_a, shop_a):
    order = order_placed(store_a, shop_a)
    with schema_context(store_a.schema):
        Order.objects.filter(pk=order.pk).update(
            discounts=[{"kind": "voucher", "name": "Spring", "code": "SPRING", "amount": "2.50"}]
        )
    html = client_a.get(f"/orders/{order.token}/").content.decode()
    assert "Voucher SPRING</dt>" in html
    assert f"{MINUS}$2.50" in html


def test_the_order_page_query_count(client_a, store_a, shop_a, django_assert_num_queries):
    order = order_placed(store_a, shop_a, card=CARD_DECLINED)  # with the pay-again form
    client_a.get(f"/orders/{order.token}/")  # warms the host map and the theme snapshot
    # the order, its lines, the category tree (the payment methods come from the store's
    # configuration memo, apps.core.store_config, warm since the first request)
    with django_assert_num_queries(3):
        response = client_a.get(f"/orders/{order.token}/")
    assert f'action="/orders/{order.token}/pay/"' in response.content.decode()
