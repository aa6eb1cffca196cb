"""Reads of carts: finding a shopper's cart, and `cart_view`, the cart priced on the server.

cart_view prices the cart every time from what is true now: the variants' current prices, the
running promotions and the applied voucher (apps.discounts.pricing, whose docstring says how
they combine), and the inventory's availability. Nothing priced is ever read from the cart.

Its queries do not grow with the number of lines (pinned in tests/cart/test_queries.py):
  1. the lines with their variant, product, category, option values and first image (JSON);
  2. the variants' availability (apps.inventory.selectors.availability);
  3. the running promotions with their scopes;
  4. the applied voucher with its scope and this shopper's uses (only when a code is applied).
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject

from apps.cart.models import Cart, CartLine
from apps.catalog.models import Product, ProductImage, Variant
from apps.catalog.storefront import image_url
from apps.core.exceptions import ApplicationError
from apps.discounts import selectors as discount_reads
from apps.discounts.errors import DiscountErrorCode
from apps.discounts.pricing import (
    AppliedDiscount,
    DiscountResult,
    PricedLine,
    discounts_calculate,
)
from apps.discounts.services import voucher_refusal
from apps.inventory.selectors import Availability, availability

ZERO = Decimal(0)

# Line states, worst first; a shopper can check out only when every line is OK or BACKORDER.
UNAVAILABLE = "unavailable"  # the variant was deleted, or its product is not published
OUT_OF_STOCK = "out_of_stock"
INSUFFICIENT = "insufficient"  # fewer units available than the line's quantity
BACKORDER = "backorder"  # some units are not in stock yet; the variant allows backorders
OK = "ok"


def store_currency() -> str:
    return getattr(connection.tenant, "currency", "") or "USD"


def cart_find(*, token: str, customer: Any = None) -> Cart | None:
    """The open cart with this token. A customer's cart is found only by that customer: a
    token alone never opens someone's account cart."""
    if not token or len(token) > 64:
        return None
    cart = Cart.objects.filter(token=token, closed_at__isnull=True).first()
    if cart is None:
        return None
    if cart.customer_id is not None and getattr(customer, "pk", None) != cart.customer_id:
        return None
    return cart


def cart_of_customer(*, customer: Any) -> Cart | None:
    """The customer's open cart, if they have one."""
    return Cart.objects.filter(customer_id=customer.pk, closed_at__isnull=True).first()


@dataclass(frozen=True)
class CartLineView:
    id: int
    variant_id: int | None
    product_id: int | None
    product_name: str
    product_slug: str
    variant_name: str
    sku: str
    options: list[dict[str, str]]  # [{"name": "Size", "value": "M"}, ...]
    image_url: str
    image_alt: str
    quantity: int
    unit_price: Decimal | None  # None: the variant is gone
    compare_at_price: Decimal | None  # shown struck through when above the price
    subtotal: Decimal  # unit price x quantity (0 for a line that cannot be bought)
    discount: Decimal
    promotion_name: str
    total: Decimal  # subtotal - discount
    status: str  # OK, BACKORDER, INSUFFICIENT, OUT_OF_STOCK, UNAVAILABLE
    message: str  # for people: "Only 3 left.", "Out of stock." ... ("" when OK)
    available: int | None  # units free to buy now (None: not tracked, or the variant is gone)

    @property
    def purchasable(self) -> bool:
        """Counted in the cart's totals (an INSUFFICIENT line counts, but blocks checkout)."""
        return self.status in (OK, BACKORDER, INSUFFICIENT)

    @property
    def max_quantity(self) -> int | None:
        """The most the shopper can set now (None: no limit from stock)."""
        return self.available if self.status in (INSUFFICIENT, OK) else None


@dataclass(frozen=True)
class VoucherView:
    code: str
    kind: str
    amount: Decimal  # what the voucher takes off (0 for free shipping)
    free_shipping: bool
    id: int


