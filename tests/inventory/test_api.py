"""The inventory API: staff reads, permissioned writes, the one error shape, other stores."""

import pytest
from django.contrib.auth.models import Permission
from django_tenants.utils import schema_context
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema

from apps.accounts.models import User
from apps.inventory import services
from apps.inventory.models import StockItem, StockMovement
from tests.catalog.api.conftest import signed_in
from tests.inventory.conftest import books_balance, variant_make

STOCK = "/api/v1/stock/"
LOCATIONS = "/api/v1/stock-locations/"


def _grant(store, email: str, *codenames: str) -> None:
    with schema_context(store.schema):
        User.objects.get(email=email).user_permissions.add(
            *Permission.objects.filter(content_type__app_label="inventory", codename__in=codenames)
        )


@pytest.fixture
def owner_a(store_a):
    return signed_in(store_a, store_a.owner_email)


@pytest.fixture
def viewer_a(store_a):
    """Store A's staff member with only the view permissions."""
    return signed_in(store_a, store_a.staff_email)


@pytest.fixture
def stocker_a(store_a):
    """Store A's staff member who may change stock (not locations, not policies)."""
    _grant(store_a, store_a.staff_email, "change_stockitem")
    return signed_in(store_a, store_a.staff_email)


@pytest.fixture
def tee(store_a):
    with schema_context(store_a.schema):
        variant = variant_make("TEE-1")
        services.stock_receive(variant=variant, quantity=5)
        return variant


def _error(code: str, detail: str, attr: str | None = None, type_: str = "validation_error"):
    return {"type": type_, "errors": [{"code": code, "detail": detail, "attr": attr}]}


def test_staff_reads_stock_filtered_and_paginated(viewer_a, store_a, tee):
    with schema_context(store_a.schema):
        mug = variant_make("MUG-1")
        shop = services.location_create(name="Shop", code="shop")
        services.stock_receive(variant=mug, quantity=2, location=shop)
        services.stock_receive(variant=tee, quantity=1, location=shop)
    # when
    everything = viewer_a.get(STOCK).json()
    by_variant = viewer_a.get(STOCK, {"variant": tee.pk}).json()
    at_shop = viewer_a.get(STOCK, {"location": shop.pk, "limit": 1}).json()
    # then
    assert [(r["sku"], r["on_hand"]) for r in everything["results"]] == [
        ("TEE-1", 5),
        ("MUG-1", 2),
        ("TEE-1", 1),
    ]
    assert everything["next"] is None
    first = by_variant["results"][0]
    assert first == {
        "id": first["id"],
        "variant": tee.pk,
        "sku": "TEE-1",
        "location": first["location"],
        "on_hand": 5,
        "reserved": 0,
        "available": 5,
        "track_inventory": True,
        "allow_backorders": False,
    }
    assert len(by_variant["results"]) == 2
    assert [r["sku"] for r in at_shop["results"]] == ["MUG-1"]
    assert at_shop["next"] is not None
    follow = viewer_a.get(at_shop["next"]).json()
    assert [r["sku"] for r in follow["results"]] == ["TEE-1"]
    assert viewer_a.get(f"{STOCK}{first['id']}/").json() == first
    assert viewer_a.get(STOCK, {"variant": "x"}).status_code == 400


def test_customers_and_anonymous_cannot_read_stock(api_a, store_a, tee):
    assert api_a.get(STOCK).status_code == 401
    customer = signed_in(store_a, store_a.customer_email)
    assert customer.get(STOCK).status_code == 403
    assert customer.get(LOCATIONS).status_code == 403


