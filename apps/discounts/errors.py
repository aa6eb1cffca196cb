"""Stable error codes of discounts (the API's `code`, the admin's and the cart's message key)."""

from enum import StrEnum


class DiscountErrorCode(StrEnum):
    # A shopper's code refused (voucher_check / voucher_redeem), one code per reason.
    VOUCHER_NOT_FOUND = "voucher_not_found"
    VOUCHER_INACTIVE = "voucher_inactive"
    VOUCHER_NOT_STARTED = "voucher_not_started"
    VOUCHER_EXPIRED = "voucher_expired"
    VOUCHER_EXHAUSTED = "voucher_exhausted"
    VOUCHER_MIN_SUBTOTAL = "voucher_min_subtotal"
    VOUCHER_USED_BY_CUSTOMER = "voucher_used_by_customer"
    VOUCHER_NOT_APPLICABLE = "voucher_not_applicable"
    # The merchant's input refused (voucher_* / promotion_* writes).
    CODE_REQUIRED = "code_required"
    CODE_INVALID = "code_invalid"
    CODE_TAKEN = "code_taken"
    NAME_REQUIRED = "name_required"
    KIND_INVALID = "kind_invalid"
    VALUE_INVALID = "value_invalid"
    AMOUNT_INVALID = "amount_invalid"
    LIMIT_INVALID = "limit_invalid"
    DATES_INVALID = "dates_invalid"
    SCOPE_INVALID = "scope_invalid"
    SCOPE_EMPTY = "scope_empty"
    VOUCHER_IN_USE = "voucher_in_use"
