"""Stable error codes of payments (the API's `code`, the admin's message key)."""

from enum import StrEnum


class PaymentErrorCode(StrEnum):
    PROVIDER_UNKNOWN = "provider_unknown"
    PROVIDER_UNAVAILABLE = "provider_unavailable"
    PROVIDER_SETTINGS_INVALID = "provider_settings_invalid"
    CURRENCY_NOT_SUPPORTED = "currency_not_supported"
    PAYMENT_DATA_INVALID = "payment_data_invalid"
    ORDER_ALREADY_PAID = "order_already_paid"
    ORDER_CANCELLED = "order_cancelled"
    PAYMENT_IN_PROGRESS = "payment_in_progress"
    PAYMENT_DECLINED = "payment_declined"
    PAYMENT_NOT_PENDING = "payment_not_pending"
    PAYMENT_NOT_AUTHORIZED = "payment_not_authorized"
    PAYMENT_NOT_CAPTURED = "payment_not_captured"
    PAYMENT_NOT_VOIDABLE = "payment_not_voidable"
    MARK_PAID_NOT_SUPPORTED = "mark_paid_not_supported"
    REFUND_AMOUNT_INVALID = "refund_amount_invalid"
    REFUND_EXCEEDS_CAPTURED = "refund_exceeds_captured"
    PROVIDER_FAILED = "provider_failed"
    WEBHOOK_SIGNATURE_INVALID = "webhook_signature_invalid"
    WEBHOOK_INVALID = "webhook_invalid"
    WEBHOOK_PAYMENT_UNKNOWN = "webhook_payment_unknown"
