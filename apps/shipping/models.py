"""Shipping zones of one store, their methods and the methods' rate brackets.

A zone is where a set of methods applies (countries, optionally narrowed to regions and
postcode patterns; no countries = the rest of the world). Which zone an address falls in is
decided by apps.shipping.zones; what a method costs by apps.shipping.providers.table. Every
write goes through apps.shipping.services. Amounts are Decimal in the store's currency
(Tenant.currency); bracket bounds are grams (weight methods) or money (subtotal methods).
"""

import functools
import operator

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

MONEY = {"max_digits": 12, "decimal_places": 2}


class ShippingZone(models.Model):
    name = models.CharField(max_length=100)
    countries = ArrayField(
        models.CharField(max_length=2),
        default=list,
        blank=True,
        help_text="ISO country codes. None: every address no other zone covers.",
    )
    # Country areas qualified by their country ("US-CA", "JP-東京都"): the address's
    # Address.region must be one of them.
    regions = ArrayField(models.CharField(max_length=80), default=list, blank=True)
    # "SW1*" (prefix), "75001" (exact) or "10000-14999" (range); stored upper-case, no spaces.
    postcodes = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            # Regions and postcodes narrow a set of countries; "everywhere else" has none.
            models.CheckConstraint(
                condition=~Q(countries=[]) | (Q(regions=[]) & Q(postcodes=[])),
                name="shipping_zone_narrowing_needs_countries",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RateType(models.TextChoices):
    FLAT = "flat", "Flat rate"
    WEIGHT = "weight", "By weight (brackets in grams)"
    SUBTOTAL = "subtotal", "By order subtotal (brackets)"
    FREE_OVER = "free_over", "Flat rate, free over a threshold"
    PICKUP = "pickup", "Local pickup"


class ShippingMethod(models.Model):
    RateType = RateType

    zone = models.ForeignKey(ShippingZone, related_name="methods", on_delete=models.CASCADE)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    rate_type = models.CharField(max_length=16, choices=RateType.choices)
    amount = models.DecimalField(default=0, **MONEY)
    # Free once the order subtotal reaches this (any rate type; required for free_over).
    free_over = models.DecimalField(null=True, blank=True, **MONEY)
    active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    delivery_estimate = models.CharField(max_length=100, blank=True)
    # An apps.core.addresses.Address as a dict (Address.to_dict), for local pickup.
    pickup_address = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                # ORed equalities, not IN: a cloned store schema renders an IN over varchar
                # differently from a migrated one (tests/tenants/test_clone_equivalence.py).
                condition=functools.reduce(
                    operator.or_, (Q(rate_type=value) for value in RateType.values)
                ),
                name="shipping_method_rate_type_known",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="shipping_method_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(free_over__isnull=True) | Q(free_over__gte=0),
                name="shipping_method_free_over_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(rate_type="free_over") | Q(free_over__isnull=False),
                name="shipping_method_free_over_has_threshold",
            ),
            models.CheckConstraint(
                condition=~Q(rate_type="pickup") | ~Q(pickup_address={}),
                name="shipping_method_pickup_has_address",
            ),
        ]
        indexes = [models.Index(fields=["zone", "active"], name="shipping_method_zone_active")]

    def __str__(self) -> str:
        return f"{self.zone.name}: {self.name}" if self.zone_id else self.name

    @property
    def uses_brackets(self) -> bool:
        return self.rate_type in (self.RateType.WEIGHT, self.RateType.SUBTOTAL)


class ShippingBracket(models.Model):
    """One step of a weight or subtotal method: `lower` <= value < `upper` costs `amount`
    (no `upper`: and above). Overlaps are refused by the service, under a lock on the method."""

    method = models.ForeignKey(ShippingMethod, related_name="brackets", on_delete=models.CASCADE)
    lower = models.DecimalField(**MONEY)
    upper = models.DecimalField(null=True, blank=True, **MONEY)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["lower"]
        constraints = [
            models.UniqueConstraint(fields=["method", "lower"], name="shipping_bracket_one_start"),
            models.CheckConstraint(
                condition=Q(lower__gte=0), name="shipping_bracket_lower_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(upper__gt=models.F("lower")),
                name="shipping_bracket_upper_above_lower",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="shipping_bracket_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        upper = "" if self.upper is None else f" to {self.upper}"
        return f"from {self.lower}{upper}: {self.amount}"
