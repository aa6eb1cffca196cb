"""How discounts are priced: one pure function, `discounts_calculate`, no database, no clock.

The cart (apps.cart.selectors.cart_view) and the checkout call it with the lines as they are
priced now, the running promotions and the applied voucher (as plain rules: the selectors in
apps.discounts.selectors load them), and present or freeze what it returns.

The rule, in order (the same for the storefront, the API and the order):

1. Automatic promotions first, at most ONE per line. Of the running promotions that cover a
   line (scope "all", the line's product, or the line's category or one of its ancestors), the
   one with the highest `priority` wins; between equal priorities the one that takes the most
   off the line; then the oldest (lowest id). Promotions never stack on one line.
   - percentage: `unit price x quantity x value / 100`, rounded once for the line;
   - fixed: `value` off each unit, never more than the unit price: `min(value, unit price) x
     quantity`.
2. Then the voucher, on what is left of each line after its promotion ("amounts left"):
   - the voucher's minimum subtotal is compared with the subtotal after promotions (the sum of
     the amounts left over every line, covered or not); below it the voucher gives nothing and
     the result says why (`voucher_problem = "voucher_min_subtotal"`);
   - only the lines the voucher covers take part (`voucher_problem = "voucher_not_applicable"`
     when it covers none);
   - percentage: `amount left x value / 100` per covered line, rounded once for the line;
   - fixed: `min(value, sum of the covered amounts left)`, spread over the covered lines pro
     rata to their amounts left; each share rounded, the rounding remainder on the last covered
     line (moved back to earlier lines only if the last line has no room for it);
   - free shipping: no line amounts; `free_shipping` is true when it covers at least one line.
3. Rounding: every amount is rounded once, per line and per discount (promotion, voucher), to
   the currency's minor unit, half up (apps.core.money.quantize). A line's discount is the sum
   of those two rounded amounts, and each `applied` entry is the sum of its rounded line
   amounts, so the order's totals always add up to the cent.
4. No line's discount ever exceeds the line's subtotal: a line is never negative.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from apps.core.money import quantize

PERCENTAGE = "percentage"
FIXED = "fixed"
FREE_SHIPPING = "free_shipping"
KIND_PROMOTION = "promotion"
KIND_VOUCHER = "voucher"
ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PricedLine:
    """A line as priced now. `key` is the caller's name for it (a cart line's id, as text);
    `category_path` is the product's category's materialised path ("" without a category)."""

    key: str
    variant_id: int | None
    product_id: int | None
    category_path: str
    unit_price: Decimal
    quantity: int

    @property
    def subtotal(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class DiscountScope:
    """What a promotion or a voucher covers: everything, or chosen products and categories (a
    category covers its descendants: their paths start with its path and a slash)."""

    everything: bool = True
    product_ids: frozenset[int] = frozenset()
    category_paths: tuple[str, ...] = ()

    def covers(self, line: PricedLine) -> bool:
        if self.everything:
            return True
        if line.product_id is not None and line.product_id in self.product_ids:
            return True
        path = line.category_path
        return bool(path) and any(
            path == chosen or path.startswith(f"{chosen}/") for chosen in self.category_paths
        )


@dataclass(frozen=True)
class PromotionRule:
    id: int
    name: str
    kind: str  # PERCENTAGE | FIXED
    value: Decimal
    priority: int = 0
    scope: DiscountScope = field(default_factory=DiscountScope)


@dataclass(frozen=True)
class VoucherRule:
    id: int
    code: str
    kind: str  # PERCENTAGE | FIXED | FREE_SHIPPING
    value: Decimal
    name: str = ""
    minimum_subtotal: Decimal | None = None
    scope: DiscountScope = field(default_factory=DiscountScope)


@dataclass(frozen=True)
class LineDiscount:
    key: str
    promotion: Decimal = ZERO
    promotion_id: int | None = None
    promotion_name: str = ""
    voucher: Decimal = ZERO

    @property
    def amount(self) -> Decimal:
        return self.promotion + self.voucher


@dataclass(frozen=True)
class AppliedDiscount:
    kind: str  # KIND_PROMOTION | KIND_VOUCHER
    name: str
    code: str
    amount: Decimal

    def as_dict(self) -> dict[str, str]:
        """The shape the order stores (Order.discounts): amounts as text, exact."""
        return {"kind": self.kind, "name": self.name, "code": self.code, "amount": str(self.amount)}


@dataclass(frozen=True)
class DiscountResult:
    currency: str
    lines: dict[str, LineDiscount]
    applied: tuple[AppliedDiscount, ...] = ()
    free_shipping: bool = False
    # Why the given voucher gave nothing: "voucher_min_subtotal" or "voucher_not_applicable".
    voucher_problem: str | None = None

    def line(self, key: str) -> LineDiscount:
        return self.lines.get(key) or LineDiscount(key=key)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines.values()), ZERO)

    @property
    def voucher_total(self) -> Decimal:
        return sum((line.voucher for line in self.lines.values()), ZERO)


def _promotion_amount(rule: PromotionRule, line: PricedLine, currency: str) -> Decimal:
    if rule.kind == PERCENTAGE:
        return quantize(line.subtotal * rule.value / HUNDRED, currency)
    return quantize(min(rule.value, line.unit_price) * line.quantity, currency)


def _best_promotion(
    rules: Iterable[PromotionRule], line: PricedLine, currency: str
) -> tuple[PromotionRule, Decimal] | None:
    best: tuple[tuple, PromotionRule, Decimal] | None = None
    for rule in rules:
        if not rule.scope.covers(line):
            continue
        amount = _promotion_amount(rule, line, currency)
        rank = (rule.priority, amount, -rule.id)
        if best is None or rank > best[0]:
            best = (rank, rule, amount)
    if best is None or best[2] <= 0:
        return None
    return best[1], best[2]


def spread(amount: Decimal, weights: Sequence[Decimal], currency: str) -> list[Decimal]:
    """`amount` (at most sum(weights)) split pro rata to `weights`, each share rounded to the
    currency, the rounding remainder on the last share; no share above its weight or below 0.

    Rounding can push the last share past its weight (or below zero) by a few minor units;
    that difference moves to earlier shares with room, from the last backwards.
    """
    count = len(weights)
    total = sum(weights, ZERO)
    zero = quantize(ZERO, currency)
    if count == 0 or amount <= 0 or total <= 0:
        return [zero] * count
    amount = min(amount, total)
    shares = [quantize(amount * weight / total, currency) for weight in weights[:-1]]
    shares.append(amount - sum(shares, ZERO))
    overflow = shares[-1] - weights[-1]
    if overflow > 0:
        shares[-1] = weights[-1]
        for index in range(count - 2, -1, -1):
            room = weights[index] - shares[index]
            moved = min(room, overflow)
            shares[index] += moved
            overflow -= moved
    elif shares[-1] < 0:
        missing = -shares[-1]
        shares[-1] = zero
        for index in range(count - 2, -1, -1):
            moved = min(shares[index], missing)
            shares[index] -= moved
            missing -= moved
    return shares


def _voucher_amounts(
    voucher: VoucherRule, covered: list[PricedLine], left: dict[str, Decimal], currency: str
) -> dict[str, Decimal]:
    if voucher.kind == PERCENTAGE:
        return {
            line.key: quantize(left[line.key] * voucher.value / HUNDRED, currency)
            for line in covered
        }
    if voucher.kind == FIXED:
        weights = [left[line.key] for line in covered]
        amount = quantize(min(voucher.value, sum(weights, ZERO)), currency)
        shares = spread(amount, weights, currency)
        return {line.key: share for line, share in zip(covered, shares, strict=True)}
    return {}


def discounts_calculate(
    *,
    lines: Sequence[PricedLine],
    voucher: VoucherRule | None,
    currency: str,
    promotions: Sequence[PromotionRule] = (),
) -> DiscountResult:
    """The discount of every line and what was applied, by the rule in this module's docstring.

    `promotions` are the ones running now (the caller picks them by date: this function has no
    clock); `voucher` is one that passed voucher_check, or None.
    """
    promotion_of: dict[str, tuple[PromotionRule, Decimal]] = {}
    left: dict[str, Decimal] = {}
    for line in lines:
        best = _best_promotion(promotions, line, currency)
        if best is not None:
            promotion_of[line.key] = best
        left[line.key] = line.subtotal - (best[1] if best else ZERO)

    voucher_amounts: dict[str, Decimal] = {}
    problem = None
    free_shipping = False
    if voucher is not None:
        covered = [line for line in lines if voucher.scope.covers(line)]
        after_promotions = sum(left.values(), ZERO)
        if voucher.minimum_subtotal is not None and after_promotions < voucher.minimum_subtotal:
            problem = "voucher_min_subtotal"
        elif not covered:
            problem = "voucher_not_applicable"
        else:
            voucher_amounts = _voucher_amounts(voucher, covered, left, currency)
            free_shipping = voucher.kind == FREE_SHIPPING

    zero = quantize(ZERO, currency)
    result_lines = {}
    applied: dict[int, AppliedDiscount] = {}
    for line in lines:
        promotion = promotion_of.get(line.key)
        result_lines[line.key] = LineDiscount(
            key=line.key,
            promotion=promotion[1] if promotion else zero,
            promotion_id=promotion[0].id if promotion else None,
            promotion_name=promotion[0].name if promotion else "",
            voucher=voucher_amounts.get(line.key, zero),
        )
        if promotion:
            rule, amount = promotion
            before = applied.get(rule.id)
            applied[rule.id] = AppliedDiscount(
                kind=KIND_PROMOTION,
                name=rule.name,
                code="",
                amount=(before.amount if before else zero) + amount,
            )
    entries = list(applied.values())
    if voucher is not None and problem is None:
        entries.append(
            AppliedDiscount(
                kind=KIND_VOUCHER,
                name=voucher.name or voucher.code,
                code=voucher.code,
                amount=sum(voucher_amounts.values(), zero),
            )
        )
    return DiscountResult(
        currency=currency,
        lines=result_lines,
        applied=tuple(entries),
        free_shipping=free_shipping,
        voucher_problem=problem,
    )
