"""Receiving, adjusting, transferring and returning stock; policies; the CHECK constraints.

After every operation the books must balance: quantities == the sum of the ledger.
"""

import pytest
from django.db import IntegrityError, transaction

from apps.accounts.models import User
from apps.core.exceptions import ApplicationError
from apps.inventory import services
from apps.inventory.models import StockItem, StockMovement, StockPolicy
from tests.inventory.conftest import books_balance


def _movements(variant) -> list[tuple]:
    return list(
        StockMovement.objects.filter(variant_id=variant.pk)
        .order_by("id")
        .values_list("kind", "location__code", "on_hand_delta", "reserved_delta")
    )


def test_receive_goes_to_the_lazily_created_default_location(variant):
    # given: a store with no location at all
    # when
    item = services.stock_receive(variant=variant, quantity=12, reason="Delivery", reference="po:7")
    # then
    assert (item.location.code, item.location.is_default, item.on_hand, item.reserved) == (
        "main",
        True,
        12,
        0,
    )
    movement = StockMovement.objects.get(variant_id=variant.pk)
    assert (movement.kind, movement.on_hand_delta, movement.reason, movement.sku) == (
        "received",
        12,
        "Delivery",
        "TEE-1",
    )
    assert (movement.reference_type, movement.reference_id) == ("po", "7")
    books_balance()


def test_receive_many_in_one_location_adds_up_repeated_variants(variant, other_variant):
    backroom = services.location_create(name="Back room", code="back")
    items = services.stock_receive_many(
        entries=[(variant, 3), (other_variant.pk, 4), (variant, 2)],
        location=backroom,
        reference="import:2024-05",
    )
    assert sorted((i.variant_id, i.on_hand) for i in items) == sorted(
        [(variant.pk, 5), (other_variant.pk, 4)]
    )
    assert StockMovement.objects.filter(reference_type="import").count() == 2
    books_balance()


@pytest.mark.parametrize("quantity", [0, -1, "two", None, 1_000_001, True])
def test_receive_refuses_what_is_not_a_positive_whole_number(variant, quantity):
    with pytest.raises(ApplicationError) as caught:
        services.stock_receive(variant=variant, quantity=quantity)
    assert (caught.value.code, caught.value.field) == ("quantity_invalid", "quantity")
    assert not StockItem.objects.exists()


def test_receive_into_an_inactive_location_is_refused(variant):
    closed = services.location_create(name="Closed", code="closed", is_active=False)
    with pytest.raises(ApplicationError) as caught:
        services.stock_receive(variant=variant, quantity=1, location=closed)
    assert caught.value.code == "location_inactive"


def test_unknown_variant_is_not_found(in_a):
    with pytest.raises(ApplicationError) as caught:
        services.stock_receive(variant=987654, quantity=1)
    # a reference in the input, not the resource asked for: a 400 naming the field
    assert (caught.value.code, caught.value.field, caught.value.status_code) == (
        "variant_not_found",
        "variant",
        400,
    )


def test_adjust_to_a_count_and_by_a_delta_with_a_reason_and_an_actor(variant, store_a):
    owner = User.objects.get(email=store_a.owner_email)
    services.stock_receive(variant=variant, quantity=10)
    # when: a stock-take finds 8, then 1 is damaged
    services.stock_adjust(variant=variant, quantity=8, reason="Stock-take", actor=owner)
    item = services.stock_adjust(variant=variant, delta=-1, reason="Damaged", actor=owner)
    # then
    assert item.on_hand == 7
    assert _movements(variant) == [
        ("received", "main", 10, 0),
        ("adjusted", "main", -2, 0),
        ("adjusted", "main", -1, 0),
    ]
    last = StockMovement.objects.filter(variant_id=variant.pk).first()
    assert (last.actor_id, last.actor_label, last.reason) == (owner.pk, owner.email, "Damaged")
    books_balance()


