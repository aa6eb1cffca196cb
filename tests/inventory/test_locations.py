"""Stock locations: one default, created lazily; the merchant's own; what cannot be done."""

import pytest
from django.db import IntegrityError, transaction

from apps.core.exceptions import ApplicationError
from apps.inventory import services
from apps.inventory.models import StockLocation
from tests.inventory.conftest import variant_make


def test_the_default_location_is_created_once_on_first_use(in_a):
    assert not StockLocation.objects.exists()
    first = services.location_default()
    assert services.location_default().pk == first.pk
    assert (first.name, first.code, first.is_default, first.is_active) == (
        "Main warehouse",
        "main",
        True,
        True,
    )


def test_the_default_takes_a_free_code(in_a):
    services.location_create(name="Mainland depot", code="main")
    services.location_create(name="Other", code="main-2")
    assert services.location_default().code == "main-3"


def test_making_another_location_the_default_moves_the_flag(in_a):
    old = services.location_default()
    shop = services.location_create(name="Shop", code="shop")
    services.location_update(location=shop, is_default=True)
    assert list(StockLocation.objects.filter(is_default=True)) == [shop]
    old.refresh_from_db()
    assert old.is_default is False
    # a new location can be the default from the start, too
    depot = services.location_create(name="Depot", code="depot", is_default=True)
    assert list(StockLocation.objects.filter(is_default=True)) == [depot]


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"is_default": False}, "location_default_locked", "is_default"),
        ({"is_active": False}, "location_default_locked", "is_active"),
        ({"name": "  "}, "location_name_required", "name"),
        ({"code": "Not Valid"}, "location_code_invalid", "code"),
        ({"code": "shop"}, "location_code_taken", "code"),
    ],
)
def test_location_update_refusals(in_a, fields, code, field):
    default = services.location_default()
    services.location_create(name="Shop", code="shop")
    with pytest.raises(ApplicationError) as caught:
        services.location_update(location=default, **fields)
    assert (caught.value.code, caught.value.field) == (code, field)
    default.refresh_from_db()
    assert (default.code, default.is_default, default.is_active) == ("main", True, True)


def test_an_inactive_location_cannot_become_the_default(in_a):
    services.location_default()
    with pytest.raises(ApplicationError) as caught:
        services.location_create(name="Closed", code="closed", is_active=False, is_default=True)
    assert caught.value.code == "location_default_locked"
    assert StockLocation.objects.get(is_default=True).code == "main"


def test_the_database_allows_one_default_only(in_a):
    services.location_default()
    with (
        pytest.raises(IntegrityError, match="inventory_location_one_default"),
        transaction.atomic(),
    ):
        StockLocation.objects.create(name="Second", code="second", is_default=True)


def test_delete_only_unused_non_default_locations(in_a):
    default = services.location_default()
    used = services.location_create(name="Used", code="used")
    services.stock_receive(variant=variant_make("TEE-1"), quantity=1, location=used)
    empty = services.location_create(name="Empty", code="empty")
    for location, code in ((default, "location_default_locked"), (used, "location_in_use")):
        with pytest.raises(ApplicationError) as caught:
            services.location_delete(location=location)
        assert caught.value.code == code
    services.location_delete(location=empty)
    assert set(StockLocation.objects.values_list("code", flat=True)) == {"main", "used"}
