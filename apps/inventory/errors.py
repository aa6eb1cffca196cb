"""Stable error codes of the inventory (the API's `code`, the admin's message key)."""

from enum import StrEnum


class InventoryErrorCode(StrEnum):
    OUT_OF_STOCK = "out_of_stock"
    QUANTITY_INVALID = "quantity_invalid"
    REASON_REQUIRED = "reason_required"
    REFERENCE_REQUIRED = "reference_required"
    LINES_INVALID = "lines_invalid"
    ADJUST_INVALID = "adjust_invalid"
    STOCK_NEGATIVE = "stock_negative"
    STOCK_RESERVED = "stock_reserved"
    STOCK_INSUFFICIENT = "stock_insufficient"
    TRANSFER_SAME_LOCATION = "transfer_same_location"
    VARIANT_NOT_FOUND = "variant_not_found"
    LOCATION_NOT_FOUND = "location_not_found"
    LOCATION_INACTIVE = "location_inactive"
    LOCATION_NAME_REQUIRED = "location_name_required"
    LOCATION_CODE_INVALID = "location_code_invalid"
    LOCATION_CODE_TAKEN = "location_code_taken"
    LOCATION_DEFAULT_LOCKED = "location_default_locked"
    LOCATION_IN_USE = "location_in_use"
    THRESHOLD_INVALID = "threshold_invalid"
    POLICY_CONFLICT = "policy_conflict"
