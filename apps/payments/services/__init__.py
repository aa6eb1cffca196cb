"""Every write to payments. Checkout, the admin, the API, webhooks, seeds and tests call these.

Provider calls happen between short transactions (never while holding a row lock, except a
refund's own payment row); every call and every webhook is a PaymentTransaction; the order is
moved only through apps.orders.services (order_paid, order_payment_status_set).
"""

from apps.payments.services._common import provider_settings
from apps.payments.services.config import (
    PaymentMethod,
    payment_methods_available,
    provider_config_save,
    provider_config_secret_hints,
)
from apps.payments.services.payments import (
    PaymentOutcome,
    payment_capture,
    payment_mark_paid,
    payment_start,
    payment_start_with_order,
)
from apps.payments.services.refunds import order_cancel_and_void, payment_refund, payment_void
from apps.payments.services.webhooks import WebhookOutcome, webhook_handle

__all__ = [
    "PaymentMethod",
    "PaymentOutcome",
    "WebhookOutcome",
    "order_cancel_and_void",
    "payment_capture",
    "payment_mark_paid",
    "payment_methods_available",
    "payment_refund",
    "payment_start",
    "payment_start_with_order",
    "payment_void",
    "provider_config_save",
    "provider_config_secret_hints",
    "provider_settings",
    "webhook_handle",
]
