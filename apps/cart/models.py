"""Carts: an anonymous shopper's (found by its token: a cookie on the storefront, a path part in
the API) or a customer's (one open cart per customer, a database constraint).

A cart stores only what the shopper chose: variants and quantities, a voucher code, an email.
Prices, discounts and availability are never stored here; apps.cart.selectors.cart_view
computes them from the catalog, the inventory and the discounts every time.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

TOKEN_BYTES = 32  # 43 URL-safe characters: unguessable


def cart_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class Cart(models.Model):
    token = models.CharField(max_length=64, unique=True, default=cart_token, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="carts",
    )
    email = models.EmailField(blank=True)
    voucher_code = models.CharField(max_length=40, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True, db_index=True)
    # Set when the cart became an order (services.cart_close): it is then read-only history.
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-updated", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(customer__isnull=False, closed_at__isnull=True),
                name="cart_one_open_cart_per_customer",
            ),
        ]

    def __str__(self) -> str:
        return f"cart {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, related_name="lines", on_delete=models.CASCADE)
    # SET_NULL, not CASCADE: a variant the merchant deletes stays in the cart, flagged as no
    # longer available (with the names below), instead of vanishing without a word.
    variant = models.ForeignKey(
        "catalog.Variant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quantity = models.PositiveIntegerField()
    # What the shopper added, for a line whose variant was deleted since.
    product_name = models.CharField(max_length=200)
    variant_name = models.CharField(max_length=200, blank=True)
    sku = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["cart_id", "created", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cart_line_quantity_gte_1"),
            models.UniqueConstraint(fields=["cart", "variant"], name="cart_line_one_per_variant"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku or self.product_name}"