@dataclass(frozen=True)
class VoucherProblem:
    code: str  # apps.discounts.errors codes, e.g. "voucher_expired"
    message: str


@dataclass(frozen=True)
class CartView:
    token: str
    currency: str
    lines: list[CartLineView]
    subtotal: Decimal  # the purchasable lines before discounts
    discount_total: Decimal
    total: Decimal  # subtotal - discount_total (shipping and tax come at checkout)
    item_count: int  # units in the cart, every line counted
    voucher_code: str  # as applied to the cart ("" for none)
    voucher: VoucherView | None  # the voucher as it applies now
    voucher_problem: VoucherProblem | None  # why the applied code gives nothing now
    applied: tuple[AppliedDiscount, ...]  # promotions and voucher with their amounts
    free_shipping: bool
    discounts: DiscountResult = field(repr=False)
    email: str = ""
    customer_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def problems(self) -> list[str]:
        """What stops a checkout, for people (one per line that needs attention)."""
        return [
            f"{line.product_name}: {line.message}"
            for line in self.lines
            if line.message and line.status != BACKORDER
        ]

    @property
    def can_checkout(self) -> bool:
        return bool(self.lines) and all(line.status in (OK, BACKORDER) for line in self.lines)


def _lines_query(cart: Cart):
    through = Variant.option_values.through
    options = (
        through.objects.filter(variant_id=OuterRef("variant_id"))
        .order_by(
            "optionvalue__option_type__position", "optionvalue__option_type__name",
            "optionvalue__option_type_id", "optionvalue__position",
        )
        .values(json=JSONObject(name="optionvalue__option_type__name", value="optionvalue__value"))
    )  # fmt: skip
    first_image = (
        ProductImage.objects.filter(product_id=OuterRef("variant__product_id"))
        .order_by("position", "id")
        .values(json=JSONObject(image="image", alt="alt_text", thumbs="thumbnails"))[:1]
    )
    return (
        CartLine.objects.filter(cart_id=cart.pk)
        .select_related("variant__product__category")
        .annotate(
            options_json=ArraySubquery(options),
            image_json=Subquery(first_image, output_field=JSONField()),
        )
        .order_by("created", "id")
    )


def _state(line: CartLine, stock: Availability | None) -> tuple[str, str, int | None]:
    """(status, message, available units) of a line now."""
    variant = line.variant
    if variant is None or variant.product.status != Product.Status.PUBLISHED or stock is None:
        return UNAVAILABLE, "This item is no longer available. Please remove it.", None
    if not stock.in_stock:
        return OUT_OF_STOCK, "Out of stock. Please remove it.", stock.available
    available = stock.available
    if available is not None and line.quantity > available:
        if stock.backorderable:
            waiting = line.quantity - max(available, 0)
            return BACKORDER, f"{waiting} on backorder: they ship when they arrive.", available
        return INSUFFICIENT, f"Only {available} left. Please lower the quantity.", available
    return OK, "", available


@dataclass(frozen=True)
class _Row:
    line: CartLine
    status: str
    message: str
    available: int | None
    priced: PricedLine | None


def _rows(cart: Cart) -> list[_Row]:
    lines = list(_lines_query(cart))
    stock = availability(variant_ids=[line.variant_id for line in lines if line.variant_id])
    rows = []
    for line in lines:
        status, message, available = _state(line, stock.get(line.variant_id))
        priced = None
        if status in (OK, BACKORDER, INSUFFICIENT):
            product = line.variant.product
            priced = PricedLine(
                key=str(line.pk),
                variant_id=line.variant_id,
                product_id=product.pk,
                category_path=product.category.path if product.category else "",
                unit_price=line.variant.price,
                quantity=line.quantity,
            )
        rows.append(_Row(line, status, message, available, priced))
    return rows


def cart_priced_lines(cart: Cart) -> list[PricedLine]:
    """The cart's lines that can be bought, as apps.discounts.pricing takes them."""
    return [row.priced for row in _rows(cart) if row.priced is not None]


