"""Payment services: methods, paying by card and by bank transfer, retries, refunds, voids."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.exceptions import ApplicationError, ApplicationFieldErrors
from apps.inventory import services as inventory
from apps.inventory.models import StockItem
from apps.orders import services as orders
from apps.orders.models import Order
from apps.payments import services
from apps.payments.models import Payment, PaymentTransaction
from apps.payments.providers import DEFAULT_PAYMENT_PROVIDERS
from tests.inventory.conftest import books_balance, variant_make
from tests.orders.factories import order_make
from tests.payments.conftest import BANK_DETAILS, DECLINED_CARD, GOOD_CARD, methods_enable
from tests.payments.providers import FLAKY


def _kinds(order: Order) -> list[str]:
    return list(order.events.order_by("id").values_list("kind", flat=True))


def _transactions(payment: Payment) -> list[tuple]:
    return list(
        payment.transactions.order_by("id").values_list("kind", "amount", "success", "error_code")
    )


# --- methods ------------------------------------------------------------------------------


def test_methods_are_the_enabled_ones_in_position_order(methods_a):
    # given the test gateway at 0 and manual at 1; then manual moved first and the gateway off
    assert [m.code for m in services.payment_methods_available(currency="USD")] == [
        "test",
        "manual",
    ]
    services.provider_config_save(provider_code="test", enabled=False)
    # when
    methods = services.payment_methods_available(currency="USD")
    # then
    assert [(m.code, m.name, m.instructions, m.needs_card) for m in methods] == [
        ("manual", "Bank transfer", BANK_DETAILS, False)
    ]


def test_no_methods_until_the_store_switches_one_on(in_a):
    assert services.payment_methods_available(currency="USD") == []


def test_unknown_provider_cannot_be_configured(in_a):
    with pytest.raises(ApplicationError) as refused:
        services.provider_config_save(provider_code="nope", enabled=True)
    assert (refused.value.code, refused.value.field) == ("provider_unknown", "provider")


# --- card payments ------------------------------------------------------------------------


def test_a_good_card_pays_the_order_total(order):
    # when
    outcome = services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD)
    # then
    assert (outcome.status, outcome.paid, outcome.failed, outcome.error()) == (
        "captured",
        True,
        False,
        None,
    )
    payment = outcome.payment
    assert (payment.amount, payment.captured_amount, payment.currency) == (
        Decimal("25.00"),
        Decimal("25.00"),
        "USD",
    )
    assert payment.provider_reference.startswith("test_ch_")
    assert _transactions(payment) == [
        ("authorize", Decimal("25.00"), True, ""),
        ("capture", Decimal("25.00"), True, ""),
    ]
    # the capture was of the authorised charge
    assert set(payment.transactions.values_list("provider_reference", flat=True)) == {
        payment.provider_reference
    }
    order.refresh_from_db()
    assert (order.status, order.payment_status, order.payment_provider) == ("paid", "paid", "test")
    assert _kinds(order) == ["placed", "payment_authorized", "paid"]
    # nothing of the card but its last 4 digits is kept
    raw = str(list(PaymentTransaction.objects.values_list("raw", flat=True)))
    assert "4242424242424242" not in raw
    assert "'last4': '4242'" in raw


def test_the_amount_is_the_orders_total_whatever_the_shopper_sends(order):
    outcome = services.payment_start(
        order=order, provider_code="test", payment_data={**GOOD_CARD, "amount": "0.01"}
    )
    assert outcome.payment.amount == Decimal("25.00")


def test_a_declined_card_leaves_the_order_awaiting_payment_and_a_retry_works(order):
    # when
    declined = services.payment_start(order=order, provider_code="test", payment_data=DECLINED_CARD)
    # then
    assert (declined.status, declined.error_code, declined.message) == (
        "failed",
        "card_declined",
        "Your card was declined.",
    )
    error = declined.error()
    assert (error.code, error.status_code, error.message) == (
        "card_declined",
        402,
        "Your card was declined.",
    )
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("pending_payment", "failed")
    assert _transactions(declined.payment) == [
        ("authorize", Decimal("25.00"), False, "card_declined")
    ]
    # when the shopper tries another card
    retried = services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD)
    # then
    assert retried.status == "captured"
    assert retried.payment.pk != declined.payment.pk
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("paid", "paid")
    assert list(order.payments.order_by("id").values_list("status", flat=True)) == [
        "failed",
        "captured",
    ]


def test_card_mistakes_are_refused_per_field_and_nothing_is_recorded(order):
    # when
    with pytest.raises(ApplicationFieldErrors) as refused:
        services.payment_start(
            order=order,
            provider_code="test",
            payment_data={"number": "4242 4242 4242 4241", "exp_month": "13", "exp_year": "2040"},
        )
    # then
    assert refused.value.code == "payment_data_invalid"
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("payment_data.number", "card_number_invalid"),
        ("payment_data.exp_month", "expiry_invalid"),
        ("payment_data.cvc", "cvc_invalid"),
    ]
    assert not Payment.objects.exists()
    order.refresh_from_db()
    assert order.payment_status == "unpaid"


def test_paying_a_paid_order_again_is_refused(order):
    services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD)
    # when
    with pytest.raises(ApplicationError) as refused:
        services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD)
    # then
    assert (refused.value.code, refused.value.status_code) == ("order_already_paid", 409)
    assert order.payments.count() == 1


def test_an_authorised_order_cannot_be_paid_again(in_a):
    methods_enable(capture="manual")
    order = order_make()
    services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD)
    with pytest.raises(ApplicationError) as refused:
        services.payment_start(order=order, provider_code="manual")
    assert refused.value.code == "order_already_paid"


def test_the_database_refuses_a_second_live_payment(order):
    Payment.objects.create(order=order, provider="test", amount=order.total, currency="USD")
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(order=order, provider="manual", amount=order.total, currency="USD")


def test_the_database_refuses_refunding_more_than_was_captured(order):
    payment = Payment.objects.create(
        order=order, provider="test", amount=order.total, currency="USD", status="captured"
    )
    Payment.objects.filter(pk=payment.pk).update(captured_amount=Decimal("25.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(refunded_amount=Decimal("25.01"))


def test_a_payment_in_flight_blocks_a_second_attempt_until_abandoned(order):
    # given a card payment opened but not answered yet (its process died, say)
    stuck = Payment.objects.create(order=order, provider="test", amount=order.total, currency="USD")
    # when
    with pytest.raises(ApplicationError) as refused:
        services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD)
    # then
    assert (refused.value.code, refused.value.status_code) == ("payment_in_progress", 409)
    # and once it is old enough it is given up
    Payment.objects.filter(pk=stuck.pk).update(updated=timezone.now() - timedelta(minutes=16))
    outcome = services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD)
    assert outcome.status == "captured"
    stuck.refresh_from_db()
    assert stuck.status == "failed"


def test_a_cancelled_order_cannot_be_paid(order):
    orders.order_cancel(order=order, reason="Changed my mind")
    with pytest.raises(ApplicationError) as refused:
        services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD)
    assert (refused.value.code, refused.value.status_code) == ("order_cancelled", 409)


def test_a_disabled_method_is_refused(order):
    services.provider_config_save(provider_code="test", enabled=False)
    with pytest.raises(ApplicationError) as refused:
        services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD)
    assert (refused.value.code, refused.value.field) == ("provider_unavailable", "provider")


def test_an_order_with_nothing_to_pay_is_paid_at_once(methods_a):
    order = order_make(lines=[("FREE-1", 1, "0.00")])
    outcome = services.payment_start(order=order, provider_code="test", payment_data={})
    assert (outcome.status, outcome.order.status, outcome.payment.amount) == (
        "captured",
        "paid",
        Decimal("0.00"),
    )


def test_paying_sells_the_orders_reserved_stock(methods_a):
    # given an order holding 2 of the 5 tees
    tee = variant_make("TEE-1")
    inventory.stock_receive(variant=tee, quantity=5)
    order = order_make(lines=[("TEE-1", 2, "10.00")], reserve=True)
    item = StockItem.objects.get(variant=tee)
    assert (item.on_hand, item.reserved) == (5, 2)
    # when
    services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD)
    # then
    item.refresh_from_db()
    assert (item.on_hand, item.reserved) == (3, 0)
    books_balance()


def test_manual_capture_authorises_then_staff_capture(in_a):
    methods_enable(capture="manual")
    order = order_make()
    # when
    outcome = services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD)
    # then
    assert (outcome.status, outcome.order.status, outcome.order.payment_status) == (
        "authorized",
        "pending_payment",
        "authorized",
    )
    payment = services.payment_capture(payment=outcome.payment)
    assert (payment.status, payment.captured_amount) == ("captured", Decimal("20.00"))
    order.refresh_from_db()
    assert order.status == "paid"


# --- manual payments ----------------------------------------------------------------------


def test_a_bank_transfer_awaits_its_money_then_staff_mark_it_paid(order, store_a):
    # when
    outcome = services.payment_start(order=order, provider_code="manual")
    # then the shopper sees the bank details and the order waits
    assert (outcome.status, outcome.instructions, outcome.paid, outcome.failed) == (
        "pending",
        BANK_DETAILS,
        False,
        False,
    )
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("pending_payment", "unpaid")
    assert _kinds(order) == ["placed", "payment_pending"]
    # when the money arrives
    staff = User.objects.get(email=store_a.owner_email)
    payment = services.payment_mark_paid(payment=outcome.payment, actor=staff, reference="BANK-77")
    # then
    assert (payment.status, payment.captured_amount, payment.provider_reference) == (
        "captured",
        Decimal("25.00"),
        "BANK-77",
    )
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("paid", "paid")
    paid_event = order.events.get(kind="paid")
    assert paid_event.actor == staff
    capture = payment.transactions.get(kind="capture")
    assert capture.actor == staff


def test_a_card_payment_cannot_be_marked_paid_by_staff(in_a):
    methods_enable(capture="manual")
    outcome = services.payment_start(
        order=order_make(), provider_code="test", payment_data=GOOD_CARD
    )
    with pytest.raises(ApplicationError) as refused:
        services.payment_mark_paid(payment=outcome.payment)
    assert refused.value.code == "mark_paid_not_supported"


def test_marking_paid_twice_is_refused(order):
    payment = services.payment_start(order=order, provider_code="manual").payment
    services.payment_mark_paid(payment=payment)
    with pytest.raises(ApplicationError) as refused:
        services.payment_mark_paid(payment=payment)
    assert (refused.value.code, refused.value.status_code) == ("payment_not_pending", 409)


def test_a_shopper_may_switch_from_bank_transfer_to_card(order):
    manual = services.payment_start(order=order, provider_code="manual").payment
    card = services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD)
    assert card.status == "captured"
    manual.refresh_from_db()
    assert manual.status == "voided"
    with pytest.raises(ApplicationError) as refused:
        services.payment_mark_paid(payment=manual)
    assert refused.value.code == "payment_not_pending"


# --- refunds ------------------------------------------------------------------------------


@pytest.fixture
def paid(order):
    return services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD).payment


def test_partial_then_full_refund(paid):
    # when
    payment = services.payment_refund(payment=paid, amount=Decimal("10.00"), reason="Damaged")
    # then
    assert (payment.status, payment.refunded_amount, payment.order.payment_status) == (
        "partially_refunded",
        Decimal("10.00"),
        "partially_refunded",
    )
    refund = payment.transactions.get(kind="refund")
    assert (refund.amount, refund.success, refund.provider_reference[:8]) == (
        Decimal("10.00"),
        True,
        "test_re_",
    )
    # when the rest goes back
    payment = services.payment_refund(payment=payment, amount=None)
    # then
    assert (payment.status, payment.refunded_amount) == ("refunded", Decimal("25.00"))
    order = Order.objects.get(pk=payment.order_id)
    assert (order.status, order.payment_status) == ("paid", "refunded")
    assert [e.message for e in order.events.filter(kind__contains="refunded").order_by("id")] == [
        "Refunded $10.00. Damaged",
        "Refunded $15.00.",
    ]


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("25.01", "refund_exceeds_captured"),
        ("0", "refund_amount_invalid"),
        ("-1", "refund_amount_invalid"),
        ("1.001", "refund_amount_invalid"),
        ("lots", "refund_amount_invalid"),
    ],
)
def test_refund_amount_limits(paid, amount, code):
    with pytest.raises(ApplicationError) as refused:
        services.payment_refund(payment=paid, amount=amount)
    assert (refused.value.code, refused.value.field) == (code, "amount")
    paid.refresh_from_db()
    assert paid.refunded_amount == 0
    assert not paid.transactions.filter(kind="refund").exists()


def test_nothing_more_after_a_full_refund(paid):
    services.payment_refund(payment=paid, amount=Decimal("25.00"))
    with pytest.raises(ApplicationError) as refused:
        services.payment_refund(payment=paid, amount=Decimal("0.01"))
    assert refused.value.code == "payment_not_captured"


def test_second_partial_refund_is_limited_to_what_is_left(paid):
    services.payment_refund(payment=paid, amount=Decimal("20.00"))
    with pytest.raises(ApplicationError) as refused:
        services.payment_refund(payment=paid, amount=Decimal("5.01"))
    assert (refused.value.code, refused.value.message) == (
        "refund_exceeds_captured",
        "At most $5.00 can be refunded.",
    )


def test_an_unpaid_payment_cannot_be_refunded(order):
    pending = services.payment_start(order=order, provider_code="manual").payment
    with pytest.raises(ApplicationError) as refused:
        services.payment_refund(payment=pending, amount=Decimal("1.00"))
    assert refused.value.code == "payment_not_captured"


# --- voids and cancelling -----------------------------------------------------------------


def test_void_releases_an_authorisation_and_the_order_may_be_paid_again(in_a):
    methods_enable(capture="manual")
    order = order_make()
    authorised = services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD)
    # when
    payment = services.payment_void(payment=authorised.payment, reason="Fraud check")
    # then
    assert payment.status == "voided"
    assert _transactions(payment)[-1] == ("void", Decimal("0.00"), True, "")
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("pending_payment", "unpaid")
    assert services.payment_start(order=order, provider_code="manual").status == "pending"


def test_a_captured_payment_cannot_be_voided(paid):
    with pytest.raises(ApplicationError) as refused:
        services.payment_void(payment=paid)
    assert (refused.value.code, refused.value.status_code) == ("payment_not_voidable", 409)


def test_cancelling_an_order_voids_its_awaited_bank_transfer(order):
    payment = services.payment_start(order=order, provider_code="manual").payment
    services.order_cancel_and_void(order=order, reason="Never paid")
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (order.status, payment.status) == ("cancelled", "voided")
    with pytest.raises(ApplicationError) as refused:
        services.payment_mark_paid(payment=payment)
    assert refused.value.code == "payment_not_pending"


def test_a_paid_order_is_not_cancelled(paid):
    with pytest.raises(ApplicationError) as refused:
        services.order_cancel_and_void(order=paid.order, reason="Oops")
    assert refused.value.code == "order_not_cancellable"


# --- a provider that fails ----------------------------------------------------------------


@pytest.fixture
def flaky(settings, in_a):
    settings.PAYMENT_PROVIDERS = [*DEFAULT_PAYMENT_PROVIDERS, FLAKY]
    services.provider_config_save(provider_code="flaky", enabled=True, settings={"down": "yes"})


def test_methods_only_offer_providers_that_take_the_currency(flaky):
    assert [m.code for m in services.payment_methods_available(currency="EUR")] == ["flaky"]
    assert services.payment_methods_available(currency="USD") == []
    with pytest.raises(ApplicationError) as refused:
        services.payment_start(order=order_make(currency="USD"), provider_code="flaky")
    assert refused.value.code == "currency_not_supported"


def test_a_provider_that_cannot_be_reached_fails_the_attempt_cleanly(flaky):
    order = order_make(currency="EUR")
    outcome = services.payment_start(order=order, provider_code="flaky")
    assert (outcome.status, outcome.error_code, outcome.message) == (
        "failed",
        "provider_error",
        "Flaky Pay could not be reached; try again in a moment.",
    )
    assert _transactions(outcome.payment) == [
        ("authorize", Decimal("20.00"), False, "provider_error")
    ]
    assert outcome.payment.transactions.get().raw == {"exception": "ConnectionError"}
    order.refresh_from_db()
    assert (order.status, order.payment_status) == ("pending_payment", "failed")


def test_a_refused_refund_is_recorded_and_reported(flaky):
    services.provider_config_save(provider_code="flaky", settings={"down": "no"})
    payment = services.payment_start(
        order=order_make(currency="EUR"), provider_code="flaky"
    ).payment
    assert payment.status == "captured"
    with pytest.raises(ApplicationError) as refused:
        services.payment_refund(payment=payment, amount=Decimal("5.00"))
    assert (refused.value.code, refused.value.status_code, refused.value.message) == (
        "provider_failed",
        502,
        "Too late to refund.",
    )
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("captured", Decimal("0.00"))
    assert _transactions(payment)[-1] == (
        "refund",
        Decimal("5.00"),
        False,
        "refund_window_closed",
    )
