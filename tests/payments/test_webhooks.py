"""Webhooks in: signature checked, each provider event applied once (the database says so),
payment and order moved through the services."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from apps.core.exceptions import ApplicationError
from apps.orders import services as orders
from apps.payments import services
from apps.payments.models import Payment, WebhookEvent
from apps.payments.providers.testgateway import webhook_body, webhook_headers
from tests.orders.factories import order_make
from tests.payments.conftest import GOOD_CARD, WEBHOOK_SECRET, methods_enable


def _deliver(body: bytes, *, secret: str = WEBHOOK_SECRET, provider: str = "test"):
    return services.webhook_handle(
        provider_code=provider, body=body, headers=webhook_headers(body=body, secret=secret)
    )


@pytest.fixture
def authorised(in_a):
    """An order of 20.00 whose card payment is authorised, not captured."""
    methods_enable(capture="manual")
    order = order_make()
    return services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD).payment


def test_a_capture_event_pays_the_order_once_however_often_it_comes(authorised):
    body = webhook_body(
        "charge.captured",
        charge=authorised.provider_reference,
        amount=Decimal("20.00"),
        event_id="evt_cap_1",
    )
    # when
    first = _deliver(body)
    again = _deliver(body)
    # then
    assert (first.status, first.event_id) == ("applied", "evt_cap_1")
    assert first.payment_id == authorised.pk
    assert (again.status, again.payment_id) == ("duplicate", None)
    authorised.refresh_from_db()
    assert (authorised.status, authorised.captured_amount) == ("captured", Decimal("20.00"))
    assert authorised.order.status == "paid"
    assert authorised.order.events.filter(kind="paid").count() == 1
    assert authorised.transactions.filter(kind="webhook").count() == 1
    assert WebhookEvent.objects.get().payment == authorised


def test_the_database_keeps_each_event_once(in_a):
    WebhookEvent.objects.create(provider="test", event_id="evt_1", kind="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookEvent.objects.create(provider="test", event_id="evt_1", kind="other")
    # the same id from another provider is another event
    WebhookEvent.objects.create(provider="manual", event_id="evt_1", kind="other")


def test_a_refund_made_at_the_provider_is_counted_and_our_own_is_not_counted_twice(in_a):
    methods_enable()
    payment = services.payment_start(
        order=order_make(), provider_code="test", payment_data=GOOD_CARD
    ).payment
    payment = services.payment_refund(payment=payment, amount=Decimal("5.00"))
    ours = payment.transactions.get(kind="refund").provider_reference
    # when the provider reports our refund, then one made on its dashboard
    echo = webhook_body(
        "charge.refunded", charge=payment.provider_reference, amount=Decimal("5.00"), refund=ours
    )
    dashboard = webhook_body(
        "charge.refunded",
        charge=payment.provider_reference,
        amount=Decimal("3.00"),
        refund="test_re_dash",
    )
    assert _deliver(echo).status == "applied"
    assert _deliver(dashboard).status == "applied"
    # then
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("partially_refunded", Decimal("8.00"))
    # a refund beyond what was captured is recorded as refused and changes nothing
    too_much = webhook_body(
        "charge.refunded", charge=payment.provider_reference, amount=Decimal("50.00"), refund="r2"
    )
    _deliver(too_much)
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("8.00")
    last = payment.transactions.order_by("-id").first()
    assert (last.kind, last.success, last.error_code) == (
        "webhook",
        False,
        "refund_exceeds_captured",
    )


def test_a_failed_event_marks_the_payment_and_order(authorised):
    _deliver(webhook_body("charge.failed", charge=authorised.provider_reference))
    authorised.refresh_from_db()
    assert (authorised.status, authorised.order.payment_status) == ("failed", "failed")
    assert authorised.order.status == "pending_payment"


def test_a_capture_of_another_amount_is_not_trusted(authorised):
    _deliver(
        webhook_body(
            "charge.captured", charge=authorised.provider_reference, amount=Decimal("1.00")
        )
    )
    authorised.refresh_from_db()
    assert (authorised.status, authorised.order.status) == ("authorized", "pending_payment")
    assert authorised.order.events.filter(kind="payment_mismatch").exists()


def test_money_captured_for_a_cancelled_order_goes_straight_back(authorised):
    # given the order was cancelled (its stock released) while the card was only authorised
    orders.order_cancel(order=authorised.order, reason="Expired")
    # when the provider reports the capture
    _deliver(webhook_body("charge.captured", charge=authorised.provider_reference))
    # then
    authorised.refresh_from_db()
    assert (authorised.status, authorised.refunded_amount) == ("refunded", Decimal("20.00"))
    assert (authorised.order.status, authorised.order.payment_status) == ("cancelled", "refunded")


def test_capturing_for_a_cancelled_order_refunds(authorised):
    orders.order_cancel(order=authorised.order, reason="Expired")
    payment = services.payment_capture(payment=authorised)
    assert (payment.status, payment.refunded_amount) == ("refunded", Decimal("20.00"))


@pytest.mark.parametrize(
    ("kwargs", "code", "status"),
    [
        ({"secret": "whsec_wrong"}, "webhook_signature_invalid", 400),
        ({"provider": "nope"}, "provider_unknown", 404),
    ],
)
def test_refused_deliveries(authorised, kwargs, code, status):
    body = webhook_body("charge.captured", charge=authorised.provider_reference)
    with pytest.raises(ApplicationError) as refused:
        _deliver(body, **kwargs)
    assert (refused.value.code, refused.value.status_code) == (code, status)
    assert not WebhookEvent.objects.exists()
    authorised.refresh_from_db()
    assert authorised.status == "authorized"


def test_a_provider_the_store_never_set_up_is_unknown(in_a):
    body = webhook_body("charge.captured", charge="test_ch_x")
    with pytest.raises(ApplicationError) as refused:
        _deliver(body)
    assert (refused.value.code, refused.value.status_code) == ("provider_unknown", 404)


def test_an_event_for_an_unknown_payment_is_refused_and_not_kept(authorised):
    body = webhook_body("charge.captured", charge="test_ch_unknown", event_id="evt_u")
    with pytest.raises(ApplicationError) as refused:
        _deliver(body)
    assert (refused.value.code, refused.value.status_code) == ("webhook_payment_unknown", 404)
    # not recorded: the provider's retry may still apply it
    assert not WebhookEvent.objects.filter(event_id="evt_u").exists()


def test_events_we_do_not_act_on_are_recorded_and_ignored(authorised):
    outcome = _deliver(webhook_body("customer.updated", charge="", event_id="evt_o"))
    assert outcome.status == "ignored"
    assert WebhookEvent.objects.filter(event_id="evt_o").exists()
    assert _deliver(webhook_body("customer.updated", charge="", event_id="evt_o")).status == (
        "duplicate"
    )
    assert Payment.objects.get().status == "authorized"
