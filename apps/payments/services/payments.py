"""Taking an order's money and giving it back.

payment_start runs after the order-placing transaction committed, in short transactions of its
own around the provider call (never holding a row lock while a processor thinks): open the
payment under the order's row lock, call the provider, record its answer and move the order.
An order has at most one live payment (models.Payment, a database constraint), so two tabs
paying the same order at once end with one payment, and a paid order is never paid again.
"""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from apps.core.exceptions import ApplicationError, ApplicationFieldErrors
from apps.core.sql import rows_insert
from apps.orders import services as orders
from apps.orders.models import Order
from apps.payments.errors import PaymentErrorCode
from apps.payments.models import Payment, PaymentProviderConfig, PaymentTransaction
from apps.payments.providers.base import PaymentProvider, PaymentRequest, ProviderResult
from apps.payments.services._common import (
    conflict,
    money,
    order_paid_or_cancelled,
    order_payment_status,
    payment_locked,
    provider_call,
    provider_require,
    provider_settings,
    settings_of,
    transaction_record,
)
from apps.payments.services.config import provider_config_enabled
from apps.payments.services.refunds import payment_refund

Kind = PaymentTransaction.Kind
Status = Payment.Status
# A card payment still "pending" after this long was abandoned mid-call (a crashed process):
# a new attempt may replace it rather than wait for it forever.
PENDING_ABANDONED_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class PaymentOutcome:
    """What became of a payment attempt. `status` is the payment's: captured (the order is
    paid), authorized (staff capture later), pending (awaiting a manual payment: show
    `instructions`), failed (declined: `error_code`, `message`; the shopper may try again),
    refunded (taken, but the order had been cancelled meanwhile, so given straight back)."""

    payment: Payment
    order: Order
    status: str
    error_code: str = ""
    message: str = ""
    instructions: str = ""

    @property
    def paid(self) -> bool:
        return self.status == Status.CAPTURED

    @property
    def failed(self) -> bool:
        return self.status in (Status.FAILED, Status.REFUNDED, Status.VOIDED)

    def error(self) -> ApplicationError | None:
        """The refusal for the shopper when the attempt failed (HTTP 402), else None."""
        if not self.failed:
            return None
        return ApplicationError(
            self.message or "The payment did not go through.",
            code=self.error_code or PaymentErrorCode.PAYMENT_DECLINED,
            extra={"payment": self.payment.pk},
            status_code=402,
        )


def _enabled(provider_code: str) -> tuple[PaymentProviderConfig, PaymentProvider]:
    provider = provider_require(provider_code)
    config = provider_config_enabled(provider.code)
    if config is None:
        raise ApplicationError(
            "This store does not take that payment method.",
            code=PaymentErrorCode.PROVIDER_UNAVAILABLE,
            field="provider",
        )
    return config, provider


def _pending_set_aside(payment: Payment, provider: PaymentProvider | None) -> None:
    """A pending payment an attempt may replace: a manual one (the shopper changed their mind
    before paying) or an abandoned card one. Anything else is a payment in progress."""
    if provider is not None and provider.staff_marks_paid:
        status, message = Status.VOIDED, "Replaced: the shopper chose to pay another way."
    elif payment.updated < timezone.now() - PENDING_ABANDONED_AFTER:
        status, message = Status.FAILED, "Abandoned: no answer from the provider."
    else:
        raise conflict(
            "A payment for this order is being processed; wait for its result.",
            PaymentErrorCode.PAYMENT_IN_PROGRESS,
        )
    payment.status = status
    payment.save(update_fields=["status", "updated"])
    kind = Kind.VOID if status == Status.VOIDED else Kind.AUTHORIZE
    transaction_record(
        payment=payment,
        kind=kind,
        result=ProviderResult(success=status == Status.VOIDED, message=message),
    )


@transaction.atomic
def _payment_open(*, order: Order, provider: PaymentProvider) -> Payment:
    return _payment_open_in(order=order, provider=provider)