def _line_view(row: _Row, discounts: DiscountResult) -> CartLineView:
    line, variant = row.line, row.line.variant
    product = variant.product if variant else None
    image = line.image_json if variant else None
    subtotal = row.priced.subtotal if row.priced else ZERO
    discount = discounts.line(str(line.pk)) if row.priced else None
    amount = discount.amount if discount else ZERO
    compare_at = variant.compare_at_price if variant else None
    return CartLineView(
        id=line.pk,
        variant_id=line.variant_id,
        product_id=product.pk if product else None,
        product_name=product.name if product else line.product_name,
        product_slug=product.slug if product else "",
        variant_name=variant.name if variant else line.variant_name,
        sku=variant.sku if variant else line.sku,
        options=[{"name": o["name"], "value": o["value"]} for o in (line.options_json or [])]
        if variant
        else [],
        image_url=image_url(image, "thumb"),
        image_alt=(image or {}).get("alt") or "",
        quantity=line.quantity,
        unit_price=variant.price if variant else None,
        compare_at_price=compare_at if compare_at and compare_at > variant.price else None,
        subtotal=subtotal,
        discount=amount,
        promotion_name=discount.promotion_name if discount else "",
        total=subtotal - amount,
        status=row.status,
        message=row.message,
        available=row.available,
    )


def cart_view(cart: Cart, *, now: datetime | None = None) -> CartView:
    """The cart priced now (see the module docstring for what and how many queries)."""
    currency = store_currency()
    rows = _rows(cart)
    priced = [row.priced for row in rows if row.priced is not None]
    promotions = discount_reads.promotion_rules_running(now=now)
    without_voucher = discounts_calculate(
        lines=priced, voucher=None, currency=currency, promotions=promotions
    )
    subtotal = sum((line.subtotal for line in priced), ZERO)
    voucher = None
    problem = None
    if cart.voucher_code:
        voucher = discount_reads.voucher_get_by_code(
            code=cart.voucher_code,
            customer=cart.customer_id,
            email=cart.email,
        )
        refusal: ApplicationError | None
        if voucher is None:
            refusal = ApplicationError(
                "This voucher no longer exists.",
                code=DiscountErrorCode.VOUCHER_NOT_FOUND,
                field="code",
            )
        else:
            refusal = voucher_refusal(
                voucher, subtotal=subtotal - without_voucher.total, now=now, lines=priced
            )
        if refusal is not None:
            problem = VoucherProblem(code=refusal.code, message=refusal.message)
            voucher = None
    discounts = without_voucher
    if voucher is not None:
        discounts = discounts_calculate(
            lines=priced,
            voucher=discount_reads.voucher_rule(voucher),
            currency=currency,
            promotions=promotions,
        )
    voucher_view = None
    if voucher is not None:
        voucher_view = VoucherView(
            code=voucher.code,
            kind=voucher.kind,
            amount=discounts.voucher_total,
            free_shipping=discounts.free_shipping,
            id=voucher.pk,
        )
    lines = [_line_view(row, discounts) for row in rows]
    discount_total = discounts.total
    return CartView(
        token=cart.token,
        currency=currency,
        lines=lines,
        subtotal=subtotal,
        discount_total=discount_total,
        total=subtotal - discount_total,
        item_count=sum(line.quantity for line in lines),
        voucher_code=cart.voucher_code,
        voucher=voucher_view,
        voucher_problem=problem,
        applied=discounts.applied,
        free_shipping=discounts.free_shipping,
        discounts=discounts,
        email=cart.email,
        customer_id=cart.customer_id,
    )


def cart_item_count(cart: Cart | None) -> int:
    """Units in the cart (one query), for the header's mini-cart cookie."""
    if cart is None:
        return 0
    return sum(CartLine.objects.filter(cart_id=cart.pk).values_list("quantity", flat=True))
