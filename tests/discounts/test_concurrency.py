"""A single-use code used by 50 checkouts at the same moment: real threads, each on its own
PostgreSQL connection, each redeeming inside its own committed transaction (as the checkout's
order transaction does). Exactly one succeeds; the other 49 are told the code is used up.

What this test commits (the voucher and its redemption) it removes again."""

import threading
from collections import Counter

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context

from apps.core.exceptions import ApplicationError
from apps.discounts import services
from apps.discounts.models import Voucher, VoucherRedemption
from tests.tenants import concurrency

CHECKOUTS = 50


def _voucher_create(*, schema: str, **fields) -> int:
    with schema_context(schema):
        return services.voucher_create(**fields).pk


def _voucher_remove(*, schema: str, voucher_id: int) -> None:
    with schema_context(schema):
        VoucherRedemption.objects.filter(voucher_id=voucher_id).delete()
        Voucher.objects.filter(pk=voucher_id).delete()


def _state(*, schema: str, voucher_id: int) -> tuple[int, list[int]]:
    with schema_context(schema):
        used = Voucher.objects.get(pk=voucher_id).used_count
        orders = list(VoucherRedemption.objects.filter(voucher_id=voucher_id).values_list(
            "order_id", flat=True
        ))  # fmt: skip
        return used, orders


@pytest.fixture
def committed_voucher(store_a):
    made: list[int] = []

    def make(**fields) -> int:
        pk = concurrency.committed(_voucher_create, schema=store_a.schema, **fields)
        made.append(pk)
        return pk

    yield make
    for pk in made:
        concurrency.committed(_voucher_remove, schema=store_a.schema, voucher_id=pk)


def _checkouts(*, schema: str, voucher_id: int, email_of) -> list[str]:
    barrier = threading.Barrier(CHECKOUTS, timeout=60)

    def checkout(*, order_id: int) -> str:
        with schema_context(schema):
            connection.ensure_connection()  # connected before the start line, not after it
            voucher = Voucher.objects.get(pk=voucher_id)
            barrier.wait()
            try:
                with transaction.atomic():
                    services.voucher_redeem(
                        voucher=voucher, order_id=order_id, email=email_of(order_id)
                    )
            except ApplicationError as error:
                return error.code
            return "redeemed"

    outcomes = [concurrency.start(checkout, order_id=n) for n in range(1, CHECKOUTS + 1)]
    for outcome in outcomes:  # every one finished before judging any
        outcome.join(timeout=120)
    errors = [outcome.error for outcome in outcomes if outcome.error is not None]
    assert errors == [], errors[0]
    return [outcome.value for outcome in outcomes]


def test_a_single_use_code_used_by_50_checkouts_at_once_succeeds_exactly_once(
    store_a, committed_voucher
):
    # given a code that can be used once
    voucher_id = committed_voucher(code="ONCE", kind="percentage", value="10", usage_limit=1)
    # when 50 checkouts redeem it at the same moment
    answers = _checkouts(
        schema=store_a.schema, voucher_id=voucher_id, email_of=lambda n: f"s{n}@example.com"
    )
    # then one order got it, 49 were told it is used up, and the books agree
    assert Counter(answers) == {"redeemed": 1, "voucher_exhausted": CHECKOUTS - 1}
    used, orders = concurrency.committed(_state, schema=store_a.schema, voucher_id=voucher_id)
    assert used == 1
    assert len(orders) == 1
    assert answers[orders[0] - 1] == "redeemed"


def test_one_customer_racing_with_a_once_per_customer_code_gets_it_once(store_a, committed_voucher):
    # given a code without an overall limit, once per customer
    voucher_id = committed_voucher(
        code="WELCOME", kind="fixed", value="5", usage_limit_per_customer=1
    )
    # when the same shopper's 50 checkouts race (some typing their address in capitals)
    answers = _checkouts(
        schema=store_a.schema,
        voucher_id=voucher_id,
        email_of=lambda n: "twin@example.com" if n % 2 else "TWIN@example.com",
    )
    # then the per-customer count, taken under the voucher's row lock, let one through
    assert Counter(answers) == {"redeemed": 1, "voucher_used_by_customer": CHECKOUTS - 1}
    used, orders = concurrency.committed(_state, schema=store_a.schema, voucher_id=voucher_id)
    assert (used, len(orders)) == (1, 1)
