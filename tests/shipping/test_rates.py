"""Rates for a checkout: each rate type and its edges, the zone rule with real zones, inactive
methods, server-side re-pricing, and the provider registry."""

from decimal import Decimal

import pytest

from apps.core.addresses import Address
from apps.core.exceptions import ApplicationError
from apps.core.store_config import store_config_changed
from apps.shipping import services
from apps.shipping.providers.base import (
    Package,
    ShippingProvider,
    ShippingProviderUnavailable,
    ShippingRate,
)
from tests.shipping.conftest import BERLIN, LONDON, TOKYO, WESTMINSTER, package


def _offer(rates: list[ShippingRate]) -> list[tuple[str, Decimal]]:
    return [(rate.name, rate.amount) for rate in rates]


@pytest.fixture
def uk(in_a):
    return services.shipping_zone_create(name="UK", countries=["GB"])


def test_flat_rate(uk):
    method = services.shipping_method_create(
        zone=uk,
        name="Royal Mail",
        rate_type="flat",
        amount="3.95",
        description="Tracked",
        delivery_estimate="2-3 days",
    )
    rates = services.shipping_rates(address=LONDON, package=package())
    assert rates == [
        ShippingRate(
            method_id=f"table:{method.pk}",
            name="Royal Mail",
            amount=Decimal("3.95"),
            currency="GBP",
            description="Tracked",
            estimate="2-3 days",
        )
    ]
    assert (rates[0].provider, rates[0].is_pickup) == ("table", False)


@pytest.mark.parametrize(
    ("grams", "expected"),
    [
        (0, [("Parcel", Decimal("5.00"))]),
        (999, [("Parcel", Decimal("5.00"))]),
        (1000, [("Parcel", Decimal("8.50"))]),  # an upper bound is exclusive
        (4999, [("Parcel", Decimal("8.50"))]),
        (5000, []),  # a gap: not offered
        (10000, [("Parcel", Decimal("20.00"))]),
        (250000, [("Parcel", Decimal("20.00"))]),  # open-ended last bracket
    ],
)
def test_weight_brackets(uk, grams, expected):
    services.shipping_method_create(
        zone=uk,
        name="Parcel",
        rate_type="weight",
        brackets=[
            {"lower": 0, "upper": 1000, "amount": "5.00"},
            {"lower": 1000, "upper": 5000, "amount": "8.50"},
            {"lower": 10000, "upper": None, "amount": "20.00"},
        ],
    )
    assert _offer(services.shipping_rates(address=LONDON, package=package(grams=grams))) == expected


@pytest.mark.parametrize(
    ("subtotal", "expected"),
    [
        ("0.00", Decimal("6.00")),
        ("49.99", Decimal("6.00")),
        ("50.00", Decimal("3.00")),
        ("80", Decimal("0.00")),
    ],
)
def test_subtotal_brackets(uk, subtotal, expected):
    services.shipping_method_create(
        zone=uk,
        name="By value",
        rate_type="subtotal",
        brackets=[
            {"lower": "0", "upper": "50", "amount": "6.00"},
            {"lower": "50", "upper": "75", "amount": "3.00"},
            {"lower": "75", "upper": None, "amount": "0"},
        ],
    )
    rates = services.shipping_rates(address=LONDON, package=package(subtotal=subtotal))
    assert _offer(rates) == [("By value", expected)]


@pytest.mark.parametrize(
    ("subtotal", "expected"),
    [("74.99", Decimal("4.95")), ("75.00", Decimal("0.00")), ("120", Decimal("0.00"))],
)
def test_free_over_a_threshold(uk, subtotal, expected):
    services.shipping_method_create(
        zone=uk, name="Standard", rate_type="free_over", amount="4.95", free_over="75"
    )
    rates = services.shipping_rates(address=LONDON, package=package(subtotal=subtotal))
    assert _offer(rates) == [("Standard", expected)]


