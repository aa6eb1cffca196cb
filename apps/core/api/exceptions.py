"""One JSON error shape for the whole API (drf-standardized-errors), ApplicationError included:

{"type": "validation_error" | "client_error" | "server_error",
 "errors": [{"code": "...", "detail": "...", "attr": "field" | null}]}

An ApplicationFieldErrors (several inputs refused at once) is a validation_error with one entry
per field error (a field's errors together, fields in the order first reported).

Codes are stable: clients branch on `code`, people read `detail`. Nothing else (no exception
class names, no token internals, no stack traces) reaches the client.
"""

from drf_standardized_errors.handler import exception_handler as standardized_handler
from rest_framework import exceptions, status
from rest_framework.response import Response

from apps.core.exceptions import ApplicationError, ApplicationFieldErrors

ERROR_TYPE_CLIENT = "client_error"
ERROR_TYPE_SERVER = "server_error"


class _ApplicationAPIError(exceptions.APIException):
    def __init__(self, error: ApplicationError) -> None:
        self.status_code = error.status_code
        super().__init__(detail=error.message, code=error.code)


class _SingleAPIError(exceptions.APIException):
    """A non-validation error whose detail arrived as a dict, reduced to its one message."""

    def __init__(self, original: exceptions.APIException) -> None:
        detail = original.detail
        self.status_code = original.status_code
        # DRF's APIView sets these on the exception it handles; the response headers need them.
        self.auth_header = getattr(original, "auth_header", None)
        self.wait = getattr(original, "wait", None)
        message = detail.get("detail", original.default_detail)
        code = detail.get("code", original.default_code)
        super().__init__(detail=str(message), code=str(code))


def _field_errors_detail(error: ApplicationFieldErrors) -> dict[str, list]:
    detail: dict[str, list] = {}
    for field_error in error.errors:
        detail.setdefault(field_error.field, []).append(
            exceptions.ErrorDetail(field_error.message, field_error.code)
        )
    return detail


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ApplicationFieldErrors):
        status_code = exc.status_code
        exc = exceptions.ValidationError(_field_errors_detail(exc))
        exc.status_code = status_code
    elif isinstance(exc, ApplicationError):
        if exc.field:
            # On a field, but with the service's own status (a sold-out cart is a 409, not a
            # 400): the error shape stays the validation one.
            status_code = exc.status_code
            exc = exceptions.ValidationError(
                {exc.field: [exceptions.ErrorDetail(exc.message, exc.code)]}
            )
            exc.status_code = status_code
        else:
            exc = _ApplicationAPIError(exc)
    elif (
        isinstance(exc, exceptions.APIException)
        and not isinstance(exc, exceptions.ValidationError)
        and isinstance(exc.detail, dict)
    ):
        # simplejwt reports a bad token as {"detail", "code", "messages": [token internals]};
        # flattened as-is that would be three "errors" and would describe the token's insides.
        exc = _SingleAPIError(exc)
    return standardized_handler(exc, context)


def error_body(*, error_type: str, code: str, detail: str) -> dict:
    """The error shape for responses built outside DRF (unknown URLs, crashes)."""
    return {"type": error_type, "errors": [{"code": code, "detail": detail, "attr": None}]}


NOT_FOUND_BODY = error_body(error_type=ERROR_TYPE_CLIENT, code="not_found", detail="Not found.")
SERVER_ERROR_BODY = error_body(
    error_type=ERROR_TYPE_SERVER, code="error", detail="Server Error (500)"
)
STATUS_BODIES = {
    status.HTTP_404_NOT_FOUND: NOT_FOUND_BODY,
    status.HTTP_500_INTERNAL_SERVER_ERROR: SERVER_ERROR_BODY,
}
