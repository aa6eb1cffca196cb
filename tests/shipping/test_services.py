"""Writing zones and methods: what the services accept, normalise and refuse; the database's
own checks behind them."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from apps.core.exceptions import ApplicationError, ApplicationFieldErrors
from apps.shipping import services
from apps.shipping.models import ShippingBracket, ShippingMethod, ShippingZone
from tests.shipping.conftest import PICKUP


def _refusal(call, **kwargs) -> tuple[str, str | None]:
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    return caught.value.code, caught.value.field


def test_zone_lists_are_normalised(in_a):
    zone = services.shipping_zone_create(
        name="  West   Coast ",
        countries=["us", "US", " ca "],
        regions=["us-california", "US-OR", "ca-British Columbia"],
        postcodes=["90*", " 97 2* "],
    )
    zone.refresh_from_db()
    assert zone.name == "West Coast"
    assert zone.countries == ["US", "CA"]
    assert zone.regions == ["US-CA", "US-OR", "CA-BC"]
    assert zone.postcodes == ["90*", "972*"]


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"name": " "}, ("name_required", "name")),
        ({"countries": ["GB", "XX"]}, ("country_invalid", "countries")),
        ({"countries": ["US"], "regions": ["US-Narnia"]}, ("region_invalid", "regions")),
        ({"countries": ["US"], "regions": ["CA-QC"]}, ("region_invalid", "regions")),
        ({"countries": ["US"], "regions": ["CA"]}, ("region_invalid", "regions")),
        ({"countries": ["GB"], "postcodes": ["SW1!"]}, ("postcode_pattern_invalid", "postcodes")),
        (
            {"countries": ["DE"], "postcodes": ["20000-10000"]},
            ("postcode_pattern_invalid", "postcodes"),
        ),
        ({"postcodes": ["SW1*"]}, ("zone_needs_countries", "countries")),
        ({"countries": ["GB"], "position": -1}, ("position_invalid", "position")),
    ],
)
def test_zone_refusals(in_a, fields, refusal):
    assert _refusal(services.shipping_zone_create, **{"name": "Zone", **fields}) == refusal
    assert not ShippingZone.objects.exists()


def test_zone_update_keeps_what_it_is_not_given(in_a):
    zone = services.shipping_zone_create(name="UK", countries=["GB"], postcodes=["SW1*"])
    services.shipping_zone_update(zone=zone, name="Britain", position=3)
    zone.refresh_from_db()
    assert (zone.name, zone.countries, zone.postcodes, zone.position) == (
        "Britain", ["GB"], ["SW1*"], 3,
    )  # fmt: skip
    # dropping the countries of a zone that has postcodes is refused
    assert _refusal(services.shipping_zone_update, zone=zone, countries=[]) == (
        "zone_needs_countries",
        "countries",
    )


def test_deleting_a_zone_deletes_its_methods(in_a):
    zone = services.shipping_zone_create(name="UK", countries=["GB"])
    services.shipping_method_create(zone=zone, name="Post", rate_type="flat", amount="2.50")
    services.shipping_zone_delete(zone=zone)
    assert not ShippingMethod.objects.exists()


@pytest.fixture
def uk(in_a):
    return services.shipping_zone_create(name="UK", countries=["GB"])


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"rate_type": "teleport"}, ("rate_type_invalid", "rate_type")),
        ({"amount": "-1"}, ("amount_negative", "amount")),
        ({"amount": "1.234"}, ("amount_invalid", "amount")),
        ({"amount": "abc"}, ("amount_invalid", "amount")),
        ({"amount": "NaN"}, ("amount_invalid", "amount")),
        ({"rate_type": "free_over"}, ("free_over_required", "free_over")),
        ({"free_over": "-5"}, ("amount_negative", "free_over")),
        ({"rate_type": "pickup"}, ("pickup_address_required", "pickup_address")),
        ({"brackets": [{"lower": 0, "upper": 10, "amount": 1}]}, ("brackets_not_used", "brackets")),
    ],
)
def test_method_refusals(uk, fields, refusal):
    data = {"zone": uk, "name": "Post", "rate_type": "flat", "amount": "2.50", **fields}
    assert _refusal(services.shipping_method_create, **data) == refusal
    assert not ShippingMethod.objects.exists()


def test_a_pickup_address_is_validated_with_every_error_under_pickup_address(uk):
    # when
    with pytest.raises(ApplicationFieldErrors) as caught:
        services.shipping_method_create(
            zone=uk,
            name="Collect",
            rate_type="pickup",
            pickup_address={
                "street_address_1": "1 Market St",
                "country_code": "GB",
                "postal_code": "nope",
            },
        )
    # then
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("pickup_address.city", "required"),
        ("pickup_address.postal_code", "invalid"),
    ]


def test_a_pickup_address_is_stored_normalised_and_dropped_when_the_type_changes(uk):
    method = services.shipping_method_create(
        zone=uk, name="Collect", rate_type="pickup", pickup_address=PICKUP
    )
    assert (method.pickup_address["postal_code"], method.pickup_address["country_code"]) == (
        "SW1A 2AA",
        "GB",
    )
    method = services.shipping_method_update(method=method, rate_type="flat", amount="1.00")
    method.refresh_from_db()
    assert method.pickup_address == {}


@pytest.mark.parametrize(
    ("brackets", "refusal"),
    [
        ([{"lower": 0, "upper": 0, "amount": 1}], ("bracket_invalid", "brackets.0.upper")),
        ([{"lower": 5, "upper": 2, "amount": 1}], ("bracket_invalid", "brackets.0.upper")),
        ([{"lower": None, "upper": 2, "amount": 1}], ("bracket_invalid", "brackets.0.lower")),
        ([{"lower": 0, "upper": 2, "amount": "-1"}], ("amount_negative", "brackets.0.amount")),
        ([{"lower": "0.5", "upper": 2, "amount": 1}], ("amount_invalid", "brackets.0.lower")),
        (
            [{"lower": 1000, "upper": 2000, "amount": 5}, {"lower": 0, "upper": 1001, "amount": 3}],
            ("brackets_overlap", "brackets.0.lower"),
        ),
        (
            [{"lower": 0, "upper": None, "amount": 3}, {"lower": 500, "upper": 900, "amount": 5}],
            ("brackets_overlap", "brackets.1.lower"),
        ),
    ],
)
def test_weight_bracket_refusals(uk, brackets, refusal):
    data = {"zone": uk, "name": "Parcel", "rate_type": "weight", "brackets": brackets}
    assert _refusal(services.shipping_method_create, **data) == refusal


def test_brackets_are_replaced_whole_and_may_leave_gaps(uk):
    method = services.shipping_method_create(
        zone=uk,
        name="By value",
        rate_type="subtotal",
        brackets=[{"lower": "50", "upper": None, "amount": "0"}],
    )
    services.shipping_method_brackets_set(
        method=method,
        brackets=[
            services.BracketInput(lower="100", upper=None, amount="0"),
            services.BracketInput(lower="0", upper="49.99", amount="4.99"),
        ],
    )
    assert list(method.brackets.values_list("lower", "upper", "amount")) == [
        (Decimal("0.00"), Decimal("49.99"), Decimal("4.99")),
        (Decimal("100.00"), None, Decimal("0.00")),
    ]
    # switching to a flat rate drops them
    services.shipping_method_update(method=method, rate_type="flat", amount="3")
    assert not ShippingBracket.objects.filter(method=method).exists()


def _violates(constraint: str, make) -> None:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        make()
    assert constraint in str(caught.value)


def test_the_database_refuses_what_the_services_refuse(uk):
    method = services.shipping_method_create(zone=uk, name="Post", rate_type="flat", amount="1")
    _violates(
        "shipping_zone_narrowing_needs_countries",
        lambda: ShippingZone.objects.create(name="x", postcodes=["SW1*"]),
    )
    _violates(
        "shipping_method_amount_not_negative",
        lambda: ShippingMethod.objects.filter(pk=method.pk).update(amount=Decimal("-1")),
    )
    _violates(
        "shipping_method_free_over_has_threshold",
        lambda: ShippingMethod.objects.filter(pk=method.pk).update(rate_type="free_over"),
    )
    _violates(
        "shipping_method_pickup_has_address",
        lambda: ShippingMethod.objects.filter(pk=method.pk).update(rate_type="pickup"),
    )
    _violates(
        "shipping_method_rate_type_known",
        lambda: ShippingMethod.objects.filter(pk=method.pk).update(rate_type="teleport"),
    )
    _violates(
        "shipping_bracket_upper_above_lower",
        lambda: ShippingBracket.objects.create(method=method, lower=10, upper=10, amount=1),
    )
    _violates(
        "shipping_bracket_lower_not_negative",
        lambda: ShippingBracket.objects.create(method=method, lower=-1, amount=1),
    )
    _violates(
        "shipping_bracket_amount_not_negative",
        lambda: ShippingBracket.objects.create(method=method, lower=0, amount=-1),
    )
