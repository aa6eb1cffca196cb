"""Reads for the checkout's hot path, each one query written out (the ORM spends ~1 ms of Python
building each statement, and every checkout request starts with these).

`checkout_find`: a checkout by its token, with its cart.

`cart_for_order`: the cart as the order will be made of it. Completing a checkout needs the
cart's lines, each variant's catalog data (price, names, SKU, weight, publication, category),
its stock policy and its stock rows at active locations: six ORM queries, or this one
statement, which also takes the cart's row lock (so two completions of one checkout take
turns, and the second finds the cart gone). The rules stay where they live: availability is
apps.inventory's `Availability.of`, the stock rows are apps.inventory's `StockRow` in its
serving order (default location first, then by position), and pricing
(apps.checkout.pricing) takes the catalog rows as they are.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection

from apps.cart.models import Cart, CartLine
from apps.catalog.models import Category, Product, Variant
from apps.checkout.models import Checkout
from apps.checkout.pricing import CatalogRow, LineInput
from apps.inventory.models import StockItem, StockLocation, StockPolicy
from apps.inventory.selectors import Availability
from apps.inventory.services.reservations import StockRow


@dataclass(frozen=True)
class CartForOrder:
    """A cart as it is now, locked: what order placement prices and reserves."""

    voucher_code: str
    lines: list[LineInput]
    catalog: dict[int, CatalogRow]  # variant id -> its catalog data (variants that exist)
    availability: dict[int, Availability]
    stock_rows: dict[int, list[StockRow]] = field(default_factory=dict)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _loaded(model, values: list) -> object:
    """An instance of `model` from its concrete fields' column values, in field order, as the
    ORM would build it (each field's database converter applied: JSON is text on the wire)."""
    fields = model._meta.concrete_fields
    for index, model_field in enumerate(fields):
        if values[index] is not None and hasattr(model_field, "from_db_value"):
            values[index] = model_field.from_db_value(values[index], None, connection)
    return model.from_db(connection.alias, [f.attname for f in fields], values)


@lru_cache(maxsize=1)
def checkout_find_statement() -> str:
    quote = connection.ops.quote_name

    def columns(alias: str, model) -> str:
        return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)

    return (
        f"SELECT {columns('checkout', Checkout)}, {columns('cart', Cart)} "
        f"FROM {_table(Checkout)} checkout "
        f"JOIN {_table(Cart)} cart ON cart.id = checkout.cart_id WHERE checkout.token = %s"
    )


def checkout_find(*, token: str) -> Checkout | None:
    """The checkout with this token, its cart loaded with it: one query, written out because
    every checkout request starts with it (the ORM spends ~1 ms of Python building it)."""
    with connection.cursor() as cursor:
        cursor.execute(checkout_find_statement(), [token])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(Checkout._meta.concrete_fields)
    checkout = _loaded(Checkout, list(row[:split]))
    checkout.cart = _loaded(Cart, list(row[split:]))
    return checkout


@lru_cache(maxsize=1)
def cart_for_order_statement() -> str:
    table = _table

    # One row per (line, stock row at an active location); lines without stock rows (or
    # without a variant any more) come once with NULLs. The cart's row alone is locked.
    return f"""
        SELECT cart.voucher_code, line.id, line.variant_id, line.quantity,
               variant.product_id, product.name, product.status, variant.name, variant.sku,
               variant.price, variant.weight_grams, category.path,
               policy.track_inventory, policy.allow_backorders, policy.low_stock_threshold,
               item.id, item.location_id, item.on_hand, item.reserved,
               item.track_inventory, item.allow_backorders
        FROM {table(Cart)} cart
        LEFT JOIN {table(CartLine)} line ON line.cart_id = cart.id
        LEFT JOIN {table(Variant)} variant ON variant.id = line.variant_id
        LEFT JOIN {table(Product)} product ON product.id = variant.product_id
        LEFT JOIN {table(Category)} category ON category.id = product.category_id
        LEFT JOIN {table(StockPolicy)} policy ON policy.variant_id = variant.id
        LEFT JOIN ({table(StockItem)} item
                   JOIN {table(StockLocation)} location
                   ON location.id = item.location_id AND location.is_active)
               ON item.variant_id = variant.id
        WHERE cart.id = %s
        ORDER BY line.id, location.is_default DESC, location.position, item.location_id
        FOR UPDATE OF cart
    """


def cart_for_order(*, cart_id: int) -> CartForOrder | None:
    """The cart, its row locked until the end of the transaction, with what pricing and the
    stock reservation need; None when the cart is gone (its order was placed). One query."""
    with connection.cursor() as cursor:
        cursor.execute(cart_for_order_statement(), [cart_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    lines: dict[int, LineInput] = {}
    catalog: dict[int, CatalogRow] = {}
    policies: dict[int, tuple] = {}
    stock_rows: dict[int, list[StockRow]] = defaultdict(list)
    for (
        _voucher,
        line_id,
        variant_id,
        quantity,
        product_id,
        product_name,
        product_status,
        variant_name,
        sku,
        price,
        weight_grams,
        category_path,
        track,
        backorders,
        threshold,
        item_id,
        location_id,
        on_hand,
        reserved,
        item_track,
        item_backorders,
    ) in rows:
        if line_id is None:
            continue  # an empty cart
        lines.setdefault(
            line_id, LineInput(key=str(line_id), variant_id=variant_id, quantity=quantity)
        )
        if product_id is None:
            continue  # the variant was deleted: pricing names the line as no longer sold
        if variant_id not in catalog:
            catalog[variant_id] = CatalogRow(
                variant_id=variant_id,
                product_id=product_id,
                product_name=product_name,
                product_status=product_status,
                variant_name=variant_name,
                sku=sku,
                price=price,
                weight_grams=weight_grams or 0,
                category_path=category_path or "",
            )
            policies[variant_id] = (track, backorders, threshold)
        if item_id is not None:
            stock_rows[variant_id].append(
                StockRow(
                    id=item_id,
                    variant_id=variant_id,
                    location_id=location_id,
                    sku=sku,
                    on_hand=on_hand,
                    reserved=reserved,
                    track_inventory=item_track,
                    allow_backorders=item_backorders,
                )
            )
    availability = {
        variant_id: Availability.of(
            track=track,
            backorders=backorders,
            threshold=threshold,
            free=sum(row.free for row in stock_rows.get(variant_id, ())),
        )
        for variant_id, (track, backorders, threshold) in policies.items()
    }
    return CartForOrder(
        voucher_code=rows[0][0],
        lines=list(lines.values()),
        catalog=catalog,
        availability=availability,
        stock_rows=dict(stock_rows),
    )
