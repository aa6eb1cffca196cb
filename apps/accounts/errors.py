from enum import StrEnum


class AccountErrorCode(StrEnum):
    EMAIL_TAKEN = "email_taken"
    PASSWORD_INVALID = "password_invalid"  # noqa: S105 (an error code, not a password)
    TOKEN_WRONG_STORE = "token_wrong_store"  # noqa: S105
    NO_ACTIVE_ACCOUNT = "no_active_account"
