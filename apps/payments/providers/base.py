"""The interface of payment providers: the built-in "manual" (bank transfer, cash on delivery)
and "test" gateway today, card processors (Stripe, PayPal) later.

A provider is built once per process and keeps no store data: every call gets the store's
settings for it (`settings`, secrets already decrypted) and runs inside the store's schema.
Providers talk to the outside world and answer with a ProviderResult; they never touch our
models. apps.payments.services records what they answered and moves the order along.

A provider refuses bad input (a mistyped card number) by raising ApplicationFieldErrors from
payment_data_clean, before anything is recorded; a refusal by the processor (a declined card) is
not an error but a ProviderResult with success=False, recorded as a failed transaction.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from apps.core.exceptions import ApplicationFieldErrors, FieldError
from apps.payments.errors import PaymentErrorCode


@dataclass(frozen=True)
class SettingField:
    """One setting a provider needs per store. `secret` ones are stored encrypted and shown back
    only as a hint; `kind` is "text", "bool" or "choice" (with `choices`)."""

    name: str
    label: str
    secret: bool = False
    required: bool = False
    kind: str = "text"
    choices: tuple[tuple[str, str], ...] = ()
    default: Any = ""
    help_text: str = ""


@dataclass(frozen=True)
class PaymentRequest:
    """What a provider is asked to take: our payment's id (its idempotency key at the
    processor), the amount from the order's total (never from the shopper), and the cleaned
    payment data (a card for the test gateway; nothing for manual payments)."""

    payment_id: int
    amount: Decimal
    currency: str
    order_number: int
    email: str
    payment_data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderResult:
    """A provider's answer. `pending`: accepted, but the money arrives later (a bank transfer
    staff will confirm, or a processor's webhook). `raw` is kept on the transaction."""

    success: bool
    reference: str = ""
    error_code: str = ""
    message: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    pending: bool = False


class WebhookKind(StrEnum):
    CAPTURED = "captured"
    FAILED = "failed"
    REFUNDED = "refunded"
    VOIDED = "voided"
    # Anything else: recorded (so it is never applied twice) and otherwise ignored.
    OTHER = "other"


@dataclass(frozen=True)
class WebhookEventData:
    """A verified provider event, in our words. `payment_reference` is the payment's
    provider_reference; `reference` the event's own object (a refund's id, say)."""

    event_id: str
    kind: WebhookKind
    payment_reference: str = ""
    amount: Decimal | None = None
    reference: str = ""
    message: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


class WebhookRejected(Exception):
    """The webhook is not from the provider (bad or stale signature) or not understood."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class PaymentProvider(ABC):
    #: Short, stable, unique among providers; what orders and payments store.
    code: ClassVar[str]
    #: The default name shoppers see (a store may rename it).
    name: ClassVar[str]
    #: The checkout must collect card details (payment_data) for it.
    needs_card: ClassVar[bool] = False
    #: The money arrives outside PyCommerce and staff confirm it (payment_mark_paid).
    staff_marks_paid: ClassVar[bool] = False
    #: Currencies it takes; None: any.
    currencies: ClassVar[frozenset[str] | None] = None
    setting_fields: ClassVar[tuple[SettingField, ...]] = ()

    # --- settings ------------------------------------------------------------------------

    def auto_capture(self, settings: Mapping[str, Any]) -> bool:
        """Capture right after a successful authorisation (else staff capture later)."""
        return True

    def settings_defaults(self) -> dict[str, Any]:
        """Settings for a store that switches the provider on for the first time."""
        return {f.name: f.default for f in self.setting_fields if f.default not in ("", None)}

    def settings_clean(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Check `values` against setting_fields: known names only, required ones present,
        choices among their choices, booleans as booleans."""
        cleaned: dict[str, Any] = {}
        errors = []
        for setting in self.setting_fields:
            value = values.get(setting.name, setting.default)
            if setting.kind == "bool":
                cleaned[setting.name] = bool(value)
                continue
            value = "" if value is None else str(value).strip()
            if setting.required and not value:
                errors.append(FieldError(setting.name, f"{setting.label} is required.", "required"))
            elif setting.kind == "choice" and value not in dict(setting.choices):
                allowed = ", ".join(dict(setting.choices))
                errors.append(
                    FieldError(setting.name, f"Choose one of: {allowed}.", "invalid_choice")
                )
            cleaned[setting.name] = value
        if errors:
            raise ApplicationFieldErrors(errors, code=PaymentErrorCode.PROVIDER_SETTINGS_INVALID)
        return cleaned

    def secret_names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.setting_fields if f.secret)

    def supports_currency(self, currency: str) -> bool:
        return self.currencies is None or currency.upper() in self.currencies

    # --- paying --------------------------------------------------------------------------

    def payment_data_clean(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The shopper's payment data, checked (ApplicationFieldErrors naming each field) and
        reduced to what authorize needs. Providers without card details take nothing."""
        return {}

    @abstractmethod
    def authorize(
        self, *, request: PaymentRequest, settings: Mapping[str, Any]
    ) -> ProviderResult: ...

    @abstractmethod
    def capture(
        self, *, reference: str, amount: Decimal, currency: str, settings: Mapping[str, Any]
    ) -> ProviderResult: ...

    @abstractmethod
    def refund(
        self, *, reference: str, amount: Decimal, currency: str, settings: Mapping[str, Any]
    ) -> ProviderResult: ...

    @abstractmethod
    def void(self, *, reference: str, settings: Mapping[str, Any]) -> ProviderResult: ...

    # --- webhooks ------------------------------------------------------------------------

    def webhook_parse(
        self, *, body: bytes, headers: Mapping[str, str], settings: Mapping[str, Any]
    ) -> WebhookEventData:
        """Verify the signature and read the event; raise WebhookRejected otherwise. `headers`
        have lower-case names."""
        raise WebhookRejected(
            f"The {self.name} provider does not send webhooks.",
            code=PaymentErrorCode.WEBHOOK_INVALID,
        )
