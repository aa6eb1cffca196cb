"""The staff API of shipping zones and methods: CRUD through the services, who may do what,
the one error shape (one entry per field of a bad pickup address) and store isolation."""

import pytest
from django_tenants.utils import schema_context

from apps.shipping import services
from apps.shipping.models import ShippingMethod, ShippingZone
from tests.shipping.conftest import perms_grant, signed_in

ZONES = "/api/v1/shipping-zones/"
METHODS = "/api/v1/shipping-methods/"
WRONG_STORE = {
    "type": "client_error",
    "errors": [
        {
            "code": "token_wrong_store",
            "detail": "This token belongs to another store.",
            "attr": None,
        }
    ],
}


def test_owner_creates_a_zone_and_a_weight_method(owner_api_a, store_a):
    # when
    response = owner_api_a.post(
        ZONES, {"name": "Europe", "countries": ["de", "FR"], "position": 2}, format="json"
    )
    # then
    assert response.status_code == 201, response.content
    zone = response.json()
    assert (zone["name"], zone["countries"], zone["regions"], zone["methods"]) == (
        "Europe", ["DE", "FR"], [], [],
    )  # fmt: skip
    # when
    response = owner_api_a.post(
        METHODS,
        {
            "zone": zone["id"],
            "name": "Tracked",
            "rate_type": "weight",
            "delivery_estimate": "4-6 days",
            "brackets": [
                {"lower": "1000", "upper": None, "amount": "24.00"},
                {"lower": "0", "upper": "1000", "amount": "14"},
            ],
        },
        format="json",
    )
    # then
    assert response.status_code == 201, response.content
    method = response.json()
    assert method["brackets"] == [
        {"lower": "0.00", "upper": "1000.00", "amount": "14.00"},
        {"lower": "1000.00", "upper": None, "amount": "24.00"},
    ]
    assert (method["rate_type"], method["amount"], method["pickup_address"]) == (
        "weight",
        "0.00",
        None,
    )
    listed = owner_api_a.get(ZONES).json()["results"]
    assert [(z["name"], [m["name"] for m in z["methods"]]) for z in listed] == [
        ("Europe", ["Tracked"])
    ]


def test_owner_changes_and_deletes(owner_api_a, store_a, zones_a):
    uk, standard = zones_a["uk"].pk, zones_a["standard"].pk
    response = owner_api_a.patch(f"{ZONES}{uk}/", {"regions": []}, format="json")
    assert response.status_code == 200
    response = owner_api_a.patch(
        f"{METHODS}{standard}/", {"amount": "4.50", "active": False}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["amount"], response.json()["active"]) == ("4.50", False)
    assert owner_api_a.get(f"{METHODS}?zone={uk}").json()["results"][0]["id"] == standard
    assert owner_api_a.delete(f"{METHODS}{standard}/").status_code == 204
    assert owner_api_a.delete(f"{ZONES}{uk}/").status_code == 204
    with schema_context(store_a.schema):
        assert not ShippingZone.objects.filter(pk=uk).exists()


def test_a_bad_pickup_address_gives_one_error_per_field(owner_api_a, zones_a):
    response = owner_api_a.post(
        METHODS,
        {
            "zone": zones_a["uk"].pk,
            "name": "Collect",
            "rate_type": "pickup",
            "pickup_address": {"country_code": "GB", "postal_code": "nope"},
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {"code": "required", "detail": "Enter the post town.", "attr": "pickup_address.city"},
            {
                "code": "invalid",
                "detail": "Enter a valid postcode, e.g. EC1Y 8SY.",
                "attr": "pickup_address.postal_code",
            },
            {
                "code": "required",
                "detail": "Enter the street address.",
                "attr": "pickup_address.street_address_1",
            },
        ],
    }


