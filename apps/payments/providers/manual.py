"""Manual payments: bank transfer, cash on delivery, a cheque in the post.

Nothing happens at checkout but a promise: the order waits for its money (its stock stays
reserved) and the shopper sees the store's instructions. When the money arrives, staff mark the
payment paid; a refund is money staff send back themselves, recorded here.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from apps.payments.providers.base import PaymentProvider, PaymentRequest, ProviderResult


class ManualProvider(PaymentProvider):
    code = "manual"
    name = "Bank transfer"
    staff_marks_paid = True

    def authorize(self, *, request: PaymentRequest, settings: Mapping[str, Any]) -> ProviderResult:
        return ProviderResult(
            success=True,
            pending=True,
            message="Awaiting payment: the shopper pays outside the store.",
        )

    def capture(
        self, *, reference: str, amount: Decimal, currency: str, settings: Mapping[str, Any]
    ) -> ProviderResult:
        return ProviderResult(success=True, reference=reference, message="Marked paid by staff.")

    def refund(
        self, *, reference: str, amount: Decimal, currency: str, settings: Mapping[str, Any]
    ) -> ProviderResult:
        return ProviderResult(
            success=True, message="Refunded by staff outside the store (e.g. a bank transfer)."
        )

    def void(self, *, reference: str, settings: Mapping[str, Any]) -> ProviderResult:
        return ProviderResult(success=True, message="No payment expected any more.")
