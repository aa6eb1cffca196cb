"""Which zone an address falls in: postcode patterns and the most-specific rule (pure)."""

from dataclasses import dataclass, field

import pytest

from apps.shipping.zones import (
    postcode_matches,
    postcode_pattern_clean,
    zone_for_address,
)
from tests.shipping.conftest import BERLIN, LONDON, LOS_ANGELES, WESTMINSTER


@dataclass
class Zone:
    id: int
    position: int = 0
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    postcodes: list[str] = field(default_factory=list)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("sw1*", "SW1*"),
        (" 750 01 ", "75001"),
        ("10000-14999", "10000-14999"),
        ("154-0023", "154-0023"),
    ],
)
def test_patterns_are_stored_upper_case_without_spaces(typed, stored):
    assert postcode_pattern_clean(typed) == stored


@pytest.mark.parametrize("typed", ["", "*", "S*W1", "SW1**", "SW1!", "20000-10000"])
def test_malformed_patterns_are_refused(typed):
    with pytest.raises(ValueError):  # noqa: PT011 (the message is checked by the service tests)
        postcode_pattern_clean(typed)


@pytest.mark.parametrize(
    ("postcode", "pattern", "expected"),
    [
        ("SW1A 1AA", "SW1*", True),
        ("sw1a1aa", "SW1*", True),
        ("SE1 7PB", "SW1*", False),
        ("10000", "10000-14999", True),
        ("14999", "10000-14999", True),
        ("15000", "10000-14999", False),
        ("09999", "10000-14999", False),
        ("1234", "10000-14999", False),  # too short to be in a range of five-digit codes
        ("12345", "100-149", True),  # a range on the first three characters
        ("15000", "100-149", False),
        ("154-0023", "154-0023", True),  # Japanese postcodes: one exact code, not a range
        ("154-0024", "154-0023", False),
        ("75001", "75001", True),
        ("", "SW1*", False),
    ],
)
def test_postcode_matching(postcode, pattern, expected):
    assert postcode_matches(postcode, pattern) is expected


def test_the_most_specific_zone_wins_whatever_the_order():
    # given
    world = Zone(id=1)
    uk = Zone(id=2, countries=["GB"])
    london = Zone(id=3, countries=["GB"], postcodes=["SW1*", "EC*"])
    california = Zone(id=4, countries=["US"], regions=["US-CA"])
    us = Zone(id=5, countries=["US"])
    zones = [world, uk, london, california, us]
    # then: postcodes beat countries, regions beat countries, else the rest of the world
    assert zone_for_address(zones, WESTMINSTER) is london
    assert zone_for_address(zones, LONDON) is uk
    assert zone_for_address(zones, LOS_ANGELES) is california
    assert zone_for_address(zones, BERLIN) is world
    assert zone_for_address([uk, us], BERLIN) is None


def test_ties_go_to_the_lower_position_then_the_older_zone():
    first = Zone(id=7, position=0, countries=["GB"])
    second = Zone(id=3, position=1, countries=["GB", "IE"])
    older = Zone(id=2, position=0, countries=["GB"])
    assert zone_for_address([second, first], LONDON) is first
    assert zone_for_address([second, first, older], LONDON) is older


def test_every_criterion_of_a_zone_must_hold():
    # a postcode pattern of another country's zone does not catch a GB address
    paris = Zone(id=1, countries=["FR"], postcodes=["75*"])
    assert zone_for_address([paris], LONDON) is None
    # a region zone needs the region
    nevada = Zone(id=2, countries=["US"], regions=["US-NV"])
    assert zone_for_address([nevada], LOS_ANGELES) is None
