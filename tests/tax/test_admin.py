"""The tax admin: rates through the services, the one settings page, and store isolation."""

from decimal import Decimal

from django_tenants.utils import schema_context

from apps.tax import services
from apps.tax.models import TaxRate
from tests.shipping.conftest import admin_login

RATES = "/admin/tax/taxrate/"
SETTINGS = "/admin/tax/taxsettings/"


def _rate_data(**fields) -> dict:
    return {"country": "", "region": "", "rate": "", "name": "", **fields}


def test_owner_adds_a_rate_and_a_duplicate_is_refused_on_its_field(owner_admin_a, store_a):
    response = owner_admin_a.post(
        f"{RATES}add/", _rate_data(country="us", region="Texas", rate="6.25", name="Sales tax")
    )
    assert response.status_code == 302
    with schema_context(store_a.schema):
        assert TaxRate.objects.values_list("country", "region", "rate").get() == (
            "US", "TX", Decimal("6.2500"),
        )  # fmt: skip
    response = owner_admin_a.post(
        f"{RATES}add/", _rate_data(country="US", region="TX", rate="7", name="Again")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["region"] == [
        "US-TX already has a tax rate; change that one."
    ]
    assert "Sales tax" in owner_admin_a.get(RATES).content.decode()


def test_the_settings_list_is_the_settings_page(owner_admin_a, store_a):
    # when
    response = owner_admin_a.get(SETTINGS)
    # then: straight to the one row's page, made on first use
    assert response.status_code == 302
    assert response["Location"] == f"{SETTINGS}1/change/"
    page = owner_admin_a.get(response["Location"])
    assert page.status_code == 200
    assert b"Prices include tax" in page.content
    assert owner_admin_a.get(f"{SETTINGS}add/").status_code == 403
    # when: saved
    response = owner_admin_a.post(
        f"{SETTINGS}1/change/",
        {
            "prices_include_tax": "on",
            "tax_shipping": "on",
            "default_rate": "",
            "default_rate_name": "VAT",
        },
    )
    assert response.status_code == 302
    with schema_context(store_a.schema):
        settings = services.tax_settings_get()
        assert (settings.prices_include_tax, settings.tax_shipping, settings.default_rate_name) == (
            True, True, "VAT",
        )  # fmt: skip


def test_a_bad_default_rate_is_shown_on_its_field(owner_admin_a, store_a):
    response = owner_admin_a.post(
        f"{SETTINGS}1/change/",
        {
            "prices_include_tax": "",
            "tax_shipping": "",
            "default_rate": "150",
            "default_rate_name": "Tax",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["default_rate"] == [
        "Enter a percentage from 0 to under 100, e.g. 20 or 8.875."
    ]


def test_staff_with_view_permission_only_cannot_change_tax(client_a, store_a, rates_a):
    admin_login(client_a, store_a.staff_email, store_a.password)
    assert client_a.get(RATES).status_code == 200
    assert client_a.get(f"{RATES}add/").status_code == 403
    response = client_a.post(
        f"{RATES}{rates_a['gb'].pk}/change/", _rate_data(country="GB", rate="1", name="VAT")
    )
    assert response.status_code == 403
    with schema_context(store_a.schema):
        assert TaxRate.objects.get(pk=rates_a["gb"].pk).rate == 20


def test_a_customer_cannot_reach_the_tax_settings(client_a, store_a):
    client_a.login(username=store_a.customer_email, password=store_a.password)
    assert client_a.get(SETTINGS)["Location"].startswith("/admin/login/")


def test_store_b_admin_never_reaches_store_a_rates(client_b, store_a, store_b, rates_a):
    admin_login(client_b, store_b.owner_email, store_b.password)
    assert "VAT" not in client_b.get(RATES).content.decode()
    with schema_context(store_b.schema):
        assert not TaxRate.objects.exists()
    gb = rates_a["gb"].pk
    assert client_b.get(f"{RATES}{gb}/change/").status_code == 404
    response = client_b.post(f"{RATES}{gb}/change/", _rate_data(country="GB", rate="0", name="X"))
    assert response.status_code == 404
    with schema_context(store_a.schema):
        assert TaxRate.objects.get(pk=gb).rate == 20