def test_adjust_to_the_same_count_writes_nothing(variant):
    services.stock_receive(variant=variant, quantity=4)
    services.stock_adjust(variant=variant, quantity=4, reason="Counted")
    assert StockMovement.objects.filter(variant_id=variant.pk).count() == 1


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"quantity": 3, "reason": " "}, "reason_required", "reason"),
        ({"reason": "x"}, "adjust_invalid", "quantity"),
        ({"quantity": 3, "delta": 1, "reason": "x"}, "adjust_invalid", "quantity"),
        ({"delta": 0, "reason": "x"}, "quantity_invalid", "delta"),
        ({"delta": -6, "reason": "x"}, "stock_negative", "delta"),
        ({"quantity": -1, "reason": "x"}, "quantity_invalid", "quantity"),
    ],
)
def test_adjust_refusals(variant, kwargs, code, field):
    services.stock_receive(variant=variant, quantity=5)
    with pytest.raises(ApplicationError) as caught:
        services.stock_adjust(variant=variant, **kwargs)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert StockItem.objects.get(variant=variant).on_hand == 5
    books_balance()


def test_adjust_cannot_take_away_reserved_units(variant):
    services.stock_receive(variant=variant, quantity=5)
    services.stock_reserve(lines=[(variant.pk, 3)], reference="order:1", expires_at=None)
    with pytest.raises(ApplicationError) as caught:
        services.stock_adjust(variant=variant, quantity=2, reason="Stock-take")
    assert caught.value.code == "stock_reserved"
    assert caught.value.extra == {"on_hand": 5, "reserved": 3}
    services.stock_adjust(variant=variant, quantity=3, reason="Stock-take")
    books_balance()


def test_transfer_moves_unreserved_units_atomically(variant):
    services.stock_receive(variant=variant, quantity=10)
    shop = services.location_create(name="Shop", code="shop", position=1)
    services.stock_reserve(lines=[(variant.pk, 4)], reference="order:1", expires_at=None)
    # when
    out, into = services.stock_transfer(
        variant=variant, from_location=None, to_location=shop, quantity=6, reason="Restock shop"
    )
    # then
    assert (out.on_hand, out.reserved, into.on_hand) == (4, 4, 6)
    moves = StockMovement.objects.filter(kind__startswith="transferred").order_by("id")
    assert [(m.kind, m.on_hand_delta) for m in moves] == [
        ("transferred_out", -6),
        ("transferred_in", 6),
    ]
    assert moves[0].reference_type == moves[1].reference_type == "transfer"
    assert moves[0].reference_id == moves[1].reference_id != ""
    # and one more unit would dig into the reserved ones
    with pytest.raises(ApplicationError) as caught:
        services.stock_transfer(variant=variant, from_location=None, to_location=shop, quantity=1)
    assert (caught.value.code, caught.value.extra) == (
        "stock_insufficient",
        {"available": 0, "requested": 1},
    )
    books_balance()


def test_transfer_refusals(variant):
    services.stock_receive(variant=variant, quantity=2)
    shop = services.location_create(name="Shop", code="shop")
    closed = services.location_create(name="Closed", code="closed", is_active=False)
    cases = [
        ({"from_location": None, "to_location": None}, "transfer_same_location"),
        ({"from_location": None, "to_location": closed}, "location_inactive"),
        ({"from_location": shop, "to_location": None}, "stock_insufficient"),
        ({"from_location": None, "to_location": 99999}, "location_not_found"),
    ]
    for kwargs, code in cases:
        with pytest.raises(ApplicationError) as caught:
            services.stock_transfer(variant=variant, quantity=1, **kwargs)
        assert caught.value.code == code, kwargs
    assert not StockItem.objects.filter(location=shop).exists()
    books_balance()


def test_return_puts_units_back_with_its_reference(variant):
    services.stock_receive(variant=variant, quantity=1)
    services.stock_reserve(lines=[(variant.pk, 1)], reference="order:5", expires_at=None)
    services.reservations_sell(reference="order:5")
    item = services.stock_return(variant=variant, quantity=1, reference="order:5")
    assert item.on_hand == 1
    assert _movements(variant)[-1] == ("returned", "main", 1, 0)
    with pytest.raises(ApplicationError) as caught:
        services.stock_return(variant=variant, quantity=1, reference="")
    assert caught.value.code == "reference_required"
    books_balance()


