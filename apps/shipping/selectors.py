"""Reads of shipping data, query-counted."""

from django.db.models import Exists, OuterRef, Prefetch, Q

from apps.core.addresses import Address
from apps.shipping.models import ShippingBracket, ShippingMethod, ShippingZone
from apps.shipping.zones import zone_for_address


def shipping_zone_for_address(*, address: Address) -> ShippingZone | None:
    """The zone whose methods apply to `address` (apps.shipping.zones has the rule), with its
    active methods in order on `active_methods`, each with its brackets. Three queries: the
    zones that could match (the address's country or everywhere else, with an active method),
    then the chosen zone's active methods and their brackets."""
    active = ShippingMethod.objects.filter(zone=OuterRef("pk"), active=True)
    candidates = ShippingZone.objects.filter(
        Q(countries=[]) | Q(countries__contains=[address.country_code]), Exists(active)
    ).only("id", "name", "position", "countries", "regions", "postcodes")
    zone = zone_for_address(candidates, address)
    if zone is None:
        return None
    zone.active_methods = list(
        ShippingMethod.objects.filter(zone=zone, active=True)
        .order_by("position", "id")
        .prefetch_related(Prefetch("brackets", queryset=ShippingBracket.objects.order_by("lower")))
    )
    return zone


def shipping_zones_with_methods():
    """Every zone with its methods (and their brackets), for the staff API."""
    methods = ShippingMethod.objects.order_by("position", "id").prefetch_related("brackets")
    return ShippingZone.objects.prefetch_related(Prefetch("methods", queryset=methods))
