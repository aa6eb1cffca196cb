"""Every write to shipping zones and methods, and the rates a checkout offers and charges.

Views, the API, the admin, the demo seed and tests call these; each write is atomic.
"""

from apps.shipping.providers.base import Package, ShippingRate
from apps.shipping.services.methods import (
    BracketInput,
    brackets_clean,
    shipping_method_brackets_set,
    shipping_method_create,
    shipping_method_delete,
    shipping_method_update,
)
from apps.shipping.services.rates import shipping_rate_get, shipping_rates
from apps.shipping.services.zones import (
    shipping_zone_create,
    shipping_zone_delete,
    shipping_zone_update,
)

__all__ = [
    "BracketInput",
    "Package",
    "ShippingRate",
    "brackets_clean",
    "shipping_method_brackets_set",
    "shipping_method_create",
    "shipping_method_delete",
    "shipping_method_update",
    "shipping_rate_get",
    "shipping_rates",
    "shipping_zone_create",
    "shipping_zone_delete",
    "shipping_zone_update",
]
