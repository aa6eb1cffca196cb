"""Tax rates of one store and its tax settings. Every write goes through apps.tax.services;
what is charged is computed by apps.tax.calculation."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

PERCENT = {"max_digits": 7, "decimal_places": 4}  # 8.8750 (%)


class TaxRate(models.Model):
    """The rate of a country, or of one of its areas (`region` is the address's country_area
    key, "CA" in the US); an area's own rate beats its country's."""

    country = models.CharField(max_length=2)
    region = models.CharField(max_length=80, blank=True, help_text="Empty: the whole country.")
    rate = models.DecimalField(help_text="Percent, e.g. 20 or 8.875.", **PERCENT)
    name = models.CharField(max_length=64, help_text='Shown on receipts, e.g. "VAT".')
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country", "region"]
        constraints = [
            models.UniqueConstraint(fields=["country", "region"], name="tax_rate_one_per_place"),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lt=100), name="tax_rate_percent_in_range"
            ),
        ]

    def __str__(self) -> str:
        place = f"{self.country}-{self.region}" if self.region else self.country
        return f"{self.name} {self.rate.normalize():f}% ({place})"


class TaxSettings(models.Model):
    """The store's tax settings: one row (id 1), created on first use by
    apps.tax.services.tax_settings_get."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    prices_include_tax = models.BooleanField(
        default=False,
        help_text="On: catalog prices already include tax (EU style); tax is the part of the "
        "price it accounts for. Off: tax is added at checkout (US style).",
    )
    tax_shipping = models.BooleanField(
        default=False, help_text="Charge tax on shipping, at the rate of the goods' address."
    )
    default_rate = models.DecimalField(
        null=True,
        blank=True,
        help_text="Percent used where no rate is set for the address's country (and for "
        "prices shown before an address is known). Empty: no tax there.",
        **PERCENT,
    )
    default_rate_name = models.CharField(max_length=64, default="Tax")

    class Meta:
        verbose_name = "tax settings"
        verbose_name_plural = "tax settings"
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="tax_settings_one_row"),
            models.CheckConstraint(
                condition=Q(default_rate__isnull=True)
                | (Q(default_rate__gte=0) & Q(default_rate__lt=100)),
                name="tax_settings_default_rate_in_range",
            ),
        ]

    def __str__(self) -> str:
        return "Tax settings"