def test_service_refusals_keep_their_codes(owner_api_a, zones_a):
    response = owner_api_a.post(ZONES, {"name": "Bad", "countries": ["XX"]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "country_invalid"
    response = owner_api_a.patch(
        f"{METHODS}{zones_a['parcel'].pk}/",
        {"brackets": [{"lower": 0, "upper": 500, "amount": 1}, {"lower": 400, "amount": 2}]},
        format="json",
    )
    assert response.json()["errors"] == [
        {
            "code": "brackets_overlap",
            "detail": "Overlaps the bracket from 0 to 500.",
            "attr": "brackets.1.lower",
        }
    ]


def test_staff_with_view_permission_reads_but_cannot_write(staff_api_a, zones_a):
    assert staff_api_a.get(ZONES).status_code == 200
    assert staff_api_a.get(f"{METHODS}{zones_a['standard'].pk}/").status_code == 200
    response = staff_api_a.post(ZONES, {"name": "Mine"}, format="json")
    assert response.status_code == 403
    assert staff_api_a.delete(f"{ZONES}{zones_a['uk'].pk}/").status_code == 403


def test_staff_with_shipping_permissions_writes(store_a, zones_a):
    perms_grant(store_a, store_a.staff_email, "shipping")
    api = signed_in(store_a, store_a.staff_email)
    assert (
        api.post(ZONES, {"name": "Ireland", "countries": ["IE"]}, format="json").status_code == 201
    )


@pytest.mark.parametrize("url", [ZONES, METHODS])
def test_customers_and_anonymous_get_nothing(customer_api_a, api_a, zones_a, url):
    assert customer_api_a.get(url).status_code == 403
    assert customer_api_a.post(url, {"name": "x"}, format="json").status_code == 403
    assert api_a.get(url).status_code == 401


@pytest.fixture
def b_owner_token(store_b) -> str:
    return signed_in(store_b, store_b.owner_email)._credentials["HTTP_AUTHORIZATION"]


def test_store_b_token_cannot_see_or_change_store_a_shipping(
    api_a, store_a, zones_a, b_owner_token
):
    # given: store B's owner token, presented on store A's host
    api_a.credentials(HTTP_AUTHORIZATION=b_owner_token)
    uk, standard = zones_a["uk"].pk, zones_a["standard"].pk
    attempts = [
        ("get", ZONES, None),
        ("get", f"{ZONES}{uk}/", None),
        ("post", ZONES, {"name": "Intruder", "countries": ["GB"]}),
        ("patch", f"{ZONES}{uk}/", {"name": "Hacked"}),
        ("delete", f"{ZONES}{uk}/", None),
        ("get", METHODS, None),
        ("patch", f"{METHODS}{standard}/", {"amount": "0"}),
        ("delete", f"{METHODS}{standard}/", None),
    ]
    for method, url, data in attempts:
        response = getattr(api_a, method)(url, data, format="json")
        assert response.status_code == 401, (method, url)
        assert response.json() == WRONG_STORE
    with schema_context(store_a.schema):
        assert ShippingZone.objects.get(pk=uk).name == "United Kingdom"
        assert str(ShippingMethod.objects.get(pk=standard).amount) == "3.95"
        assert not ShippingZone.objects.filter(name="Intruder").exists()


def test_store_a_ids_on_store_b_host_are_not_found(store_b, zones_a):
    # given: B's owner on B's host, B with a zone of its own (ids start at 1 in both schemas)
    with schema_context(store_b.schema):
        b_zone = services.shipping_zone_create(name="B only", countries=["FR"])
    b_owner = signed_in(store_b, store_b.owner_email)
    a_zones = {zones_a[key].pk for key in ("uk", "central", "world")} - {b_zone.pk}
    for pk in a_zones:
        assert b_owner.get(f"{ZONES}{pk}/").status_code == 404
        assert b_owner.patch(f"{ZONES}{pk}/", {"name": "X"}, format="json").status_code == 404
        assert b_owner.delete(f"{ZONES}{pk}/").status_code == 404
    for key in ("standard", "pickup", "parcel"):
        pk = zones_a[key].pk
        assert b_owner.get(f"{METHODS}{pk}/").status_code == 404
        assert b_owner.delete(f"{METHODS}{pk}/").status_code == 404
    # a method cannot be attached to A's zone from B either
    response = b_owner.post(
        METHODS,
        {"zone": max(a_zones), "name": "Sneaky", "rate_type": "flat"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "zone"
    # B's lists hold B's zones only
    assert [z["name"] for z in b_owner.get(ZONES).json()["results"]] == ["B only"]
    assert b_owner.get(METHODS).json()["results"] == []
