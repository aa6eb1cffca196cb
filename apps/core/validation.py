"""Input rules shared by several apps' services."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from apps.core.exceptions import ApplicationError

EMAIL_INVALID = "email_invalid"


def email_normalize(email: str | None, *, field: str = "email") -> str:
    """A valid email address in lower case, or ApplicationError(code="email_invalid") on `field`.

    Addresses are stored lower-case everywhere, so lookups need no case folding.
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ApplicationError(
            "Enter a valid email address.", code=EMAIL_INVALID, field=field
        ) from exc
    return email
