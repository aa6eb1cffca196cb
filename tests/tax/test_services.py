"""Writing tax rates and settings: normalised, refused with a reason, kept by the database."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from apps.core.exceptions import ApplicationError
from apps.tax import services
from apps.tax.demo import DEMO_RATES, demo_tax_seed
from apps.tax.models import TaxRate, TaxSettings


def _refusal(call, **kwargs) -> tuple[str, str | None]:
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    return caught.value.code, caught.value.field


def test_a_rate_is_normalised(in_a):
    tax_rate = services.tax_rate_create(
        country=" us ", region="california", rate="7.25", name="  State   tax "
    )
    tax_rate.refresh_from_db()
    assert (tax_rate.country, tax_rate.region, tax_rate.rate, tax_rate.name) == (
        "US", "CA", Decimal("7.2500"), "State tax",
    )  # fmt: skip
    assert str(tax_rate) == "State tax 7.25% (US-CA)"


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"country": "XX"}, ("country_invalid", "country")),
        ({"country": ""}, ("country_invalid", "country")),
        ({"region": "Narnia"}, ("region_invalid", "region")),
        ({"rate": "100"}, ("rate_invalid", "rate")),
        ({"rate": "-1"}, ("rate_invalid", "rate")),
        ({"rate": "abc"}, ("rate_invalid", "rate")),
        ({"rate": "8.87501"}, ("rate_invalid", "rate")),
        ({"name": " "}, ("name_required", "name")),
    ],
)
def test_rate_refusals(in_a, fields, refusal):
    data = {"country": "US", "rate": "5", "name": "Sales tax", **fields}
    assert _refusal(services.tax_rate_create, **data) == refusal
    assert not TaxRate.objects.exists()


def test_one_rate_per_country_or_region(in_a, rates_a):
    assert _refusal(services.tax_rate_create, country="gb", rate="5", name="VAT") == (
        "tax_rate_taken",
        "country",
    )
    assert _refusal(
        services.tax_rate_create, country="US", region="California", rate="1", name="x"
    ) == ("tax_rate_taken", "region")
    # moving a rate onto another's place is refused too
    assert _refusal(services.tax_rate_update, tax_rate=rates_a["ca"], region="") == (
        "tax_rate_taken",
        "country",
    )
    updated = services.tax_rate_update(tax_rate=rates_a["ca"], rate="7.5")
    assert (updated.region, updated.rate) == ("CA", Decimal("7.5"))


def test_settings_are_made_on_first_use_with_us_style_defaults(in_a):
    assert not TaxSettings.objects.exists()
    settings = services.tax_settings_get()
    assert (
        settings.pk,
        settings.prices_include_tax,
        settings.tax_shipping,
        settings.default_rate,
        settings.default_rate_name,
    ) == (1, False, False, None, "Tax")
    assert services.tax_settings_get().pk == 1
    assert TaxSettings.objects.count() == 1


def test_settings_update(in_a):
    settings = services.tax_settings_update(prices_include_tax=True, default_rate="19")
    assert (settings.prices_include_tax, settings.tax_shipping, settings.default_rate) == (
        True, False, Decimal("19"),
    )  # fmt: skip
    settings = services.tax_settings_update(default_rate=None)
    assert (settings.prices_include_tax, settings.default_rate) == (True, None)
    assert _refusal(services.tax_settings_update, default_rate="250") == (
        "rate_invalid",
        "default_rate",
    )


def _violates(constraint: str, make) -> None:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        make()
    assert constraint in str(caught.value)


def test_the_database_keeps_the_rules(in_a, rates_a):
    _violates(
        "tax_rate_percent_in_range",
        lambda: TaxRate.objects.filter(pk=rates_a["gb"].pk).update(rate=Decimal(100)),
    )
    _violates(
        "tax_rate_one_per_place",
        lambda: TaxRate.objects.create(country="GB", rate=Decimal(5), name="x"),
    )
    services.tax_settings_get()
    _violates("tax_settings_one_row", lambda: TaxSettings.objects.create(id=2))


def test_demo_tax(in_a):
    assert demo_tax_seed() is True
    assert TaxRate.objects.count() == len(DEMO_RATES)
    assert TaxRate.objects.get(country="US", region="CA").rate == Decimal("7.25")
    assert services.tax_settings_get().tax_shipping is True
    assert demo_tax_seed() is False
    assert TaxRate.objects.count() == len(DEMO_RATES)
