"""Stable error codes of shipping (the API's `code`, the admin's message key)."""

from enum import StrEnum


class ShippingErrorCode(StrEnum):
    NAME_REQUIRED = "name_required"
    COUNTRY_INVALID = "country_invalid"
    REGION_INVALID = "region_invalid"
    POSTCODE_PATTERN_INVALID = "postcode_pattern_invalid"
    ZONE_NEEDS_COUNTRIES = "zone_needs_countries"
    POSITION_INVALID = "position_invalid"
    RATE_TYPE_INVALID = "rate_type_invalid"
    AMOUNT_INVALID = "amount_invalid"
    AMOUNT_NEGATIVE = "amount_negative"
    FREE_OVER_REQUIRED = "free_over_required"
    PICKUP_ADDRESS_REQUIRED = "pickup_address_required"
    BRACKET_INVALID = "bracket_invalid"
    BRACKETS_OVERLAP = "brackets_overlap"
    BRACKETS_NOT_USED = "brackets_not_used"
    METHOD_UNAVAILABLE = "shipping_method_unavailable"
