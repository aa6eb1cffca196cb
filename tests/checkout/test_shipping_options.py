"""The shipping methods a checkout offers cost what choosing them will cost: priced on the goods
after every discount, the voucher's included (as the chosen method is priced), and free with a
free-shipping voucher."""

from decimal import Decimal

from django_tenants.utils import schema_context

from apps.cart import services as cart_services
from apps.checkout import services
from apps.discounts.services import voucher_create
from apps.shipping.models import ShippingZone
from apps.shipping.services import shipping_method_create
from tests.checkout.conftest import checkout_ready


def _offers(checkout) -> dict[str, Decimal]:
    return {
        rate.name: rate.amount
        for rate in services.checkout_shipping_options(checkout=checkout, currency="EUR")
    }


def test_a_free_over_method_is_offered_at_what_it_will_cost_after_the_voucher(store_a, shop_a):
    with schema_context(store_a.schema):
        # given: 2 mugs and a poster (33.00), a courier free over 30, a voucher of 5.00
        zone = ShippingZone.objects.get(name="United Kingdom")
        courier = shipping_method_create(
            zone=zone, name="Courier", rate_type="flat", amount="6.00", free_over="30"
        )
        checkout = checkout_ready(shop_a, payment="manual")
        assert _offers(checkout)["Courier"] == Decimal("0.00")
        # when: the voucher brings the goods to 28.00
        voucher_create(code="FIVE", kind="fixed", value="5.00")
        cart_services.cart_voucher_apply(cart=checkout.cart, code="FIVE")
        checkout.cart.refresh_from_db()
        # then: offered at 6.00, and choosing it costs 6.00
        assert _offers(checkout)["Courier"] == Decimal("6.00")
        services.checkout_update(
            checkout=checkout, currency="EUR", shipping_method_id=f"table:{courier.pk}"
        )
        price = services.checkout_price_get(checkout=checkout, currency="EUR")
        assert price.shipping_total == Decimal("6.00")


def test_a_free_shipping_voucher_makes_every_offer_free(store_a, shop_a):
    with schema_context(store_a.schema):
        checkout = checkout_ready(shop_a, payment="manual")
        assert _offers(checkout) == {"Royal Mail": Decimal("4.00")}
        voucher_create(code="SHIPFREE", kind="free_shipping")
        cart_services.cart_voucher_apply(cart=checkout.cart, code="SHIPFREE")
        checkout.cart.refresh_from_db()
        assert _offers(checkout) == {"Royal Mail": Decimal("0.00")}
        price = services.checkout_price_get(checkout=checkout, currency="EUR")
        assert price.shipping_total == Decimal(0)


def test_the_api_offers_what_the_voucher_leaves(api_a, store_a, shop_a):
    with schema_context(store_a.schema):
        checkout = checkout_ready(shop_a, payment="manual")
        voucher_create(code="SHIPFREE", kind="free_shipping")
        cart_services.cart_voucher_apply(cart=checkout.cart, code="SHIPFREE")
    answer = api_a.get(f"/api/v1/checkouts/{checkout.token}/").json()
    assert [(m["name"], m["amount"]) for m in answer["shipping_methods"]] == [
        ("Royal Mail", "0.00")
    ]
    assert answer["shipping_total"] == "0.00"