# --- policy -------------------------------------------------------------------------------


def test_policy_flags_are_copied_to_every_stock_row(variant):
    services.stock_receive(variant=variant, quantity=1)
    services.stock_receive(
        variant=variant, quantity=1, location=services.location_create(name="B", code="b")
    )
    # when
    policy = services.policy_update(
        variant=variant, track_inventory=True, allow_backorders=True, low_stock_threshold=3
    )
    # then
    assert (policy.allow_backorders, policy.low_stock_threshold) == (True, 3)
    assert set(StockItem.objects.values_list("track_inventory", "allow_backorders")) == {
        (True, True)
    }
    # and a row created later copies them too
    later = services.stock_receive(
        variant=variant, quantity=1, location=services.location_create(name="C", code="c")
    )
    assert later.allow_backorders is True
    # a threshold given as None removes it; flags not given stay
    policy = services.policy_update(variant=variant, low_stock_threshold=None)
    assert (policy.allow_backorders, policy.low_stock_threshold) == (True, None)


def test_backorders_cannot_be_switched_off_while_stock_is_negative(variant):
    services.policy_update(variant=variant, allow_backorders=True)
    services.stock_receive(variant=variant, quantity=1)
    services.stock_reserve(lines=[(variant.pk, 3)], reference="order:1", expires_at=None)
    services.reservations_sell(reference="order:1")
    assert StockItem.objects.get(variant=variant).on_hand == -2
    with pytest.raises(ApplicationError) as caught:
        services.policy_update(variant=variant, allow_backorders=False)
    assert (caught.value.code, caught.value.field) == ("policy_conflict", "allow_backorders")
    assert StockPolicy.objects.get(pk=variant.pk).allow_backorders is True
    # after receiving what is owed it can
    services.stock_receive(variant=variant, quantity=2)
    services.policy_update(variant=variant, allow_backorders=False)
    books_balance()


@pytest.mark.parametrize("threshold", [-1, "x", 1.5, True])
def test_policy_refuses_a_bad_threshold(variant, threshold):
    with pytest.raises(ApplicationError) as caught:
        services.policy_update(variant=variant, low_stock_threshold=threshold)
    assert caught.value.code == "threshold_invalid"


# --- the database's own guard ---------------------------------------------------------------


def _row(variant, **fields) -> StockItem:
    location = services.location_default()
    return StockItem(variant=variant, location=location, **fields)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"on_hand": -1}, "inventory_stock_on_hand_gte_0"),
        ({"on_hand": 1, "reserved": -1}, "inventory_stock_reserved_gte_0"),
        ({"on_hand": 1, "reserved": 2}, "inventory_stock_reserved_lte_on_hand"),
    ],
)
def test_check_constraints_reject_bad_rows(variant, fields, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        _row(variant, **fields).save()


@pytest.mark.parametrize(
    "fields",
    [
        {"on_hand": -3, "reserved": 2, "allow_backorders": True},
        {"on_hand": 1, "reserved": 4, "track_inventory": False},
    ],
)
def test_check_constraints_allow_backorders_and_untracked(variant, fields):
    _row(variant, **fields).save()


def test_check_constraints_hold_against_a_raw_update(variant):
    services.stock_receive(variant=variant, quantity=2)
    with pytest.raises(IntegrityError, match="inventory_stock_on_hand_gte_0"), transaction.atomic():
        StockItem.objects.filter(variant=variant).update(on_hand=-1)


def test_a_deleted_variant_keeps_its_ledger(variant):
    from apps.catalog import services as catalog

    services.stock_receive(variant=variant, quantity=2)
    catalog.product_delete(product=variant.product)
    movement = StockMovement.objects.get(variant_id=variant.pk)
    assert (movement.stock_item_id, movement.sku, movement.on_hand_delta) == (None, "TEE-1", 2)
    books_balance()
