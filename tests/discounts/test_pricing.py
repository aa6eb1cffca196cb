"""apps.discounts.pricing.discounts_calculate: the documented rule, with no database.

Given lines and rules, then exact per-line amounts, what was applied and why a voucher gave
nothing."""

import random
from decimal import Decimal

from apps.discounts.pricing import (
    DiscountScope,
    PricedLine,
    PromotionRule,
    VoucherRule,
    discounts_calculate,
    spread,
)

D = Decimal


def line(key: str, price: str, quantity: int = 1, *, product: int = 0, path: str = ""):
    return PricedLine(
        key=key,
        variant_id=int(key) if key.isdigit() else None,
        product_id=product or None,
        category_path=path,
        unit_price=D(price),
        quantity=quantity,
    )


def scope(*, products=(), paths=()) -> DiscountScope:
    return DiscountScope(everything=False, product_ids=frozenset(products), category_paths=paths)


def promo(pk: int, kind: str, value: str, *, priority: int = 0, covers=None) -> PromotionRule:
    return PromotionRule(
        id=pk,
        name=f"Promo {pk}",
        kind=kind,
        value=D(value),
        priority=priority,
        scope=covers or DiscountScope(),
    )


def voucher(kind: str, value: str, *, minimum: str | None = None, covers=None) -> VoucherRule:
    return VoucherRule(
        id=1,
        code="SAVE",
        name="",
        kind=kind,
        value=D(value),
        minimum_subtotal=D(minimum) if minimum else None,
        scope=covers or DiscountScope(),
    )


def amounts(result) -> dict[str, tuple[Decimal, Decimal]]:
    return {key: (d.promotion, d.voucher) for key, d in result.lines.items()}


def test_a_category_promotion_covers_its_descendants_and_nothing_else():
    # given 10% off "men": a line in men/shirts, one in "menswear" (same prefix, other
    # category) and one without a category
    lines = [
        line("1", "20.00", path="men/shirts"),
        line("2", "20.00", path="menswear"),
        line("3", "20.00"),
    ]
    rules = [promo(1, "percentage", "10", covers=scope(paths=("men",)))]
    # when
    result = discounts_calculate(lines=lines, voucher=None, currency="USD", promotions=rules)
    # then
    assert amounts(result) == {
        "1": (D("2.00"), D(0)),
        "2": (D(0), D(0)),
        "3": (D(0), D(0)),
    }
    assert [(a.kind, a.name, a.code, a.amount) for a in result.applied] == [
        ("promotion", "Promo 1", "", D("2.00"))
    ]


def test_a_fixed_promotion_is_per_unit_and_never_more_than_the_unit_price():
    lines = [line("1", "8.00", 3, product=7), line("2", "3.00", 2, product=8)]
    rules = [promo(1, "fixed", "5.00")]
    result = discounts_calculate(lines=lines, voucher=None, currency="USD", promotions=rules)
    # 5.00 off each of 3 units; 3.00 (the whole price) off each of 2 units
    assert amounts(result) == {"1": (D("15.00"), D(0)), "2": (D("6.00"), D(0))}
    assert result.total == D("21.00")


def test_one_promotion_per_line_highest_priority_then_biggest_saving():
    lines = [line("1", "100.00", product=1), line("2", "100.00", product=2)]
    rules = [
        promo(1, "percentage", "30"),  # everything, priority 0
        promo(2, "percentage", "10", priority=5, covers=scope(products=(1,))),
        promo(3, "fixed", "40.00"),  # everything, priority 0, bigger than promo 1
    ]
    result = discounts_calculate(lines=lines, voucher=None, currency="USD", promotions=rules)
    # line 1: priority 5 wins although it saves less; line 2: 40.00 beats 30% (no stacking)
    assert amounts(result) == {"1": (D("10.00"), D(0)), "2": (D("40.00"), D(0))}
    assert result.lines["1"].promotion_id == 2
    assert result.lines["2"].promotion_id == 3
    assert [(a.name, a.amount) for a in result.applied] == [
        ("Promo 2", D("10.00")),
        ("Promo 3", D("40.00")),
    ]


def test_equal_priority_and_saving_the_oldest_promotion_wins():
    rules = [promo(9, "percentage", "10"), promo(4, "fixed", "1.00")]
    result = discounts_calculate(
        lines=[line("1", "10.00")], voucher=None, currency="USD", promotions=rules
    )
    assert result.lines["1"].promotion_id == 4


def test_a_percentage_voucher_applies_to_what_the_promotion_left():
    lines = [line("1", "50.00", 2, product=1), line("2", "30.00", product=2)]
    rules = [promo(1, "percentage", "20", covers=scope(products=(1,)))]
    result = discounts_calculate(
        lines=lines, voucher=voucher("percentage", "10"), currency="USD", promotions=rules
    )
    # line 1: 100.00 - 20.00 = 80.00 left, 10% of that = 8.00; line 2: 10% of 30.00
    assert amounts(result) == {"1": (D("20.00"), D("8.00")), "2": (D(0), D("3.00"))}
    assert [(a.kind, a.amount) for a in result.applied] == [
        ("promotion", D("20.00")),
        ("voucher", D("11.00")),
    ]
    assert result.total == D("31.00")
    assert result.voucher_problem is None


