"""The staff API of tax rates and settings: CRUD through the services, permissions, and
store isolation."""

import pytest
from django_tenants.utils import schema_context

from apps.tax import services
from apps.tax.models import TaxRate
from tests.shipping.conftest import perms_grant, signed_in

RATES = "/api/v1/tax-rates/"
SETTINGS = "/api/v1/tax-settings/"


def test_owner_manages_rates(owner_api_a, store_a):
    response = owner_api_a.post(
        RATES, {"country": "us", "region": "New York", "rate": "4", "name": "Sales tax"}
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["country"], created["region"], created["rate"]) == ("US", "NY", "4.0000")
    pk = created["id"]
    response = owner_api_a.patch(f"{RATES}{pk}/", {"rate": "4.5"})
    assert (response.status_code, response.json()["rate"]) == (200, "4.5000")
    assert [r["id"] for r in owner_api_a.get(RATES).json()["results"]] == [pk]
    assert owner_api_a.get(f"{RATES}{pk}/").json()["name"] == "Sales tax"
    assert owner_api_a.delete(f"{RATES}{pk}/").status_code == 204
    with schema_context(store_a.schema):
        assert not TaxRate.objects.exists()


def test_rate_refusals_have_the_one_error_shape(owner_api_a, rates_a):
    response = owner_api_a.post(RATES, {"country": "GB", "rate": "5", "name": "VAT"})
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {
                "code": "tax_rate_taken",
                "detail": "GB already has a tax rate; change that one.",
                "attr": "country",
            }
        ],
    }


def test_owner_reads_and_changes_settings(owner_api_a):
    assert owner_api_a.get(SETTINGS).json() == {
        "prices_include_tax": False,
        "tax_shipping": False,
        "default_rate": None,
        "default_rate_name": "Tax",
    }
    response = owner_api_a.patch(SETTINGS, {"prices_include_tax": True, "default_rate": "20"})
    assert response.status_code == 200
    assert response.json() == {
        "prices_include_tax": True,
        "tax_shipping": False,
        "default_rate": "20.0000",
        "default_rate_name": "Tax",
    }
    response = owner_api_a.patch(SETTINGS, {"default_rate": "100"})
    assert response.json()["errors"][0]["attr"] == "default_rate"
    assert owner_api_a.put(SETTINGS, {}).status_code == 405


def test_staff_with_view_permission_reads_but_cannot_write(staff_api_a, rates_a):
    assert staff_api_a.get(RATES).status_code == 200
    assert staff_api_a.get(SETTINGS).status_code == 200
    assert staff_api_a.patch(SETTINGS, {"tax_shipping": True}).status_code == 403
    assert (
        staff_api_a.post(RATES, {"country": "FR", "rate": "20", "name": "TVA"}).status_code == 403
    )
    assert staff_api_a.delete(f"{RATES}{rates_a['gb'].pk}/").status_code == 403


def test_staff_with_tax_permissions_writes(store_a):
    perms_grant(store_a, store_a.staff_email, "tax")
    api = signed_in(store_a, store_a.staff_email)
    assert api.patch(SETTINGS, {"tax_shipping": True}).status_code == 200


@pytest.mark.parametrize("url", [RATES, SETTINGS])
def test_customers_and_anonymous_get_nothing(customer_api_a, api_a, url):
    assert customer_api_a.get(url).status_code == 403
    assert api_a.get(url).status_code == 401


def test_store_b_token_cannot_see_or_change_store_a_tax(api_a, store_a, store_b, rates_a):
    api_a.credentials(
        HTTP_AUTHORIZATION=signed_in(store_b, store_b.owner_email)._credentials[
            "HTTP_AUTHORIZATION"
        ]
    )
    gb = rates_a["gb"].pk
    for method, url, data in [
        ("get", RATES, None),
        ("get", f"{RATES}{gb}/", None),
        ("patch", f"{RATES}{gb}/", {"rate": "0"}),
        ("delete", f"{RATES}{gb}/", None),
        ("get", SETTINGS, None),
        ("patch", SETTINGS, {"prices_include_tax": True}),
    ]:
        response = getattr(api_a, method)(url, data, format="json")
        assert response.status_code == 401, (method, url)
        assert response.json()["errors"][0]["code"] == "token_wrong_store"
    with schema_context(store_a.schema):
        assert TaxRate.objects.get(pk=gb).rate == 20
        assert services.tax_settings_get().prices_include_tax is False


def test_store_a_ids_on_store_b_host_are_not_found(store_a, store_b, rates_a):
    # given: B sets its own settings and one rate
    b_owner = signed_in(store_b, store_b.owner_email)
    b_owner.patch(SETTINGS, {"prices_include_tax": True})
    with schema_context(store_b.schema):
        b_rate = services.tax_rate_create(country="FR", rate="20", name="TVA")
    # then: A's rate ids are not found on B's host
    for pk in {rate.pk for rate in rates_a.values()} - {b_rate.pk}:
        assert b_owner.get(f"{RATES}{pk}/").status_code == 404
        assert b_owner.patch(f"{RATES}{pk}/", {"rate": "1"}).status_code == 404
        assert b_owner.delete(f"{RATES}{pk}/").status_code == 404
    assert [r["country"] for r in b_owner.get(RATES).json()["results"]] == ["FR"]
    # and each store has its own settings
    with schema_context(store_a.schema):
        assert services.tax_settings_get().prices_include_tax is False
