"""Payments: what a store accepts (provider settings), what was paid, and how.

A Payment is one attempt to pay one order with one provider; its PaymentTransactions are every
call to the provider (or word from it) with amounts, references and errors, kept forever. An
order has at most one live payment (pending, authorised, captured or refunded): the database
refuses a second, so an order is never paid twice. WebhookEvent remembers each provider event
applied, and its unique key is what makes a redelivered event a no-op.

Writes go through apps.payments.services only.
"""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from apps.orders.models import MONEY


class PaymentProviderConfig(models.Model):
    """A provider switched on (or off) in this store, with its settings. Secret settings (API
    keys, webhook secrets) are kept encrypted in `secrets` (apps.payments.secrets) and are never
    shown back in full."""

    provider = models.CharField(max_length=40, unique=True)
    enabled = models.BooleanField(default=False)
    display_name = models.CharField(
        max_length=80, blank=True, help_text="What shoppers see; empty: the provider's own name."
    )
    position = models.PositiveIntegerField(default=0)
    instructions = models.TextField(
        blank=True,
        help_text="Shown to the shopper at checkout and on the order page (for bank transfer: "
        "the account to pay into and the reference to quote).",
    )
    settings = models.JSONField(default=dict, blank=True)
    secrets = models.TextField(blank=True, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "payment provider"

    def __str__(self) -> str:
        return self.display_name or self.provider


# The payment states in which a payment holds (or is about to hold) its order's money.
LIVE_STATUSES = ("pending", "authorized", "captured", "partially_refunded", "refunded")


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        AUTHORIZED = "authorized", "Authorised"
        CAPTURED = "captured", "Captured"
        PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
        REFUNDED = "refunded", "Refunded"
        VOIDED = "voided", "Voided"
        FAILED = "failed", "Failed"

    LIVE = LIVE_STATUSES

    order = models.ForeignKey("orders.Order", related_name="payments", on_delete=models.PROTECT)
    provider = models.CharField(max_length=40)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    captured_amount = models.DecimalField(**MONEY, default=0)
    refunded_amount = models.DecimalField(**MONEY, default=0)
    provider_reference = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-id"]
        # Giving money back is its own permission: staff who take payments may not refund.
        permissions = [("refund_payment", "Can refund payments")]
        indexes = [
            models.Index(
                fields=["provider", "provider_reference"], name="payments_payment_provider_ref"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0)
                & Q(captured_amount__gte=0)
                & Q(refunded_amount__gte=0)
                & Q(captured_amount__lte=F("amount"))
                & Q(refunded_amount__lte=F("captured_amount")),
                name="payments_payment_amounts_valid",
            ),
            # One order, one live payment: two shoppers' tabs (or a retry racing a webhook)
            # can never both take the order's money.
            models.UniqueConstraint(
                fields=["order"],
                # ORed equalities, not `__in`: PostgreSQL prints an IN over text differently
                # in a cloned schema, and clones must match migrated schemas exactly.
                condition=reduce(or_, (Q(status=status) for status in LIVE_STATUSES)),
                name="payments_payment_one_live_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.amount} {self.currency} ({self.status})"

    @property
    def refundable_amount(self):
        return self.captured_amount - self.refunded_amount


class PaymentTransaction(models.Model):
    """One call to the provider (or one event from it), successful or not."""

    class Kind(models.TextChoices):
        AUTHORIZE = "authorize", "Authorise"
        CAPTURE = "capture", "Capture"
        REFUND = "refund", "Refund"
        VOID = "void", "Void"
        WEBHOOK = "webhook", "Webhook"

    payment = models.ForeignKey(Payment, related_name="transactions", on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amount = models.DecimalField(**MONEY, default=0)
    success = models.BooleanField()
    provider_reference = models.CharField(max_length=255, blank=True)
    error_code = models.CharField(max_length=60, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    # What the provider answered (never a full card number: providers keep only the last 4).
    raw = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["payment_id", "created", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="payments_transaction_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} ({'ok' if self.success else self.error_code})"


class WebhookEvent(models.Model):
    """A provider event that was applied. The unique (provider, event_id) pair is the guarantee
    that an event delivered twice (or twice at once) changes things once."""

    provider = models.CharField(max_length=40)
    event_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=60)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="webhook_events"
    )
    payload = models.JSONField(default=dict, blank=True)
    received = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-received", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="payments_webhook_event_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"
