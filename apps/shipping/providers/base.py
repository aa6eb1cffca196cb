"""The interface of shipping-rate providers: the built-in zone table (providers.table) today,
live carrier rates later. A provider answers one question: what would shipping this package to
this address cost, by each of my methods?

Providers are registered in settings.SHIPPING_PROVIDERS (apps.shipping.providers) and built
once per process, so they keep no store data: every call runs inside the store's schema and
reads what it needs then.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal

from apps.core.addresses import Address


@dataclass(frozen=True)
class Package:
    """What is being shipped. `subtotal` is the goods' value the shopper pays (after
    discounts, before shipping and tax), which subtotal brackets and free-over thresholds
    compare with; `weight_grams` the total weight; amounts in `currency` (the store's)."""

    subtotal: Decimal
    weight_grams: int
    currency: str
    item_count: int

    def __post_init__(self) -> None:
        if not isinstance(self.subtotal, Decimal):
            raise TypeError("Package.subtotal is a Decimal, never float.")
        if self.subtotal < 0 or self.weight_grams < 0 or self.item_count < 0:
            raise ValueError("A package's subtotal, weight and item count are not negative.")
        object.__setattr__(self, "currency", self.currency.upper())


@dataclass(frozen=True)
class ShippingRate:
    """One way to ship a package, priced. `method_id` is "<provider>:<code>" ("table:12"):
    what a checkout stores and hands back to shipping_rate_get to price it again."""

    method_id: str
    name: str
    amount: Decimal
    currency: str
    description: str = ""
    estimate: str = ""
    pickup_address: Address | None = field(default=None)

    @property
    def provider(self) -> str:
        return self.method_id.split(":", 1)[0]

    @property
    def is_pickup(self) -> bool:
        return self.pickup_address is not None

    def to_dict(self) -> dict:
        """A JSON-ready snapshot (amount as a string), e.g. for an order."""
        return {
            "method_id": self.method_id,
            "name": self.name,
            "amount": str(self.amount),
            "currency": self.currency,
            "description": self.description,
            "estimate": self.estimate,
            "pickup_address": self.pickup_address.to_dict() if self.pickup_address else None,
        }


class ShippingProviderUnavailable(Exception):
    """A provider could not answer now (a carrier's API is down): the checkout goes on with the
    other providers' rates rather than failing."""


class ShippingProvider(ABC):
    #: Short, stable, unique among providers: the prefix of its rates' method ids.
    code: str
    name: str

    @abstractmethod
    def rates(self, *, package: Package, address: Address) -> list[ShippingRate]:
        """Every method of this provider that can ship `package` to `address`, priced in
        package.currency and rounded to its minor unit. May raise
        ShippingProviderUnavailable."""

    def rate(self, *, code: str, package: Package, address: Address) -> ShippingRate | None:
        """Method `code` (the part after "<provider>:") priced again, or None when it cannot
        ship this package there. Pricing goes through rates() so a method is only ever
        accepted where it would have been offered."""
        method_id = f"{self.code}:{code}"
        return next(
            (
                rate
                for rate in self.rates(package=package, address=address)
                if rate.method_id == method_id
            ),
            None,
        )
