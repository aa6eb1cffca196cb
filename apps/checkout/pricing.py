"""A checkout's price, computed on the server from what the cart holds now.

The pipeline, always in this order (each step owns its rounding, documented where it lives):
1. lines: each cart line at its variant's current price (catalog), checked against stock
   (inventory) and publication;
2. discounts: automatic promotions, then the voucher (apps.discounts.pricing);
3. shipping: the chosen method priced again for the address and the package (goods after
   discounts, total weight); free when the voucher gives free shipping (apps.shipping);
4. tax: per line on the amount after discounts, and on shipping when the store taxes it,
   rounded once per line (apps.tax.calculation).

Amounts are Decimal in the store currency. With prices that include tax (EU style) the total
is goods after discounts plus shipping; with prices that exclude it (US style) the tax is
added on top. Nothing here writes: the order freezes a CheckoutPrice when it is placed.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F

from apps.catalog.models import Product, Variant
from apps.core.addresses import Address
from apps.discounts.pricing import (
    AppliedDiscount,
    DiscountResult,
    PricedLine,
    PromotionRule,
    VoucherRule,
    discounts_calculate,
)
from apps.inventory.selectors import Availability, availability
from apps.shipping.providers.base import Package, ShippingRate
from apps.shipping.services import shipping_rate_get
from apps.tax.calculation import TaxableLine, TaxResult, tax_calculate

ZERO = Decimal(0)


@dataclass(frozen=True)
class LineInput:
    """A cart line as the checkout reads it: which variant, how many."""

    key: str
    variant_id: int
    quantity: int


@dataclass(frozen=True)
class CheckoutLine:
    key: str
    variant_id: int
    product_id: int
    product_name: str
    variant_name: str
    sku: str
    quantity: int
    unit_price: Decimal
    weight_grams: int
    subtotal: Decimal  # unit_price x quantity
    discount: Decimal
    tax_rate: Decimal
    tax: Decimal
    total: Decimal  # what the shopper pays for the line, tax included
    # Why this line cannot be bought as it is ("" when it can).
    problem: str = ""


@dataclass(frozen=True)
class CheckoutPrice:
    currency: str
    lines: tuple[CheckoutLine, ...]
    subtotal: Decimal
    discount_total: Decimal
    shipping: ShippingRate | None
    shipping_total: Decimal
    tax_total: Decimal
    total: Decimal
    prices_include_tax: bool
    tax: TaxResult
    discounts: tuple[AppliedDiscount, ...] = ()
    free_shipping: bool = False
    voucher_problem: str | None = None
    problems: tuple[str, ...] = field(default=())

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def weight_grams(self) -> int:
        return sum(line.weight_grams * line.quantity for line in self.lines)


@dataclass(frozen=True)
class CatalogRow:
    """A variant's catalog data as pricing reads it."""

    variant_id: int
    product_id: int
    product_name: str
    product_status: str
    variant_name: str
    sku: str
    price: Decimal
    weight_grams: int
    category_path: str


def _rows(variant_ids: list[int]) -> dict[int, CatalogRow]:
    """The variants' current catalog data: one query."""
    values = Variant.objects.filter(pk__in=variant_ids).values_list(
        "pk",
        "product_id",
        F("product__name"),
        F("product__status"),
        "name",
        "sku",
        "price",
        "weight_grams",
        F("product__category__path"),
    )
    return {
        row[0]: CatalogRow(
            variant_id=row[0],
            product_id=row[1],
            product_name=row[2],
            product_status=row[3],
            variant_name=row[4],
            sku=row[5],
            price=row[6],
            weight_grams=row[7] or 0,
            category_path=row[8] or "",
        )
        for row in values
    }


def line_problem(
    *, row: CatalogRow | None, quantity: int, available: int | None, backorderable: bool
):
    """Why a line cannot be bought now, in the shopper's words ("" when it can)."""
    if row is None:
        return "This item is no longer sold."
    if row.product_status != Product.Status.PUBLISHED:
        return "This item is no longer available."
    if available is None or backorderable:
        return ""
    if available <= 0:
        return "Sold out."
    if quantity > available:
        return f"Only {available} left."
    return ""


