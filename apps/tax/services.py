"""Every write to tax rates and settings; and the tax of an order (apps.tax.calculation,
re-exported here with its types). Views, the API, the admin, seeds and tests call these."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from apps.core.addresses import country_area_normalize, country_codes
from apps.core.exceptions import ApplicationError
from apps.tax.calculation import (
    SHIPPING_KEY,
    TaxableLine,
    TaxedAmount,
    TaxRateTotal,
    TaxResult,
    tax_calculate,
)
from apps.tax.errors import TaxErrorCode
from apps.tax.models import TaxRate, TaxSettings
from apps.tax.selectors import tax_settings_get

__all__ = [
    "SHIPPING_KEY",
    "TaxRateTotal",
    "TaxResult",
    "TaxableLine",
    "TaxedAmount",
    "tax_calculate",
    "tax_rate_create",
    "tax_rate_delete",
    "tax_rate_update",
    "tax_settings_get",
    "tax_settings_update",
]

RATE_FIELDS = {"country", "region", "rate", "name"}
SETTINGS_FIELDS = {"prices_include_tax", "tax_shipping", "default_rate", "default_rate_name"}


def percent_clean(value: Any, *, field: str) -> Decimal:
    """A percentage from 0 up to (not including) 100, with at most four decimal places."""
    if isinstance(value, float):
        value = repr(value)  # never compute with floats; the shortest repr is what was meant
    try:
        rate = Decimal(str(value).strip())
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not 0 <= rate < 100:
        raise ApplicationError(
            "Enter a percentage from 0 to under 100, e.g. 20 or 8.875.",
            code=TaxErrorCode.RATE_INVALID,
            field=field,
        )
    if rate != rate.quantize(Decimal("0.0001")):
        raise ApplicationError(
            "Use at most four decimal places.", code=TaxErrorCode.RATE_INVALID, field=field
        )
    return rate


def _name_clean(name: str | None, *, field: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > 64:
        raise ApplicationError(
            'Enter a name of at most 64 characters, e.g. "VAT".',
            code=TaxErrorCode.NAME_REQUIRED,
            field=field,
        )
    return name


def _rate_fields_clean(fields: dict[str, Any]) -> dict[str, Any]:
    country = (fields["country"] or "").strip().upper()
    if country not in country_codes():
        raise ApplicationError(
            "Enter an ISO country code, e.g. US or DE.",
            code=TaxErrorCode.COUNTRY_INVALID,
            field="country",
        )
    region = (fields["region"] or "").strip()
    if region:
        key = country_area_normalize(country, region)
        if key is None:
            raise ApplicationError(
                f"{country} has no state or province {region!r}.",
                code=TaxErrorCode.REGION_INVALID,
                field="region",
            )
        region = key
    return {
        "country": country,
        "region": region,
        "rate": percent_clean(fields["rate"], field="rate"),
        "name": _name_clean(fields["name"], field="name"),
    }


def _save_or_taken(tax_rate: TaxRate) -> TaxRate:
    if (
        TaxRate.objects.filter(country=tax_rate.country, region=tax_rate.region)
        .exclude(pk=tax_rate.pk)
        .exists()
    ):
        raise _taken(tax_rate)
    try:
        with transaction.atomic():  # a concurrent writer may take it between check and write
            tax_rate.save()
    except IntegrityError as exc:
        raise _taken(tax_rate) from exc
    return tax_rate


def _taken(tax_rate: TaxRate) -> ApplicationError:
    place = f"{tax_rate.country}-{tax_rate.region}" if tax_rate.region else tax_rate.country
    return ApplicationError(
        f"{place} already has a tax rate; change that one.",
        code=TaxErrorCode.RATE_TAKEN,
        field="region" if tax_rate.region else "country",
    )


@transaction.atomic
def tax_rate_create(*, country: str, rate: Decimal | str, name: str, region: str = "") -> TaxRate:
    fields = _rate_fields_clean({"country": country, "region": region, "rate": rate, "name": name})
    return _save_or_taken(TaxRate(**fields))


@transaction.atomic
def tax_rate_update(*, tax_rate: TaxRate, **fields: Any) -> TaxRate:
    """Change some of country, region, rate, name."""
    unknown = set(fields) - RATE_FIELDS
    if unknown:
        raise TypeError(f"tax_rate_update cannot change {', '.join(sorted(unknown))}.")
    tax_rate = TaxRate.objects.select_for_update().get(pk=tax_rate.pk)
    merged = {name: getattr(tax_rate, name) for name in RATE_FIELDS} | fields
    for name, value in _rate_fields_clean(merged).items():
        setattr(tax_rate, name, value)
    return _save_or_taken(tax_rate)


@transaction.atomic
def tax_rate_delete(*, tax_rate: TaxRate) -> None:
    tax_rate.delete()


@transaction.atomic
def tax_settings_update(**fields: Any) -> TaxSettings:
    """Change some of prices_include_tax, tax_shipping, default_rate (None: no default),
    default_rate_name."""
    unknown = set(fields) - SETTINGS_FIELDS
    if unknown:
        raise TypeError(f"tax_settings_update cannot change {', '.join(sorted(unknown))}.")
    tax_settings_get()  # the row exists from here on
    settings = TaxSettings.objects.select_for_update().get(pk=TaxSettings.SINGLETON_ID)
    for name in ("prices_include_tax", "tax_shipping"):
        if name in fields:
            setattr(settings, name, bool(fields[name]))
    if "default_rate" in fields:
        value = fields["default_rate"]
        settings.default_rate = (
            None if value in (None, "") else percent_clean(value, field="default_rate")
        )
    if "default_rate_name" in fields:
        settings.default_rate_name = _name_clean(
            fields["default_rate_name"], field="default_rate_name"
        )
    settings.save()
    return settings
