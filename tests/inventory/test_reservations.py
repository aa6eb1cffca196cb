"""Reservations: all or nothing, served across locations, released, sold, expired."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.exceptions import ApplicationError
from apps.inventory import selectors, services
from apps.inventory.models import Reservation, StockItem, StockMovement
from tests.inventory.conftest import books_balance, variant_make


def _stock(variant) -> list[tuple[str, int, int]]:
    return list(
        StockItem.objects.filter(variant=variant)
        .order_by("location__position", "location_id")
        .values_list("location__code", "on_hand", "reserved")
    )


def test_reserve_holds_units_and_records_them(variant, other_variant):
    services.stock_receive_many(entries=[(variant, 5), (other_variant, 2)])
    expires = timezone.now() + timedelta(minutes=15)
    # when
    reservations = services.stock_reserve(
        lines=[(variant.pk, 2), (other_variant.pk, 2)],
        reference="checkout:abc",
        expires_at=expires,
    )
    # then
    assert sorted((r.stock_item.variant_id, r.quantity) for r in reservations) == sorted(
        [(variant.pk, 2), (other_variant.pk, 2)]
    )
    assert {(r.reference, r.state, r.expires_at) for r in reservations} == {
        ("checkout:abc", "active", expires)
    }
    assert _stock(variant) == [("main", 5, 2)]
    assert _stock(other_variant) == [("main", 2, 2)]
    moves = StockMovement.objects.filter(kind="reserved").values_list(
        "reference_type", "reference_id", "on_hand_delta", "reserved_delta"
    )
    assert sorted(moves) == [("checkout", "abc", 0, 2), ("checkout", "abc", 0, 2)]
    books_balance()


def test_a_short_line_fails_the_whole_reservation_and_changes_nothing(variant, other_variant):
    services.stock_receive_many(entries=[(variant, 5), (other_variant, 1)])
    movements_before = StockMovement.objects.count()
    # when
    with pytest.raises(ApplicationError) as caught:
        services.stock_reserve(
            lines=[(variant.pk, 2), (other_variant.pk, 3)], reference="order:1", expires_at=None
        )
    # then
    error = caught.value
    assert (error.code, error.field, error.status_code) == ("out_of_stock", None, 409)
    assert error.extra == {
        "variant_id": other_variant.pk,
        "available": 1,
        "requested": 3,
        "shortages": [{"variant_id": other_variant.pk, "available": 1, "requested": 3}],
    }
    assert error.message == "Only 1 of this item are available; 3 were requested."
    assert _stock(variant) == [("main", 5, 0)]
    assert StockMovement.objects.count() == movements_before
    assert not Reservation.objects.exists()
    books_balance()


def test_a_variant_never_stocked_is_out_of_stock(variant):
    with pytest.raises(ApplicationError) as caught:
        services.stock_reserve(lines=[(variant.pk, 1)], reference="order:1", expires_at=None)
    assert caught.value.extra["available"] == 0
    assert caught.value.message == "This item is out of stock."


def test_a_line_is_served_from_the_default_location_then_by_position(variant):
    far = services.location_create(name="Far", code="far", position=9)
    near = services.location_create(name="Near", code="near", position=1)
    services.stock_receive(variant=variant, quantity=2)  # default
    services.stock_receive(variant=variant, quantity=5, location=far)
    services.stock_receive(variant=variant, quantity=1, location=near)
    # when
    reservations = services.stock_reserve(
        lines=[(variant.pk, 4)], reference="order:9", expires_at=None
    )
    # then: 2 from the default, 1 from near, 1 from far
    taken = {r.stock_item.location.code: r.quantity for r in reservations}
    assert taken == {"main": 2, "near": 1, "far": 1}
    books_balance()


def test_inactive_locations_do_not_sell(variant):
    closed = services.location_create(name="Closed", code="closed")
    services.stock_receive(variant=variant, quantity=3, location=closed)
    services.location_update(location=closed, is_active=False)
    with pytest.raises(ApplicationError) as caught:
        services.stock_reserve(lines=[(variant.pk, 1)], reference="order:1", expires_at=None)
    assert caught.value.code == "out_of_stock"
    assert selectors.availability(variant_ids=[variant.pk])[variant.pk].available == 0


def test_backorders_take_what_is_free_then_go_below_zero(variant):
    services.policy_update(variant=variant, allow_backorders=True)
    services.stock_receive(variant=variant, quantity=2)
    reservations = services.stock_reserve(
        lines=[(variant.pk, 5)], reference="order:3", expires_at=None
    )
    assert [r.quantity for r in reservations] == [5]
    assert _stock(variant) == [("main", 2, 5)]
    services.reservations_sell(reference="order:3")
    assert _stock(variant) == [("main", -3, 0)]
    books_balance()


def test_a_backorderable_variant_without_a_stock_row_gets_one(variant):
    services.policy_update(variant=variant, allow_backorders=True)
    reservations = services.stock_reserve(
        lines=[(variant.pk, 2)], reference="order:4", expires_at=None
    )
    assert [r.stock_item.location.is_default for r in reservations] == [True]
    assert _stock(variant) == [("main", 0, 2)]
    books_balance()


def test_untracked_variants_reserve_nothing(variant, other_variant):
    services.policy_update(variant=variant, track_inventory=False)
    services.stock_receive(variant=other_variant, quantity=1)
    # when: an untracked variant with no stock row, next to a tracked one
    reservations = services.stock_reserve(
        lines=[(variant.pk, 50), (other_variant.pk, 1)], reference="order:5", expires_at=None
    )
    # then
    assert [r.stock_item.variant_id for r in reservations] == [other_variant.pk]
    assert services.stock_reserve(lines=[(variant.pk, 3)], reference="o:6", expires_at=None) == []
    assert not StockItem.objects.filter(variant=variant).exists()
    books_balance()


@pytest.mark.parametrize(
    ("lines", "reference", "code"),
    [
        ([], "order:1", "lines_invalid"),
        ([(1, 0)], "order:1", "quantity_invalid"),
        ([(1,)], "order:1", "lines_invalid"),
        ([(1, 1)], "  ", "reference_required"),
    ],
)
def test_reserve_refuses_bad_input(in_a, lines, reference, code):
    with pytest.raises(ApplicationError) as caught:
        services.stock_reserve(lines=lines, reference=reference, expires_at=None)
    assert caught.value.code == code


def test_release_gives_units_back_once(variant):
    services.stock_receive(variant=variant, quantity=3)
    services.stock_reserve(lines=[(variant.pk, 2)], reference="checkout:t1", expires_at=None)
    # when
    released = services.reservations_release(reference="checkout:t1", reason="Cart emptied")
    again = services.reservations_release(reference="checkout:t1")
    # then
    assert [(r.quantity, r.state) for r in released] == [(2, "released")]
    assert again == []
    assert _stock(variant) == [("main", 3, 0)]
    last = StockMovement.objects.filter(variant_id=variant.pk).first()
    assert (last.kind, last.reserved_delta, last.reason) == ("released", -2, "Cart emptied")
    books_balance()


def test_sell_takes_units_off_hand_for_every_location_of_the_reference(variant, other_variant):
    shop = services.location_create(name="Shop", code="shop", position=1)
    services.stock_receive(variant=variant, quantity=1)
    services.stock_receive(variant=variant, quantity=4, location=shop)
    services.stock_receive(variant=other_variant, quantity=1)
    services.stock_reserve(
        lines=[(variant.pk, 3), (other_variant.pk, 1)], reference="order:1001", expires_at=None
    )
    services.stock_reserve(lines=[(variant.pk, 1)], reference="order:1002", expires_at=None)
    # when
    sold = services.reservations_sell(reference="order:1001")
    # then
    assert sorted(r.quantity for r in sold) == [1, 1, 2]
    assert _stock(variant) == [("main", 0, 0), ("shop", 2, 1)]
    assert _stock(other_variant) == [("main", 0, 0)]
    assert services.reservations_sell(reference="order:1001") == []
    kinds = set(StockMovement.objects.filter(reference_id="1001").values_list("kind", flat=True))
    assert kinds == {"reserved", "sold"}
    assert [r.reference for r in selectors.reservations_active(reference="order:1002")] == [
        "order:1002"
    ]
    books_balance()


def test_expiry_releases_only_what_is_due(variant):
    services.stock_receive(variant=variant, quantity=10)
    now = timezone.now()
    services.stock_reserve(
        lines=[(variant.pk, 1)], reference="checkout:old", expires_at=now - timedelta(seconds=1)
    )
    services.stock_reserve(
        lines=[(variant.pk, 2)], reference="checkout:new", expires_at=now + timedelta(minutes=5)
    )
    services.stock_reserve(lines=[(variant.pk, 3)], reference="order:7", expires_at=None)
    # when
    released = services.reservations_expire(now=now)
    # then
    assert released == 1
    states = dict(Reservation.objects.values_list("reference", "state"))
    assert states == {"checkout:old": "released", "checkout:new": "active", "order:7": "active"}
    assert _stock(variant) == [("main", 10, 5)]
    # and later the other checkout goes too (never the order without expiry)
    assert services.reservations_expire(now=now + timedelta(minutes=6)) == 1
    assert services.reservations_expire(now=now + timedelta(days=365)) == 0
    assert _stock(variant) == [("main", 10, 3)]
    books_balance()


def test_expiry_works_in_batches(variant):
    services.stock_receive(variant=variant, quantity=7)
    past = timezone.now() - timedelta(minutes=1)
    for n in range(7):
        services.stock_reserve(lines=[(variant.pk, 1)], reference=f"checkout:{n}", expires_at=past)
    assert services.reservations_expire(batch=3) == 7
    assert _stock(variant) == [("main", 7, 0)]
    books_balance()


def test_the_same_variant_twice_in_the_lines_is_summed(variant):
    services.stock_receive(variant=variant, quantity=3)
    with pytest.raises(ApplicationError) as caught:
        services.stock_reserve(
            lines=[(variant.pk, 2), (variant.pk, 2)], reference="o:1", expires_at=None
        )
    assert caught.value.extra["requested"] == 4
    reservations = services.stock_reserve(
        lines=[(variant.pk, 1), (variant.pk, 2)], reference="o:1", expires_at=None
    )
    assert [r.quantity for r in reservations] == [3]


def test_ledger_check_reports_a_row_changed_behind_the_ledger(variant):
    services.stock_receive(variant=variant, quantity=3)
    StockItem.objects.filter(variant=variant).update(on_hand=4)  # a write without the services
    [discrepancy] = selectors.ledger_check()
    assert (discrepancy.on_hand, discrepancy.ledger_on_hand) == (4, 3)
    assert selectors.ledger_check(variant_ids=[variant.pk + 1000]) == []


def test_availability_in_one_query(variant, other_variant, django_assert_num_queries):
    untracked = variant_make("GIFT-CARD")
    backorder = variant_make("PREORDER")
    low = variant_make("LOW")
    services.policy_update(variant=untracked, track_inventory=False)
    services.policy_update(variant=backorder, allow_backorders=True)
    services.policy_update(variant=low, low_stock_threshold=3)
    services.stock_receive_many(entries=[(variant, 9), (low, 3), (backorder, 1)])
    services.stock_reserve(lines=[(backorder.pk, 4)], reference="o:1", expires_at=None)
    ids = [variant.pk, other_variant.pk, untracked.pk, backorder.pk, low.pk, 999999]
    # when: one SELECT whatever the number of ids
    with django_assert_num_queries(1):
        result = selectors.availability(variant_ids=ids)
    # then
    found = {
        pk: (a.available, a.backorderable, a.in_stock, a.low_stock) for pk, a in result.items()
    }
    assert found == {
        variant.pk: (9, False, True, False),
        other_variant.pk: (0, False, False, False),
        untracked.pk: (None, False, True, False),
        backorder.pk: (0, True, True, False),
        low.pk: (3, False, True, True),
    }


def test_buyable_filter_agrees_with_availability(variant, other_variant):
    from apps.catalog.models import Variant

    untracked, backorder, reserved_out = (
        variant_make("GIFT"),
        variant_make("PRE"),
        variant_make("GONE"),
    )
    services.policy_update(variant=untracked, track_inventory=False)
    services.policy_update(variant=backorder, allow_backorders=True)
    services.stock_receive_many(entries=[(variant, 2), (reserved_out, 1)])
    services.stock_reserve(lines=[(reserved_out.pk, 1)], reference="o:1", expires_at=None)
    ids = [variant.pk, other_variant.pk, untracked.pk, backorder.pk, reserved_out.pk]
    buyable = set(
        Variant.objects.filter(pk__in=ids)
        .filter(selectors.variant_buyable_q())
        .values_list("sku", flat=True)
    )
    assert buyable == {"TEE-1", "GIFT", "PRE"}
    found = selectors.availability(variant_ids=ids)
    assert {v.sku for v in Variant.objects.filter(pk__in=ids) if found[v.pk].in_stock} == buyable


def test_low_stock_list_and_ledger_pages(variant, other_variant):
    services.policy_update(variant=variant, low_stock_threshold=5)
    services.policy_update(variant=other_variant, low_stock_threshold=5)
    services.stock_receive(variant=variant, quantity=4)
    services.stock_receive(variant=other_variant, quantity=6)
    rows = selectors.low_stock_list()
    assert [(r.sku, r.available, r.threshold) for r in rows] == [("TEE-1", 4, 5)]
    # ledger: newest first, in pages
    for n in range(3):
        services.stock_adjust(variant=variant, delta=1, reason=f"found {n}")
    first = selectors.ledger_page(variant_id=variant.pk, limit=2)
    assert [m.reason for m in first.rows] == ["found 2", "found 1"]
    second = selectors.ledger_page(variant_id=variant.pk, cursor=first.next_cursor, limit=2)
    assert [m.kind for m in second.rows] == ["adjusted", "received"]
    assert second.next_cursor is None


def test_reserve_and_sell_query_counts(variant, other_variant, django_assert_num_queries):
    services.stock_receive_many(entries=[(variant, 5), (other_variant, 5)])
    # reserve two lines: the plan's SELECT of stock rows, SAVEPOINT, one conditional UPDATE per
    # stock row (in id order), INSERT of the ledger rows, INSERT of the reservations, RELEASE
    with django_assert_num_queries(7):
        services.stock_reserve(
            lines=[(variant.pk, 1), (other_variant.pk, 2)], reference="order:1", expires_at=None
        )
    # sell: SAVEPOINT, lock the reservations, lock the stock rows (id order), UPDATE them in
    # one statement, UPDATE the reservations, INSERT the ledger rows, RELEASE
    with django_assert_num_queries(7):
        services.reservations_sell(reference="order:1")
    books_balance()
