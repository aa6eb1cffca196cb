"""OpenAPI generation that documents our error responses.

drf-standardized-errors adds the error shapes (400/401/403/404/405/429/500...) to each
operation only when a view uses its exception handler unchanged; ours wraps it (to map
ApplicationError) with the same output, so apply the library's per-status checks to it too.
"""

from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema

from apps.core.api.exceptions import exception_handler


class AutoSchema(StandardizedErrorsAutoSchema):
    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if status_code in responses or self.view.get_exception_handler() is not exception_handler:
            return super()._should_add_error_response(responses, status_code)
        if status_code == "400":
            return (
                self._should_add_parse_error_response()
                or self._should_add_validation_error_response()
            )
        check = getattr(self, f"_should_add_http{status_code}_error_response", None)
        return check() if check is not None else True
