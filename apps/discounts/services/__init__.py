"""Every write of discounts, and the voucher checks the cart and the checkout use.

The merchant's writes (voucher_* / promotion_*) refuse bad input with an ApplicationError on
the field it is about; the shopper's side (voucher_check, voucher_redeem) with one stable code
per reason (apps.discounts.errors). How discounts are priced: apps.discounts.pricing.
"""

from apps.discounts.services.promotions import (
    promotion_create,
    promotion_delete,
    promotion_update,
)
from apps.discounts.services.redemption import (
    voucher_check,
    voucher_redeem,
    voucher_redemption_cancel,
    voucher_refusal,
)
from apps.discounts.services.vouchers import voucher_create, voucher_delete, voucher_update

__all__ = [
    "promotion_create",
    "promotion_delete",
    "promotion_update",
    "voucher_check",
    "voucher_create",
    "voucher_delete",
    "voucher_redeem",
    "voucher_redemption_cancel",
    "voucher_refusal",
    "voucher_update",
]
