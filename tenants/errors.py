from enum import StrEnum


class StoreErrorCode(StrEnum):
    SLUG_INVALID = "slug_invalid"
    SLUG_RESERVED = "slug_reserved"
    SLUG_TAKEN = "slug_taken"
    TEMPLATE_MISSING = "template_missing"
    POOL_EMPTY = "pool_empty"
    FLEET_MIGRATING = "fleet_migrating"
    STORE_NOT_FOUND = "store_not_found"
    INVALID_STATUS = "invalid_status"
    CONFIRMATION_MISMATCH = "confirmation_mismatch"
    HANDOVER_INVALID = "handover_invalid"
    NAME_REQUIRED = "name_required"
    CURRENCY_INVALID = "currency_invalid"
    LANGUAGE_INVALID = "language_invalid"
    TIMEZONE_INVALID = "timezone_invalid"
