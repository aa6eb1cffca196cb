"""Stable error codes of tax (the API's `code`, the admin's message key)."""

from enum import StrEnum


class TaxErrorCode(StrEnum):
    NAME_REQUIRED = "name_required"
    COUNTRY_INVALID = "country_invalid"
    REGION_INVALID = "region_invalid"
    RATE_INVALID = "rate_invalid"
    RATE_TAKEN = "tax_rate_taken"
