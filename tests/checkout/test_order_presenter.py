"""apps.orders.api.presenters.order_data builds the order the API shows without DRF's
serializers: it must say exactly what OrderSerializer (the documented shape) says, for the order
object the completion answers with (as placed, never read back) and for the same order read
from the database, with and without discounts, a customer, a note or a shipping method."""

from django.contrib.auth import get_user_model
from django.db.models import prefetch_related_objects
from django_tenants.utils import schema_context

from apps.cart import services as cart_services
from apps.checkout import services
from apps.discounts.services import promotion_create, voucher_create
from apps.orders.api.presenters import order_data
from apps.orders.api.serializers import OrderSerializer
from apps.orders.api.views import ORDER_LINES
from apps.orders.models import Order
from tests.checkout.conftest import CARD_OK, checkout_ready
from tests.orders.factories import order_make


def _from_database(order: Order) -> Order:
    fresh = Order.objects.get(pk=order.pk)
    prefetch_related_objects([fresh], ORDER_LINES)
    return fresh


def _same_everywhere(order: Order) -> dict:
    fresh = _from_database(order)
    assert order_data(fresh) == OrderSerializer(fresh).data
    assert order_data(order) == OrderSerializer(fresh).data
    return order_data(order)


def test_a_placed_order_shows_the_same_as_the_serializer(store_a, shop_a):
    with schema_context(store_a.schema):
        # given: a bank transfer, two lines, VAT, flat shipping
        checkout = checkout_ready(shop_a, quantity=3, payment="manual")
        # when
        done = services.checkout_complete(checkout=checkout, idempotency_key="p-1", currency="EUR")
        # then: the object placing answered with, lines primed, not read back
        data = _same_everywhere(done.order)
        assert [line["sku"] for line in data["lines"]] == ["MUG-1", "POSTER-1"]
        assert data["shipping_method"]["amount"] == "4.00"
        assert data["tax_breakdown"]
        assert data["placed_at"].endswith("Z")


def test_discounts_a_customer_and_a_note_show_the_same(store_a, shop_a):
    with schema_context(store_a.schema):
        # given: a promotion, a voucher, a signed-in customer and a note
        promotion_create(name="Autumn", kind="percentage", value="10", scope="all")
        voucher_create(code="TENOFF", kind="fixed", value="1.50")
        customer = get_user_model().objects.create_user(
            email="grace@example.com", password="pw-Grace-123"
        )
        checkout = checkout_ready(shop_a, payment="test")
        cart_services.cart_voucher_apply(cart=checkout.cart, code="TENOFF")
        checkout.customer = customer
        checkout.customer_note = "Leave it with the neighbour — n°12."
        checkout.save(update_fields=["customer", "customer_note"])
        # when
        done = services.checkout_complete(
            checkout=checkout, idempotency_key="p-2", currency="EUR", payment_data=CARD_OK
        )
        # then
        data = _same_everywhere(done.order)
        assert data["customer"] == customer.pk
        assert {d["kind"] for d in data["discounts"]} == {"promotion", "voucher"}
        assert data["voucher_code"] == "TENOFF"
        assert data["status"] == "paid"


def test_an_order_without_shipping_method_or_lines_shows_the_same(store_a):
    with schema_context(store_a.schema):
        bare = order_make(lines=[], shipping="0.00")
        taxed = order_make(lines=[("GONE-1", 2, "3.33")], shipping="2.50", tax="1.33")
        assert _same_everywhere(bare)["shipping_method"] is None
        assert _same_everywhere(taxed)["lines"][0]["variant_id"] is None
