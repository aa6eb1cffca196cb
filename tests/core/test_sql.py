"""apps.core.sql.rows_insert writes what bulk_create writes: same column values for every kind
of field (text, numbers, decimals, aware and naive datetimes, JSON, foreign keys, nulls,
auto_now timestamps), one statement, primary keys given back."""

import warnings
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django_tenants.utils import schema_context

from apps.core.sql import rows_insert
from apps.orders.models import Order, OrderEvent, OrderLine

WHEN = datetime(2026, 11, 25, 12, 30, 15, 123456, tzinfo=UTC)


def _order(key: str, **fields) -> Order:
    return Order(
        number=abs(hash(key)) % 10**9,
        idempotency_key=key,
        email="ada@example.com",
        currency="EUR",
        shipping_address={"city": "London", "lines": ["12 Row"], "n": 1},
        subtotal=Decimal("33.00"),
        total=Decimal("39.6"),  # fewer places than the column: stored as 39.60 either way
        tax_breakdown=[{"name": "VAT", "rate": "20.000"}],
        placed_at=WHEN,
        **fields,
    )


def _stored(model, pk) -> dict:
    row = model_to_dict(model.objects.get(pk=pk))
    for volatile in ("id", "token", "idempotency_key", "updated", "order", "number"):
        row.pop(volatile, None)
    return row


def test_rows_insert_stores_what_bulk_create_stores(store_a, django_assert_num_queries):
    with schema_context(store_a.schema):
        ours, theirs = _order("ours"), _order("theirs")
        Order.objects.exists()  # the schema's search_path is set from here
        with django_assert_num_queries(1):
            rows_insert([ours])
        Order.objects.bulk_create([theirs])
        assert ours.pk
        assert not ours._state.adding
        assert _stored(Order, ours.pk) == _stored(Order, theirs.pk)
        fresh = Order.objects.get(pk=ours.pk)
        assert fresh.total == Decimal("39.60")
        assert fresh.shipping_address == {"city": "London", "lines": ["12 Row"], "n": 1}
        assert fresh.placed_at == WHEN
        assert fresh.updated is not None  # auto_now still set by pre_save

        lines = [
            OrderLine(order=ours, variant_id=None, product_name="Gone", sku="X", quantity=2,
                      unit_price=Decimal("3.5"), total=Decimal("7"), position=n)
            for n in range(3)
        ]  # fmt: skip
        rows_insert(lines)
        assert [line.pk for line in lines] == sorted(line.pk for line in lines)
        assert (
            list(ours.lines.values_list("unit_price", "total", "variant_id"))
            == [(Decimal("3.50"), Decimal("7.00"), None)] * 3
        )


def test_a_naive_datetime_is_made_aware_as_the_orm_does(store_a):
    with schema_context(store_a.schema):
        order = _order("naive")
        rows_insert([order])
        event = OrderEvent(order=order, kind="note", created=WHEN.replace(tzinfo=None))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            rows_insert([event])
        assert OrderEvent.objects.get(pk=event.pk).created == WHEN


def test_mixed_instances_are_refused(store_a):
    with schema_context(store_a.schema), pytest.raises(ValueError, match="one model"):
        rows_insert([_order("a"), OrderEvent(kind="x")])
