"""Checkout under real concurrency: threads, each with its own PostgreSQL connection,
completing checkouts that commit for real (tests.tenants.concurrency).

Everything these tests commit lives in a store of their own, `race`, provisioned once for
the module through the signup service and deleted (schema and all) at the end, so no
committed order, stock or cart can leak into another test's store. Reads of that store happen
on connections of their own too: a lock taken in the test's own (rolled back) transaction
would hold the final DROP SCHEMA up.

The server allows ~100 connections shared with other work: 18 threads, plus the test's own
connection and one observer, all released together by a barrier.
"""

import threading
from collections import Counter
from collections.abc import Callable
from itertools import cycle

import pytest
from django.db import connection
from django_tenants.utils import tenant_context
from rest_framework.test import APIClient

from apps.cart import services as cart_services
from apps.cart.models import Cart, CartLine
from apps.checkout import services as checkout_services
from apps.checkout.models import Checkout
from apps.core.exceptions import ApplicationError
from apps.inventory import selectors as stock_reads
from apps.inventory import services as inventory
from apps.inventory.models import StockItem
from apps.orders.models import Order, OrderLine
from apps.payments.services import provider_config_save
from apps.shipping.services import shipping_method_create, shipping_zone_create
from apps.tax.services import tax_rate_create
from tenants import services as tenant_services
from tenants.models import Tenant
from tests.catalog import factories
from tests.checkout.conftest import ADDRESS
from tests.tenants import concurrency

THREADS = 18
RACE_SLUG = "race"
SOLD_OUT = {"out_of_stock", "lines_unavailable"}


# --- the race store --------------------------------------------------------------------------


def _store_create() -> Tenant:
    existing = Tenant.objects.filter(slug=RACE_SLUG).first()
    if existing is not None:  # left by an interrupted run with --reuse-db
        tenant_services.store_delete(tenant=existing, confirmation=RACE_SLUG)
    tenant = tenant_services.store_provision(
        name="Race Store",
        slug=RACE_SLUG,
        owner_email="owner@race.test",
        owner_password="Correct-Horse-42!",
        strategy=tenant_services.ProvisionStrategy.CLONE,
    ).tenant
    with tenant_context(tenant):
        zone = shipping_zone_create(name="United Kingdom", countries=["GB"])
        shipping_method_create(zone=zone, name="Royal Mail", rate_type="flat", amount="4.00")
        tax_rate_create(country="GB", rate="20", name="VAT")
        for code in ("manual", "test"):
            provider_config_save(provider_code=code, enabled=True)
    return tenant


def _store_delete(*, tenant: Tenant) -> None:
    tenant_services.store_delete(tenant=tenant, confirmation=RACE_SLUG)


@pytest.fixture(scope="module")
def race(two_stores, django_db_blocker) -> Tenant:
    """A committed store with UK shipping, VAT and the manual payment method."""
    with django_db_blocker.unblock():
        tenant = concurrency.committed(_store_create)
    yield tenant
    with django_db_blocker.unblock():
        concurrency.committed(_store_delete, tenant=tenant)


def in_race(work: Callable, **kwargs):
    """Run work(**kwargs) inside the race store on a connection of its own, committed."""

    def run(*, tenant: Tenant, **kwargs):
        with tenant_context(tenant):
            return work(**kwargs)

    return run


def committed(race: Tenant, work: Callable, **kwargs):
    return concurrency.committed(in_race(work), tenant=race, **kwargs)


def _variants_make(*, stock: dict[str, int]) -> dict[str, int]:
    ids = {}
    for sku, units in stock.items():
        variant = factories.product(f"Race {sku}", price="10.00", sku=sku, publish=True)
        variant = variant.variants.get()
        inventory.stock_receive(variant=variant, quantity=units, reason="Delivery")
        ids[sku] = variant.pk
    return ids


def _method_id() -> str:
    from apps.shipping.models import ShippingMethod

    return f"table:{ShippingMethod.objects.get().pk}"


def checkout_prepare(lines: list[tuple[int, int]], *, method_id: str):
    """A guest cart with `lines` and its checkout with every step given, via the services."""
    cart = cart_services.cart_create()
    for variant_id, quantity in lines:
        cart_services.cart_line_add(cart=cart, variant_id=variant_id, quantity=quantity)
    checkout = checkout_services.checkout_for_cart(cart=cart)
    return checkout_services.checkout_update(
        checkout=checkout,
        currency=connection.tenant.currency,
        email="racer@example.com",
        shipping_address=ADDRESS,
        shipping_method_id=method_id,
        payment_method="manual",
    )


