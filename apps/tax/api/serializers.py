"""Tax API serializers: shapes only; apps.tax.services decide."""

from rest_framework import serializers

from apps.tax.models import TaxRate, TaxSettings


def _percent_field(**kwargs) -> serializers.DecimalField:
    # No bounds here: the services answer with tax's own code (rate_invalid).
    return serializers.DecimalField(max_digits=None, decimal_places=None, **kwargs)


class TaxRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaxRate
        fields = ["id", "country", "region", "rate", "name", "created", "updated"]
        read_only_fields = fields


class TaxRateWriteSerializer(serializers.Serializer):
    country = serializers.CharField(help_text="ISO country code, e.g. US.")
    region = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text='The state or province ("CA" or "California"); empty: the whole country.',
    )
    rate = _percent_field(help_text="Percent, e.g. 20 or 8.875.")
    name = serializers.CharField(help_text='e.g. "VAT", "Sales tax".')


class TaxSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaxSettings
        fields = ["prices_include_tax", "tax_shipping", "default_rate", "default_rate_name"]
        read_only_fields = fields


class TaxSettingsWriteSerializer(serializers.Serializer):
    prices_include_tax = serializers.BooleanField(required=False)
    tax_shipping = serializers.BooleanField(required=False)
    default_rate = _percent_field(required=False, allow_null=True)
    default_rate_name = serializers.CharField(required=False)
