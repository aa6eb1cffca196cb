"""Checkouts: a cart on its way to becoming an order, and the store's checkout settings.

A checkout holds what the shopper has told us (email, addresses, shipping method, payment
method); prices, discounts, shipping and tax are never stored here, they are computed on the
server from the cart each time (apps.checkout.pricing) and frozen only into the Order.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def checkout_token() -> str:
    return secrets.token_urlsafe(32)


class Checkout(models.Model):
    token = models.CharField(max_length=64, unique=True, default=checkout_token, editable=False)
    cart = models.OneToOneField("cart.Cart", on_delete=models.CASCADE, related_name="checkout")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(blank=True)
    # apps.core.addresses.Address.to_dict(); billing None = same as shipping.
    shipping_address = models.JSONField(null=True, blank=True)
    billing_address = models.JSONField(null=True, blank=True)
    # apps.shipping's method id ("table:12"), priced again on the server on every read.
    shipping_method_id = models.CharField(max_length=80, blank=True)
    payment_provider = models.CharField(max_length=40, blank=True)
    customer_note = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated"]

    def __str__(self) -> str:
        return f"checkout {self.pk}"


class CheckoutSettings(models.Model):
    """One row per store (created on first use): how long an unpaid order holds its stock."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    reservation_minutes = models.PositiveIntegerField(
        default=15,
        help_text="An order paid by card that is still unpaid after this long is cancelled "
        "and its stock goes back on sale. Manual payments (bank transfer, cash on delivery) "
        "keep their stock until staff cancel them.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(singleton=True) & Q(reservation_minutes__gte=1),
                name="checkout_settings_single_row_valid",
            ),
        ]
        verbose_name_plural = "checkout settings"

    def __str__(self) -> str:
        return "Checkout settings"
