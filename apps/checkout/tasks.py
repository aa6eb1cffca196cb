from celery import shared_task

from apps.checkout.expiry import orders_unpaid_expire


@shared_task
def unpaid_orders_expire() -> int:
    """Runs in one store's schema (queued per store by apps.core.fleet); safe to run twice."""
    return orders_unpaid_expire()
