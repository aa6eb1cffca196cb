"""What the checkout API answers: a checkout priced now on the server, and a completed
checkout (the order with its payment attempt). Plain dicts through the serializers of
apps.checkout.api.serializers, which also document them for OpenAPI."""

import copy
from dataclasses import asdict

from django.db.models import prefetch_related_objects
from rest_framework import status
from rest_framework.response import Response

from apps.checkout import services
from apps.checkout.api.serializers import CheckoutSerializer
from apps.checkout.models import Checkout
from apps.checkout.pricing import CheckoutPrice
from apps.core.exceptions import ApplicationError
from apps.orders.api.presenters import decimal_text, order_data
from apps.orders.api.views import ORDER_LINES
from apps.orders.models import Order
from apps.payments import selectors as payment_reads
from apps.payments.services import PaymentOutcome, payment_methods_available
from apps.shipping.errors import ShippingErrorCode
from apps.shipping.providers.base import ShippingRate

# --- presenting a checkout -----------------------------------------------------------------


def _rate(rate: ShippingRate | None) -> dict | None:
    if rate is None:
        return None
    data = rate.to_dict()
    data["id"] = data.pop("method_id")
    data["amount"] = rate.amount
    return data


def _priced(checkout: Checkout, currency: str) -> tuple[CheckoutPrice, list[str]]:
    """The checkout priced now. A stored shipping method that no longer applies (the zone
    changed, the cart outgrew a weight bracket) is left out of the price and named as a
    problem instead of failing the read: the shopper picks another."""
    try:
        return services.checkout_price_get(checkout=checkout, currency=currency), []
    except ApplicationError as error:
        if error.code != ShippingErrorCode.METHOD_UNAVAILABLE:
            raise
        without = copy.copy(checkout)
        without.shipping_method_id = ""
        return services.checkout_price_get(checkout=without, currency=currency), [error.message]


def _missing(checkout: Checkout, price: CheckoutPrice) -> list[str]:
    steps = {
        "email": checkout.email,
        "shipping_address": checkout.shipping_address,
        "shipping_method": price.shipping,
        "payment_method": checkout.payment_provider,
    }
    return [step for step, given in steps.items() if not given]


def checkout_payload(checkout: Checkout, *, currency: str) -> dict:
    """The checkout as the API shows it: what the shopper gave, priced now on the server,
    with the shipping methods its address can have and the store's payment methods."""
    price, problems = _priced(checkout, currency)
    lines = [
        {
            "id": line.key,
            "variant_id": line.variant_id,
            "product_id": line.product_id,
            "product_name": line.product_name,
            "variant_name": line.variant_name,
            "sku": line.sku,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "subtotal": line.subtotal,
            "discount": line.discount,
            "tax_rate": line.tax_rate,
            "tax": line.tax,
            "total": line.total,
            "problem": line.problem,
        }
        for line in price.lines
    ]
    payload = {
        "token": checkout.token,
        "cart": checkout.cart.token,
        "email": checkout.email,
        "shipping_address": checkout.shipping_address,
        "billing_address": checkout.billing_address,
        "shipping_method": _rate(price.shipping),
        "payment_method": checkout.payment_provider,
        "customer_note": checkout.customer_note,
        "voucher_code": checkout.cart.voucher_code,
        "currency": currency,
        "lines": lines,
        "discounts": [asdict(applied) for applied in price.discounts],
        "subtotal": price.subtotal,
        "discount_total": price.discount_total,
        "shipping_total": price.shipping_total,
        "tax_total": price.tax_total,
        "total": price.total,
        "prices_include_tax": price.prices_include_tax,
        "problems": [*price.problems, *problems],
        "missing": _missing(checkout, price),
        "shipping_methods": [
            _rate(rate)
            for rate in services.checkout_shipping_options(
                checkout=checkout, currency=currency, price=price
            )
        ],
        "payment_methods": [asdict(m) for m in payment_methods_available(currency=currency)],
    }
    return CheckoutSerializer(payload).data


# --- presenting a completed checkout -------------------------------------------------------


def outcome_payload(outcome: PaymentOutcome) -> dict:
    payment = outcome.payment
    return {
        "id": payment.pk,
        "provider": payment.provider,
        "status": outcome.status,
        "amount": payment.amount,
        "error_code": outcome.error_code if outcome.failed else "",
        "message": outcome.message,
        "instructions": outcome.instructions,
    }


def latest_payment_payload(order: Order) -> dict | None:
    """For a replayed request: the order's latest payment attempt as it stands now."""
    payment = payment_reads.payments(order_id=order.pk).order_by("-id").first()
    if payment is None:
        return None
    failed = [t for t in payment.transactions.all() if not t.success]
    last_failure = failed[-1] if failed else None
    instructions = ""
    if payment.status == payment.Status.PENDING:
        methods = payment_methods_available(currency=order.currency)
        instructions = next((m.instructions for m in methods if m.code == payment.provider), "")
    failed_now = payment.status == payment.Status.FAILED
    return {
        "id": payment.pk,
        "provider": payment.provider,
        "status": payment.status,
        "amount": payment.amount,
        "error_code": last_failure.error_code if failed_now and last_failure else "",
        "message": last_failure.error_message if failed_now and last_failure else "",
        "instructions": instructions,
    }


def _payment_data(payment: dict | None) -> dict | None:
    """PaymentOutcomeSerializer's output for a payment payload."""
    if payment is None:
        return None
    texts = ("provider", "status", "error_code", "message", "instructions")
    return {
        "id": payment["id"],
        **{name: str(payment[name]) for name in texts[:2]},
        "amount": decimal_text(payment["amount"]),
        **{name: str(payment[name]) for name in texts[2:]},
    }


def completed_response(order: Order, payment: dict | None, *, created: bool) -> Response:
    """The order (CheckoutCompletedSerializer's shape, built directly: see
    apps.orders.api.presenters) and its payment attempt."""
    prefetch_related_objects([order], ORDER_LINES)  # no query when the placing primed them
    body = {"order": order_data(order), "payment": _payment_data(payment)}
    return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
