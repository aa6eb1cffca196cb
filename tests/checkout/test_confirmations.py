"""Order confirmations are queued per store and sent by one drain per burst
(apps.orders.confirmations): every placed order gets exactly one email, none is stranded while
a drain is pending, a failed send is kept for the next drain, and one store's queue never sends
another store's orders. Real Redis; Celery runs tasks eagerly in tests."""

import pytest
from django.core import mail
from django.core.cache import cache
from django_redis import get_redis_connection
from django_tenants.utils import schema_context

from apps.checkout import services
from apps.orders import confirmations
from apps.orders.models import Order
from tests.checkout.conftest import checkout_ready


def _place(shop, key: str) -> Order:
    checkout = checkout_ready(shop, quantity=1, payment="manual")
    return services.checkout_complete(checkout=checkout, idempotency_key=key, currency="EUR").order


def _queued() -> list[int]:
    client = get_redis_connection("default")
    return [int(v) for v in client.lrange(cache.make_key(confirmations.QUEUE_KEY), 0, -1)]


def test_each_order_gets_one_email_through_the_queue(
    store_a, shop_a, django_capture_on_commit_callbacks
):
    with schema_context(store_a.schema):
        with django_capture_on_commit_callbacks(execute=True):
            first = _place(shop_a, "c-1")
        with django_capture_on_commit_callbacks(execute=True):
            second = _place(shop_a, "c-2")
        assert _queued() == []
        assert cache.get(confirmations.FLAG_KEY) is None  # the drain cleared it
    assert sorted(m.subject for m in mail.outbox) == sorted(
        f"Your order {o} at {store_a.tenant.name}" for o in (first, second)
    )


def test_orders_placed_while_a_drain_is_pending_wait_for_it_and_are_all_sent(
    store_a, shop_a, django_capture_on_commit_callbacks
):
    with schema_context(store_a.schema):
        # given: a drain already queued (not run yet): the flag is set
        cache.set(confirmations.FLAG_KEY, 1, timeout=60)
        with django_capture_on_commit_callbacks(execute=True):
            orders = [_place(shop_a, f"w-{n}") for n in range(3)]
        # then: nothing published, nothing sent, the ids wait in order
        assert _queued() == [order.pk for order in orders]
        assert mail.outbox == []
        # when: the pending drain runs
        assert confirmations.order_confirmations_drain() == 3
        # then: all sent once; a second drain finds nothing
        assert confirmations.order_confirmations_drain() == 0
        assert cache.get(confirmations.FLAG_KEY) is None
    assert len(mail.outbox) == 3


def test_a_failed_send_stays_queued_for_the_next_drain(
    store_a, shop_a, django_capture_on_commit_callbacks, settings
):
    with schema_context(store_a.schema):
        cache.set(confirmations.FLAG_KEY, 1, timeout=60)
        with django_capture_on_commit_callbacks(execute=True):
            orders = [_place(shop_a, f"f-{n}") for n in range(2)]
        settings.EMAIL_BACKEND = "tests.checkout.test_confirmations.BrokenBackend"
        with pytest.raises(ConnectionError):
            confirmations.order_confirmations_drain()
        assert _queued() == [order.pk for order in orders]  # both kept, in order
        assert Order.objects.filter(confirmation_sent_at__isnull=True).count() == 2
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert confirmations.order_confirmations_drain() == 2
    assert len(mail.outbox) == 2


def test_a_stores_drain_never_sends_another_stores_orders(
    store_a, store_b, shop_a, django_capture_on_commit_callbacks
):
    with schema_context(store_a.schema):
        cache.set(confirmations.FLAG_KEY, 1, timeout=60)
        with django_capture_on_commit_callbacks(execute=True):
            order = _place(shop_a, "iso-1")
    with schema_context(store_b.schema):
        assert _queued() == []
        assert confirmations.order_confirmations_drain() == 0
    assert mail.outbox == []
    with schema_context(store_a.schema):
        assert _queued() == [order.pk]


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("the mail server is down")


def test_the_sweep_sends_what_the_queue_missed_and_nothing_else(
    store_a, shop_a, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    with schema_context(store_a.schema):
        # given: three orders whose queued ids were lost (Redis flushed), of different ages
        cache.set(confirmations.FLAG_KEY, 1, timeout=60)
        with django_capture_on_commit_callbacks(execute=True):
            missed, _recent, ancient = (_place(shop_a, f"s-{n}") for n in range(3))
        get_redis_connection("default").delete(cache.make_key(confirmations.QUEUE_KEY))
        now = timezone.now()
        Order.objects.filter(pk=missed.pk).update(placed_at=now - timedelta(minutes=6))
        Order.objects.filter(pk=ancient.pk).update(placed_at=now - timedelta(days=3))
        # when
        assert confirmations.order_confirmations_sweep() == 1
        # then: the missed one only (the recent one may still be in a queue; the old one is
        # past caring); running it again sends nothing more
        assert confirmations.order_confirmations_sweep() == 0
    assert [m.subject for m in mail.outbox] == [f"Your order {missed} at {store_a.tenant.name}"]
