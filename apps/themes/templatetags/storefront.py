"""Template helpers of the storefront: money in the store's currency."""

from decimal import Decimal

from django import template

from apps.core.money import Money

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """`{{ variant.price|money:currency }}` → "$1,234.50"; empty for no amount."""
    if amount is None or amount == "":
        return ""
    return str(Money(Decimal(amount), currency))
