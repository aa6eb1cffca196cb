"""Placing an order: one transaction, priced on the server, idempotent, all or nothing."""

from decimal import Decimal

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from apps.checkout import services
from apps.core.exceptions import ApplicationError
from apps.inventory.selectors import availability, ledger_check
from apps.orders.models import Order
from tests.checkout.conftest import CARD_DECLINED, CARD_OK, checkout_ready


def test_a_card_order_is_priced_on_the_server_paid_and_confirmed(
    store_a, shop_a, django_capture_on_commit_callbacks
):
    with schema_context(store_a.schema):
        checkout = checkout_ready(shop_a, quantity=2)
        # when
        with django_capture_on_commit_callbacks(execute=True):
            done = services.checkout_complete(
                checkout=checkout, idempotency_key="k-1", currency="EUR", payment_data=CARD_OK
            )
        order = done.order
        # then: 2 x 12.50 + 8.00 = 33.00 goods, 4.00 shipping; prices exclude tax (default):
        # 20 % VAT on each line and on shipping (if taxed) is added on top
        assert order.number == order.pk + 1000
        assert order.subtotal == Decimal("33.00")
        assert order.shipping_total == Decimal("4.00")
        assert order.total == order.subtotal + order.shipping_total + order.tax_total
        assert order.tax_total > 0
        assert order.status == Order.Status.PAID
        assert [(line.sku, line.quantity) for line in order.lines.all()] == [
            ("MUG-1", 2),
            ("POSTER-1", 1),
        ]
        # the mugs are sold: 10 - 2 on hand, nothing reserved; the books balance
        assert availability(variant_ids=[shop_a["mug"].pk])[shop_a["mug"].pk].available == 8
        assert ledger_check() == []
        kinds = list(order.events.values_list("kind", flat=True))
        assert kinds[0] == "placed"
        assert "paid" in kinds
    assert len(mail.outbox) == 1
    assert f"#{order.number}" in mail.outbox[0].subject
    assert "Stoneware Mug" in mail.outbox[0].body


def test_the_same_idempotency_key_gives_back_the_same_order(store_a, shop_a):
    with schema_context(store_a.schema):
        checkout = checkout_ready(shop_a, payment="manual")
        key = {"idempotency_key": "same", "currency": "EUR"}
        first = services.checkout_complete(checkout=checkout, **key)
        again = services.checkout_complete(checkout=checkout, **key)
        assert first.created
        assert not again.created
        assert again.order.pk == first.order.pk
        assert Order.objects.count() == 1


def test_a_declined_card_leaves_the_order_awaiting_payment_with_its_stock_held(store_a, shop_a):
    with schema_context(store_a.schema):
        checkout = checkout_ready(shop_a, quantity=3)
        done = services.checkout_complete(
            checkout=checkout, idempotency_key="k-2", currency="EUR", payment_data=CARD_DECLINED
        )
        assert done.order.status == Order.Status.PENDING_PAYMENT
        assert done.order.payment_status == Order.PaymentStatus.FAILED
        mug = availability(variant_ids=[shop_a["mug"].pk])[shop_a["mug"].pk]
        assert mug.available == 7  # 3 of 10 held for this order


def test_out_of_stock_rolls_everything_back(store_a, shop_a):
    with schema_context(store_a.schema):
        checkout = checkout_ready(shop_a, quantity=2)
        # someone else bought most of the mugs meanwhile
        from apps.inventory import services as inventory

        inventory.stock_adjust(variant=shop_a["mug"], quantity=1, reason="Breakage")
        with pytest.raises(ApplicationError) as refused:
            services.checkout_complete(
                checkout=checkout, idempotency_key="k-3", currency="EUR", payment_data=CARD_OK
            )
        assert refused.value.code in ("lines_unavailable", "out_of_stock")
        assert Order.objects.count() == 0
        assert ledger_check() == []
        assert checkout.cart.lines.count() == 2  # the cart is kept to fix


def test_an_incomplete_checkout_says_what_is_missing(store_a, shop_a):
    with schema_context(store_a.schema):
        checkout = checkout_ready(shop_a)
        checkout.shipping_method_id = ""
        checkout.save()
        with pytest.raises(ApplicationError) as refused:
            services.checkout_complete(checkout=checkout, idempotency_key="k-4", currency="EUR")
        assert refused.value.code == "shipping_method_required"
        assert refused.value.field == "shipping_method"


def test_unpaid_card_orders_are_cancelled_after_the_reservation_time(store_a, shop_a):
    from datetime import timedelta

    from django.utils import timezone

    from apps.checkout.expiry import orders_unpaid_expire

    with schema_context(store_a.schema):
        card = services.checkout_complete(
            checkout=checkout_ready(shop_a, quantity=3),
            idempotency_key="k-5",
            currency="EUR",
            payment_data=CARD_DECLINED,
        ).order
        manual = services.checkout_complete(
            checkout=checkout_ready(shop_a, quantity=1, payment="manual"),
            idempotency_key="k-6",
            currency="EUR",
        ).order
        assert orders_unpaid_expire(now=timezone.now() + timedelta(minutes=14)) == 0
        # when: 16 minutes later
        assert orders_unpaid_expire(now=timezone.now() + timedelta(minutes=16)) == 1
        card.refresh_from_db()
        manual.refresh_from_db()
        assert card.status == Order.Status.CANCELLED
        assert manual.status == Order.Status.PENDING_PAYMENT  # bank transfer keeps its stock
        assert availability(variant_ids=[shop_a["mug"].pk])[shop_a["mug"].pk].available == 9
        assert ledger_check() == []


def test_a_card_typo_is_refused_before_any_order_exists(store_a, shop_a):
    with schema_context(store_a.schema):
        checkout = checkout_ready(shop_a)
        with pytest.raises(ApplicationError) as refused:
            services.checkout_complete(
                checkout=checkout,
                idempotency_key="k-7",
                currency="EUR",
                payment_data={**CARD_OK, "number": "4242 4242 4242 4241"},
            )
        assert [e.field for e in refused.value.errors] == ["payment_data.number"]
        assert Order.objects.count() == 0