def test_a_fixed_voucher_is_spread_pro_rata_with_the_remainder_on_the_last_line():
    lines = [line("1", "10.00"), line("2", "10.00"), line("3", "10.00")]
    result = discounts_calculate(lines=lines, voucher=voucher("fixed", "10.00"), currency="USD")
    assert [result.lines[k].voucher for k in "123"] == [D("3.33"), D("3.33"), D("3.34")]
    assert result.voucher_total == D("10.00")


def test_a_fixed_voucher_covers_only_its_products_and_never_makes_a_line_negative():
    lines = [line("1", "4.00", product=1), line("2", "6.00", product=2), line("3", "50.00")]
    rules = [promo(1, "fixed", "1.00", covers=scope(products=(1,)))]
    covered = scope(products=(1, 2))
    result = discounts_calculate(
        lines=lines, voucher=voucher("fixed", "25.00", covers=covered), currency="USD",
        promotions=rules,
    )  # fmt: skip
    # covered lines have 3.00 + 6.00 left: the voucher takes all of it and nothing more
    assert amounts(result) == {
        "1": (D("1.00"), D("3.00")),
        "2": (D(0), D("6.00")),
        "3": (D(0), D(0)),
    }
    assert result.applied[-1].amount == D("9.00")


def test_rounding_happens_once_per_line_half_up():
    # 3 x 0.33 at 50%: 0.495 for the line rounds to 0.50 (per unit it would be 3 x 0.17)
    result = discounts_calculate(
        lines=[line("1", "0.33", 3)], voucher=None, currency="USD",
        promotions=[promo(1, "percentage", "50")],
    )  # fmt: skip
    assert result.lines["1"].promotion == D("0.50")


def test_amounts_follow_the_currency_minor_unit():
    result = discounts_calculate(
        lines=[line("1", "333", 1)], voucher=voucher("percentage", "10"), currency="JPY"
    )
    assert result.lines["1"].voucher == D("33")


def test_the_minimum_subtotal_is_compared_after_promotions():
    lines = [line("1", "60.00")]
    rules = [promo(1, "percentage", "25")]  # 60.00 -> 45.00 left
    result = discounts_calculate(
        lines=lines, voucher=voucher("percentage", "10", minimum="50.00"), currency="USD",
        promotions=rules,
    )  # fmt: skip
    assert result.voucher_problem == "voucher_min_subtotal"
    assert result.voucher_total == D(0)
    assert [a.kind for a in result.applied] == ["promotion"]


def test_a_voucher_that_covers_no_line_gives_nothing_and_says_so():
    result = discounts_calculate(
        lines=[line("1", "10.00", product=1)],
        voucher=voucher("percentage", "10", covers=scope(products=(2,))),
        currency="USD",
    )
    assert result.voucher_problem == "voucher_not_applicable"
    assert result.applied == ()


def test_free_shipping_voucher_sets_the_flag_and_takes_nothing_off_lines():
    result = discounts_calculate(
        lines=[line("1", "10.00")], voucher=voucher("free_shipping", "0"), currency="USD"
    )
    assert result.free_shipping is True
    assert result.total == D(0)
    assert [(a.kind, a.code, a.amount) for a in result.applied] == [("voucher", "SAVE", D(0))]


def test_spread_adds_up_exactly_and_keeps_every_share_within_its_line():
    generator = random.Random(20240605)  # noqa: S311 (reproducible cases, not secrets)
    cent = D("0.01")
    for _ in range(2000):
        weights = [D(generator.randint(0, 300)) * cent for _ in range(generator.randint(1, 7))]
        total = sum(weights, D(0))
        amount = D(generator.randint(0, int(total / cent) if total else 0)) * cent
        shares = spread(amount, weights, "USD")
        assert sum(shares, D(0)) == (amount if total else D(0)), (amount, weights, shares)
        assert all(D(0) <= share <= weight for share, weight in zip(shares, weights, strict=True))
        assert all(share == share.quantize(cent) for share in shares)


def test_spread_moves_a_rounding_overflow_off_the_last_line():
    # 0.12 over [0.05, 0.14, 0.31, 0.00]: rounded shares 0.01 + 0.03 + 0.07 leave 0.01 for a
    # last line that has nothing left; it goes back to the line before
    shares = spread(D("0.12"), [D("0.05"), D("0.14"), D("0.31"), D("0.00")], "USD")
    assert shares == [D("0.01"), D("0.03"), D("0.08"), D("0.00")]


def test_spread_takes_a_negative_remainder_back_from_earlier_lines():
    # rounding half up, the first four shares come to 0.15 of 0.14: the last would be -0.01
    weights = [D("0.16"), D("0.31"), D("0.21"), D("0.46"), D("0.03")]
    shares = spread(D("0.14"), weights, "USD")
    assert shares == [D("0.02"), D("0.04"), D("0.03"), D("0.05"), D("0.00")]
