"""Unpaid card orders give their stock back after the store's reservation time.

An order paid by card that is still awaiting payment when the reservation time
(CheckoutSettings.reservation_minutes, 15 by default) has passed is cancelled, which releases
its reserved stock and voids any card authorisation
(apps.payments.services.order_cancel_and_void). Manual payments (bank transfer, cash on
delivery) keep their stock until staff mark them paid or cancel them. Run every minute for each
store by Celery beat (apps.core.fleet); safe to run twice and concurrently (each cancellation
locks its order and skips one that was paid meanwhile).
"""

from datetime import datetime, timedelta

from django.utils import timezone

from apps.core.exceptions import ApplicationError
from apps.orders.models import Order
from apps.payments.services import order_cancel_and_void


def orders_unpaid_expire(*, now: datetime | None = None, batch: int = 200) -> int:
    """Cancel the unpaid card orders older than the reservation time; how many were."""
    from apps.checkout.services import MANUAL_PROVIDERS, checkout_settings

    minutes = checkout_settings().reservation_minutes
    deadline = (now or timezone.now()) - timedelta(minutes=minutes)
    due = list(
        Order.objects.filter(status=Order.Status.PENDING_PAYMENT, placed_at__lt=deadline)
        .exclude(payment_provider__in=MANUAL_PROVIDERS)
        .order_by("id")[:batch]
    )
    cancelled = 0
    for order in due:
        try:
            result = order_cancel_and_void(
                order=order, reason=f"Not paid within {minutes} minutes; stock released."
            )
        except ApplicationError:
            continue  # paid meanwhile
        cancelled += result.status == Order.Status.CANCELLED
    return cancelled
