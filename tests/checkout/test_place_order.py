"""Placing an order: one transaction, priced on the server, idempotent, all or nothing."""

from decimal import Decimal

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from apps.cart.models import Cart, CartLine
from apps.checkout import services
from apps.checkout.models import Checkout
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


def test_a_bank_transfer_completion_takes_a_fixed_number_of_queries(
    store_a, shop_a, django_assert_num_queries
):
    # Pinned so that a new query on the hot path (bench/checkout.py places orders through it)
    # is a decision, not an accident. Tests run inside a transaction, so each transaction of
    # the service shows as a SAVEPOINT / RELEASE pair here (BEGIN / COMMIT in production).
    with schema_context(store_a.schema):
        checkout = checkout_ready(shop_a, quantity=1, payment="manual")
        # when: 16 statements, one transaction (the bank transfer is recorded with the order).
        # The running promotions, shipping zones and tax come from the store's configuration
        # memo (apps.core.store_config), warm since checkout_ready priced the checkout.
        #  1 SAVEPOINT   2 the cart FOR UPDATE with its lines, variants, policies and stock
        #  rows (apps.checkout.selectors: one query)
        #  3 nextval (the order's id)   4 INSERT order   5 INSERT lines   6 INSERT event
        #  7 the provider's store config   8 INSERT payment   9 INSERT payment transaction
        # 10 INSERT event "payment_pending"
        # 11 DELETE cart + its lines + the checkout (one statement)
        # 12 stock policy (this variant has no stock row)   13 UPDATE stock (conditional; one
        # row to take: no savepoint)   14 INSERT ledger   15 INSERT reservation   16 RELEASE
        with django_assert_num_queries(16):
            done = services.checkout_complete(
                checkout=checkout, idempotency_key="k-count", currency="EUR"
            )
        assert done.created
        assert done.order.status == Order.Status.PENDING_PAYMENT
        assert done.payment.status == "pending"
        assert done.order.events.filter(kind="payment_pending").exists()
        assert done.order.payments.get().transactions.count() == 1
        assert not Checkout.objects.filter(pk=checkout.pk).exists()
        assert not Cart.objects.filter(pk=checkout.cart_id).exists()
        assert not CartLine.objects.filter(cart_id=checkout.cart_id).exists()
        assert ledger_check() == []


def test_a_card_completion_takes_a_fixed_number_of_queries(
    store_a, shop_a, django_assert_num_queries
):
    with schema_context(store_a.schema):
        checkout = checkout_ready(shop_a, quantity=1, payment="test")
        services.checkout_settings()  # the store's row exists (the first order creates it)
        # when: 47 statements: 12 placing ones (the bank transfer's 16 without its payment's
        # 4; the checkout settings, the hold time, come from the configuration memo too), then
        # the card's 35, the provider called between short transactions:
        #  its config;
        #  open: SAVEPOINT, order and live payments FOR UPDATE, INSERT payment, RELEASE;
        #  authorised: SAVEPOINT, order and payment FOR UPDATE, INSERT transaction, UPDATE
        #   payment, order_payment_status_set (SAVEPOINT, order FOR UPDATE, UPDATE order,
        #   INSERT event, RELEASE), RELEASE;
        #  captured: SAVEPOINT, order and payment FOR UPDATE, INSERT transaction, UPDATE
        #   payment, order_paid (SAVEPOINT, order FOR UPDATE, the stock sold: SAVEPOINT,
        #   reservations, stock rows, UPDATE stock, UPDATE reservations, INSERT ledger,
        #   RELEASE; UPDATE order, INSERT event, RELEASE), RELEASE
        with django_assert_num_queries(47):
            done = services.checkout_complete(
                checkout=checkout, idempotency_key="k-count", currency="EUR", payment_data=CARD_OK
            )
        assert done.order.status == Order.Status.PAID
        assert done.payment.status == "captured"
        assert ledger_check() == []


def test_a_checkout_places_one_order_even_with_a_second_key(store_a, shop_a):
    with schema_context(store_a.schema):
        checkout = checkout_ready(shop_a, payment="manual")
        services.checkout_complete(checkout=checkout, idempotency_key="tab-1", currency="EUR")
        # when: the same checkout completed again from another tab, with its own key
        with pytest.raises(ApplicationError) as refused:
            services.checkout_complete(checkout=checkout, idempotency_key="tab-2", currency="EUR")
        # then
        assert refused.value.code == "cart_empty"
        assert Order.objects.count() == 1


def test_a_payment_method_gone_since_it_was_chosen_places_nothing(store_a, shop_a):
    with schema_context(store_a.schema):
        checkout = checkout_ready(shop_a, payment="manual")
        Checkout.objects.filter(pk=checkout.pk).update(payment_provider="uninstalled")
        checkout.refresh_from_db()
        with pytest.raises(ApplicationError) as refused:
            services.checkout_complete(checkout=checkout, idempotency_key="gone", currency="EUR")
        assert refused.value.code == "payment_method_unavailable"
        assert refused.value.field == "payment_method"
        assert Order.objects.count() == 0
        assert Checkout.objects.filter(pk=checkout.pk).exists()  # nothing lost: pick another
