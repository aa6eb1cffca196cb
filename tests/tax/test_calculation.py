"""Tax of an order: rates by address, prices including or excluding tax, shipping, and the
rounding step (once per line, half up)."""

from decimal import Decimal

import pytest

from apps.core.addresses import Address
from apps.core.money import quantize
from apps.core.store_config import store_config_changed
from apps.tax import services
from apps.tax.services import TaxableLine, TaxedAmount, TaxRateTotal, tax_calculate
from tests.shipping.conftest import BERLIN, LONDON, LOS_ANGELES, TOKYO

D = Decimal
NEW_YORK = Address(
    last_name="Doe", street_address_1="1 Broadway", city="New York", country_area="NY",
    postal_code="10004", country_code="US",
)  # fmt: skip


def line(key: str, unit: str, quantity: int = 1, amount: str | None = None) -> TaxableLine:
    total = D(amount) if amount is not None else D(unit) * quantity
    return TaxableLine(key=key, unit_price=D(unit), quantity=quantity, amount_after_discount=total)


def test_prices_excluding_tax_add_it(in_a, rates_a):
    # when: 3 x 19.99 delivered to California, $5 shipping (not taxed by default)
    result = tax_calculate(
        lines=[line("shirt", "19.99", 3)], shipping=D("5.00"), address=LOS_ANGELES, currency="USD"
    )
    # then: 59.97 x 7.25 % = 4.3478... -> 4.35
    assert result.lines == (
        TaxedAmount(
            key="shirt", net=D("59.97"), tax=D("4.35"), gross=D("64.32"),
            rate=D("7.2500"), rate_name="CA sales tax",
        ),
    )  # fmt: skip
    assert result.shipping == TaxedAmount(
        key="shipping", net=D("5.00"), tax=D("0.00"), gross=D("5.00"), rate=D(0), rate_name=""
    )
    assert (result.total_net, result.total_tax, result.total_gross) == (
        D("64.97"), D("4.35"), D("69.32"),
    )  # fmt: skip
    assert result.breakdown == (
        TaxRateTotal(name="CA sales tax", rate=D("7.2500"), taxable=D("59.97"), tax=D("4.35")),
    )
    assert result.breakdown_json() == [
        {"name": "CA sales tax", "rate": "7.2500", "taxable": "59.97", "tax": "4.35"}
    ]


def test_prices_including_tax_extract_it(in_a, rates_a):
    # given: EU-style prices
    services.tax_settings_update(prices_include_tax=True, tax_shipping=True)
    # when: 119.00 and 10.00 (gross) to London at 20 %, 4.99 shipping
    result = tax_calculate(
        lines=[line("coat", "119.00"), line("socks", "5.00", 2)],
        shipping=D("4.99"),
        address=LONDON,
        currency="GBP",
    )
    # then: tax = gross x 20 / 120 per line: 19.8333 -> 19.83; 1.6666 -> 1.67; 0.8316 -> 0.83
    assert [(t.net, t.tax, t.gross) for t in result.lines] == [
        (D("99.17"), D("19.83"), D("119.00")),
        (D("8.33"), D("1.67"), D("10.00")),
    ]
    assert (result.shipping.net, result.shipping.tax, result.shipping.gross) == (
        D("4.16"), D("0.83"), D("4.99"),
    )  # fmt: skip
    # the shopper pays what the prices said; the tax is the part of it they account for
    assert result.total_gross == D("133.99")
    assert result.total_tax == D("22.33")
    assert result.breakdown == (
        TaxRateTotal(name="VAT", rate=D("20.0000"), taxable=D("111.66"), tax=D("22.33")),
    )


def test_tax_is_rounded_per_line_not_on_the_total(in_a):
    # given: 5 % everywhere in Germany
    services.tax_rate_create(country="DE", rate=D("5"), name="Reduced")
    lines = [line("a", "0.10"), line("b", "0.10"), line("c", "0.10")]
    # when
    result = tax_calculate(lines=lines, shipping=D(0), address=BERLIN, currency="EUR")
    # then: each line's 0.005 rounds half up to 0.01, so 0.03 in all...
    assert [t.tax for t in result.lines] == [D("0.01")] * 3
    assert result.total_tax == D("0.03")
    assert result.breakdown[0].tax == D("0.03")
    # ...where rounding the order's tax once would have given 0.02
    assert quantize(D("0.30") * 5 / 100, "EUR") == D("0.02")


