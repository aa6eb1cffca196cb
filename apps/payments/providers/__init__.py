"""The registry of payment providers: dotted paths in settings.PAYMENT_PROVIDERS (the built-in
manual and test providers when unset), then every PaymentProvider that an installed package
offers in the `pycommerce.plugins` entry-point group, e.g. in its pyproject.toml:

    [project.entry-points."pycommerce.plugins"]
    acmepay = "acmepay.provider:AcmePayProvider"

The group is shared with the other kinds of plugin (shipping, tax, AI): entries that are not
payment providers are skipped, and one that fails to import is logged and skipped rather than
taking checkout down. The first provider with a code wins (settings before plugins). Whether a
store offers a provider is its PaymentProviderConfig (apps.payments.services).
"""

import logging
from functools import cache
from importlib.metadata import entry_points

from django.conf import settings
from django.utils.module_loading import import_string

from apps.payments.providers.base import PaymentProvider

logger = logging.getLogger(__name__)

DEFAULT_PAYMENT_PROVIDERS = (
    "apps.payments.providers.manual.ManualProvider",
    "apps.payments.providers.testgateway.TestGatewayProvider",
)
ENTRY_POINT_GROUP = "pycommerce.plugins"


def _built(obj) -> PaymentProvider | None:
    if isinstance(obj, type) and issubclass(obj, PaymentProvider):
        return obj()
    if isinstance(obj, PaymentProvider):
        return obj
    return None


@cache
def _from_settings(paths: tuple[str, ...]) -> tuple[PaymentProvider, ...]:
    # Built once per process: providers hold no store data (see providers.base).
    providers = []
    for path in paths:
        provider = _built(import_string(path))
        if provider is None:
            raise TypeError(f"{path} is not a PaymentProvider.")
        providers.append(provider)
    return tuple(providers)


@cache
def _from_plugins() -> tuple[PaymentProvider, ...]:
    providers = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            provider = _built(entry.load())
        except Exception:
            logger.exception("The plugin %s (%s) failed to load.", entry.name, entry.value)
            continue
        if provider is not None:
            providers.append(provider)
    return tuple(providers)


def payment_providers() -> dict[str, PaymentProvider]:
    """Every registered provider by code, settings' first, in their order."""
    paths = tuple(getattr(settings, "PAYMENT_PROVIDERS", DEFAULT_PAYMENT_PROVIDERS))
    registered: dict[str, PaymentProvider] = {}
    for provider in (*_from_settings(paths), *_from_plugins()):
        registered.setdefault(provider.code, provider)
    return registered


def payment_provider_get(code: str) -> PaymentProvider | None:
    return payment_providers().get(code)


def payment_providers_reload() -> None:
    """Forget the built providers (after installing a plugin in a running process, in tests)."""
    _from_settings.cache_clear()
    _from_plugins.cache_clear()
