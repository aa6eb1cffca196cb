"""Tax on an order: per line, on shipping, and a breakdown by rate for the order to keep.

Which rate applies: the TaxRate of the address's region (country + country_area), else its
country's (region empty), else the store's default rate (TaxSettings.default_rate), else no
tax. Without an address (prices shown before checkout), the default rate. Every line, and
shipping when the store taxes it, uses that rate today; the breakdown already groups by rate,
so per-product tax classes can come later without changing its shape.

Where rounding happens (once, per line; nothing is rounded twice):
1. A line's taxable amount is its `amount_after_discount`: the line total after discounts, in
   the store currency, as prices are entered (tax included when the store's prices include
   it). Order-wide discounts are spread over the lines by the caller first: the tax of a
   discounted order is the tax of what is paid.
2. The line's tax is computed on that line total and rounded ONCE, half up, to the currency's
   minor unit (apps.core.money.quantize):
   - prices exclude tax (US style): tax = round(amount * rate / 100); net = amount;
     gross = net + tax;
   - prices include tax (EU style): tax = round(amount * rate / (100 + rate)); gross = amount;
     net = gross - tax.
3. Shipping is one more line (key "shipping"), taxed the same way when
   TaxSettings.tax_shipping is on; otherwise its tax is 0 and net = gross = the amount.
4. Totals and the breakdown are sums of the rounded line figures, never rounded again, so the
   total tax is always the sum of the lines' taxes (a receipt adds up).
Example: three lines of 0.10 at 5 %, prices excluding tax: each line's tax 0.005 rounds to
0.01, total tax 0.03; rounding the order's tax instead (0.015) would have given 0.02.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from apps.core.addresses import Address
from apps.core.money import quantize
from apps.tax.models import TaxSettings
from apps.tax.selectors import tax_rate_for_address, tax_settings_get

SHIPPING_KEY = "shipping"
ZERO = Decimal(0)


@dataclass(frozen=True)
class TaxableLine:
    """One line to tax. `key` is the caller's (a cart line id); `amount_after_discount` is
    the line total the shopper pays for it before tax is added (see the module docstring)."""

    key: str
    unit_price: Decimal
    quantity: int
    amount_after_discount: Decimal

    def __post_init__(self) -> None:
        for name in ("unit_price", "amount_after_discount"):
            if not isinstance(getattr(self, name), Decimal):
                raise TypeError(f"TaxableLine.{name} is a Decimal, never float.")
        if self.quantity < 0 or self.unit_price < 0 or self.amount_after_discount < 0:
            raise ValueError("A taxable line's price, quantity and amount are not negative.")


@dataclass(frozen=True)
class TaxedAmount:
    """A line (or shipping) with its tax: net + tax = gross, each rounded to the currency."""

    key: str
    net: Decimal
    tax: Decimal
    gross: Decimal
    rate: Decimal  # percent
    rate_name: str


@dataclass(frozen=True)
class TaxRateTotal:
    """One row of the breakdown: everything taxed at `rate` under `name`."""

    name: str
    rate: Decimal
    taxable: Decimal  # the net amount taxed at this rate
    tax: Decimal


@dataclass(frozen=True)
class TaxResult:
    currency: str
    prices_include_tax: bool
    lines: tuple[TaxedAmount, ...]
    shipping: TaxedAmount
    breakdown: tuple[TaxRateTotal, ...]

    def line(self, key: str) -> TaxedAmount:
        return next(line for line in self.lines if line.key == key)

    @property
    def subtotal_net(self) -> Decimal:
        return sum((line.net for line in self.lines), ZERO)

    @property
    def subtotal_gross(self) -> Decimal:
        return sum((line.gross for line in self.lines), ZERO)

    @property
    def total_net(self) -> Decimal:
        return self.subtotal_net + self.shipping.net

    @property
    def total_tax(self) -> Decimal:
        return sum((line.tax for line in self.lines), ZERO) + self.shipping.tax

    @property
    def total_gross(self) -> Decimal:
        """What the shopper pays for goods and shipping."""
        return self.subtotal_gross + self.shipping.gross

    def breakdown_json(self) -> list[dict[str, str]]:
        """The breakdown as the order stores it (Decimals as strings, never floats)."""
        return [
            {
                "name": row.name,
                "rate": str(row.rate),
                "taxable": str(row.taxable),
                "tax": str(row.tax),
            }
            for row in self.breakdown
        ]


def _taxed(
    key: str, amount: Decimal, *, rate: Decimal, name: str, included: bool, currency: str
) -> TaxedAmount:
    amount = quantize(amount, currency)
    if included:
        tax = quantize(amount * rate / (100 + rate), currency)
        net, gross = amount - tax, amount
    else:
        tax = quantize(amount * rate / 100, currency)
        net, gross = amount, amount + tax
    return TaxedAmount(key=key, net=net, tax=tax, gross=gross, rate=rate, rate_name=name)


def _breakdown(amounts: Sequence[TaxedAmount]) -> tuple[TaxRateTotal, ...]:
    groups: dict[tuple[str, Decimal], list[TaxedAmount]] = {}
    for amount in amounts:
        if amount.rate > 0:
            groups.setdefault((amount.rate_name, amount.rate), []).append(amount)
    return tuple(
        TaxRateTotal(
            name=name,
            rate=rate,
            taxable=sum((amount.net for amount in group), ZERO),
            tax=sum((amount.tax for amount in group), ZERO),
        )
        for (name, rate), group in groups.items()
    )


def tax_rate_resolve(*, address: Address | None, settings: TaxSettings) -> tuple[Decimal, str]:
    """(percent, name) for `address` by the rule in the module docstring; (0, "") for none."""
    tax_rate = tax_rate_for_address(address=address) if address is not None else None
    if tax_rate is not None:
        return tax_rate.rate, tax_rate.name
    if settings.default_rate is not None:
        return settings.default_rate, settings.default_rate_name
    return ZERO, ""


def tax_calculate(
    *,
    lines: Sequence[TaxableLine],
    shipping: Decimal,
    address: Address | None,
    currency: str,
) -> TaxResult:
    """The tax of `lines` and `shipping` delivered to `address`, in `currency` (the store's).
    Its settings and rates come from the store's configuration memo (apps.tax.selectors): no
    query when warm, two otherwise."""
    if not isinstance(shipping, Decimal):
        raise TypeError("shipping is a Decimal, never float.")
    keys = [line.key for line in lines]
    if len(set(keys)) != len(keys) or SHIPPING_KEY in keys:
        raise ValueError(f'Line keys must be unique and not "{SHIPPING_KEY}".')
    settings = tax_settings_get()
    rate, name = tax_rate_resolve(address=address, settings=settings)
    included = settings.prices_include_tax
    taxed_lines = tuple(
        _taxed(
            line.key,
            line.amount_after_discount,
            rate=rate,
            name=name,
            included=included,
            currency=currency,
        )
        for line in lines
    )
    shipping_rate, shipping_name = (rate, name) if settings.tax_shipping else (ZERO, "")
    taxed_shipping = _taxed(
        SHIPPING_KEY,
        shipping,
        rate=shipping_rate,
        name=shipping_name,
        included=included,
        currency=currency,
    )
    return TaxResult(
        currency=currency.upper(),
        prices_include_tax=included,
        lines=taxed_lines,
        shipping=taxed_shipping,
        breakdown=_breakdown([*taxed_lines, taxed_shipping]),
    )
