"""Paying under real concurrency: threads, each with its own PostgreSQL connection, committing
for real (tests.tenants.concurrency), against a committed order in store A.

Whatever a test commits it removes again (`committed_order`'s cleanup).
"""

import threading
from collections import Counter

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from apps.core.exceptions import ApplicationError
from apps.orders.models import Order
from apps.payments import services
from apps.payments.models import Payment, PaymentProviderConfig, WebhookEvent
from apps.payments.providers.testgateway import webhook_body, webhook_headers
from tests.orders.factories import order_make
from tests.payments.conftest import GOOD_CARD, WEBHOOK_SECRET, methods_enable
from tests.tenants import concurrency

THREADS = 4


def _order_create(*, tenant, capture: str) -> int:
    with tenant_context(tenant):
        methods_enable(capture=capture)
        return order_make().pk


def _order_remove(*, tenant, order_id: int) -> None:
    with tenant_context(tenant):
        WebhookEvent.objects.filter(payment__order_id=order_id).delete()
        Payment.objects.filter(order_id=order_id).delete()  # and their transactions
        Order.objects.filter(pk=order_id).delete()  # and its lines and events
        PaymentProviderConfig.objects.filter(provider__in=["manual", "test"]).delete()


@pytest.fixture
def committed_order(store_a):
    """committed_order(capture="automatic") -> the id of a committed order of 20.00, in a
    store with the test gateway and manual payments on."""
    made: list[int] = []

    def make(*, capture: str = "automatic") -> int:
        made.append(concurrency.committed(_order_create, tenant=store_a.tenant, capture=capture))
        return made[-1]

    yield make
    for order_id in made:
        concurrency.committed(_order_remove, tenant=store_a.tenant, order_id=order_id)


def _all_at_once(store, work) -> list:
    barrier = threading.Barrier(THREADS, timeout=30)

    def run(*, thread: int):
        with tenant_context(store.tenant):
            connection.ensure_connection()  # connect before the start line, not after it
            barrier.wait()
            return work()

    outcomes = [concurrency.start(run, thread=n) for n in range(THREADS)]
    for outcome in outcomes:
        outcome.join(timeout=60)
    errors = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert errors == [], errors[0]
    return [outcome.value for outcome in outcomes]


def test_paying_one_order_from_several_tabs_at_once_takes_the_money_once(store_a, committed_order):
    order_id = committed_order()

    def pay() -> str:
        try:
            order = Order.objects.get(pk=order_id)
            return services.payment_start(
                order=order, provider_code="test", payment_data=GOOD_CARD
            ).status
        except ApplicationError as error:
            return error.code

    # when
    answers = _all_at_once(store_a, pay)
    # then exactly one attempt took the money; the others were told why not
    counts = Counter(answers)
    assert counts["captured"] == 1, answers
    assert set(counts) - {"captured"} <= {"payment_in_progress", "order_already_paid"}
    with tenant_context(store_a.tenant):
        order = Order.objects.get(pk=order_id)
        assert (order.status, order.payment_status) == ("paid", "paid")
        assert list(order.payments.values_list("status", flat=True)) == ["captured"]
        assert order.events.filter(kind="paid").count() == 1


def test_one_event_delivered_several_times_at_once_is_applied_once(store_a, committed_order):
    # given an authorised payment
    order_id = committed_order(capture="manual")
    reference = concurrency.committed(_authorise, store=store_a, order_id=order_id)
    body = webhook_body("charge.captured", charge=reference, event_id="evt_same")

    def deliver() -> str:
        headers = webhook_headers(body=body, secret=WEBHOOK_SECRET)
        return services.webhook_handle(provider_code="test", body=body, headers=headers).status

    # when
    answers = _all_at_once(store_a, deliver)
    # then
    assert sorted(answers) == ["applied"] + ["duplicate"] * (THREADS - 1)
    with tenant_context(store_a.tenant):
        payment = Payment.objects.get(order_id=order_id)
        assert payment.status == "captured"
        assert payment.transactions.filter(kind="webhook").count() == 1
        assert payment.order.events.filter(kind="paid").count() == 1
        assert WebhookEvent.objects.count() == 1


def _authorise(*, store, order_id: int) -> str:
    with tenant_context(store.tenant):
        order = Order.objects.get(pk=order_id)
        outcome = services.payment_start(order=order, provider_code="test", payment_data=GOOD_CARD)
        assert outcome.status == "authorized"
        return outcome.payment.provider_reference
