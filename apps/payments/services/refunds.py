"""Giving money back and calling payments off: refunds (full or in part, never more than was
captured), voids of payments that took no money, and cancelling an order with its payments."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from apps.core.exceptions import ApplicationError
from apps.core.money import currency_exponent
from apps.orders import services as orders
from apps.orders.models import Order
from apps.payments.errors import PaymentErrorCode
from apps.payments.models import Payment, PaymentTransaction
from apps.payments.providers.base import ProviderResult
from apps.payments.services._common import (
    conflict,
    money,
    order_payment_status,
    payment_locked,
    provider_call,
    provider_require,
    refunded_apply,
    settings_of,
    transaction_record,
)

Kind = PaymentTransaction.Kind
Status = Payment.Status


def _refund_amount(payment: Payment, amount: Any) -> Decimal:
    refundable = payment.captured_amount - payment.refunded_amount
    if amount is None or amount == "":
        return refundable
    invalid = ApplicationError(
        "Enter an amount greater than 0.",
        code=PaymentErrorCode.REFUND_AMOUNT_INVALID,
        field="amount",
    )
    try:
        value = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        raise invalid from None
    if not value.is_finite() or value <= 0:
        raise invalid
    places = currency_exponent(payment.currency)
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ApplicationError(
            f"Amounts in {payment.currency} have at most {places} decimal places.",
            code=PaymentErrorCode.REFUND_AMOUNT_INVALID,
            field="amount",
        )
    if value > refundable:
        raise ApplicationError(
            f"At most {money(refundable, payment.currency)} can be refunded.",
            code=PaymentErrorCode.REFUND_EXCEEDS_CAPTURED,
            field="amount",
            extra={"refundable": str(refundable)},
        )
    return value


def payment_refund(
    *, payment: Payment, amount: Decimal | str | None = None, actor=None, reason: str = ""
) -> Payment:
    """Give back `amount` (None: everything not yet refunded) of a captured payment, through
    its provider; the order's payment status becomes partially_refunded or refunded. Never
    more than was captured and not yet refunded. The payment row stays locked during the
    provider call, so two refunds at once cannot both pass the limit.
    Refusals: payment_not_captured (409), refund_amount_invalid / refund_exceeds_captured (on
    "amount"), provider_failed (502: the provider said no; the attempt is recorded)."""
    failure = None
    with transaction.atomic():
        payment = payment_locked(payment)
        if payment.status not in (Status.CAPTURED, Status.PARTIALLY_REFUNDED):
            raise conflict(
                "Only a captured payment can be refunded.", PaymentErrorCode.PAYMENT_NOT_CAPTURED
            )
        value = _refund_amount(payment, amount)
        if value <= 0:
            raise ApplicationError(
                "Nothing is left to refund.",
                code=PaymentErrorCode.REFUND_EXCEEDS_CAPTURED,
                field="amount",
            )
        provider = provider_require(payment.provider)
        result = provider_call(
            lambda: provider.refund(
                reference=payment.provider_reference,
                amount=value,
                currency=payment.currency,
                settings=settings_of(payment.provider),
            ),
            provider=provider,
        )
        transaction_record(
            payment=payment, kind=Kind.REFUND, result=result, amount=value, actor=actor
        )
        if result.success:
            refunded_apply(payment=payment, amount=value, actor=actor, note=reason.strip())
        else:
            failure = ApplicationError(
                result.message or "The provider refused the refund.",
                code=PaymentErrorCode.PROVIDER_FAILED,
                extra={"provider_code": result.error_code},
                status_code=502,
            )
    if failure is not None:
        raise failure
    return payment


def payment_void(*, payment: Payment, actor=None, reason: str = "") -> Payment:
    """Cancel a payment that took no money: a manual one still awaited, or an authorisation
    (released at the provider). The order is unpaid again (it may be paid another way or
    cancelled). Refusals: payment_not_voidable (409), provider_failed (502, recorded)."""
    failure = None
    with transaction.atomic():
        payment = payment_locked(payment)
        if payment.status not in (Status.PENDING, Status.AUTHORIZED):
            raise conflict(
                "Only a payment that took no money yet can be voided; refund it instead.",
                PaymentErrorCode.PAYMENT_NOT_VOIDABLE,
            )
        provider = provider_require(payment.provider)
        if payment.provider_reference or provider.staff_marks_paid:
            result = provider_call(
                lambda: provider.void(
                    reference=payment.provider_reference, settings=settings_of(payment.provider)
                ),
                provider=provider,
            )
        else:
            # A card payment abandoned before the provider answered: nothing to release there.
            result = ProviderResult(success=True, message="Nothing to release at the provider.")
        transaction_record(payment=payment, kind=Kind.VOID, result=result, actor=actor)
        if result.success:
            payment.status = Status.VOIDED
            payment.save(update_fields=["status", "updated"])
            if payment.order.status != Order.Status.PAID:
                order_payment_status(
                    payment=payment,
                    status=Order.PaymentStatus.UNPAID,
                    message="Payment voided." + (f" {reason.strip()}" if reason.strip() else ""),
                    actor=actor,
                )
        else:
            failure = ApplicationError(
                result.message or "The provider refused to void the payment.",
                code=PaymentErrorCode.PROVIDER_FAILED,
                status_code=502,
            )
    if failure is not None:
        raise failure
    return payment


def order_cancel_and_void(*, order: Order, reason: str, actor=None) -> Order:
    """Cancel an unpaid order (apps.orders.services.order_cancel: its reserved stock goes back
    on sale), then void its payments that took no money: a bank transfer still awaited, a card
    authorisation (released at the provider). Refusals: order_not_cancellable (a paid order is
    refunded instead); provider_failed when a provider will not release an authorisation (the
    order stays cancelled)."""
    order = orders.order_cancel(order=order, reason=reason, actor=actor)
    open_payments = Payment.objects.filter(
        order=order, status__in=(Status.PENDING, Status.AUTHORIZED)
    ).order_by("id")
    for payment in open_payments:
        payment_void(payment=payment, actor=actor, reason="The order was cancelled.")
    return order
