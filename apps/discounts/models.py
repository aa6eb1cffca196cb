"""Discounts of one store: voucher codes a shopper types in, and automatic promotions.

How they combine is written down once, in apps.discounts.pricing. Invariants that must never
break are database constraints: amounts never negative, a percentage never above 100, a
voucher never used more often than its limit (`used_count <= usage_limit`), one redemption per
voucher and order. Every write goes through apps.discounts.services.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower, Upper
from django.utils import timezone

MONEY = {"max_digits": 12, "decimal_places": 2}
CODE_MAX_LENGTH = 40


class Scope(models.TextChoices):
    ALL = "all", "Every product"
    SELECTED = "selected", "Chosen categories and products"


class Voucher(models.Model):
    """A code a shopper applies to a cart. `used_count` is kept by services.voucher_redeem
    (one conditional UPDATE per order), never edited by hand."""

    class Kind(models.TextChoices):
        PERCENTAGE = "percentage", "Percentage off"
        FIXED = "fixed", "Fixed amount off"
        FREE_SHIPPING = "free_shipping", "Free shipping"

    # Stored as the merchant typed it, matched whatever its case ("summer10" = "SUMMER10").
    code = models.CharField(max_length=CODE_MAX_LENGTH)
    name = models.CharField(
        max_length=120, blank=True, help_text="For the staff only; shoppers see the code."
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PERCENTAGE)
    value = models.DecimalField(
        **MONEY,
        default=0,
        help_text="Percent (0-100) for a percentage, an amount in the store's currency for a "
        "fixed voucher; not used by free shipping.",
    )
    minimum_subtotal = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        help_text="The cart's subtotal (after automatic promotions) must reach this.",
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    usage_limit = models.PositiveIntegerField(
        null=True, blank=True, help_text="Orders in all; empty for no limit."
    )
    usage_limit_per_customer = models.PositiveIntegerField(
        null=True, blank=True, help_text="Orders per customer (account or email address)."
    )
    used_count = models.PositiveIntegerField(default=0, editable=False)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.ALL)
    # A category covers its descendants (matched by the category's materialised path).
    categories = models.ManyToManyField("catalog.Category", blank=True, related_name="+")
    products = models.ManyToManyField("catalog.Product", blank=True, related_name="+")
    is_active = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                Upper("code"),
                name="discounts_voucher_code_ci_unique",
                violation_error_message="A voucher with this code already exists.",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="discounts_voucher_value_gte_0"),
            models.CheckConstraint(
                condition=~Q(kind="percentage") | Q(value__lte=100),
                name="discounts_voucher_percentage_lte_100",
            ),
            models.CheckConstraint(
                condition=Q(minimum_subtotal__isnull=True) | Q(minimum_subtotal__gte=0),
                name="discounts_voucher_minimum_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(usage_limit__isnull=True) | Q(used_count__lte=F("usage_limit")),
                name="discounts_voucher_used_within_limit",
            ),
            models.CheckConstraint(
                condition=Q(usage_limit_per_customer__isnull=True)
                | Q(usage_limit_per_customer__gte=1),
                name="discounts_voucher_per_customer_gte_1",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="discounts_voucher_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class VoucherRedemption(models.Model):
    """One order that used a voucher; counted for the per-customer limit (by account, or by
    email address for guests)."""

    voucher = models.ForeignKey(Voucher, related_name="redemptions", on_delete=models.PROTECT)
    # The order's id (apps.orders); no foreign key so the discounts app does not depend on it.
    order_id = models.PositiveBigIntegerField()
    email = models.EmailField(blank=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["voucher", "order_id"], name="discounts_redemption_once_per_order"
            ),
        ]
        indexes = [
            models.Index(fields=["voucher", "customer"], name="discounts_redemption_customer"),
            models.Index("voucher", Lower("email"), name="discounts_redemption_email"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_id} on order {self.order_id}"


class Promotion(models.Model):
    """An automatic discount, e.g. 10% off a category between two dates. No code: it applies
    to every cart line it covers while it runs (see apps.discounts.pricing for which one wins
    when several cover a line, and how a voucher comes on top)."""

    class Kind(models.TextChoices):
        PERCENTAGE = "percentage", "Percentage off"
        FIXED = "fixed", "Fixed amount off each unit"

    name = models.CharField(max_length=120, help_text="Shown to shoppers next to the discount.")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PERCENTAGE)
    value = models.DecimalField(**MONEY)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.SELECTED)
    categories = models.ManyToManyField("catalog.Category", blank=True, related_name="+")
    products = models.ManyToManyField("catalog.Product", blank=True, related_name="+")
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    priority = models.IntegerField(
        default=0,
        help_text="When several promotions cover a product, the highest priority wins; "
        "between equal priorities, the one that takes the most off.",
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-priority", "name", "id"]
        indexes = [
            models.Index(
                fields=["starts_at", "ends_at"],
                condition=Q(is_active=True),
                name="discounts_promotion_running",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0), name="discounts_promotion_value_gte_0"
            ),
            models.CheckConstraint(
                condition=~Q(kind="percentage") | Q(value__lte=100),
                name="discounts_promotion_percentage_lte_100",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="discounts_promotion_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name