def test_rounding_is_half_up():
    # 2.50 at 5 % is 0.125: half up gives 0.13 (banker's rounding would give 0.12)
    assert quantize(D("2.50") * 5 / 100, "USD") == D("0.13")


def test_discounts_are_taxed_as_paid(in_a, rates_a):
    # a 20.00 line discounted to 15.00: the tax is on 15.00
    result = tax_calculate(
        lines=[line("hat", "20.00", 1, amount="15.00")],
        shipping=D(0),
        address=NEW_YORK,
        currency="USD",
    )
    assert (result.lines[0].net, result.lines[0].tax) == (D("15.00"), D("0.75"))
    assert result.lines[0].rate_name == "Sales tax"  # NY has no own rate: the country's


def test_shipping_is_taxed_when_the_store_says_so(in_a, rates_a):
    services.tax_settings_update(tax_shipping=True)
    result = tax_calculate(
        lines=[line("mug", "10.00")], shipping=D("4.00"), address=LOS_ANGELES, currency="USD"
    )
    # 4.00 x 7.25 % = 0.29
    assert (result.shipping.tax, result.shipping.gross) == (D("0.29"), D("4.29"))
    assert result.breakdown == (
        TaxRateTotal(name="CA sales tax", rate=D("7.2500"), taxable=D("14.00"), tax=D("1.02")),
    )
    assert result.total_tax == result.line("mug").tax + result.shipping.tax == D("1.02")


def test_default_rate_where_no_rate_is_set_and_before_an_address(in_a, rates_a):
    # without a default: no tax in Japan, an empty breakdown
    result = tax_calculate(lines=[line("x", "1000")], shipping=D(0), address=TOKYO, currency="JPY")
    assert (result.total_tax, result.breakdown) == (D(0), ())
    assert result.total_gross == D("1000")
    # with one: it applies there, and to prices shown before there is an address
    services.tax_settings_update(default_rate="10", default_rate_name="Tax")
    for address in (TOKYO, None):
        result = tax_calculate(
            lines=[line("x", "999")], shipping=D(0), address=address, currency="JPY"
        )
        # 99.9 rounds to whole yen
        assert (result.total_tax, result.lines[0].rate_name) == (D("100"), "Tax")
    # a country with its own rate keeps it
    result = tax_calculate(lines=[line("x", "10")], shipping=D(0), address=LONDON, currency="GBP")
    assert result.lines[0].rate == D("20")


def test_yen_prices_including_tax(in_a):
    services.tax_rate_create(country="JP", rate=D("10"), name="Consumption tax")
    services.tax_settings_update(prices_include_tax=True)
    result = tax_calculate(
        lines=[line("tea", "1100"), line("cup", "999")],
        shipping=D(0),
        address=TOKYO,
        currency="JPY",
    )
    # 1100 x 10 / 110 = 100; 999 x 10 / 110 = 90.8 -> 91
    assert [(t.net, t.tax) for t in result.lines] == [(D("1000"), D("100")), (D("908"), D("91"))]


def test_tax_costs_no_query_when_warm_and_two_after_a_change(
    in_a, rates_a, django_assert_num_queries
):
    tax_calculate(lines=[], shipping=D(0), address=LONDON, currency="GBP")  # the schema's SET
    # the settings and rates come from the store's configuration memo (apps.core.store_config)
    with django_assert_num_queries(0):
        tax_calculate(lines=[line("a", "1")], shipping=D(0), address=LOS_ANGELES, currency="USD")
    store_config_changed()
    # 1. the store's tax settings  2. every rate (memoised again)
    with django_assert_num_queries(2):
        tax_calculate(lines=[line("a", "1")], shipping=D(0), address=LOS_ANGELES, currency="USD")


def test_input_mistakes_are_programming_errors():
    with pytest.raises(TypeError):
        TaxableLine(key="a", unit_price=1.5, quantity=1, amount_after_discount=D("1.5"))
    with pytest.raises(ValueError):  # noqa: PT011
        TaxableLine(key="a", unit_price=D(1), quantity=-1, amount_after_discount=D(1))


def test_line_keys_must_be_unique(in_a):
    with pytest.raises(ValueError):  # noqa: PT011
        tax_calculate(
            lines=[line("a", "1"), line("a", "2")], shipping=D(0), address=None, currency="USD"
        )
