"""The one application error type. Services raise it; every surface presents it."""

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
