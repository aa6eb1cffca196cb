"""Payments test fixtures: tests inside store A, its payment methods switched on, orders."""

import pytest
from django_tenants.utils import tenant_context

from apps.payments import services
from apps.payments.models import PaymentProviderConfig
from tests.orders.factories import order_make

BANK_DETAILS = "Pay to IBAN GB33 BUKB 2020 1555 5555 55, quoting your order number."
GOOD_CARD = {"number": "4242 4242 4242 4242", "exp_month": "12", "exp_year": "2040", "cvc": "123"}
DECLINED_CARD = {**GOOD_CARD, "number": "4000 0000 0000 0002"}
WEBHOOK_SECRET = "whsec_test_0123456789abcdef"


def methods_enable(*, capture: str = "automatic") -> None:
    """Manual (bank transfer) and the test gateway, on; the gateway's webhook secret known."""
    services.provider_config_save(
        provider_code="manual", enabled=True, instructions=BANK_DETAILS, position=1
    )
    services.provider_config_save(
        provider_code="test",
        enabled=True,
        position=0,
        settings={"capture": capture, "webhook_secret": WEBHOOK_SECRET},
    )


@pytest.fixture
def in_a(store_a):
    """The test body runs inside store A (its schema, and connection.tenant is the store)."""
    with tenant_context(store_a.tenant):
        yield store_a


@pytest.fixture
def methods_a(in_a):
    methods_enable()
    return PaymentProviderConfig.objects.order_by("position")


@pytest.fixture
def order(methods_a):
    """Store A's order #…: 2 x 10.00 + 5.00 shipping = 25.00, awaiting payment."""
    return order_make(lines=[("TEE-1", 2, "10.00")], shipping="5.00")
