"""The inventory admin: stock list and pages, locations; permissions and other stores."""

import pytest
from django_tenants.utils import schema_context

from apps.catalog.models import Variant
from apps.inventory import services
from apps.inventory.models import StockItem, StockLocation, StockMovement, StockPolicy
from tests.catalog.admin.conftest import admin_login
from tests.inventory.conftest import books_balance, variant_make

STOCK = "/admin/inventory/stockitem/"
LOCATIONS = "/admin/inventory/stocklocation/"


@pytest.fixture
def owner_a(client_a, store_a):
    admin_login(client_a, store_a.owner_email, store_a.password)
    return client_a


@pytest.fixture
def viewer_a(client_a, store_a):
    """Store A's staff member with only the view permissions."""
    admin_login(client_a, store_a.staff_email, store_a.password)
    return client_a


@pytest.fixture
def tee(store_a):
    with schema_context(store_a.schema):
        variant = variant_make("TEE-1")
        services.stock_receive(variant=variant, quantity=5)
        return variant


def _on_hand(store, variant) -> list[tuple[str, int, int]]:
    with schema_context(store.schema):
        return list(
            StockItem.objects.filter(variant=variant)
            .order_by("location_id")
            .values_list("location__code", "on_hand", "reserved")
        )


def test_stock_list_shows_rows_with_their_pages(owner_a, tee):
    response = owner_a.get(STOCK)
    assert response.status_code == 200
    [row] = response.context["cl"].result_list
    assert (row.variant.sku, row.on_hand) == ("TEE-1", 5)
    page = response.content.decode()
    for url in ("receive/", "adjust/", "transfer/", "low-stock/", f"variant/{tee.pk}/"):
        assert f"{STOCK}{url}" in page
    # a stock row's own page is its variant's stock page
    assert owner_a.get(f"{STOCK}{row.pk}/change/").url == f"{STOCK}variant/{tee.pk}/"


def test_receive_page_prefills_and_receives(owner_a, store_a, tee):
    # given
    form = owner_a.get(f"{STOCK}receive/", {"sku": "TEE-1"})
    assert form.context["form"].initial["sku"] == "TEE-1"
    # when
    response = owner_a.post(
        f"{STOCK}receive/", {"sku": "TEE-1", "location": "", "quantity": "7", "reason": "Delivery"}
    )
    # then
    assert response.status_code == 302
    assert response.url == f"{STOCK}variant/{tee.pk}/"
    assert _on_hand(store_a, tee) == [("main", 12, 0)]
    with schema_context(store_a.schema):
        last = StockMovement.objects.filter(variant_id=tee.pk).first()
        assert (last.kind, last.actor_label, last.reason) == (
            "received",
            store_a.owner_email,
            "Delivery",
        )


