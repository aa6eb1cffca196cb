"""A few believable tax rates for the demo store (a US shop that also ships to Europe):
state sales taxes where it has customers, VAT for the European countries it ships to.
Prices exclude tax (US style); shipping is taxed.

`demo_tax_seed()` runs inside the store's schema (the caller uses `tenant_context`) and only
fills a store with no tax rates, so running it again changes nothing.
"""

from decimal import Decimal

from django.db import transaction

from apps.tax import services
from apps.tax.models import TaxRate

DEMO_RATES = [
    ("US", "OR", "0", "Sales tax"),
    ("US", "WA", "6.5", "Sales tax"),
    ("US", "CA", "7.25", "Sales tax"),
    ("US", "NY", "4", "Sales tax"),
    ("US", "TX", "6.25", "Sales tax"),
    ("GB", "", "20", "VAT"),
    ("DE", "", "19", "VAT"),
    ("FR", "", "20", "TVA"),
    ("NL", "", "21", "BTW"),
    ("IE", "", "23", "VAT"),
]


@transaction.atomic
def demo_tax_seed() -> bool:
    """Create the demo rates and settings unless the store has rates; True when created."""
    if TaxRate.objects.exists():
        return False
    for country, region, rate, name in DEMO_RATES:
        services.tax_rate_create(country=country, region=region, rate=Decimal(rate), name=name)
    services.tax_settings_update(prices_include_tax=False, tax_shipping=True)
    return True
