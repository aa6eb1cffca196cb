"""Provider webhooks in: verified, applied once, recorded.

The event's row (WebhookEvent, unique per provider and event id) is inserted in the same
transaction that applies it. A redelivery finds the row and changes nothing; two deliveries at
the same moment meet at the unique index, where the second waits for the first and then finds
its row. An event that cannot be applied (a payment we do not know) rolls back with its row, so
the provider's retry may still apply it later.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction

from apps.core.exceptions import ApplicationError
from apps.orders import services as orders
from apps.orders.models import Order
from apps.payments.errors import PaymentErrorCode
from apps.payments.models import Payment, PaymentProviderConfig, PaymentTransaction, WebhookEvent
from apps.payments.providers import payment_provider_get
from apps.payments.providers.base import (
    ProviderResult,
    WebhookEventData,
    WebhookKind,
    WebhookRejected,
)
from apps.payments.services._common import (
    order_payment_status,
    payment_locked,
    provider_settings,
    refunded_apply,
    transaction_record,
)
from apps.payments.services.payments import captured_apply, refund_after_cancel

Status = Payment.Status


@dataclass(frozen=True)
class WebhookOutcome:
    """`status`: "applied", "duplicate" (this event was applied before) or "ignored" (an
    event we do not act on, recorded all the same)."""

    status: str
    event_id: str
    payment_id: int | None = None


def _record(payment: Payment, event: WebhookEventData, *, success: bool = True, error: str = ""):
    transaction_record(
        payment=payment,
        kind=PaymentTransaction.Kind.WEBHOOK,
        amount=event.amount or Decimal(0),
        result=ProviderResult(
            success=success,
            reference=event.reference or event.payment_reference,
            error_code=error,
            message=event.message or f"{event.kind} event {event.event_id}",
            raw=event.raw,
        ),
    )


def _captured(payment: Payment, event: WebhookEventData, via: str) -> bool:
    """True unless the order had been cancelled meanwhile (the caller refunds)."""
    if payment.status not in (Status.PENDING, Status.AUTHORIZED):
        _record(payment, event)  # already captured (by our own call, or an earlier event)
        return True
    if event.amount is not None and event.amount != payment.amount:
        _record(payment, event, success=False, error="amount_mismatch")
        orders.order_event_add(
            order=payment.order,
            kind="payment_mismatch",
            message=f"{via} reported a capture of {event.amount}, not the order's "
            f"{payment.amount}: check the payment before fulfilling.",
            data={"payment": payment.pk},
        )
        return True
    _record(payment, event)
    return captured_apply(payment=payment, actor=None, via=via)


def _failed(payment: Payment, event: WebhookEventData) -> None:
    _record(payment, event)
    if payment.status in (Status.PENDING, Status.AUTHORIZED):
        payment.status = Status.FAILED
        payment.save(update_fields=["status", "updated"])
        order_payment_status(
            payment=payment,
            status=Order.PaymentStatus.FAILED,
            message=event.message or "The provider reported the payment failed.",
        )


def _voided(payment: Payment, event: WebhookEventData) -> None:
    _record(payment, event)
    if payment.status in (Status.PENDING, Status.AUTHORIZED):
        payment.status = Status.VOIDED
        payment.save(update_fields=["status", "updated"])
        order_payment_status(
            payment=payment,
            status=Order.PaymentStatus.UNPAID,
            message="The provider reported the payment voided.",
        )


def _refunded(payment: Payment, event: WebhookEventData) -> None:
    """A refund made at the provider (its dashboard), or ours reported back (then already
    counted: the refund's reference is on our refund transaction)."""
    known = (
        bool(event.reference)
        and payment.transactions.filter(
            kind=PaymentTransaction.Kind.REFUND, success=True, provider_reference=event.reference
        ).exists()
    )
    refundable = payment.captured_amount - payment.refunded_amount
    amount = refundable if event.amount is None else event.amount
    if known or amount == 0:
        _record(payment, event)
        return
    if payment.status not in (Status.CAPTURED, Status.PARTIALLY_REFUNDED) or amount > refundable:
        _record(payment, event, success=False, error=PaymentErrorCode.REFUND_EXCEEDS_CAPTURED)
        return
    _record(payment, event)
    refunded_apply(payment=payment, amount=amount, note="Refunded at the provider.")


def _headers_lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {str(name).lower(): str(value) for name, value in headers.items()}


def webhook_handle(
    *, provider_code: str, body: bytes, headers: Mapping[str, str]
) -> WebhookOutcome:
    """Verify and apply one webhook delivery for this store. Refusals: provider_unknown (404:
    no such provider, or the store never set it up), webhook_signature_invalid /
    webhook_invalid (400), webhook_payment_unknown (404: no payment has that reference; not
    recorded, so a retry may apply it)."""
    provider = payment_provider_get(provider_code)
    config = PaymentProviderConfig.objects.filter(provider=provider_code).first()
    if provider is None or config is None:
        raise ApplicationError(
            "This store does not use that payment provider.",
            code=PaymentErrorCode.PROVIDER_UNKNOWN,
            status_code=404,
        )
    try:
        event = provider.webhook_parse(
            body=body, headers=_headers_lower(headers), settings=provider_settings(config)
        )
    except WebhookRejected as rejected:
        raise ApplicationError(rejected.message, code=rejected.code, status_code=400) from None
    refund_needed = None
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: the duplicate's error stays in it
                record = WebhookEvent.objects.create(
                    provider=provider.code,
                    event_id=event.event_id[:255],
                    kind=str(event.kind),
                    payload=event.raw,
                )
        except IntegrityError:
            return WebhookOutcome(status="duplicate", event_id=event.event_id)
        found = (
            Payment.objects.filter(
                provider=provider.code, provider_reference=event.payment_reference
            ).first()
            if event.payment_reference
            else None
        )
        if found is None:
            if event.kind == WebhookKind.OTHER:
                return WebhookOutcome(status="ignored", event_id=event.event_id)
            raise ApplicationError(
                "No payment of this store has that reference.",
                code=PaymentErrorCode.WEBHOOK_PAYMENT_UNKNOWN,
                status_code=404,
            )
        payment = payment_locked(found)
        record.payment = payment
        record.save(update_fields=["payment"])
        status = "applied"
        if event.kind == WebhookKind.CAPTURED:
            if not _captured(payment, event, via=provider.name):
                refund_needed = payment
        elif event.kind == WebhookKind.FAILED:
            _failed(payment, event)
        elif event.kind == WebhookKind.REFUNDED:
            _refunded(payment, event)
        elif event.kind == WebhookKind.VOIDED:
            _voided(payment, event)
        else:
            _record(payment, event)
            status = "ignored"
    if refund_needed is not None:
        refund_after_cancel(refund_needed)
    return WebhookOutcome(status=status, event_id=event.event_id, payment_id=payment.pk)
