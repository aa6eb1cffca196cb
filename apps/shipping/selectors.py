"""Reads of shipping data, query-counted. What checkouts price with (zones, their active
methods and brackets) comes from the store's configuration memo (apps.core.store_config) as
frozen rules: no query when warm, three to load."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from apps.core.addresses import Address
from apps.core.store_config import store_memo
from apps.shipping.models import ShippingBracket, ShippingMethod, ShippingZone
from apps.shipping.zones import zone_for_address


@dataclass(frozen=True)
class BracketRule:
    lower: Decimal
    upper: Decimal | None
    amount: Decimal


@dataclass(frozen=True)
class MethodRule:
    """An active ShippingMethod as apps.shipping.providers.table prices it; `brackets` by
    `lower`, `pickup_address` an Address for local pickup (else None)."""

    id: int
    name: str
    description: str
    rate_type: str
    amount: Decimal
    free_over: Decimal | None
    delivery_estimate: str
    pickup_address: Address | None
    brackets: tuple[BracketRule, ...]

    @property
    def pk(self) -> int:
        return self.id


@dataclass(frozen=True)
class ZoneRule:
    """A ShippingZone with its active methods in order (position, id)."""

    id: int
    name: str
    position: int
    countries: tuple[str, ...]
    regions: tuple[str, ...]
    postcodes: tuple[str, ...]
    active_methods: tuple[MethodRule, ...]

    @property
    def pk(self) -> int:
        return self.id


def _method_rule(method: ShippingMethod) -> MethodRule:
    return MethodRule(
        id=method.pk,
        name=method.name,
        description=method.description,
        rate_type=method.rate_type,
        amount=method.amount,
        free_over=method.free_over,
        delivery_estimate=method.delivery_estimate,
        pickup_address=(
            Address.from_dict(method.pickup_address)
            if method.rate_type == ShippingMethod.RateType.PICKUP
            else None
        ),
        brackets=tuple(
            BracketRule(lower=bracket.lower, upper=bracket.upper, amount=bracket.amount)
            for bracket in method.brackets.all()
        ),
    )


def _zone_rules() -> tuple[ZoneRule, ...]:
    """Every zone that has an active method (zones without one are left out before matching:
    apps.shipping.zones, rule 4), by position and id. Three queries."""
    methods = (
        ShippingMethod.objects.filter(active=True)
        .order_by("position", "id")
        .prefetch_related(Prefetch("brackets", queryset=ShippingBracket.objects.order_by("lower")))
    )
    zones = ShippingZone.objects.prefetch_related(
        Prefetch("methods", queryset=methods, to_attr="active_method_rows")
    ).order_by("position", "id")
    rules = []
    for zone in zones:
        if not zone.active_method_rows:
            continue
        rules.append(
            ZoneRule(
                id=zone.pk,
                name=zone.name,
                position=zone.position,
                countries=tuple(zone.countries),
                regions=tuple(zone.regions),
                postcodes=tuple(zone.postcodes),
                active_methods=tuple(_method_rule(method) for method in zone.active_method_rows),
            )
        )
    return tuple(rules)


def shipping_zone_for_address(*, address: Address) -> ZoneRule | None:
    """The zone whose methods apply to `address` (apps.shipping.zones has the rule), with its
    active methods in order on `active_methods`, each with its brackets."""
    return zone_for_address(store_memo("shipping.zones", _zone_rules), address)


def shipping_zones_with_methods():
    """Every zone with its methods (and their brackets), for the staff API."""
    methods = ShippingMethod.objects.order_by("position", "id").prefetch_related("brackets")
    return ShippingZone.objects.prefetch_related(Prefetch("methods", queryset=methods))
