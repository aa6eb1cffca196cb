"""What the payment services share: finding a store's provider, calling it safely, recording
what it answered, and telling the order."""

import copy
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from apps.core.exceptions import ApplicationError
from apps.core.money import Money
from apps.core.sql import rows_insert
from apps.core.store_config import store_memo
from apps.orders import services as orders
from apps.orders.errors import OrderErrorCode
from apps.orders.models import Order
from apps.payments.errors import PaymentErrorCode
from apps.payments.models import Payment, PaymentProviderConfig, PaymentTransaction
from apps.payments.providers import payment_provider_get
from apps.payments.providers.base import PaymentProvider, ProviderResult
from apps.payments.secrets import secrets_decrypt

logger = logging.getLogger(__name__)

PROVIDER_ERROR = "provider_error"


def money(amount: Decimal, currency: str) -> str:
    return str(Money(amount, currency))


def conflict(message: str, code: str) -> ApplicationError:
    """A refusal because of the payment's or order's state (HTTP 409)."""
    return ApplicationError(message, code=code, status_code=409)


def provider_require(code: str) -> PaymentProvider:
    provider = payment_provider_get(code)
    if provider is None:
        raise ApplicationError(
            f"There is no payment provider {code!r}.",
            code=PaymentErrorCode.PROVIDER_UNKNOWN,
            field="provider",
            status_code=404,
        )
    return provider


def provider_settings(config: PaymentProviderConfig | None) -> dict[str, Any]:
    """A store's settings for a provider, secrets decrypted (for the provider only: never show
    or log them)."""
    if config is None:
        return {}
    return {**config.settings, **secrets_decrypt(config.secrets)}


def settings_of(code: str) -> dict[str, Any]:
    """provider_settings() of the store's config for `code`, from the store's configuration
    memo (apps.core.store_config): a copy, the caller's to change."""
    memoised = store_memo(
        f"payments.settings:{code}",
        lambda: provider_settings(PaymentProviderConfig.objects.filter(provider=code).first()),
    )
    return copy.deepcopy(memoised)


def provider_call(
    call: Callable[[], ProviderResult], *, provider: PaymentProvider
) -> ProviderResult:
    """Run one provider call; a provider that crashes or cannot be reached is a failed result
    (recorded like a decline), never a 500 halfway through a payment."""
    try:
        result = call()
    except Exception as exc:
        logger.exception("Payment provider %s failed.", provider.code)
        return ProviderResult(
            success=False,
            error_code=PROVIDER_ERROR,
            message=f"{provider.name} could not be reached; try again in a moment.",
            raw={"exception": type(exc).__name__},
        )
    if not isinstance(result, ProviderResult):
        raise TypeError(f"{provider.code} answered {result!r}, not a ProviderResult.")
    return result


def transaction_record(
    *,
    payment: Payment,
    kind: str,
    result: ProviderResult,
    amount: Decimal = Decimal(0),
    actor=None,
) -> PaymentTransaction:
    record = PaymentTransaction(
        payment=payment,
        kind=kind,
        amount=amount,
        success=result.success,
        provider_reference=result.reference[:255],
        error_code=result.error_code[:60],
        error_message=result.message[:500],
        raw=result.raw,
        actor=actor,
    )
    rows_insert([record])
    return record


def payment_locked(payment: Payment) -> Payment:
    """The payment and its order, both locked: the order first, as every payment service and
    apps.orders.services lock them, so two of them never wait on each other in a cycle."""
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    locked.order = order
    return locked


def order_paid_or_cancelled(*, payment: Payment, actor=None, message: str) -> bool:
    """Tell the order its money arrived. False when the order was cancelled meanwhile (its
    stock went back on sale): the caller refunds. Runs in the caller's transaction."""
    try:
        payment.order = orders.order_paid(order=payment.order, actor=actor, message=message)
    except ApplicationError as error:
        if error.code != OrderErrorCode.ORDER_CANCELLED:
            raise
        return False
    return True


def order_payment_status(
    *, payment: Payment, status: str, message: str, actor=None, **data: Any
) -> None:
    payment.order = orders.order_payment_status_set(
        order=payment.order,
        payment_status=status,
        message=message,
        data={"payment": payment.pk, **data},
        actor=actor,
    )


def order_refund_status(payment: Payment) -> str:
    fully = payment.refunded_amount >= payment.captured_amount
    return Order.PaymentStatus.REFUNDED if fully else Order.PaymentStatus.PARTIALLY_REFUNDED


def refunded_apply(*, payment: Payment, amount: Decimal, actor=None, note: str = "") -> None:
    """Count `amount` as given back (the provider already did it) and tell the order."""
    payment.refunded_amount += amount
    fully = payment.refunded_amount >= payment.captured_amount
    payment.status = Payment.Status.REFUNDED if fully else Payment.Status.PARTIALLY_REFUNDED
    payment.save(update_fields=["refunded_amount", "status", "updated"])
    message = f"Refunded {money(amount, payment.currency)}." + (f" {note}" if note else "")
    order_payment_status(
        payment=payment,
        status=order_refund_status(payment),
        message=message,
        actor=actor,
        amount=str(amount),
    )
