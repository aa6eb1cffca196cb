"""Stock of one store: locations, stock per variant and location, reservations and the ledger.

Invariants that must never break are database CHECK constraints on StockItem; every write goes
through apps.inventory.services, which also writes one StockMovement per change, so that for
every stock item `on_hand == SUM(on_hand_delta)` and `reserved == SUM(reserved_delta)` over its
movements (selectors.ledger_check verifies it). The ledger is never pruned.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class StockLocation(models.Model):
    """A place stock is kept: a warehouse, a shop's back room. Exactly one is the default
    (created lazily by services.location_default); it is where stock goes when no location is
    named and where a line is served from first."""

    name = models.CharField(max_length=100)
    code = models.SlugField(max_length=40, unique=True)
    is_default = models.BooleanField(default=False, editable=False)
    is_active = models.BooleanField(
        default=True, help_text="Inactive locations keep their stock but never sell from it."
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Lines are served from the default location, then by position."
    )
    address = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-is_default", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="inventory_location_one_default",
            ),
            models.CheckConstraint(
                condition=Q(is_default=False) | Q(is_active=True),
                name="inventory_location_default_active",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StockPolicy(models.Model):
    """How a variant's stock is managed. No row means the defaults: tracked, no backorders, no
    low-stock threshold. The track/backorder flags are copied onto each of the variant's stock
    rows (services.policy_update keeps them equal) so the CHECK constraints can use them."""

    variant = models.OneToOneField(
        "catalog.Variant",
        primary_key=True,
        related_name="stock_policy",
        on_delete=models.CASCADE,
    )
    track_inventory = models.BooleanField(default=True)
    allow_backorders = models.BooleanField(default=False)
    low_stock_threshold = models.PositiveIntegerField(
        null=True, blank=True, help_text="Warn when the available quantity falls to this."
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "stock policies"
        indexes = [
            models.Index(
                fields=["variant"],
                condition=Q(low_stock_threshold__isnull=False, track_inventory=True),
                name="inventory_policy_watched",
            ),
        ]

    def __str__(self) -> str:
        return f"stock policy of variant {self.variant_id}"


class StockItem(models.Model):
    """The quantities of one variant at one location. `available` = on_hand - reserved."""

    variant = models.ForeignKey(
        "catalog.Variant", related_name="stock_items", on_delete=models.CASCADE
    )
    location = models.ForeignKey(
        StockLocation, related_name="stock_items", on_delete=models.PROTECT
    )
    on_hand = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    # Copies of the variant's StockPolicy (see there), for the constraints below.
    track_inventory = models.BooleanField(default=True, editable=False)
    allow_backorders = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = "stock level"
        ordering = ["variant_id", "location_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "location"], name="inventory_stock_one_per_location"
            ),
            models.CheckConstraint(
                condition=Q(on_hand__gte=0) | Q(allow_backorders=True),
                name="inventory_stock_on_hand_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0), name="inventory_stock_reserved_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand"))
                | Q(allow_backorders=True)
                | Q(track_inventory=False),
                name="inventory_stock_reserved_lte_on_hand",
            ),
        ]
        indexes = [
            models.Index(fields=["location", "variant"], name="inventory_stock_location"),
        ]

    def __str__(self) -> str:
        return f"variant {self.variant_id} at location {self.location_id}"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class StockMovement(models.Model):
    """One change to a stock item, kept forever.

    The variant and location are recorded by value as well, and the stock item link is
    cleared (not cascaded) if the variant is deleted, so history outlives the catalog; the
    actor's email is kept as text for the same reason.
    """

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        ADJUSTED = "adjusted", "Adjusted"
        RESERVED = "reserved", "Reserved"
        RELEASED = "released", "Released"
        SOLD = "sold", "Sold"
        RETURNED = "returned", "Returned"
        TRANSFERRED_OUT = "transferred_out", "Transferred out"
        TRANSFERRED_IN = "transferred_in", "Transferred in"

    stock_item = models.ForeignKey(
        StockItem, null=True, related_name="movements", on_delete=models.SET_NULL
    )
    # Plain values, not foreign keys: they stay meaningful after the variant is deleted.
    variant_id = models.BigIntegerField()
    sku = models.CharField(max_length=64, blank=True)
    location = models.ForeignKey(StockLocation, related_name="+", on_delete=models.PROTECT)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    on_hand_delta = models.IntegerField(default=0)
    reserved_delta = models.IntegerField(default=0)
    reason = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    actor_label = models.CharField(max_length=254, blank=True)
    # What caused it, e.g. ("order", "1001"), ("checkout", "<token>"), ("import", "2024-05").
    reference_type = models.CharField(max_length=32, blank=True)
    reference_id = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(on_hand_delta=0, reserved_delta=0),
                name="inventory_movement_changes_something",
            ),
        ]
        indexes = [
            models.Index(fields=["variant_id", "-id"], name="inventory_movement_variant"),
            models.Index(
                fields=["reference_type", "reference_id"], name="inventory_movement_reference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.on_hand_delta:+d}/{self.reserved_delta:+d} of {self.sku}"


class Reservation(models.Model):
    """Units held for a checkout or an order, on one stock item. A line served from several
    locations has one reservation per location, all with the line's reference."""

    class State(models.TextChoices):
        ACTIVE = "active", "Active"
        RELEASED = "released", "Released"
        SOLD = "sold", "Sold"

    stock_item = models.ForeignKey(StockItem, related_name="reservations", on_delete=models.CASCADE)
    quantity = models.PositiveIntegerField()
    # Who holds it, e.g. "checkout:<token>" or "order:1001"; released or sold by it.
    reference = models.CharField(max_length=120)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    created = models.DateTimeField(default=timezone.now)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="inventory_reservation_qty"),
        ]
        indexes = [
            models.Index(
                fields=["reference"],
                condition=Q(state="active"),
                name="inventory_reservation_ref",
            ),
            models.Index(
                fields=["expires_at"],
                condition=Q(state="active", expires_at__isnull=False),
                name="inventory_reservation_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of stock {self.stock_item_id} for {self.reference} ({self.state})"


class LowStockDigest(models.Model):
    """One row per day a low-stock email went out: the daily task sends at most one a day."""

    day = models.DateField(unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    variants = models.PositiveIntegerField()
    recipients = models.PositiveIntegerField()

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"low-stock email of {self.day}"
