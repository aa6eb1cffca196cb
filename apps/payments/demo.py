"""Payment methods of the demo store: the test gateway (pay with 4242 4242 4242 4242) and a
bank transfer with believable instructions, so `make run` gives a store you can really buy
from, both ways.

`demo_payments_seed()` runs inside the store's schema (the caller uses `tenant_context`). A
provider the store already configured is left as it is: a second run changes nothing.
"""

from dataclasses import dataclass, field

from django.db import transaction

from apps.payments import services
from apps.payments.models import PaymentProviderConfig

BANK_TRANSFER_INSTRUCTIONS = (
    "Please transfer the order total within 7 days to:\n"
    "Account name: PyCommerce Demo Ltd\n"
    "IBAN: GB33 BUKB 2020 1555 5555 55 · BIC: BUKBGB22\n"
    "Reference: your order number (e.g. 1001), so we can match your payment.\n"
    "We ship as soon as the money arrives, usually 1 to 2 working days after you pay."
)
TEST_GATEWAY_INSTRUCTIONS = (
    "Demo store: no real money moves. Pay with the test card 4242 4242 4242 4242, any future "
    "expiry date and any 3-digit CVC (4000 0000 0000 0002 shows a declined card)."
)


@dataclass
class DemoPaymentsResult:
    enabled: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.enabled:
            return "payment methods already set up"
        return f"payment methods enabled: {', '.join(self.enabled)}"


@transaction.atomic
def demo_payments_seed() -> DemoPaymentsResult:
    result = DemoPaymentsResult()
    configured = set(PaymentProviderConfig.objects.values_list("provider", flat=True))
    if "test" not in configured:
        services.provider_config_save(
            provider_code="test",
            enabled=True,
            display_name="Card (demo: use 4242 4242 4242 4242)",
            position=0,
            instructions=TEST_GATEWAY_INSTRUCTIONS,
        )
        result.enabled.append("test")
    if "manual" not in configured:
        services.provider_config_save(
            provider_code="manual",
            enabled=True,
            display_name="Bank transfer",
            position=1,
            instructions=BANK_TRANSFER_INSTRUCTIONS,
        )
        result.enabled.append("manual")
    return result
