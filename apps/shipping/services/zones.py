"""Writes of shipping zones."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from apps.core.addresses import country_area_normalize, country_codes
from apps.core.exceptions import ApplicationError
from apps.shipping.errors import ShippingErrorCode
from apps.shipping.models import ShippingZone
from apps.shipping.services._common import fields_check, name_clean, position_clean
from apps.shipping.zones import postcode_pattern_clean

ZONE_FIELDS = {"name", "countries", "regions", "postcodes", "position"}


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def countries_clean(countries: Iterable[str]) -> list[str]:
    cleaned = _unique(code.strip().upper() for code in countries if code and code.strip())
    unknown = [code for code in cleaned if code not in country_codes()]
    if unknown:
        raise ApplicationError(
            f"Unknown country code: {', '.join(unknown)} (use ISO codes such as US, GB, DE).",
            code=ShippingErrorCode.COUNTRY_INVALID,
            field="countries",
        )
    return cleaned


def regions_clean(regions: Iterable[str], *, countries: list[str]) -> list[str]:
    """Each region as "<country>-<area>" with the area as the country's own key ("us-california"
    -> "US-CA"), in one of the zone's countries."""
    cleaned = []
    for region in regions:
        region = (region or "").strip()
        if not region:
            continue
        country, _, area = region.partition("-")
        country = country.strip().upper()
        key = country_area_normalize(country, area) if area.strip() else None
        if key is None:
            raise ApplicationError(
                f'"{region}" is not a region: write the country code, a hyphen and the '
                'state or province ("US-CA", "CA-QC").',
                code=ShippingErrorCode.REGION_INVALID,
                field="regions",
            )
        if country not in countries:
            raise ApplicationError(
                f'The region "{region}" is in {country}, which is not one of the zone\'s '
                "countries.",
                code=ShippingErrorCode.REGION_INVALID,
                field="regions",
            )
        cleaned.append(f"{country}-{key}")
    return _unique(cleaned)


def postcodes_clean(patterns: Iterable[str]) -> list[str]:
    cleaned = []
    for pattern in patterns:
        if not pattern or not pattern.strip():
            continue
        try:
            cleaned.append(postcode_pattern_clean(pattern))
        except ValueError as exc:
            raise ApplicationError(
                str(exc), code=ShippingErrorCode.POSTCODE_PATTERN_INVALID, field="postcodes"
            ) from None
    return _unique(cleaned)


def _zone_fields_clean(fields: dict[str, Any]) -> dict[str, Any]:
    fields = dict(fields)
    fields["name"] = name_clean(fields["name"])
    fields["countries"] = countries_clean(fields["countries"])
    fields["regions"] = regions_clean(fields["regions"], countries=fields["countries"])
    fields["postcodes"] = postcodes_clean(fields["postcodes"])
    if not fields["countries"] and (fields["regions"] or fields["postcodes"]):
        raise ApplicationError(
            "Choose the countries that the regions or postcodes are in; a zone without "
            "countries covers every address no other zone covers.",
            code=ShippingErrorCode.ZONE_NEEDS_COUNTRIES,
            field="countries",
        )
    fields["position"] = position_clean(fields.get("position"))
    return fields


@transaction.atomic
def shipping_zone_create(
    *,
    name: str,
    countries: Iterable[str] = (),
    regions: Iterable[str] = (),
    postcodes: Iterable[str] = (),
    position: int = 0,
) -> ShippingZone:
    fields = _zone_fields_clean(
        {
            "name": name,
            "countries": countries,
            "regions": regions,
            "postcodes": postcodes,
            "position": position,
        }
    )
    return ShippingZone.objects.create(**fields)


@transaction.atomic
def shipping_zone_update(*, zone: ShippingZone, **fields: Any) -> ShippingZone:
    """Change some of name, countries, regions, postcodes, position (the rest kept)."""
    fields_check(fields, ZONE_FIELDS, "shipping_zone_update")
    zone = ShippingZone.objects.select_for_update().get(pk=zone.pk)
    merged = {name: getattr(zone, name) for name in ZONE_FIELDS} | fields
    for name, value in _zone_fields_clean(merged).items():
        setattr(zone, name, value)
    zone.save()
    return zone


@transaction.atomic
def shipping_zone_delete(*, zone: ShippingZone) -> None:
    """The zone and its methods go; orders keep their own snapshot of the rate they chose."""
    zone.delete()
