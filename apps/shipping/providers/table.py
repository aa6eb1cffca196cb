"""The built-in provider: the store's own shipping zones and methods (apps.shipping.models).

What a method costs for a package:
- flat and free_over: its amount;
- weight / subtotal: the amount of the bracket holding the package's weight in grams /
  subtotal (lower <= value < upper); no bracket holds it: the method is not offered;
- pickup: its amount (usually nothing), with the pickup address on the rate;
- whatever the type, once the subtotal reaches the method's `free_over` it costs nothing.
The result is rounded once, half up, to the currency's minor unit (apps.core.money).
"""

from decimal import Decimal

from apps.core.addresses import Address
from apps.core.money import quantize
from apps.shipping.models import ShippingMethod
from apps.shipping.providers.base import Package, ShippingProvider, ShippingRate
from apps.shipping.selectors import MethodRule, shipping_zone_for_address

RateType = ShippingMethod.RateType


def method_price(method: ShippingMethod | MethodRule, package: Package) -> Decimal | None:
    """What `method` charges for `package` before rounding, or None when it cannot ship it.
    A MethodRule (what the selector gives) holds its brackets; a ShippingMethod's are read
    with method.brackets.all() (prefetch them)."""
    if method.rate_type == RateType.WEIGHT:
        amount = _bracket_amount(method, Decimal(package.weight_grams))
    elif method.rate_type == RateType.SUBTOTAL:
        amount = _bracket_amount(method, package.subtotal)
    else:
        amount = method.amount
    if amount is None:
        return None
    if method.free_over is not None and package.subtotal >= method.free_over:
        return Decimal(0)
    return amount


def _bracket_amount(method: ShippingMethod | MethodRule, value: Decimal) -> Decimal | None:
    brackets = method.brackets if isinstance(method, MethodRule) else method.brackets.all()
    for bracket in brackets:
        if bracket.lower <= value and (bracket.upper is None or value < bracket.upper):
            return bracket.amount
    return None


class TableRateProvider(ShippingProvider):
    code = "table"
    name = "Shipping zones"

    def rates(self, *, package: Package, address: Address) -> list[ShippingRate]:
        zone = shipping_zone_for_address(address=address)
        if zone is None:
            return []
        rates = []
        for method in zone.active_methods:
            amount = method_price(method, package)
            if amount is None:
                continue
            rates.append(
                ShippingRate(
                    method_id=f"{self.code}:{method.pk}",
                    name=method.name,
                    amount=quantize(amount, package.currency),
                    currency=package.currency,
                    description=method.description,
                    estimate=method.delivery_estimate,
                    pickup_address=method.pickup_address,
                )
            )
        return rates