def checkouts_make(*, lines: list[tuple[int, int]], count: int, method_id: str) -> list[str]:
    """`count` ready checkouts for `lines`: the first through the services, the others copies
    of it written in bulk (the race is about completing them, and 200 made one by one through
    every step would take most of the test's time). Their tokens."""
    model = checkout_prepare(lines, method_id=method_id)
    model_lines = list(model.cart.lines.order_by("id"))
    carts = Cart.objects.bulk_create([Cart() for _ in range(count - 1)])
    CartLine.objects.bulk_create(
        CartLine(
            cart=cart,
            variant_id=line.variant_id,
            quantity=line.quantity,
            product_name=line.product_name,
            variant_name=line.variant_name,
            sku=line.sku,
        )
        for cart in carts
        for line in model_lines  # in the model's order: line ids keep it
    )
    copies = Checkout.objects.bulk_create(
        Checkout(
            cart=cart,
            email=model.email,
            shipping_address=model.shipping_address,
            billing_address=model.billing_address,
            shipping_method_id=model.shipping_method_id,
            payment_provider=model.payment_provider,
        )
        for cart in carts
    )
    return [model.token, *(checkout.token for checkout in copies)]


def checkouts_load(tokens: list[str]) -> list[Checkout]:
    by_token = Checkout.objects.select_related("cart").in_bulk(tokens, field_name="token")
    return [by_token[token] for token in tokens]


# --- running at once -------------------------------------------------------------------------


def in_threads(race: Tenant, *, prepare, work, threads: int = THREADS, observe=None) -> list:
    """Each thread prepares (prepare(thread=n) -> its inputs), waits for the others at a
    barrier, then runs work(thread=n, prepared=...); their answers, all of them. `observe`
    (a callable) runs in the test's thread meanwhile, on a connection of its own."""
    barrier = threading.Barrier(threads, timeout=60)

    def run(*, thread: int) -> list:
        with tenant_context(race):
            prepared = prepare(thread=thread)
            barrier.wait()
            return work(thread=thread, prepared=prepared)

    outcomes = [concurrency.start(run, thread=n) for n in range(threads)]
    if observe is not None:
        observe(lambda: any(outcome.thread.is_alive() for outcome in outcomes))
    for outcome in outcomes:  # all of them, before judging any (the cleanup must run alone)
        outcome.join(timeout=120)
    errors = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert errors == [], errors[0]
    return [answer for outcome in outcomes for answer in outcome.value]


def complete_each(*, thread: int, prepared: list) -> list[str]:
    """Complete each prepared checkout with a key of its own: "placed" or the refusal's code.
    Any other exception (a deadlock, an integrity error) fails the thread, and the test."""
    answers = []
    for checkout in prepared:
        try:
            done = checkout_services.checkout_complete(
                checkout=checkout,
                idempotency_key=f"key-{checkout.token}",
                currency=connection.tenant.currency,
            )
            answers.append("placed" if done.created else "replayed")
        except ApplicationError as error:
            answers.append(error.code)
    return answers


def stock_watch(race: Tenant, variant_id: int) -> tuple[list[int], Callable]:
    """(lowest units free seen, observer): polls the variant's stock row on a plain autocommit
    connection while the threads run."""
    lowest: list[int] = []

    def observe(running: Callable[[], bool]) -> None:
        with concurrency.raw_connection() as watcher:
            watcher.autocommit = True
            query = (
                f'SELECT min(on_hand), min(on_hand - reserved) FROM "{race.schema_name}".'
                "inventory_stockitem WHERE variant_id = %s"
            )
            while running():
                on_hand, free = watcher.execute(query, [variant_id]).fetchone()
                lowest.append(min(on_hand, free))

    return lowest, observe


# --- the tests -------------------------------------------------------------------------------


def _oversell_state(*, variant_id: int) -> dict:
    return {
        "stock": list(
            StockItem.objects.filter(variant_id=variant_id).values_list("on_hand", "reserved")
        ),
        "orders": Order.objects.filter(lines__variant_id=variant_id).distinct().count(),
        "units_sold": sum(
            OrderLine.objects.filter(variant_id=variant_id).values_list("quantity", flat=True)
        ),
        "ledger": stock_reads.ledger_check(variant_ids=[variant_id]),
    }


