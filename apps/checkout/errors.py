"""Stable error codes of the checkout (the API's `code`)."""

from enum import StrEnum


class CheckoutErrorCode(StrEnum):
    CART_EMPTY = "cart_empty"
    EMAIL_REQUIRED = "email_required"
    EMAIL_INVALID = "email_invalid"
    SHIPPING_ADDRESS_REQUIRED = "shipping_address_required"
    SHIPPING_METHOD_REQUIRED = "shipping_method_required"
    PAYMENT_METHOD_REQUIRED = "payment_method_required"
    PAYMENT_METHOD_UNAVAILABLE = "payment_method_unavailable"
    LINES_UNAVAILABLE = "lines_unavailable"
    IDEMPOTENCY_KEY_INVALID = "idempotency_key_invalid"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    TOTAL_CHANGED = "total_changed"
