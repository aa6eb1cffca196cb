"""Forms of the tax admin: input shapes only; apps.tax.services decide and save."""

from apps.core.admin_forms import ServiceModelForm
from apps.tax.models import TaxRate, TaxSettings


class TaxRateAdminForm(ServiceModelForm):
    class Meta:
        model = TaxRate
        fields = ["country", "region", "rate", "name"]
        help_texts = {
            "country": "ISO country code, e.g. US, DE.",
            "region": 'Empty for the whole country; else its state or province ("CA" or '
            "\"California\"). A region's rate beats its country's.",
        }


class TaxSettingsAdminForm(ServiceModelForm):
    class Meta:
        model = TaxSettings
        fields = ["prices_include_tax", "tax_shipping", "default_rate", "default_rate_name"]