def test_200_checkouts_for_10_units_place_exactly_10_orders(race, db):
    # given: 10 units of one variant; 200 shoppers with a checkout for one unit each
    hot = committed(race, _variants_make, stock={"HOT-1": 10})["HOT-1"]
    method_id = committed(race, _method_id)
    tokens = committed(race, checkouts_make, lines=[(hot, 1)], count=200, method_id=method_id)
    shares: list[list[str]] = [[] for _ in range(THREADS)]
    for token, share in zip(tokens, cycle(shares)):
        share.append(token)

    def prepare(*, thread: int) -> list:
        return checkouts_load(shares[thread])

    lowest, observe = stock_watch(race, hot)
    # when: all complete at once
    answers = in_threads(race, prepare=prepare, work=complete_each, observe=observe)
    # then: exactly 10 orders; every other shopper a clean "sold out"
    counted = Counter(answers)
    assert counted["placed"] == 10, counted
    assert sum(counted[code] for code in SOLD_OUT) == 190, counted
    assert set(counted) <= {"placed", *SOLD_OUT}
    state = committed(race, _oversell_state, variant_id=hot)
    assert state == {"stock": [(10, 10)], "orders": 10, "units_sold": 10, "ledger": []}
    assert lowest, "the observer saw the stock row"
    assert min(lowest) >= 0


def test_the_same_checkout_completed_5_times_at_once_places_one_order(race, db):
    # given: one checkout, and 5 requests carrying the same Idempotency-Key
    item = committed(race, _variants_make, stock={"ONCE-1": 5})["ONCE-1"]
    method_id = committed(race, _method_id)
    token = committed(race, lambda: checkout_prepare([(item, 1)], method_id=method_id).token)

    def prepare(*, thread: int) -> APIClient:
        client = APIClient(HTTP_HOST=race.primary_host)
        client.get("/api/v1/payment-methods/")  # connected and routed before the start line
        return client

    def work(*, thread: int, prepared: APIClient) -> list:
        response = prepared.post(
            f"/api/v1/checkouts/{token}/complete/",
            {},
            format="json",
            HTTP_IDEMPOTENCY_KEY="one-key",
        )
        return [(response.status_code, response.json().get("order", {}).get("number"))]

    # when
    answers = in_threads(race, prepare=prepare, work=work, threads=5)
    # then: one 201, four 200 replays, all the same order
    assert sorted(status for status, _ in answers) == [200, 200, 200, 200, 201], answers
    assert len({number for _, number in answers}) == 1
    state = committed(race, _oversell_state, variant_id=item)
    assert state == {"stock": [(5, 1)], "orders": 1, "units_sold": 1, "ledger": []}


def test_multi_line_carts_in_opposite_orders_never_deadlock(race, db):
    # given: two variants every cart holds, half the carts listing them the other way round
    ids = committed(race, _variants_make, stock={"PAIR-A": 1000, "PAIR-B": 1000})
    a, b = ids["PAIR-A"], ids["PAIR-B"]
    method_id = committed(race, _method_id)
    per_thread = 3
    count = THREADS // 2 * per_thread
    a_first = committed(
        race, checkouts_make, lines=[(a, 2), (b, 1)], count=count, method_id=method_id
    )
    b_first = committed(
        race, checkouts_make, lines=[(b, 1), (a, 2)], count=count, method_id=method_id
    )

    def prepare(*, thread: int) -> list:
        tokens = a_first if thread % 2 else b_first
        n = thread // 2
        return checkouts_load(tokens[n * per_thread : (n + 1) * per_thread])

    # when
    answers = in_threads(race, prepare=prepare, work=complete_each)
    # then: every order placed (a deadlock would have failed a thread)
    assert Counter(answers) == {"placed": THREADS * per_thread}
    for variant_id, each in ((a, 2), (b, 1)):
        state = committed(race, _oversell_state, variant_id=variant_id)
        reserved = THREADS * per_thread * each
        assert state == {
            "stock": [(1000, reserved)],
            "orders": THREADS * per_thread,
            "units_sold": reserved,
            "ledger": [],
        }
