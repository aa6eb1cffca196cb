"""The test gateway: card payments for development and demos, in process, no network, no keys.

Cards (any future expiry, any 3-digit CVC):
    4242 4242 4242 4242   succeeds
    4000 0000 0000 0002   declined ("Your card was declined.")
    4000 0000 0000 9995   declined for insufficient funds
Any other number is refused as input (a demo store must never see a real card). Numbers are
checked like a real form would (Luhn, expiry, CVC), each refusal on its own field.

It authorises, then captures at once (setting "capture": "automatic") or when staff capture
("manual"). Captures, refunds and voids of its own charges succeed (the service checks the
amounts); of anything else they fail with "charge_unknown". It signs webhooks like a real
processor: HMAC-SHA256 of "<timestamp>.<body>" with the store's `webhook_secret`, in the
`Test-Gateway-Signature: t=<timestamp>,v1=<hex>` header, so the whole webhook path runs in
tests and demos (webhook_body / webhook_headers build one).
"""

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from apps.core.exceptions import ApplicationFieldErrors, FieldError
from apps.payments.errors import PaymentErrorCode
from apps.payments.providers.base import (
    PaymentProvider,
    PaymentRequest,
    ProviderResult,
    SettingField,
    WebhookEventData,
    WebhookKind,
    WebhookRejected,
)

CARD_SUCCEEDS = "4242424242424242"
CARD_DECLINED = "4000000000000002"
CARD_NO_FUNDS = "4000000000009995"
# number -> (error code, message) of a decline; None: the payment goes through.
TEST_CARDS: dict[str, tuple[str, str] | None] = {
    CARD_SUCCEEDS: None,
    CARD_DECLINED: ("card_declined", "Your card was declined."),
    CARD_NO_FUNDS: ("insufficient_funds", "Your card has insufficient funds."),
}
SIGNATURE_HEADER = "test-gateway-signature"
# A signed webhook older (or newer) than this is refused: a captured request replayed later.
SIGNATURE_TOLERANCE_SECONDS = 300
CHARGE_PREFIX = "test_ch_"
REFUND_PREFIX = "test_re_"
EVENT_KINDS = {
    "charge.captured": WebhookKind.CAPTURED,
    "charge.failed": WebhookKind.FAILED,
    "charge.refunded": WebhookKind.REFUNDED,
    "charge.voided": WebhookKind.VOIDED,
}