def test_receive_adjust_transfer(stocker_a, store_a, tee):
    # receive into the default location
    response = stocker_a.post(
        f"{STOCK}receive/", {"variant": tee.pk, "quantity": 3, "reference": "po:9"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["on_hand"], response.json()["sku"]) == (8, "TEE-1")
    # adjust by a delta
    response = stocker_a.post(
        f"{STOCK}adjust/", {"variant": tee.pk, "delta": -2, "reason": "Damaged"}, format="json"
    )
    assert response.json()["on_hand"] == 6
    # transfer to a new location
    with schema_context(store_a.schema):
        shop = services.location_create(name="Shop", code="shop")
    response = stocker_a.post(
        f"{STOCK}transfer/",
        {"variant": tee.pk, "to_location": shop.pk, "quantity": 4},
        format="json",
    )
    body = response.json()
    assert (body["source"]["on_hand"], body["destination"]["on_hand"]) == (2, 4)
    assert body["destination"]["location"] == shop.pk
    with schema_context(store_a.schema):
        kinds = list(
            StockMovement.objects.filter(variant_id=tee.pk)
            .order_by("id")
            .values_list("kind", "actor_label")
        )
        assert kinds == [
            ("received", ""),
            ("received", store_a.staff_email),
            ("adjusted", store_a.staff_email),
            ("transferred_out", store_a.staff_email),
            ("transferred_in", store_a.staff_email),
        ]
        books_balance()


def test_refusals_come_in_the_one_error_shape(stocker_a, store_a, tee):
    cases = [
        (
            "adjust/",
            {"variant": tee.pk, "quantity": 1, "reason": ""},
            _error("reason_required", "Say why the stock changes (e.g. “stock-take”, “damaged "
                   "in transit”).", "reason"),
        ),
        (
            "adjust/",
            {"variant": tee.pk, "delta": -9, "reason": "x"},
            _error("stock_negative", "Only 5 on hand: the stock cannot go below zero.", "delta"),
        ),
        (
            "receive/",
            {"variant": 987654, "quantity": 1},
            _error("variant_not_found", "There is no such variant in this store.", "variant"),
        ),
        (
            "transfer/",
            {"variant": tee.pk, "to_location": 987654, "quantity": 1},
            _error(
                "location_not_found", "There is no such stock location in this store.",
                "to_location",
            ),
        ),
        (
            "receive/",
            {"variant": tee.pk, "quantity": 0},
            _error("quantity_invalid", "Enter a whole number of units from 1 to 1,000,000.",
                   "quantity"),
        ),
    ]  # fmt: skip
    for url, data, expected in cases:
        response = stocker_a.post(f"{STOCK}{url}", data, format="json")
        assert (response.status_code, response.json()) == (400, expected), url
    with schema_context(store_a.schema):
        assert list(StockItem.objects.values_list("on_hand", flat=True)) == [5]


def test_view_only_staff_cannot_write(viewer_a, store_a, tee):
    for url, data in [
        (f"{STOCK}receive/", {"variant": tee.pk, "quantity": 1}),
        (f"{STOCK}adjust/", {"variant": tee.pk, "quantity": 1, "reason": "x"}),
        (f"{STOCK}policy/", {"variant": tee.pk, "allow_backorders": True}),
        (LOCATIONS, {"name": "Shop", "code": "shop"}),
    ]:
        assert viewer_a.post(url, data, format="json").status_code == 403, url
    # change_stockitem does not reach policies or locations either
    _grant(store_a, store_a.staff_email, "change_stockitem")
    stocker = signed_in(store_a, store_a.staff_email)
    policy = stocker.post(f"{STOCK}policy/", {"variant": tee.pk, "allow_backorders": True})
    assert policy.status_code == 403
    assert stocker.post(LOCATIONS, {"name": "Shop", "code": "shop"}).status_code == 403
    with schema_context(store_a.schema):
        assert list(StockItem.objects.values_list("on_hand", "allow_backorders")) == [(5, False)]


def test_policy_and_locations_for_the_owner(owner_a, store_a, tee):
    response = owner_a.post(
        f"{STOCK}policy/", {"variant": tee.pk, "low_stock_threshold": 4}, format="json"
    )
    assert response.json() == {
        "variant": tee.pk,
        "track_inventory": True,
        "allow_backorders": False,
        "low_stock_threshold": 4,
    }
    created = owner_a.post(LOCATIONS, {"name": "Shop", "code": "shop", "position": 2})
    assert created.status_code == 201
    shop = created.json()
    assert (shop["code"], shop["is_default"]) == ("shop", False)
    changed = owner_a.patch(f"{LOCATIONS}{shop['id']}/", {"is_default": True}, format="json")
    assert changed.json()["is_default"] is True
    listed = owner_a.get(LOCATIONS).json()["results"]
    assert [(loc["code"], loc["is_default"]) for loc in listed] == [
        ("main", False),
        ("shop", True),
    ]
    taken = owner_a.post(LOCATIONS, {"name": "Again", "code": "shop"})
    assert taken.json() == _error(
        "location_code_taken", "The code “shop” is already used by another location.", "code"
    )
    main = listed[0]["id"]
    refused = owner_a.delete(f"{LOCATIONS}{main}/")
    assert refused.json() == _error(
        "location_in_use",
        "This location has stock or history; deactivate it instead.",
        type_="client_error",
    )


def test_b_staff_token_and_hosts_cannot_reach_a_stock(store_a, store_b, api_a, tee):
    # given: B's owner, signed in on B's host
    b_owner = signed_in(store_b, store_b.owner_email)
    with schema_context(store_a.schema):
        row = StockItem.objects.get(variant=tee)
        location = row.location_id
    # B's token on A's host is refused outright
    api_a.credentials(HTTP_AUTHORIZATION=b_owner._credentials["HTTP_AUTHORIZATION"])
    assert api_a.get(STOCK).status_code == 401
    assert api_a.post(f"{STOCK}receive/", {"variant": tee.pk, "quantity": 9}).status_code == 401
    # on B's own host, A's stock does not exist
    assert b_owner.get(STOCK).json()["results"] == []
    assert b_owner.get(f"{STOCK}{row.pk}/").status_code == 404
    assert b_owner.get(f"{LOCATIONS}{location}/").status_code == 404
    assert b_owner.patch(f"{LOCATIONS}{location}/", {"name": "Mine"}).status_code == 404
    assert b_owner.delete(f"{LOCATIONS}{location}/").status_code == 404
    attempt = b_owner.post(
        f"{STOCK}adjust/", {"variant": tee.pk, "quantity": 0, "reason": "Hijack"}, format="json"
    )
    assert attempt.json()["errors"][0]["code"] == "variant_not_found"
    # and A's stock is untouched
    with schema_context(store_a.schema):
        assert list(StockItem.objects.values_list("on_hand", flat=True)) == [5]
    with schema_context(store_b.schema):
        assert not StockItem.objects.exists()


def test_inventory_schema(client_a):
    GENERATOR_STATS.reset()
    schema = client_a.get("/api/schema/", {"format": "json"}).json()
    validate_schema(schema)
    assert not GENERATOR_STATS
    assert {
        "/api/v1/stock/",
        "/api/v1/stock/{id}/",
        "/api/v1/stock/receive/",
        "/api/v1/stock/adjust/",
        "/api/v1/stock/transfer/",
        "/api/v1/stock/policy/",
        "/api/v1/stock-locations/",
        "/api/v1/stock-locations/{id}/",
    } <= set(schema["paths"])
    params = {p["name"] for p in schema["paths"]["/api/v1/stock/"]["get"]["parameters"]}
    assert params == {"variant", "location", "cursor", "limit"}
