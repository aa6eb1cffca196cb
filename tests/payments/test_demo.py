"""The demo store's payment methods."""

from apps.payments import services
from apps.payments.demo import BANK_TRANSFER_INSTRUCTIONS, demo_payments_seed
from apps.payments.models import PaymentProviderConfig


def test_demo_offers_the_test_gateway_and_a_bank_transfer_once(in_a):
    # when
    result = demo_payments_seed()
    # then
    assert result.enabled == ["test", "manual"]
    methods = services.payment_methods_available(currency="USD")
    assert [(m.code, m.needs_card) for m in methods] == [("test", True), ("manual", False)]
    assert methods[1].instructions == BANK_TRANSFER_INSTRUCTIONS
    assert "4242 4242 4242 4242" in methods[0].name
    # a second run changes nothing, even after the merchant changed something
    services.provider_config_save(provider_code="manual", enabled=False)
    again = demo_payments_seed()
    assert (again.enabled, again.summary()) == ([], "payment methods already set up")
    assert not PaymentProviderConfig.objects.get(provider="manual").enabled
