"""A provider for tests of the failure paths: a processor that is down (authorise raises, as a
network error would) or refuses refunds and voids. Registered through settings.PAYMENT_PROVIDERS
like any plugin."""

from decimal import Decimal

from apps.payments.providers.base import (
    PaymentProvider,
    PaymentRequest,
    ProviderResult,
    SettingField,
)


class FlakyProvider(PaymentProvider):
    code = "flaky"
    name = "Flaky Pay"
    currencies = frozenset({"EUR"})
    setting_fields = (SettingField(name="down", label="Down: yes or no"),)

    def authorize(self, *, request: PaymentRequest, settings) -> ProviderResult:
        if settings.get("down") == "yes":
            raise ConnectionError("processor unreachable")
        return ProviderResult(success=True, reference="fl_1")

    def capture(self, *, reference: str, amount: Decimal, currency: str, settings):
        return ProviderResult(success=True, reference=reference)

    def refund(self, *, reference: str, amount: Decimal, currency: str, settings):
        return ProviderResult(
            success=False, error_code="refund_window_closed", message="Too late to refund."
        )

    def void(self, *, reference: str, settings):
        return ProviderResult(success=False, error_code="void_failed", message="Cannot void.")


FLAKY = "tests.payments.providers.FlakyProvider"