def checkout_price(
    *,
    lines: list[LineInput],
    currency: str,
    voucher: VoucherRule | None = None,
    promotions: list[PromotionRule] | tuple = (),
    address: Address | None = None,
    shipping_method_id: str = "",
    catalog: dict[int, CatalogRow] | None = None,
    stock: dict[int, Availability] | None = None,
) -> CheckoutPrice:
    """Price these lines for this address and shipping method, now. Lines that cannot be
    bought are kept with their `problem` (and priced, so the shopper sees them) and named in
    `problems`; a shipping method that does not apply raises shipping_method_unavailable.
    `catalog` and `stock`: the lines' variants as the caller just read them (placing an order
    reads them with the cart: apps.checkout.selectors); otherwise they are read here."""
    rows = _rows([line.variant_id for line in lines]) if catalog is None else catalog
    if stock is None:
        stock = availability(variant_ids=list(rows))
    priced: list[tuple[LineInput, CatalogRow | None, str]] = []
    for line in lines:
        row = rows.get(line.variant_id)
        state = stock.get(line.variant_id)
        problem = line_problem(
            row=row,
            quantity=line.quantity,
            available=state.available if state else 0,
            backorderable=bool(state and state.backorderable),
        )
        priced.append((line, row, problem))
    sellable = [(line, row) for line, row, _ in priced if row is not None]
    result: DiscountResult = discounts_calculate(
        lines=[
            PricedLine(
                key=line.key,
                variant_id=row.variant_id,
                product_id=row.product_id,
                category_path=row.category_path,
                unit_price=row.price,
                quantity=line.quantity,
            )
            for line, row in sellable
        ],
        voucher=voucher,
        currency=currency,
        promotions=list(promotions),
    )
    subtotal = sum((row.price * line.quantity for line, row in sellable), ZERO)
    after_discounts = {
        line.key: row.price * line.quantity - result.line(line.key).amount for line, row in sellable
    }
    goods = sum(after_discounts.values(), ZERO)
    weight = sum((row.weight_grams * line.quantity for line, row in sellable), 0)
    rate = None
    shipping_amount = ZERO
    if shipping_method_id and address is not None and sellable:
        package = Package(
            subtotal=goods,
            weight_grams=weight,
            currency=currency,
            item_count=sum(line.quantity for line, _ in sellable),
        )
        rate = shipping_rate_get(method_id=shipping_method_id, address=address, package=package)
        shipping_amount = ZERO if result.free_shipping else rate.amount
    tax = tax_calculate(
        lines=[
            TaxableLine(
                key=line.key,
                unit_price=row.price,
                quantity=line.quantity,
                amount_after_discount=after_discounts[line.key],
            )
            for line, row in sellable
        ],
        shipping=shipping_amount,
        address=address,
        currency=currency,
    )
    out_lines = []
    for line, row, problem in priced:
        if row is None:
            continue
        taxed = tax.line(line.key)
        out_lines.append(
            CheckoutLine(
                key=line.key,
                variant_id=row.variant_id,
                product_id=row.product_id,
                product_name=row.product_name,
                variant_name=row.variant_name,
                sku=row.sku,
                quantity=line.quantity,
                unit_price=row.price,
                weight_grams=row.weight_grams,
                subtotal=row.price * line.quantity,
                discount=result.line(line.key).amount,
                tax_rate=taxed.rate,
                tax=taxed.tax,
                total=taxed.gross,
                problem=problem,
            )
        )
    problems = tuple(
        f"{row.product_name if row else 'An item'}: {problem}"
        for _, row, problem in priced
        if problem
    )
    return CheckoutPrice(
        currency=currency,
        lines=tuple(out_lines),
        subtotal=subtotal,
        discount_total=result.total,
        shipping=rate,
        shipping_total=shipping_amount,
        tax_total=tax.total_tax,
        total=tax.total_gross,
        prices_include_tax=tax.prices_include_tax,
        tax=tax,
        discounts=result.applied,
        free_shipping=result.free_shipping,
        voucher_problem=result.voucher_problem,
        problems=problems,
    )