def luhn_valid(number: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _digits(value: Any) -> str:
    return "".join(str(value or "").split()).replace("-", "")


def _card_number(data: Mapping[str, Any], errors: list[FieldError]) -> str:
    number = _digits(data.get("number"))
    if not number:
        errors.append(FieldError("number", "Enter the card number.", "required"))
    elif not (number.isdigit() and 12 <= len(number) <= 19 and luhn_valid(number)):
        errors.append(FieldError("number", "This card number is not valid.", "card_number_invalid"))
    elif number not in TEST_CARDS:
        errors.append(
            FieldError(
                "number",
                "This store takes test cards only: use 4242 4242 4242 4242.",
                "card_not_test",
            )
        )
    return number


def _expiry(data: Mapping[str, Any], errors: list[FieldError], today: date) -> tuple[int, int]:
    month_raw, year_raw = _digits(data.get("exp_month")), _digits(data.get("exp_year"))
    month = int(month_raw) if month_raw.isdigit() else 0
    year = int(year_raw) if year_raw.isdigit() and len(year_raw) in (2, 4) else 0
    if year and year < 100:
        year += 2000
    if not 1 <= month <= 12:
        errors.append(FieldError("exp_month", "Enter the expiry month, 1 to 12.", "expiry_invalid"))
    if not year or year > today.year + 20:
        errors.append(FieldError("exp_year", "Enter the expiry year.", "expiry_invalid"))
    elif 1 <= month <= 12 and (year, month) < (today.year, today.month):
        errors.append(FieldError("exp_year", "This card has expired.", "card_expired"))
    return month, year


def _cvc(data: Mapping[str, Any], errors: list[FieldError]) -> None:
    cvc = _digits(data.get("cvc"))
    if not (cvc.isdigit() and len(cvc) in (3, 4)):
        errors.append(
            FieldError("cvc", "Enter the 3 or 4 digits on the back of the card.", "cvc_invalid")
        )


def signature(*, body: bytes, secret: str, timestamp: int) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def webhook_body(
    event_type: str,
    *,
    charge: str,
    amount: Decimal | None = None,
    refund: str = "",
    event_id: str | None = None,
) -> bytes:
    """A test-gateway event as it arrives on the wire (for tests and demos)."""
    data: dict[str, Any] = {"charge": charge}
    if amount is not None:
        data["amount"] = str(amount)
    if refund:
        data["refund"] = refund
    event = {"id": event_id or f"evt_{secrets.token_hex(12)}", "type": event_type, "data": data}
    return json.dumps(event).encode()


def webhook_headers(*, body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        "Test-Gateway-Signature": f"t={timestamp},"
        f"v1={signature(body=body, secret=secret, timestamp=timestamp)}",
    }


class TestGatewayProvider(PaymentProvider):
    __test__ = False  # a provider, not a pytest test class, whatever its name
    code = "test"
    name = "Card (test gateway)"
    needs_card = True
    setting_fields = (
        SettingField(
            name="capture",
            label="Capture",
            kind="choice",
            choices=(
                ("automatic", "Automatic: take the money when the order is placed"),
                ("manual", "Manual: authorise now, staff capture later"),
            ),
            default="automatic",
        ),
        SettingField(
            name="webhook_secret",
            label="Webhook signing secret",
            secret=True,
            help_text="Webhooks signed with another secret are refused.",
        ),
    )

    def auto_capture(self, settings: Mapping[str, Any]) -> bool:
        return settings.get("capture", "automatic") == "automatic"

    def settings_defaults(self) -> dict[str, Any]:
        return {"capture": "automatic", "webhook_secret": f"whsec_{secrets.token_hex(24)}"}

    def payment_data_clean(self, data: Mapping[str, Any]) -> dict[str, Any]:
        errors: list[FieldError] = []
        number = _card_number(data, errors)
        month, year = _expiry(data, errors, date.today())  # noqa: DTZ011 (the shopper's month)
        _cvc(data, errors)
        if errors:
            raise ApplicationFieldErrors(errors, code=PaymentErrorCode.PAYMENT_DATA_INVALID)
        # The CVC is checked and dropped: nothing keeps it, not even the test gateway.
        return {"number": number, "exp_month": month, "exp_year": year}

    def authorize(self, *, request: PaymentRequest, settings: Mapping[str, Any]) -> ProviderResult:
        number = request.payment_data["number"]
        card = {
            "brand": "visa",
            "last4": number[-4:],
            "exp_month": request.payment_data["exp_month"],
            "exp_year": request.payment_data["exp_year"],
        }
        reference = f"{CHARGE_PREFIX}{secrets.token_hex(12)}"
        raw = {
            "id": reference,
            "amount": str(request.amount),
            "currency": request.currency,
            "card": card,
        }
        decline = TEST_CARDS.get(number)
        if decline is not None:
            code, message = decline
            return ProviderResult(
                success=False,
                reference=reference,
                error_code=code,
                message=message,
                raw={**raw, "status": "declined", "decline_code": code},
            )
        return ProviderResult(
            success=True,
            reference=reference,
            message=f"Visa ending {card['last4']} authorised.",
            raw={**raw, "status": "authorized"},
        )

    def _unknown(self, reference: str) -> ProviderResult | None:
        if reference.startswith(CHARGE_PREFIX):
            return None
        return ProviderResult(
            success=False,
            reference=reference,
            error_code="charge_unknown",
            message=f"The test gateway has no charge {reference!r}.",
        )

    def capture(
        self, *, reference: str, amount: Decimal, currency: str, settings: Mapping[str, Any]
    ) -> ProviderResult:
        if unknown := self._unknown(reference):
            return unknown
        return ProviderResult(
            success=True,
            reference=reference,
            raw={"id": reference, "status": "captured", "amount": str(amount)},
        )

    def refund(
        self, *, reference: str, amount: Decimal, currency: str, settings: Mapping[str, Any]
    ) -> ProviderResult:
        if unknown := self._unknown(reference):
            return unknown
        refund_id = f"{REFUND_PREFIX}{secrets.token_hex(12)}"
        return ProviderResult(
            success=True,
            reference=refund_id,
            raw={
                "id": refund_id,
                "charge": reference,
                "status": "succeeded",
                "amount": str(amount),
            },
        )

    def void(self, *, reference: str, settings: Mapping[str, Any]) -> ProviderResult:
        if unknown := self._unknown(reference):
            return unknown
        return ProviderResult(
            success=True, reference=reference, raw={"id": reference, "status": "voided"}
        )

    def webhook_parse(
        self, *, body: bytes, headers: Mapping[str, str], settings: Mapping[str, Any]
    ) -> WebhookEventData:
        self._signature_check(
            body=body, header=headers.get(SIGNATURE_HEADER, ""), settings=settings
        )
        invalid = WebhookRejected(
            "The event is not a test-gateway event.", code=PaymentErrorCode.WEBHOOK_INVALID
        )
        try:
            event = json.loads(body)
            event_id, event_type, data = event["id"], event["type"], event["data"]
            amount = Decimal(data["amount"]) if "amount" in data else None
        except (ValueError, TypeError, KeyError, InvalidOperation):
            raise invalid from None
        if not (isinstance(event_id, str) and event_id and isinstance(data, dict)):
            raise invalid
        if amount is not None and (not amount.is_finite() or amount < 0):
            raise invalid
        return WebhookEventData(
            event_id=event_id,
            kind=EVENT_KINDS.get(event_type, WebhookKind.OTHER),
            payment_reference=str(data.get("charge", "")),
            amount=amount,
            reference=str(data.get("refund", "")),
            raw=event,
        )

    def _signature_check(self, *, body: bytes, header: str, settings: Mapping[str, Any]) -> None:
        secret = settings.get("webhook_secret") or ""
        parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
        timestamp = parts.get("t", "")
        rejected = WebhookRejected(
            "The webhook signature is missing or wrong.",
            code=PaymentErrorCode.WEBHOOK_SIGNATURE_INVALID,
        )
        if not (secret and timestamp.isdigit() and parts.get("v1")):
            raise rejected
        expected = signature(body=body, secret=secret, timestamp=int(timestamp))
        if not hmac.compare_digest(expected, parts["v1"]):
            raise rejected
        if abs(time.time() - int(timestamp)) > SIGNATURE_TOLERANCE_SECONDS:
            raise WebhookRejected(
                "The webhook signature has expired.",
                code=PaymentErrorCode.WEBHOOK_SIGNATURE_INVALID,
            )
