from celery import shared_task

from apps.orders import confirmations, emails


@shared_task
def order_confirmation_send(order_id: int) -> bool:
    """Runs in the store's schema (the task carries it); sends once however often it runs."""
    return emails.order_confirmation_send(order_id=order_id)


@shared_task
def order_confirmations_drain() -> int:
    """Sends the store's queued confirmations (apps.orders.confirmations)."""
    return confirmations.order_confirmations_drain()


@shared_task
def order_confirmations_sweep() -> int:
    """Per store (beat, through apps.core.fleet): confirmations the queue missed."""
    return confirmations.order_confirmations_sweep()
