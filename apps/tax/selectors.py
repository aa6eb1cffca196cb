"""Reads of tax data, from the store's configuration memo (apps.core.store_config): the
settings row and every rate, loaded together in two queries and read with none when warm.
Each call hands back its own model instance (built from the memoised values, as if loaded),
so callers may change and save it like one they read."""

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from django.db import connection

from apps.core.addresses import Address
from apps.core.store_config import store_config_row, store_memo
from apps.tax.models import TaxRate, TaxSettings

_SETTINGS_FIELDS = tuple(field.attname for field in TaxSettings._meta.concrete_fields)
_RATE_FIELDS = tuple(field.attname for field in TaxRate._meta.concrete_fields)


@dataclass(frozen=True)
class _TaxConfig:
    settings: tuple[Any, ...]  # TaxSettings values, in _SETTINGS_FIELDS order
    rates: MappingProxyType  # (country, region) -> TaxRate values, in _RATE_FIELDS order


def _tax_config() -> _TaxConfig:
    settings = store_config_row(TaxSettings, pk=TaxSettings.SINGLETON_ID)
    rows = TaxRate.objects.order_by().values_list(*_RATE_FIELDS)
    country, region = _RATE_FIELDS.index("country"), _RATE_FIELDS.index("region")
    return _TaxConfig(
        settings=tuple(getattr(settings, name) for name in _SETTINGS_FIELDS),
        rates=MappingProxyType({(row[country], row[region]): row for row in rows}),
    )


def tax_settings_get() -> TaxSettings:
    """The store's tax settings. The row is made with the defaults on first use (a store
    that never opened its tax settings has them too)."""
    values = store_memo("tax", _tax_config).settings
    return TaxSettings.from_db(connection.alias, _SETTINGS_FIELDS, values)


def tax_rate_for_address(*, address: Address) -> TaxRate | None:
    """The rate of the address's region if the store has one, else of its country."""
    rates = store_memo("tax", _tax_config).rates
    row = (address.country_area and rates.get((address.country_code, address.country_area))) or (
        rates.get((address.country_code, ""))
    )
    return TaxRate.from_db(connection.alias, _RATE_FIELDS, row) if row else None
