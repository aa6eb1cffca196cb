"""Which shipping zone an address falls in. Pure functions over zones already loaded.

The rule (the only one; the admin's help text and the API docs say the same):

1. A zone matches an address when every criterion it sets holds:
   - `countries` (when set) contains the address's country;
   - `regions` (when set) contain the address's region ("US-CA": country and area);
   - `postcodes` (when set): the address's postcode matches one of the patterns.
   A zone with no countries is "everywhere else" and matches every address.
2. Of the matching zones, the most specific applies: one with postcode patterns beats one
   with regions, which beats one with countries only, which beats "everywhere else".
3. Ties go to the lower `position`, then to the older zone (lower id).
4. Exactly one zone applies; its active methods are the table rates offered. Zones without an
   active method are left out before matching (apps.shipping.selectors), so switching off every
   method of a zone hands its addresses to the next zone instead of leaving them unserved.

Postcode patterns, compared upper-case with spaces removed ("sw1a 1aa" is "SW1A1AA"):
- "SW1*": a prefix (a single trailing star);
- "10000-14999": a range, when both ends have the same length and no star: the postcode's
  first len(end) characters lie between the ends, compared as text (so digits of one length
  compare like numbers, and "100-149" covers 10000 to 14999 as well);
- anything else is one exact postcode ("154-0023", "SW1A1AA").
"""

import re
from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import Protocol, TypeVar

from apps.core.addresses import Address

_PATTERN_RE = re.compile(r"^[A-Z0-9-]+\*?$")


class Specificity(IntEnum):
    EVERYWHERE_ELSE = 0
    COUNTRY = 1
    REGION = 2
    POSTCODE = 3


class ZoneLike(Protocol):
    """A ShippingZone, or the frozen apps.shipping.selectors.ZoneRule (tuples)."""

    id: int
    position: int
    countries: Sequence[str]
    regions: Sequence[str]
    postcodes: Sequence[str]


Z = TypeVar("Z", bound=ZoneLike)


def postcode_normalize(postcode: str) -> str:
    return "".join(postcode.split()).upper()


def postcode_pattern_clean(pattern: str) -> str:
    """The stored form of a pattern typed by a merchant; ValueError (with a message for
    people) when it is not one of the three shapes."""
    cleaned = postcode_normalize(pattern)
    if not cleaned or cleaned == "*" or not _PATTERN_RE.match(cleaned):
        raise ValueError(
            f'"{pattern}" is not a postcode pattern: use letters, digits and hyphens, '
            'with an optional * at the end ("SW1*"), or a range ("10000-14999").'
        )
    bounds = _range_bounds(cleaned)
    if bounds is not None and bounds[0] > bounds[1]:
        raise ValueError(f'The range "{pattern}" starts after it ends.')
    return cleaned


def _range_bounds(pattern: str) -> tuple[str, str] | None:
    if "*" in pattern or pattern.count("-") != 1:
        return None
    lower, upper = pattern.split("-")
    if lower and len(lower) == len(upper):
        return lower, upper
    return None


def postcode_matches(postcode: str, pattern: str) -> bool:
    """Whether `postcode` (as the shopper typed it) matches a stored `pattern`."""
    postcode = postcode_normalize(postcode)
    if not postcode:
        return False
    if pattern.endswith("*"):
        return postcode.startswith(pattern[:-1])
    bounds = _range_bounds(pattern)
    if bounds is not None:
        lower, upper = bounds
        head = postcode[: len(lower)]
        return len(head) == len(lower) and lower <= head <= upper
    return postcode == pattern


def zone_specificity(zone: ZoneLike) -> Specificity:
    if zone.postcodes:
        return Specificity.POSTCODE
    if zone.regions:
        return Specificity.REGION
    if zone.countries:
        return Specificity.COUNTRY
    return Specificity.EVERYWHERE_ELSE


def zone_matches(zone: ZoneLike, address: Address) -> bool:
    if zone.countries and address.country_code not in zone.countries:
        return False
    if zone.regions and address.region not in zone.regions:
        return False
    return not zone.postcodes or any(
        postcode_matches(address.postal_code, pattern) for pattern in zone.postcodes
    )


def zone_for_address(zones: Iterable[Z], address: Address) -> Z | None:
    """The one zone that applies to `address` (see the module's rule), or None."""
    matching = [zone for zone in zones if zone_matches(zone, address)]
    if not matching:
        return None
    return min(matching, key=lambda zone: (-zone_specificity(zone), zone.position, zone.id))