def _payment_open_in(*, order: Order, provider: PaymentProvider) -> Payment:
    """_payment_open in the caller's transaction (a savepoint would only add round trips)."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status == Order.Status.PAID:
        raise conflict("This order is already paid.", PaymentErrorCode.ORDER_ALREADY_PAID)
    if order.status == Order.Status.CANCELLED:
        raise conflict(
            "This order was cancelled; it cannot be paid.", PaymentErrorCode.ORDER_CANCELLED
        )
    for live in Payment.objects.select_for_update().filter(order=order, status__in=Payment.LIVE):
        if live.status != Status.PENDING:
            raise conflict("This order is already paid.", PaymentErrorCode.ORDER_ALREADY_PAID)
        _pending_set_aside(live, _provider_or_none(live.provider))
    if order.payment_provider != provider.code:
        # The order shows how it is being paid (the shopper may switch after a decline).
        order.payment_provider = provider.code
        order.save(update_fields=["payment_provider", "updated"])
    payment = Payment.objects.create(
        order=order, provider=provider.code, amount=order.total, currency=order.currency
    )
    payment.order = order
    return payment


def _provider_or_none(code: str) -> PaymentProvider | None:
    try:
        return provider_require(code)
    except ApplicationError:
        return None


def _outcome(payment: Payment, *, reload: bool = True, **kwargs: Any) -> PaymentOutcome:
    """`reload=False` when `payment` and `payment.order` were read under their row locks
    (payment_locked) and every change since was saved through them: they are what the
    database holds, no need to read them again."""
    if reload:
        payment = Payment.objects.select_related("order").get(pk=payment.pk)
    return PaymentOutcome(payment=payment, order=payment.order, status=payment.status, **kwargs)


def payment_start(
    *, order: Order, provider_code: str, payment_data: dict[str, Any] | None = None
) -> PaymentOutcome:
    """Pay `order` (placed and committed, awaiting payment) with the store's enabled provider
    `provider_code`, for exactly the order's total.

    Refusals (ApplicationError, nothing recorded): provider_unknown / provider_unavailable /
    currency_not_supported; payment_data_invalid (ApplicationFieldErrors on
    "payment_data.<field>"); order_already_paid, order_cancelled, payment_in_progress (409).
    A decline is not raised: the outcome says failed (outcome.error() gives the refusal) and
    the order stays awaiting payment, marked "payment failed", so the shopper can try again.
    Must not run inside the caller's transaction (the provider is called between commits).
    """
    config, provider = _enabled(provider_code)
    _currency_check(provider, order)
    settings = provider_settings(config)
    cleaned: dict[str, Any] = {}
    if order.total > 0:
        try:
            cleaned = provider.payment_data_clean(payment_data or {})
        except ApplicationFieldErrors as error:
            raise error.prefixed("payment_data") from None
    # A provider whose money arrives outside the store (a bank transfer) has no processor to
    # wait for: its payment is opened and its answer recorded in ONE transaction, under the
    # locks the opening took (one commit, no second round of locks). A card provider is
    # called between two short transactions, never while holding a row lock.
    local = provider.staff_marks_paid
    with transaction.atomic() if local else nullcontext():
        payment = (_payment_open_in if local else _payment_open)(order=order, provider=provider)
        if payment.amount == 0:
            return _nothing_to_pay(payment)
        result = _authorize(provider, payment, payment.order, cleaned, settings)
        record = _authorization_apply if local else _authorization_record
        payment, ended = record(
            payment=payment, provider=provider, config=config, result=result, fresh=local
        )
    if ended is not None:
        return ended
    if provider.auto_capture(settings):
        return _capture(payment=payment, provider=provider, settings=settings, actor=None)
    return _outcome(payment)


def payment_start_with_order(*, order: Order, provider_code: str) -> PaymentOutcome:
    """payment_start for an order being placed in the caller's transaction, paid through a
    provider whose money arrives outside the store (staff mark it paid: a bank transfer).
    Nobody else has seen the order yet, so there is no earlier payment to look for and nothing
    to lock: the payment, its transaction and the order's "awaiting payment" event are written
    with the order, in its commit. Refusals as payment_start's (they undo the placing too).
    Only for a total above zero (nothing to pay settles the stock: payment_start after the
    commit does that)."""
    config, provider = _enabled(provider_code)
    if not provider.staff_marks_paid or order.total <= 0:
        raise ValueError("payment_start_with_order: a manual provider and a total above 0.")
    _currency_check(provider, order)
    payment = Payment(
        order=order, provider=provider.code, amount=order.total, currency=order.currency
    )
    rows_insert([payment])
    settings = provider_settings(config)
    result = _authorize(provider, payment, order, {}, settings)
    payment, ended = _authorization_apply(
        payment=payment, provider=provider, config=config, result=result, fresh=True
    )
    if ended is not None:
        return ended
    if provider.auto_capture(settings):
        return _capture(payment=payment, provider=provider, settings=settings, actor=None)
    return _outcome(payment, reload=False)


def _authorize(
    provider: PaymentProvider, payment: Payment, order: Order, cleaned: dict, settings: dict
) -> ProviderResult:
    request = PaymentRequest(
        payment_id=payment.pk,
        amount=payment.amount,
        currency=payment.currency,
        order_number=order.number,
        email=order.email,
        payment_data=cleaned,
    )
    return provider_call(
        lambda: provider.authorize(request=request, settings=settings), provider=provider
    )


def _currency_check(provider: PaymentProvider, order: Order) -> None:
    if not provider.supports_currency(order.currency):
        raise ApplicationError(
            f"{provider.name} does not take {order.currency}.",
            code=PaymentErrorCode.CURRENCY_NOT_SUPPORTED,
            field="provider",
        )


def _nothing_to_pay(payment: Payment) -> PaymentOutcome:
    with transaction.atomic():
        payment = payment_locked(payment)
        payment.status = Status.CAPTURED
        payment.save(update_fields=["status", "updated"])
        transaction_record(
            payment=payment,
            kind=Kind.CAPTURE,
            result=ProviderResult(success=True, message="Nothing to pay."),
        )
        order_paid_or_cancelled(payment=payment, message="Nothing to pay.")
    return _outcome(payment, reload=False)


@transaction.atomic
def _authorization_record(**kwargs: Any) -> tuple[Payment, PaymentOutcome | None]:
    """_authorization_apply in a transaction of its own, the payment and order locked again
    (the provider was called after _payment_open committed)."""
    return _authorization_apply(**{**kwargs, "payment": payment_locked(kwargs["payment"])})


def _authorization_apply(
    *,
    payment: Payment,
    provider: PaymentProvider,
    config: PaymentProviderConfig,
    result: ProviderResult,
    fresh: bool,
) -> tuple[Payment, PaymentOutcome | None]:
    """Record the provider's answer to authorize, `payment` and `payment.order` locked in the
    current transaction. The payment as recorded, and an outcome when the attempt ends here
    (declined, or a manual payment now awaited); None when it was authorised. `config`: the
    store's settings for the provider (payment_start read them); `fresh`: the payment was
    created in this transaction (nobody else has seen it)."""
    transaction_record(payment=payment, kind=Kind.AUTHORIZE, result=result, amount=payment.amount)
    if payment.status != Status.PENDING:
        # Staff voided it while the provider was thinking: the result does not count.
        return payment, _outcome(
            payment, reload=False, error_code=PaymentErrorCode.PAYMENT_NOT_PENDING
        )
    payment.provider_reference = result.reference[:255]
    name = provider.name
    if not result.success:
        payment.status = Status.FAILED
        payment.save(update_fields=["status", "provider_reference", "updated"])
        order_payment_status(
            payment=payment,
            status=Order.PaymentStatus.FAILED,
            message=f"{name}: {result.message or 'declined'}",
            error_code=result.error_code,
        )
        return payment, _outcome(
            payment,
            reload=False,
            error_code=result.error_code or PaymentErrorCode.PAYMENT_DECLINED,
            message=result.message or "The payment was declined.",
        )
    if result.pending:
        if not fresh or payment.provider_reference:
            # (touching `updated` matters for a card payment: PENDING_ABANDONED_AFTER)
            payment.save(update_fields=["provider_reference", "updated"])
        label = config.display_name or name
        orders.order_event_add(
            order=payment.order,
            kind="payment_pending",
            message=f"Awaiting payment by {label}.",
            data={"payment": payment.pk},
        )
        return payment, _outcome(payment, reload=False, instructions=config.instructions)
    payment.status = Status.AUTHORIZED
    payment.save(update_fields=["status", "provider_reference", "updated"])
    order_payment_status(
        payment=payment,
        status=Order.PaymentStatus.AUTHORIZED,
        message=f"{money(payment.amount, payment.currency)} authorised ({name}).",
    )
    return payment, None


def _capture(
    *, payment: Payment, provider: PaymentProvider, settings: dict, actor
) -> PaymentOutcome:
    # `payment` must carry the reference the authorisation recorded.
    result = provider_call(
        lambda: provider.capture(
            reference=payment.provider_reference,
            amount=payment.amount,
            currency=payment.currency,
            settings=settings,
        ),
        provider=provider,
    )
    with transaction.atomic():
        payment = payment_locked(payment)
        transaction_record(
            payment=payment, kind=Kind.CAPTURE, result=result, amount=payment.amount, actor=actor
        )
        if not result.success:
            # Still authorised: staff may capture again, or void.
            return _outcome(
                payment,
                reload=False,
                error_code=result.error_code or PaymentErrorCode.PROVIDER_FAILED,
                message=result.message,
            )
        order_kept = captured_apply(payment=payment, actor=actor, via=provider.name)
    if not order_kept:
        return refund_after_cancel(payment)
    return _outcome(payment, reload=False)


def captured_apply(*, payment: Payment, actor, via: str) -> bool:
    """The payment's full amount was taken: the order is paid. False when the order had been
    cancelled meanwhile (the caller gives the money back)."""
    payment.status = Status.CAPTURED
    payment.captured_amount = payment.amount
    payment.save(update_fields=["status", "captured_amount", "updated"])
    return order_paid_or_cancelled(
        payment=payment,
        actor=actor,
        message=f"Payment of {money(payment.amount, payment.currency)} received ({via}).",
    )


def refund_after_cancel(payment: Payment) -> PaymentOutcome:
    message = "The order was cancelled before its payment went through; the money was returned."
    payment_refund(payment=payment, amount=None, reason=message)
    return _outcome(payment, error_code=PaymentErrorCode.ORDER_CANCELLED, message=message)


def payment_capture(*, payment: Payment, actor=None) -> Payment:
    """Take the money of an authorised payment (the order becomes paid). Refusals:
    payment_not_authorized (409); provider_failed (502) when the provider says no, recorded."""
    provider = provider_require(payment.provider)
    if payment.status != Status.AUTHORIZED:
        raise conflict(
            "Only an authorised payment can be captured.", PaymentErrorCode.PAYMENT_NOT_AUTHORIZED
        )
    outcome = _capture(
        payment=Payment.objects.get(pk=payment.pk),  # the reference the authorisation recorded
        provider=provider,
        settings=settings_of(payment.provider),
        actor=actor,
    )
    if outcome.status == Status.AUTHORIZED and outcome.error_code:
        raise ApplicationError(
            outcome.message or "The provider refused the capture.",
            code=PaymentErrorCode.PROVIDER_FAILED,
            status_code=502,
        )
    return outcome.payment


@transaction.atomic
def payment_mark_paid(*, payment: Payment, actor=None, reference: str = "") -> Payment:
    """Staff saw the money of a manual payment arrive (a bank transfer, cash on delivery):
    the payment is captured and the order paid. `reference` (the bank's, say) is kept.
    Refusals: mark_paid_not_supported (a card payment), payment_not_pending (409),
    order_cancelled (409: cancelled orders are not paid)."""
    payment = payment_locked(payment)
    provider = provider_require(payment.provider)
    if not provider.staff_marks_paid:
        raise ApplicationError(
            f"{provider.name} payments are confirmed by the provider, not by staff.",
            code=PaymentErrorCode.MARK_PAID_NOT_SUPPORTED,
        )
    if payment.status != Status.PENDING:
        raise conflict(
            "Only a payment awaiting its money can be marked paid.",
            PaymentErrorCode.PAYMENT_NOT_PENDING,
        )
    reference = (reference or "").strip()[:255]
    result = provider.capture(
        reference=reference,
        amount=payment.amount,
        currency=payment.currency,
        settings=settings_of(payment.provider),
    )
    transaction_record(
        payment=payment, kind=Kind.CAPTURE, result=result, amount=payment.amount, actor=actor
    )
    if reference:
        payment.provider_reference = reference
    if not captured_apply(payment=payment, actor=actor, via="marked paid by staff"):
        raise conflict(
            "This order was cancelled; it cannot be paid.", PaymentErrorCode.ORDER_CANCELLED
        )
    if reference:
        payment.save(update_fields=["provider_reference", "updated"])
    return payment