def test_a_free_over_threshold_applies_to_weight_methods_too(uk):
    services.shipping_method_create(
        zone=uk,
        name="Parcel",
        rate_type="weight",
        free_over="100",
        brackets=[{"lower": 0, "upper": None, "amount": "9.00"}],
    )
    assert _offer(services.shipping_rates(address=LONDON, package=package("99.99"))) == [
        ("Parcel", Decimal("9.00"))
    ]
    assert _offer(services.shipping_rates(address=LONDON, package=package("100"))) == [
        ("Parcel", Decimal("0.00"))
    ]


def test_local_pickup_carries_its_address(in_a, zones_a):
    rates = services.shipping_rates(address=WESTMINSTER, package=package())
    assert _offer(rates) == [("Collect in store", Decimal("0.00"))]
    assert rates[0].is_pickup
    assert rates[0].pickup_address == Address(
        company="The Shop",
        street_address_1="1 Market Street",
        city="London",
        postal_code="SW1A 2AA",
        country_code="GB",
    )
    assert rates[0].to_dict()["pickup_address"]["postal_code"] == "SW1A 2AA"


def test_zone_rule_with_stored_zones(in_a, zones_a):
    # the SW1 postcode zone beats the country zone; elsewhere in GB the country zone applies;
    # other countries fall to the rest of the world
    assert _offer(services.shipping_rates(address=LONDON, package=package())) == [
        ("Royal Mail", Decimal("3.95"))
    ]
    assert _offer(services.shipping_rates(address=BERLIN, package=package(grams=1500))) == [
        ("Parcel", Decimal("15.00"))
    ]


def test_inactive_methods_are_not_offered_and_an_empty_zone_hands_over(in_a, zones_a):
    # given: the postcode zone's only method switched off
    services.shipping_method_update(method=zones_a["pickup"], active=False)
    # then: Westminster gets the country zone's rates instead of none
    assert _offer(services.shipping_rates(address=WESTMINSTER, package=package())) == [
        ("Royal Mail", Decimal("3.95"))
    ]
    # and with the country zone's method off too, the rest of the world applies
    services.shipping_method_update(method=zones_a["standard"], active=False)
    assert _offer(services.shipping_rates(address=LONDON, package=package())) == [
        ("Parcel", Decimal("15.00"))
    ]


def test_methods_come_in_position_order(uk):
    services.shipping_method_create(zone=uk, name="Second", rate_type="flat", position=2)
    services.shipping_method_create(zone=uk, name="First", rate_type="flat", position=1)
    names = [rate.name for rate in services.shipping_rates(address=LONDON, package=package())]
    assert names == ["First", "Second"]


def test_no_zone_no_rates(uk):
    services.shipping_method_create(zone=uk, name="Post", rate_type="flat", amount="2")
    assert services.shipping_rates(address=TOKYO, package=package()) == []


def test_amounts_are_rounded_to_the_currency(in_a):
    japan = services.shipping_zone_create(name="Japan", countries=["JP"])
    services.shipping_method_create(zone=japan, name="Yamato", rate_type="flat", amount="800.50")
    rates = services.shipping_rates(address=TOKYO, package=package(currency="jpy"))
    assert [(rate.amount, rate.currency) for rate in rates] == [(Decimal("801"), "JPY")]
    assert str(rates[0].amount) == "801"


def test_rates_cost_no_query_when_warm_and_three_after_a_change(
    in_a, zones_a, django_assert_num_queries
):
    services.shipping_rates(address=LONDON, package=package())  # the schema's SET is done
    # the zones come from the store's configuration memo (apps.core.store_config)
    with django_assert_num_queries(0):
        services.shipping_rates(address=WESTMINSTER, package=package())
    store_config_changed()
    # 1. every zone  2. their active methods  3. the methods' brackets (memoised again)
    with django_assert_num_queries(3):
        services.shipping_rates(address=WESTMINSTER, package=package())


