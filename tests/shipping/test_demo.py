"""The demo store's shipping: believable rates for a few addresses, and a rerun changes
nothing. Also: the shipping endpoints are in the OpenAPI schema, generated without warnings."""

from decimal import Decimal

from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema

from apps.core.addresses import Address
from apps.shipping import services
from apps.shipping.demo import demo_shipping_seed
from apps.shipping.models import ShippingZone
from tests.shipping.conftest import BERLIN, LOS_ANGELES, TOKYO, package

PORTLAND = Address(
    last_name="Rivera",
    street_address_1="800 SE Division St",
    city="Portland",
    country_area="OR",
    postal_code="97202",
    country_code="US",
)


def _offer(address: Address, subtotal: str, grams: int = 800) -> list[tuple[str, Decimal]]:
    rates = services.shipping_rates(
        address=address, package=package(subtotal, grams=grams, currency="USD")
    )
    return [(rate.name, rate.amount) for rate in rates]


def test_demo_shipping(in_a):
    # when
    assert demo_shipping_seed() is True
    # then
    assert _offer(LOS_ANGELES, "40.00") == [
        ("Standard", Decimal("6.95")),
        ("Express", Decimal("19.95")),
    ]
    assert _offer(PORTLAND, "80.00") == [
        ("Pick up at the shop", Decimal("0.00")),
        ("Standard", Decimal("0.00")),
        ("Express", Decimal("19.95")),
    ]
    assert _offer(BERLIN, "40.00", grams=1500) == [("International tracked", Decimal("24.00"))]
    assert _offer(BERLIN, "40.00", grams=25000) == []  # over 20 kg
    assert _offer(TOKYO, "120.00") == [("International economy", Decimal("39.00"))]
    # and a second run changes nothing
    zones = list(ShippingZone.objects.values_list("id", "name"))
    assert demo_shipping_seed() is False
    assert list(ShippingZone.objects.values_list("id", "name")) == zones


def test_shipping_and_tax_endpoints_in_the_schema(client_a):
    GENERATOR_STATS.reset()
    schema = client_a.get("/api/schema/", {"format": "json"}).json()
    validate_schema(schema)
    assert not GENERATOR_STATS
    assert {
        "/api/v1/shipping-zones/",
        "/api/v1/shipping-zones/{id}/",
        "/api/v1/shipping-methods/",
        "/api/v1/shipping-methods/{id}/",
        "/api/v1/tax-rates/",
        "/api/v1/tax-rates/{id}/",
        "/api/v1/tax-settings/",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/tax-settings/"]) == {"get", "patch"}
