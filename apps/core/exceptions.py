"""The one application error type. Services raise it; every surface presents it."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class ApplicationError(Exception):
    """A business rule said no. `code` is stable and machine-readable; `message` is for people.

    `field` names the input the error is about (forms put it on that field, the API in `attr`).
    """

    status_code = 400

    def __init__(
        self,
        message: str,
        *,
        code: str,
        field: str | None = None,
        extra: dict[str, Any] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = str(code)
        self.field = field
        self.extra = extra or {}
        if status_code is not None:
            self.status_code = status_code


@dataclass(frozen=True)
class FieldError:
    """One refused input of several: `field` as the caller named it (dotted for nested input,
    e.g. "shipping_address.postal_code"), a stable `code` and a message for people."""

    field: str
    message: str
    code: str


class ApplicationFieldErrors(ApplicationError):
    """Several inputs refused at once (an address with no city and a bad postcode), so the
    person fixes them all in one go rather than one per submit.

    The API answers with one entry per field error; forms put each on its field
    (apps.core.forms.form_errors_add). Surfaces that only know ApplicationError still work:
    `message` joins the field messages and `code` names the whole refusal.
    """

    def __init__(
        self,
        errors: Sequence[FieldError],
        *,
        code: str = "invalid_input",
        message: str | None = None,
        status_code: int | None = None,
    ) -> None:
        if not errors:
            raise ValueError("ApplicationFieldErrors needs at least one FieldError.")
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__(
            message or " ".join(error.message for error in self.errors),
            code=code,
            status_code=status_code,
        )

    def prefixed(self, prefix: str) -> "ApplicationFieldErrors":
        """The same errors with their fields nested under `prefix` ("pickup_address.city")."""
        return ApplicationFieldErrors(
            [
                FieldError(field=f"{prefix}.{error.field}", message=error.message, code=error.code)
                for error in self.errors
            ],
            code=self.code,
            message=self.message,
            status_code=self.status_code,
        )
