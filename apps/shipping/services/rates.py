"""Shipping rates for a checkout: every provider asked, one method priced again.

Amounts are in the package's currency (the store's: request.tenant.currency), rounded once per
rate to the currency's minor unit. Which table rates apply is the zone rule of
apps.shipping.zones.
"""

import logging

from apps.core.addresses import Address
from apps.core.exceptions import ApplicationError
from apps.shipping.errors import ShippingErrorCode
from apps.shipping.providers import shipping_provider_get, shipping_providers
from apps.shipping.providers.base import Package, ShippingProviderUnavailable, ShippingRate

logger = logging.getLogger(__name__)


def shipping_rates(*, address: Address, package: Package) -> list[ShippingRate]:
    """Every way to ship `package` to `address` (a validated Address), provider by provider
    in settings order, each provider's methods in their own order. A provider that cannot
    answer now is skipped (and logged), not fatal."""
    rates: list[ShippingRate] = []
    for provider in shipping_providers():
        try:
            rates.extend(provider.rates(package=package, address=address))
        except ShippingProviderUnavailable:
            logger.warning("shipping provider %s unavailable", provider.code, exc_info=True)
    return rates


def shipping_rate_get(*, method_id: str, address: Address, package: Package) -> ShippingRate:
    """The rate of `method_id` ("table:12", from a ShippingRate) for this package and address,
    priced now on the server: what the checkout charges, whatever the client sent. A method
    that is unknown, switched off, outside the address's zone or unable to take the package
    is ApplicationError(code="shipping_method_unavailable", field="shipping_method")."""
    provider_code, _, code = (method_id or "").partition(":")
    provider = shipping_provider_get(provider_code) if code else None
    rate = None
    if provider is not None:
        try:
            rate = provider.rate(code=code, package=package, address=address)
        except ShippingProviderUnavailable:
            logger.warning("shipping provider %s unavailable", provider.code, exc_info=True)
    if rate is None:
        raise ApplicationError(
            "This shipping method is not available for this address and order; choose another.",
            code=ShippingErrorCode.METHOD_UNAVAILABLE,
            field="shipping_method",
        )
    return rate
