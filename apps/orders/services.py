"""Order state changes after placement (placing an order is apps.checkout.services).

Each change locks the order row, checks the transition, records an OrderEvent and keeps the
stock ledger right: an order's reservations (reference "order:<id>") become sales when it is
paid and are released when it is cancelled.
"""

from typing import Any

from django.db import transaction

from apps.core.exceptions import ApplicationError
from apps.core.sql import rows_insert
from apps.orders.errors import OrderErrorCode
from apps.orders.models import Order, OrderEvent


def stock_reference(order: Order) -> str:
    """The reference of an order's stock reservations and ledger rows."""
    return f"order:{order.pk}"


def order_event_add(
    *,
    order: Order,
    kind: str,
    message: str = "",
    data: dict[str, Any] | None = None,
    actor=None,
) -> OrderEvent:
    event = OrderEvent(order=order, kind=kind, message=message[:500], data=data or {}, actor=actor)
    rows_insert([event])  # no save() logic or signals on events: the cheaper INSERT
    return event


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


@transaction.atomic
def order_paid(*, order: Order, actor=None, message: str = "Payment received.") -> Order:
    """The order is paid in full: its reserved stock is sold. Paying a paid order again is a
    no-op (a webhook and a redirect may both report the same payment); a cancelled order
    cannot be paid."""
    from apps.inventory import services as inventory

    order = _locked(order)
    if order.status == Order.Status.PAID:
        return order
    if order.status == Order.Status.CANCELLED:
        raise ApplicationError(
            "This order was cancelled; refund the payment instead.",
            code=OrderErrorCode.ORDER_CANCELLED,
            status_code=409,
        )
    inventory.reservations_sell(reference=stock_reference(order))
    order.status = Order.Status.PAID
    order.payment_status = Order.PaymentStatus.PAID
    order.save(update_fields=["status", "payment_status", "updated"])
    order_event_add(order=order, kind="paid", message=message, actor=actor)
    return order


@transaction.atomic
def order_payment_status_set(
    *,
    order: Order,
    payment_status: str,
    message: str = "",
    data: dict[str, Any] | None = None,
    actor=None,
) -> Order:
    """Record a payment state that does not change what was sold (authorised, failed,
    refunded in part or in full) on the order and its timeline."""
    if payment_status not in Order.PaymentStatus.values:
        raise ValueError(f"Unknown payment status {payment_status!r}")
    order = _locked(order)
    if order.payment_status != payment_status:
        order.payment_status = payment_status
        order.save(update_fields=["payment_status", "updated"])
    order_event_add(
        order=order, kind=f"payment_{payment_status}", message=message, data=data, actor=actor
    )
    return order


@transaction.atomic
def order_cancel(*, order: Order, reason: str, actor=None) -> Order:
    """Cancel an unpaid order: its reserved stock goes back on sale. A paid order must be
    refunded first; cancelling a cancelled order is a no-op."""
    from apps.inventory import services as inventory

    order = _locked(order)
    if order.status == Order.Status.CANCELLED:
        return order
    if order.status == Order.Status.PAID:
        raise ApplicationError(
            "A paid order is cancelled by refunding it.",
            code=OrderErrorCode.ORDER_NOT_CANCELLABLE,
            status_code=409,
        )
    inventory.reservations_release(reference=stock_reference(order), reason=reason)
    order.status = Order.Status.CANCELLED
    order.save(update_fields=["status", "updated"])
    order_event_add(order=order, kind="cancelled", message=reason, actor=actor)
    return order
