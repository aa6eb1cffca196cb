"""Orders for tests, written straight through the ORM (placing orders is apps.checkout's
service; these tests are about what happens after). Call inside a store's schema.

`order_make(lines=[("TEE-1", 2, "10.00")], shipping="5.00")` gives an order awaiting payment
whose total is the lines plus shipping, numbered like the checkout numbers them (id + 1000).
With `reserve=True` each line's SKU must be a variant with stock: its units are reserved under
the order's reference, as placing the order would.
"""

import uuid
from decimal import Decimal

from django.db import connection

from apps.catalog.models import Variant
from apps.inventory import services as inventory
from apps.orders.models import ORDER_NUMBER_OFFSET, Order, OrderLine
from apps.orders.services import order_event_add, stock_reference

ADDRESS = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "company": "",
    "street_address_1": "12 Analytical Row",
    "street_address_2": "",
    "city": "London",
    "city_area": "",
    "postal_code": "N1 9GU",
    "country_code": "GB",
    "country_area": "",
    "phone": "",
}


def _next_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('orders_order', 'id'))")
        return cursor.fetchone()[0]


def order_make(
    *,
    lines: list[tuple[str, int, str]] | None = None,
    shipping: str = "0.00",
    tax: str = "0.00",
    currency: str | None = None,
    email: str = "shopper@example.com",
    provider: str = "",
    reserve: bool = False,
    customer=None,
) -> Order:
    lines = lines if lines is not None else [("TEE-1", 2, "10.00")]
    subtotal = sum((Decimal(price) * qty for _, qty, price in lines), Decimal(0))
    currency = currency or getattr(connection.tenant, "currency", "USD")
    order_id = _next_id()
    order = Order.objects.create(
        id=order_id,
        number=order_id + ORDER_NUMBER_OFFSET,
        idempotency_key=f"test-{uuid.uuid4()}",
        email=email,
        customer=customer,
        currency=currency,
        shipping_address=ADDRESS,
        billing_address=ADDRESS,
        shipping_method_name="Standard" if Decimal(shipping) else "",
        payment_provider=provider,
        subtotal=subtotal,
        shipping_total=Decimal(shipping),
        tax_total=Decimal(tax),
        total=subtotal + Decimal(shipping) + Decimal(tax),
        tax_breakdown=(
            [{"name": "VAT", "rate": "20.000", "taxable": str(subtotal), "tax": tax}]
            if Decimal(tax)
            else []
        ),
    )
    variants = {v.sku: v for v in Variant.objects.filter(sku__in=[sku for sku, _, _ in lines])}
    for position, (sku, qty, price) in enumerate(lines):
        variant = variants.get(sku)
        OrderLine.objects.create(
            order=order,
            variant=variant,
            product_name=variant.product.name if variant else f"Product {sku}",
            sku=sku,
            quantity=qty,
            unit_price=Decimal(price),
            total=Decimal(price) * qty,
            position=position,
        )
    if reserve:
        inventory.stock_reserve(
            lines=[(variants[sku].pk, qty) for sku, qty, _ in lines],
            reference=stock_reference(order),
            expires_at=None,
        )
    order_event_add(order=order, kind="placed", message="Order placed.")
    return order
