"""Orders: what a shopper bought, frozen at the moment it was placed.

An order copies everything it needs (product names, SKUs, prices, discounts, tax, shipping,
addresses) so later catalog or settings changes never rewrite history. Orders are placed only
by apps.checkout.services (one transaction); their state changes go through
apps.orders.services and each leaves an OrderEvent on the order's timeline.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

MONEY = {"max_digits": 12, "decimal_places": 2}
# The first order of a store is #1001 (numbers are the order's id plus this).
ORDER_NUMBER_OFFSET = 1000


def order_token() -> str:
    """The unguessable id of an order on the storefront (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", "Awaiting payment"
        PAID = "paid", "Paid"
        CANCELLED = "cancelled", "Cancelled"

    class PaymentStatus(models.TextChoices):
        UNPAID = "unpaid", "Not paid"
        AUTHORIZED = "authorized", "Authorised"
        PAID = "paid", "Paid"
        PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
        REFUNDED = "refunded", "Refunded"
        FAILED = "failed", "Payment failed"

    number = models.PositiveIntegerField(unique=True, editable=False)
    token = models.CharField(max_length=64, unique=True, default=order_token, editable=False)
    # The same key (the API's Idempotency-Key header, the checkout form's hidden token) always
    # gives back the same order: the unique constraint is what guarantees it under races.
    idempotency_key = models.CharField(max_length=100, unique=True, editable=False)
    checkout_token = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    email = models.EmailField()
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT, db_index=True
    )
    payment_status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    currency = models.CharField(max_length=3)
    # Addresses as apps.core.addresses.Address.to_dict(); billing may equal shipping.
    shipping_address = models.JSONField(null=True, blank=True)
    billing_address = models.JSONField(null=True, blank=True)
    # apps.shipping's method id ("table:12") and the rate as charged (ShippingRate.to_dict()).
    shipping_method_id = models.CharField(max_length=80, blank=True)
    shipping_method_name = models.CharField(max_length=120, blank=True)
    shipping_rate = models.JSONField(null=True, blank=True)
    payment_provider = models.CharField(max_length=40, blank=True)
    voucher_code = models.CharField(max_length=40, blank=True)
    # Totals, each rounded once (apps.checkout.pricing): total = subtotal - discount_total
    # + shipping_total (+ tax_total when prices exclude tax).
    subtotal = models.DecimalField(**MONEY)
    discount_total = models.DecimalField(**MONEY, default=0)
    shipping_total = models.DecimalField(**MONEY, default=0)
    tax_total = models.DecimalField(**MONEY, default=0)
    total = models.DecimalField(**MONEY)
    prices_include_tax = models.BooleanField(default=False)
    # [{"name", "rate", "taxable", "tax"}] by rate; [{"kind", "name", "code", "amount"}].
    tax_breakdown = models.JSONField(default=list, blank=True)
    discounts = models.JSONField(default=list, blank=True)
    customer_note = models.TextField(blank=True)
    # Set (once, by a conditional UPDATE) when the confirmation email goes out: sent once.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    placed_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-placed_at"], name="orders_order_customer_placed"),
            models.Index(fields=["email"], name="orders_order_email"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(subtotal__gte=0)
                & Q(discount_total__gte=0)
                & Q(shipping_total__gte=0)
                & Q(tax_total__gte=0)
                & Q(total__gte=0),
                name="orders_order_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, related_name="lines", on_delete=models.CASCADE)
    # The variant may be deleted later; the snapshot below keeps what was sold.
    variant = models.ForeignKey(
        "catalog.Variant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    product_name = models.CharField(max_length=200)
    variant_name = models.CharField(max_length=200, blank=True)
    sku = models.CharField(max_length=64)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(**MONEY)
    # Discount on the whole line (promotions and voucher share), tax of the whole line.
    discount = models.DecimalField(**MONEY, default=0)
    tax_rate = models.DecimalField(max_digits=6, decimal_places=3, default=0)
    tax = models.DecimalField(**MONEY, default=0)
    # unit_price * quantity - discount (+ tax when prices exclude tax).
    total = models.DecimalField(**MONEY)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1)
                & Q(unit_price__gte=0)
                & Q(discount__gte=0)
                & Q(tax__gte=0)
                & Q(total__gte=0),
                name="orders_line_amounts_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"


class OrderEvent(models.Model):
    """One entry of an order's timeline: placed, payment authorised/captured/failed/refunded,
    marked paid, cancelled, email sent, note..."""

    order = models.ForeignKey(Order, related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["order_id", "created", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.kind}"
