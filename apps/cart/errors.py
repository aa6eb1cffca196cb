"""Stable error codes of the cart (the API's `code`, the storefront's message key). Voucher
refusals keep the codes of apps.discounts.errors (voucher_not_found, voucher_expired...)."""

from enum import StrEnum


class CartErrorCode(StrEnum):
    CART_NOT_FOUND = "cart_not_found"
    CART_CLOSED = "cart_closed"
    LINE_NOT_FOUND = "line_not_found"
    VARIANT_NOT_FOUND = "variant_not_found"
    VARIANT_UNAVAILABLE = "variant_unavailable"
    OUT_OF_STOCK = "out_of_stock"
    QUANTITY_UNAVAILABLE = "quantity_unavailable"
    QUANTITY_INVALID = "quantity_invalid"
    VOUCHER_REQUIRED = "voucher_required"
    EMAIL_INVALID = "email_invalid"