def test_adjust_needs_a_reason_and_shows_refusals_on_their_field(owner_a, store_a, tee):
    with schema_context(store_a.schema):
        services.stock_reserve(lines=[(tee.pk, 3)], reference="order:1", expires_at=None)
    base = {"sku": "TEE-1", "location": "", "mode": "set", "quantity": "2"}
    # no reason
    response = owner_a.post(f"{STOCK}adjust/", {**base, "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    # below what is reserved: the service's refusal, on the quantity
    response = owner_a.post(f"{STOCK}adjust/", {**base, "reason": "Stock-take"})
    assert response.context["form"].errors["quantity"] == [
        "3 units are reserved for orders: on hand cannot go below 3."
    ]
    # an unknown SKU
    response = owner_a.post(f"{STOCK}adjust/", {**base, "sku": "NOPE", "reason": "x"})
    assert response.context["form"].errors["sku"]
    assert _on_hand(store_a, tee) == [("main", 5, 3)]
    # by a delta
    response = owner_a.post(
        f"{STOCK}adjust/", {**base, "mode": "change", "quantity": "-2", "reason": "Damaged"}
    )
    assert response.status_code == 302
    assert _on_hand(store_a, tee) == [("main", 3, 3)]
    with schema_context(store_a.schema):
        books_balance()


def test_transfer_page(owner_a, store_a, tee):
    with schema_context(store_a.schema):
        shop = services.location_create(name="Shop", code="shop")
    response = owner_a.post(
        f"{STOCK}transfer/",
        {"sku": "TEE-1", "from_location": "", "to_location": shop.pk, "quantity": "2"},
    )
    assert response.status_code == 302
    assert _on_hand(store_a, tee) == [("main", 3, 0), ("shop", 2, 0)]
    response = owner_a.post(
        f"{STOCK}transfer/",
        {"sku": "TEE-1", "from_location": "", "to_location": shop.pk, "quantity": "9"},
    )
    assert response.context["form"].errors["quantity"] == [
        "Only 3 unreserved units at “Main warehouse”; cannot move 9."
    ]


def test_variant_page_shows_stock_ledger_and_saves_the_policy(owner_a, store_a, tee):
    with schema_context(store_a.schema):
        for n in range(3):
            services.stock_adjust(variant=tee, delta=1, reason=f"found {n}")
    # when
    page = owner_a.get(f"{STOCK}variant/{tee.pk}/", {"limit": "2"})
    # then: newest first, with a link to older movements
    assert page.status_code == 200
    assert [m.reason for m in page.context["ledger"].rows] == ["found 2", "found 1"]
    older = owner_a.get(
        f"{STOCK}variant/{tee.pk}/", {"limit": "2", "cursor": page.context["ledger"].next_cursor}
    )
    assert [m.kind for m in older.context["ledger"].rows] == ["adjusted", "received"]
    assert owner_a.get(f"{STOCK}variant/{tee.pk}/", {"cursor": "garbage"}).status_code == 404
    # and the policy form
    response = owner_a.post(
        f"{STOCK}variant/{tee.pk}/",
        {"track_inventory": "on", "allow_backorders": "on", "low_stock_threshold": "10"},
    )
    assert response.status_code == 302
    with schema_context(store_a.schema):
        policy = StockPolicy.objects.get(pk=tee.pk)
        assert (policy.allow_backorders, policy.low_stock_threshold) == (True, 10)
        assert StockItem.objects.get(variant=tee).allow_backorders is True


def test_low_stock_page(owner_a, store_a, tee):
    with schema_context(store_a.schema):
        services.policy_update(variant=tee, low_stock_threshold=5)
        variant_make("MUG-1")  # never stocked, no threshold: not listed
    response = owner_a.get(f"{STOCK}low-stock/")
    assert [(r.sku, r.available) for r in response.context["rows"]] == [("TEE-1", 5)]


def test_view_only_staff_sees_but_cannot_change(viewer_a, store_a, tee):
    assert viewer_a.get(STOCK).status_code == 200
    assert viewer_a.get(f"{STOCK}variant/{tee.pk}/").status_code == 200
    assert viewer_a.get(f"{STOCK}low-stock/").status_code == 200
    for url in ("receive/", "adjust/", "transfer/"):
        assert viewer_a.get(f"{STOCK}{url}").status_code == 403
    response = viewer_a.post(f"{STOCK}receive/", {"sku": "TEE-1", "quantity": "5", "location": ""})
    assert response.status_code == 403
    assert viewer_a.post(f"{STOCK}variant/{tee.pk}/", {"track_inventory": ""}).status_code == 403
    assert _on_hand(store_a, tee) == [("main", 5, 0)]


def test_customers_and_other_stores_get_nothing(client_a, client_b, store_a, store_b, tee):
    # a customer of A cannot log in to the admin at all
    client_a.post(
        "/admin/login/?next=/admin/",
        {"username": store_a.customer_email, "password": store_a.password},
    )
    assert client_a.get(STOCK).status_code == 302
    # B's owner, on B's host, sees none of A's stock and A's ids are not found
    admin_login(client_b, store_b.owner_email, store_b.password)
    assert list(client_b.get(STOCK).context["cl"].result_list) == []
    with schema_context(store_a.schema):
        row = StockItem.objects.get(variant=tee)
    with schema_context(store_b.schema):
        assert not StockItem.objects.filter(pk=row.pk).exists()
        assert not Variant.objects.filter(pk=tee.pk).exists()
    assert client_b.get(f"{STOCK}{row.pk}/change/").status_code == 404
    assert client_b.get(f"{STOCK}variant/{tee.pk}/").status_code == 404
    response = client_b.post(f"{STOCK}receive/", {"sku": "TEE-1", "quantity": "5", "location": ""})
    assert response.context["form"].errors["sku"] == ["No variant has this SKU in this store."]
    assert _on_hand(store_a, tee) == [("main", 5, 0)]


# --- locations ----------------------------------------------------------------------------


def _location_data(**fields) -> dict:
    return {
        "name": "Shop",
        "code": "shop",
        "is_active": "on",
        "position": "1",
        "address": "",
        **fields,
    }


def test_location_add_make_default_and_code_taken(owner_a, store_a, tee):
    # when: a new location that becomes the default
    response = owner_a.post(f"{LOCATIONS}add/", _location_data(make_default="on"))
    # then
    assert response.status_code == 302
    with schema_context(store_a.schema):
        assert list(
            StockLocation.objects.filter(is_default=True).values_list("code", flat=True)
        ) == ["shop"]
    # a taken code is refused on its field
    response = owner_a.post(f"{LOCATIONS}add/", _location_data(code="main"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["code"] == [
        "The code “main” is already used by another location."
    ]


def test_location_with_history_or_the_default_cannot_be_deleted(owner_a, store_a):
    with schema_context(store_a.schema):
        main = services.location_default()
        shop = services.location_create(name="Shop", code="shop")
        services.stock_receive(variant=variant_make("TEE-1"), quantity=1, location=shop)
        empty = services.location_create(name="Empty", code="empty")
    # a location with stock: Django's page lists what protects it and deletes nothing
    response = owner_a.post(f"{LOCATIONS}{shop.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert response.context["protected"]
    # the default one: the service refuses
    response = owner_a.post(f"{LOCATIONS}{main.pk}/delete/", {"post": "yes"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "The default location cannot be deleted."
    ]
    # an unused one goes
    assert owner_a.post(f"{LOCATIONS}{empty.pk}/delete/", {"post": "yes"}).status_code == 302
    with schema_context(store_a.schema):
        assert set(StockLocation.objects.values_list("code", flat=True)) == {"main", "shop"}
