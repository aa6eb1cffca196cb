"""The registry of shipping-rate providers: dotted paths in settings.SHIPPING_PROVIDERS (the
built-in zone table when unset), asked in that order. Per-store on/off comes with the plugin
settings."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from apps.shipping.providers.base import ShippingProvider

DEFAULT_SHIPPING_PROVIDERS = ("apps.shipping.providers.table.TableRateProvider",)


@cache
def _provider(path: str) -> ShippingProvider:
    # Built once per process: providers hold no store data (see providers.base).
    provider = import_string(path)()
    if not isinstance(provider, ShippingProvider):
        raise TypeError(f"{path} is not a ShippingProvider.")
    return provider


def shipping_providers() -> list[ShippingProvider]:
    paths = getattr(settings, "SHIPPING_PROVIDERS", DEFAULT_SHIPPING_PROVIDERS)
    return [_provider(path) for path in paths]


def shipping_provider_get(code: str) -> ShippingProvider | None:
    return next((provider for provider in shipping_providers() if provider.code == code), None)
