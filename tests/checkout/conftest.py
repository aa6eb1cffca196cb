"""A store you can buy from: products with stock, a shipping zone, a tax rate and payment
methods, all made through the apps' own services."""

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from apps.cart import services as cart_services
from apps.checkout import services as checkout_services
from apps.inventory import services as inventory
from apps.payments.services import provider_config_save
from apps.shipping.services import shipping_method_create, shipping_zone_create
from apps.tax.services import tax_rate_create
from tests.catalog import factories

ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "street_address_1": "12 Analytical Row",
    "city": "London",
    "postal_code": "SW1A 1AA",
    "country_code": "GB",
}
CARD_OK = {"number": "4242 4242 4242 4242", "exp_month": "12", "exp_year": "2040", "cvc": "123"}
CARD_DECLINED = {**CARD_OK, "number": "4000 0000 0000 0002"}


def shop_build(*, stock: int = 10) -> dict:
    """In the current schema: a mug (tracked, `stock` units), a poster (untracked), UK flat
    shipping and 20 % VAT, the manual and test payment methods."""
    mug = factories.product("Stoneware Mug", price="12.50", sku="MUG-1", publish=True)
    poster = factories.product("Poster", price="8.00", sku="POSTER-1", publish=True)
    mug_variant = mug.variants.get()
    poster_variant = poster.variants.get()
    inventory.stock_receive(variant=mug_variant, quantity=stock, reason="First delivery")
    inventory.policy_update(variant=poster_variant, track_inventory=False)
    zone = shipping_zone_create(name="United Kingdom", countries=["GB"])
    method = shipping_method_create(zone=zone, name="Royal Mail", rate_type="flat", amount="4.00")
    tax_rate_create(country="GB", rate=Decimal("20"), name="VAT")
    for code in ("manual", "test"):
        provider_config_save(provider_code=code, enabled=True)
    return {
        "mug": mug_variant,
        "poster": poster_variant,
        "method_id": f"table:{method.pk}",
    }


def checkout_ready(shop: dict, *, quantity: int = 2, payment: str = "test", email: str = ""):
    """A cart with `quantity` mugs and a poster, and its checkout with every step given."""
    cart = cart_services.cart_get_or_create()
    cart_services.cart_line_add(cart=cart, variant_id=shop["mug"].pk, quantity=quantity)
    cart_services.cart_line_add(cart=cart, variant_id=shop["poster"].pk, quantity=1)
    checkout = checkout_services.checkout_for_cart(cart=cart)
    return checkout_services.checkout_update(
        checkout=checkout,
        currency="EUR",
        email=email or "ada@example.com",
        shipping_address=ADDRESS,
        shipping_method_id=shop["method_id"],
        payment_method=payment,
    )


@pytest.fixture
def shop_a(store_a):
    with schema_context(store_a.schema):
        return shop_build()


# --- storefront checkout (tests/checkout/test_storefront.py, tests/orders/test_order_page.py) -


@pytest.fixture
def shop_b(store_b):
    with schema_context(store_b.schema):
        return shop_build()


def cart_in_browser(client, store, shop: dict, *, quantity: int = 2, customer=None):
    """A cart with `quantity` mugs and a poster, as the storefront would keep it for this
    browser: an anonymous cart named by the cart cookie, or the signed-in `customer`'s own."""
    with schema_context(store.schema):
        cart = cart_services.cart_create(customer=customer)
        cart_services.cart_line_add(cart=cart, variant_id=shop["mug"].pk, quantity=quantity)
        cart_services.cart_line_add(cart=cart, variant_id=shop["poster"].pk, quantity=1)
    if customer is None:
        client.cookies["cart"] = cart.token
    return cart


def order_placed(store, shop: dict, *, payment: str = "test", card=None, customer=None):
    """An order placed through the checkout services (for pages that show one)."""
    with schema_context(store.schema):
        checkout = checkout_ready(shop, payment=payment)
        if customer is not None:
            checkout.customer = customer
            checkout.save(update_fields=["customer"])
        return checkout_services.checkout_complete(
            checkout=checkout,
            idempotency_key=f"test-{checkout.token[:20]}",
            currency=store.tenant.currency,
            payment_data=card if card is not None else (CARD_OK if payment == "test" else None),
        ).order