# --- re-pricing -----------------------------------------------------------------------------


def test_rate_get_prices_the_method_again_on_the_server(in_a, zones_a):
    # given: a rate offered earlier
    offered = services.shipping_rates(address=BERLIN, package=package(grams=1500))[0]
    # when: the merchant changes the brackets before the shopper pays
    services.shipping_method_brackets_set(
        method=zones_a["parcel"], brackets=[{"lower": 0, "upper": None, "amount": "18.00"}]
    )
    rate = services.shipping_rate_get(
        method_id=offered.method_id, address=BERLIN, package=package(grams=1500)
    )
    # then: today's price, not the one the client saw
    assert (rate.method_id, rate.amount) == (offered.method_id, Decimal("18.00"))


def _unavailable(method_id: str, address: Address, pkg: Package) -> None:
    with pytest.raises(ApplicationError) as caught:
        services.shipping_rate_get(method_id=method_id, address=address, package=pkg)
    assert caught.value.code == "shipping_method_unavailable"
    assert caught.value.field == "shipping_method"


@pytest.mark.parametrize(
    "method_id",
    ["", "table", "table:", "table:999999", "table:abc", "ups:ground", ":1", "table:1:2"],
)
def test_unknown_methods_are_unavailable(in_a, zones_a, method_id):
    _unavailable(method_id, LONDON, package())


def test_methods_that_would_not_be_offered_are_unavailable(in_a, zones_a):
    parcel = f"table:{zones_a['parcel'].pk}"
    standard = f"table:{zones_a['standard'].pk}"
    pickup = f"table:{zones_a['pickup'].pk}"
    # another zone's method (the rest of the world's parcel rate for a GB address)
    _unavailable(parcel, LONDON, package())
    # a less specific zone's method where a more specific zone applies
    _unavailable(standard, WESTMINSTER, package())
    # the package is outside every bracket (over 2 kg)
    _unavailable(parcel, BERLIN, package(grams=2000))
    # a method switched off
    services.shipping_method_update(method=zones_a["pickup"], active=False)
    _unavailable(pickup, WESTMINSTER, package())


# --- the provider registry ------------------------------------------------------------------


class FlakyCarrier(ShippingProvider):
    code = "flaky"
    name = "A carrier whose API is down"

    def rates(self, *, package: Package, address: Address) -> list[ShippingRate]:
        raise ShippingProviderUnavailable("timeout")


class Courier(ShippingProvider):
    code = "courier"
    name = "Same-day courier"

    def rates(self, *, package: Package, address: Address) -> list[ShippingRate]:
        if address.country_code != "GB":
            return []
        amount = Decimal("2.00") * package.item_count
        return [ShippingRate("courier:bike", "Bike courier", amount, package.currency)]


def test_providers_come_from_settings_in_order(in_a, zones_a, settings):
    settings.SHIPPING_PROVIDERS = [
        "tests.shipping.test_rates.FlakyCarrier",
        "tests.shipping.test_rates.Courier",
        "apps.shipping.providers.table.TableRateProvider",
    ]
    # a provider that cannot answer is skipped; the others' rates follow in settings order
    rates = services.shipping_rates(address=LONDON, package=package())
    assert [rate.method_id for rate in rates] == [
        "courier:bike",
        f"table:{zones_a['standard'].pk}",
    ]
    # and any provider's method can be priced again through its own rates
    bike = services.shipping_rate_get(method_id="courier:bike", address=LONDON, package=package())
    assert bike.amount == Decimal("2.00")
    _unavailable("courier:bike", BERLIN, package())
    _unavailable("flaky:anything", LONDON, package())


def test_package_refuses_floats_and_negatives():
    with pytest.raises(TypeError):
        Package(subtotal=10.0, weight_grams=1, currency="USD", item_count=1)
    with pytest.raises(ValueError):  # noqa: PT011
        Package(subtotal=Decimal(1), weight_grams=-1, currency="USD", item_count=1)
