"""Reads of tax data."""

from django.db.models import Case, IntegerField, Value, When

from apps.core.addresses import Address
from apps.tax.models import TaxRate, TaxSettings


def tax_settings_get() -> TaxSettings:
    """The store's tax settings. The row is made with the defaults on first use (a store
    that never opened its tax settings has them too); one query once it exists."""
    settings, _ = TaxSettings.objects.get_or_create(pk=TaxSettings.SINGLETON_ID)
    return settings


def tax_rate_for_address(*, address: Address) -> TaxRate | None:
    """The rate of the address's region if the store has one, else of its country. One
    query."""
    areas = [address.country_area, ""] if address.country_area else [""]
    return (
        TaxRate.objects.filter(country=address.country_code, region__in=areas)
        # The region's own rate first.
        .order_by(
            Case(When(region="", then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        .first()
    )
