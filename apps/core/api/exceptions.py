"""One JSON error shape for the whole API (drf-standardized-errors), ApplicationError included:

{"type": "validation_error" | "client_error" | "server_error",
 "errors": [{"code": "...", "detail": "...", "attr": "field" | null}]}
"""

from drf_standardized_errors.handler import exception_handler as standardized_handler
from rest_framework import exceptions
from rest_framework.response import Response

from apps.core.exceptions import ApplicationError


class _ApplicationAPIError(exceptions.APIException):
    def __init__(self, error: ApplicationError) -> None:
        self.status_code = error.status_code
        super().__init__(detail=error.message, code=error.code)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ApplicationError):
        if exc.field:
            exc = exceptions.ValidationError(
                {exc.field: [exceptions.ErrorDetail(exc.message, exc.code)]}
            )
        else:
            exc = _ApplicationAPIError(exc)
    return standardized_handler(exc, context)
