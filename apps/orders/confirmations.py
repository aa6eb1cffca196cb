"""Queueing order confirmation emails: one Celery message per burst of orders, not per order.

Publishing a Celery message costs ~1.5 ms of Python (kombu builds a message and a Redis client
each time), a tenth of placing an order. So a placed order's id goes on its store's list in
Redis together with a "drain queued" flag (one pipelined round trip), and only the order that
finds the flag unset publishes a task; that task sends every confirmation on the list.

No id is stranded: the drain empties the list, clears the flag, then empties the list once
more. An order whose id was pushed while the flag was still set was pushed before the clear,
so the second pass takes it; one pushed after the clear sets the flag itself and queues the
next drain. Sending is idempotent (apps.orders.emails claims each order once), so a second
drain or a repeated task is harmless. Without Redis (a development run on the local-memory
cache) each order publishes its own task, as before.

The safety net is order_confirmations_sweep (beat, every few minutes, per store): an order
placed more than SWEEP_AFTER ago whose email is still unsent (its id never reached the list:
Redis down at that moment, or flushed since) gets it then.
"""

import logging
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.core.redis import cache_redis

logger = logging.getLogger(__name__)

QUEUE_KEY = "orders:confirmations:queue"
FLAG_KEY = "orders:confirmations:drain-queued"
# A drain that never ran (a lost message, a dead worker) stops blocking new ones after this.
FLAG_SECONDS = 60
BATCH = 100
# The sweep's window: old enough that the queue had its chance, recent enough to still matter.
SWEEP_AFTER = timedelta(minutes=5)
SWEEP_WITHIN = timedelta(days=2)


def _publish_drain() -> None:
    from apps.orders.tasks import order_confirmations_drain

    order_confirmations_drain.delay()


def order_confirmation_queue(order_id: int) -> None:
    """Queue the confirmation of `order_id` (placed and committed) in the current store. Meant
    for transaction.on_commit; a Redis failure is logged, not raised (the order stands)."""
    client = cache_redis()
    if client is None:
        from apps.orders.tasks import order_confirmation_send

        order_confirmation_send.delay(order_id)
        return
    try:
        pipe = client.pipeline(transaction=False)
        pipe.rpush(cache.make_key(QUEUE_KEY), order_id)
        pipe.set(cache.make_key(FLAG_KEY), 1, nx=True, ex=FLAG_SECONDS)
        _, flag_was_unset = pipe.execute()
        if flag_was_unset:
            _publish_drain()
    except Exception:
        logger.exception("order %s: its confirmation email could not be queued", order_id)


def order_confirmation_queue_on_commit(order_id: int) -> None:
    transaction.on_commit(lambda: order_confirmation_queue(order_id))


def _take(client) -> list[int]:
    taken = client.lpop(cache.make_key(QUEUE_KEY), BATCH) or []
    return [int(value) for value in taken]


def order_confirmations_drain() -> int:
    """Send every queued confirmation of the current store (see the module docstring); how many
    were sent now (not already sent by an earlier run)."""
    from apps.orders.emails import order_confirmation_send

    client = cache_redis()
    if client is None:
        return 0
    sent = 0
    for final_pass in (False, True):
        while ids := _take(client):
            for index, order_id in enumerate(ids):
                try:
                    sent += order_confirmation_send(order_id=order_id)
                except Exception:
                    # Back on the list, this one and the rest; the flag stays until it
                    # expires, so the next order after that queues a drain that tries again.
                    client.rpush(cache.make_key(QUEUE_KEY), *ids[index:])
                    raise
        if not final_pass:
            client.delete(cache.make_key(FLAG_KEY))
    return sent


def order_confirmations_sweep(*, now: datetime | None = None) -> int:
    """Send the confirmations the queue missed: orders of the current store placed between
    SWEEP_WITHIN and SWEEP_AFTER ago and still unsent; how many were sent now."""
    from apps.orders.emails import order_confirmation_send
    from apps.orders.models import Order

    now = now or timezone.now()
    missed = Order.objects.filter(
        confirmation_sent_at__isnull=True,
        placed_at__gte=now - SWEEP_WITHIN,
        placed_at__lt=now - SWEEP_AFTER,
    ).values_list("pk", flat=True)
    return sum(order_confirmation_send(order_id=order_id) for order_id in missed)
