"""The shipping admin: zones with their methods inline, methods with their brackets inline,
every save through the services (refusals shown on their fields), and only the store's own."""

from decimal import Decimal

from django_tenants.utils import schema_context

from apps.shipping.admin_forms import PICKUP_FIELDS
from apps.shipping.models import ShippingMethod, ShippingZone
from tests.shipping.conftest import admin_login

ZONES = "/admin/shipping/shippingzone/"
METHODS = "/admin/shipping/shippingmethod/"


def _formset(prefix: str, rows: list[dict], *, initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def _zone_data(methods: list[dict] = (), initial: int = 0, **fields) -> dict:
    data = {"name": "", "countries": "", "regions": "", "postcodes": "", "position": "0", **fields}
    return data | _formset("methods", list(methods), initial=initial)


def _method_row(**fields) -> dict:
    return {
        "name": "",
        "rate_type": "flat",
        "amount": "0",
        "free_over": "",
        "delivery_estimate": "",
        "active": "on",
        "position": "0",
        **fields,
    }


def _method_data(zone, brackets: list[dict] = (), initial: int = 0, **fields) -> dict:
    data = {
        "zone": str(zone.pk),
        "name": "Parcel",
        "description": "",
        "rate_type": "weight",
        "amount": "0",
        "free_over": "",
        "delivery_estimate": "",
        "active": "on",
        "position": "0",
        **{f"pickup_{name}": "" for name in PICKUP_FIELDS},
        **fields,
    }
    return data | _formset("brackets", list(brackets), initial=initial)


def _errors(response, field: str, *, prefix: str | None = None, index: int = 0) -> list:
    if prefix is None:
        return list(response.context["adminform"].form.errors.get(field, []))
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return list(inline.formset.forms[index].errors.get(field, []))
    raise AssertionError(f"no inline {prefix!r}")


def test_owner_adds_a_zone_with_methods(owner_admin_a, store_a):
    response = owner_admin_a.post(
        f"{ZONES}add/",
        _zone_data(
            name="Central London",
            countries="gb",
            postcodes="SW1*, EC*",
            methods=[
                _method_row(name="Courier", amount="7.50", position="1"),
                _method_row(name="Post", rate_type="free_over", amount="3", free_over="40"),
            ],
        ),
    )
    assert response.status_code == 302, response.context and response.context.get("errors")
    with schema_context(store_a.schema):
        zone = ShippingZone.objects.get()
        assert (zone.countries, zone.postcodes) == (["GB"], ["SW1*", "EC*"])
        assert sorted(zone.methods.values_list("name", "amount", "free_over")) == [
            ("Courier", Decimal("7.50"), None),
            ("Post", Decimal("3.00"), Decimal("40.00")),
        ]
    page = owner_admin_a.get(ZONES).content.decode()
    assert "GB (SW1*, EC*)" in page


def test_zone_refusals_are_shown_on_their_field_with_the_input_kept(owner_admin_a, store_a):
    response = owner_admin_a.post(f"{ZONES}add/", _zone_data(name="Nowhere", countries="GB, XX"))
    assert response.status_code == 200
    assert _errors(response, "countries") == [
        "Unknown country code: XX (use ISO codes such as US, GB, DE)."
    ]
    assert response.context["adminform"].form["name"].value() == "Nowhere"
    # a method row's refusal lands on that row
    response = owner_admin_a.post(
        f"{ZONES}add/",
        _zone_data(
            name="UK", countries="GB", methods=[_method_row(name="Free", rate_type="free_over")]
        ),
    )
    assert response.status_code == 200
    assert _errors(response, "free_over", prefix="methods") == [
        "Enter the order subtotal from which shipping is free."
    ]
    with schema_context(store_a.schema):
        assert not ShippingZone.objects.exists()  # the whole save was rolled back


def test_owner_edits_brackets_and_an_overlap_is_shown_on_its_row(
    owner_admin_a, store_a, in_a, zones_a
):
    parcel = zones_a["parcel"]
    bracket = parcel.brackets.get()
    url = f"{METHODS}{parcel.pk}/change/"
    assert owner_admin_a.get(url).status_code == 200
    rows = [
        {
            "id": str(bracket.pk),
            "method": str(parcel.pk),
            "lower": "0",
            "upper": "2000",
            "amount": "15.00",
        },
        {"method": str(parcel.pk), "lower": "1500", "upper": "", "amount": "30"},
    ]
    # when: the new row overlaps the existing one
    response = owner_admin_a.post(url, _method_data(zones_a["world"], rows, initial=1))
    # then
    assert response.status_code == 200
    assert _errors(response, "lower", prefix="brackets", index=1) == [
        "Overlaps the bracket from 0 to 2000."
    ]
    # when: fixed
    rows[1]["lower"] = "2000"
    response = owner_admin_a.post(url, _method_data(zones_a["world"], rows, initial=1))
    assert response.status_code == 302
    assert list(parcel.brackets.values_list("lower", "upper", "amount")) == [
        (Decimal("0.00"), Decimal("2000.00"), Decimal("15.00")),
        (Decimal("2000.00"), None, Decimal("30.00")),
    ]


def test_pickup_address_errors_land_on_their_inputs(owner_admin_a, store_a, in_a, zones_a):
    pickup = zones_a["pickup"]
    url = f"{METHODS}{pickup.pk}/change/"
    page = owner_admin_a.get(url)
    assert page.context["adminform"].form["pickup_postal_code"].value() == "SW1A 2AA"
    fields = {
        "rate_type": "pickup",
        "name": "Collect in store",
        "pickup_company": "The Shop",
        "pickup_street_address_1": "1 Market Street",
        "pickup_city": "",
        "pickup_postal_code": "nope",
        "pickup_country_code": "GB",
    }
    response = owner_admin_a.post(url, _method_data(zones_a["central"], **fields))
    assert response.status_code == 200
    assert _errors(response, "pickup_city") == ["Enter the post town."]
    assert _errors(response, "pickup_postal_code") == ["Enter a valid postcode, e.g. EC1Y 8SY."]
    fields |= {"pickup_city": "London", "pickup_postal_code": "sw1a 1aa"}
    response = owner_admin_a.post(url, _method_data(zones_a["central"], **fields))
    assert response.status_code == 302
    pickup.refresh_from_db()
    assert (pickup.pickup_address["city"], pickup.pickup_address["postal_code"]) == (
        "London",
        "SW1A 1AA",
    )


def test_method_list_shows_prices(owner_admin_a, in_a, zones_a):
    page = owner_admin_a.get(METHODS).content.decode()
    assert "$3.95" in page  # the store's currency (USD for the test stores)
    assert "by brackets" in page


def test_staff_with_view_permission_only_cannot_change_shipping(client_a, store_a, in_a, zones_a):
    admin_login(client_a, store_a.staff_email, store_a.password)
    assert client_a.get(ZONES).status_code == 200
    assert client_a.get(f"{ZONES}add/").status_code == 403
    response = client_a.post(
        f"{ZONES}{zones_a['uk'].pk}/change/", _zone_data(name="Renamed", countries="GB")
    )
    assert response.status_code == 403
    assert ShippingZone.objects.get(pk=zones_a["uk"].pk).name == "United Kingdom"


def test_store_b_admin_never_reaches_store_a_shipping(client_b, store_b, store_a, zones_a):
    admin_login(client_b, store_b.owner_email, store_b.password)
    listing = client_b.get(ZONES)
    assert listing.status_code == 200
    assert "United Kingdom" not in listing.content.decode()
    for url in (f"{ZONES}{zones_a['uk'].pk}/change/", f"{METHODS}{zones_a['standard'].pk}/change/"):
        with schema_context(store_b.schema):
            assert not ShippingZone.objects.exists()
            assert not ShippingMethod.objects.exists()
        assert client_b.get(url).status_code == 404
    response = client_b.post(
        f"{ZONES}{zones_a['uk'].pk}/change/", _zone_data(name="Hijacked", countries="GB")
    )
    assert response.status_code == 404
    with schema_context(store_a.schema):
        assert ShippingZone.objects.get(pk=zones_a["uk"].pk).name == "United Kingdom"


def test_owner_changes_a_zone_and_its_method_rows(owner_admin_a, in_a, zones_a):
    uk, standard = zones_a["uk"], zones_a["standard"]
    row = _method_row(
        id=str(standard.pk), zone=str(uk.pk), name="Royal Mail", amount="4.25", position="0"
    )
    response = owner_admin_a.post(
        f"{ZONES}{uk.pk}/change/",
        _zone_data(name="UK and Ireland", countries="GB,ie", methods=[row], initial=1),
    )
    assert response.status_code == 302
    uk.refresh_from_db()
    standard.refresh_from_db()
    assert (uk.name, uk.countries, standard.amount) == (
        "UK and Ireland", ["GB", "IE"], Decimal("4.25"),
    )  # fmt: skip
    # the same lists typed with other spacing change nothing (no service call, no write)
    before = uk.updated
    response = owner_admin_a.post(
        f"{ZONES}{uk.pk}/change/",
        _zone_data(name="UK and Ireland", countries="GB ,  IE", methods=[row], initial=1),
    )
    assert response.status_code == 302
    uk.refresh_from_db()
    assert uk.updated == before
