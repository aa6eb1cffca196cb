"""Reservations under real concurrency: threads, each with its own PostgreSQL connection,
committing for real (tests.tenants.concurrency), against committed stock in store A.

The stock these tests commit is removed again by `_committed_stock`'s cleanup. The server
allows ~100 connections shared with other work, so 200 attempts come from 20 threads (10
each), all released at once by a barrier.
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.catalog import services as catalog
from apps.catalog.models import Product
from apps.core.exceptions import ApplicationError
from apps.inventory import selectors, services
from apps.inventory.models import (
    Reservation,
    StockItem,
    StockLocation,
    StockMovement,
    StockPolicy,
)
from tests.inventory.conftest import variant_make
from tests.tenants import concurrency

THREADS = 20
ATTEMPTS_PER_THREAD = 10
MIXED_ATTEMPTS_PER_THREAD = 6


def _stock_create(*, schema: str, stock: dict[str, int], second_location: bool) -> dict:
    with schema_context(schema):
        variants = {sku: variant_make(sku) for sku in stock}
        services.stock_receive_many(entries=[(variants[sku], n) for sku, n in stock.items()])
        if second_location:
            # Half of each variant's stock moves to a second location: lines span two rows.
            shop = services.location_create(name="Shop", code="shop", position=1)
            for sku, n in stock.items():
                if n >= 2:
                    services.stock_transfer(
                        variant=variants[sku], from_location=None, to_location=shop, quantity=n // 2
                    )
        return {sku: variant.pk for sku, variant in variants.items()}


def _stock_remove(*, schema: str, skus: list[str]) -> None:
    with schema_context(schema):
        products = list(Product.objects.filter(variants__sku__in=skus).distinct())
        variant_ids = [v.pk for p in products for v in p.variants.all()]
        Reservation.objects.filter(stock_item__variant_id__in=variant_ids).delete()
        StockMovement.objects.filter(variant_id__in=variant_ids).delete()
        StockItem.objects.filter(variant_id__in=variant_ids).delete()
        StockPolicy.objects.filter(variant_id__in=variant_ids).delete()
        StockLocation.objects.all().delete()
        for product in products:
            catalog.product_delete(product=product)


def _expire_in(*, schema: str) -> int:
    with schema_context(schema):
        return services.reservations_expire()


@pytest.fixture
def committed_stock(store_a):
    """committed_stock({"SKU": units, ...}, second_location=False) -> {sku: variant id}."""
    created: list[str] = []

    def make(stock: dict[str, int], *, second_location: bool = False) -> dict[str, int]:
        created.extend(stock)
        return concurrency.committed(
            _stock_create, schema=store_a.schema, stock=stock, second_location=second_location
        )

    yield make
    if created:
        concurrency.committed(_stock_remove, schema=store_a.schema, skus=created)


def _in_threads(work, *, schema: str, **kwargs) -> list:
    """Run work(thread=n, **kwargs) in THREADS threads released together; their results."""
    barrier = threading.Barrier(THREADS, timeout=30)

    def run(*, thread: int) -> list:
        with schema_context(schema):
            connection.ensure_connection()  # connect before the start line, not after it
            barrier.wait()
            return work(thread=thread, **kwargs)

    outcomes = [concurrency.start(run, thread=n) for n in range(THREADS)]
    for outcome in outcomes:  # all of them, before judging any (the cleanup must run alone)
        outcome.join(timeout=120)
    errors = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert errors == [], errors[0]
    return [answer for outcome in outcomes for answer in outcome.value]


def _reserve_attempts(*, thread: int, lines_of) -> list[str]:
    answers = []
    for attempt in range(ATTEMPTS_PER_THREAD):
        try:
            services.stock_reserve(
                lines=lines_of(thread),
                reference=f"checkout:{thread}-{attempt}",
                expires_at=timezone.now() + timedelta(minutes=15),
            )
            answers.append("reserved")
        except ApplicationError as error:
            answers.append(error.code)
    return answers


def test_200_reservations_for_10_units_oversell_nothing(store_a, committed_stock):
    # given: 10 units of one variant, committed
    ids = committed_stock({"HOT-1": 10})
    hot = ids["HOT-1"]
    # when: 200 attempts to reserve one unit each, 20 at a time
    answers = _in_threads(
        _reserve_attempts, schema=store_a.schema, lines_of=lambda thread: [(hot, 1)]
    )
    # then: exactly 10 succeed and 190 get a clean out_of_stock
    assert Counter(answers) == {"reserved": 10, "out_of_stock": 190}
    with schema_context(store_a.schema):
        assert list(
            StockItem.objects.filter(variant_id=hot).values_list("on_hand", "reserved")
        ) == [(10, 10)]
        assert Reservation.objects.filter(stock_item__variant_id=hot, state="active").count() == 10
        assert selectors.ledger_check(variant_ids=[hot]) == []
        assert selectors.availability(variant_ids=[hot])[hot].available == 0


def test_opposite_line_orders_across_two_locations_never_deadlock(store_a, committed_stock):
    # given: two variants, each split across two locations
    ids = committed_stock({"PAIR-A": 700, "PAIR-B": 400}, second_location=True)
    a, b = ids["PAIR-A"], ids["PAIR-B"]

    def lines_of(thread: int) -> list[tuple[int, int]]:
        # Half the carts list A then B, the other half B then A; 3 units of A take rows at
        # both locations once the default one runs low.
        return [(a, 3), (b, 1)] if thread % 2 else [(b, 1), (a, 3)]

    # when
    answers = _in_threads(_reserve_attempts, schema=store_a.schema, lines_of=lines_of)
    # then: every cart was served (a deadlock would surface as an error in a thread)
    assert Counter(answers) == {"reserved": THREADS * ATTEMPTS_PER_THREAD}
    with schema_context(store_a.schema):
        reserved = dict(
            StockItem.objects.filter(variant_id__in=[a, b])
            .values_list("variant_id")
            .annotate(total=Sum("reserved"))
        )
        assert reserved == {a: 600, b: 200}
        assert selectors.ledger_check(variant_ids=[a, b]) == []


def test_reserve_sell_release_and_expiry_at_once_keep_the_books(store_a, committed_stock):
    # given
    ids = committed_stock({"MIX-1": 150}, second_location=True)
    mixed = ids["MIX-1"]

    def work(*, thread: int) -> list[str]:
        done = []
        for attempt in range(MIXED_ATTEMPTS_PER_THREAD):
            reference = f"checkout:{thread}-{attempt}"
            expired = attempt % 3 == 2
            expires_at = timezone.now() + (
                timedelta(seconds=-1) if expired else timedelta(minutes=15)
            )
            try:
                services.stock_reserve(
                    lines=[(mixed, 1)], reference=reference, expires_at=expires_at
                )
            except ApplicationError as error:
                done.append(error.code)
                continue
            if thread % 4 == 0:
                services.reservations_expire()  # races the others' sales and releases
            if expired:
                done.append("left to expire")
            elif attempt % 3 == 0:
                done.append("sold" if services.reservations_sell(reference=reference) else "lost")
            else:
                services.reservations_release(reference=reference)
                done.append("released")
        return done

    # when
    answers = Counter(_in_threads(work, schema=store_a.schema))
    # (committed on a connection of its own: locks taken in this test's transaction would
    # hold the cleanup up until the rollback, which comes after it)
    concurrency.committed(_expire_in, schema=store_a.schema)
    with schema_context(store_a.schema):
        # then
        assert answers["lost"] == 0
        assert answers["sold"] + answers["released"] + answers["left to expire"] == (
            THREADS * MIXED_ATTEMPTS_PER_THREAD
        )
        totals = StockItem.objects.filter(variant_id=mixed).values_list("on_hand", "reserved")
        assert sum(on_hand for on_hand, _ in totals) == 150 - answers["sold"]
        assert sum(reserved for _, reserved in totals) == 0
        assert selectors.ledger_check(variant_ids=[mixed]) == []
