"""Small helpers for API tests (no fixtures here: those live in the conftest files)."""

from rest_framework.test import APIClient

from tests.cache import cache_reset

TOKEN_URL = "/api/v1/auth/token/"
REFRESH_URL = "/api/v1/auth/token/refresh/"
ME_URL = "/api/v1/auth/me/"
STORE_URL = "/api/v1/store/"


def token_pair(api: APIClient, *, email: str, password: str) -> dict:
    response = api.post(TOKEN_URL, {"email": email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def error(code: str, detail: str, *, attr: str | None = None, type_: str = "client_error") -> dict:
    """The API's one error shape, with a single error."""
    return {"type": type_, "errors": [{"code": code, "detail": detail, "attr": attr}]}


def throttle_rates_set(settings, **rates: str) -> None:
    """Lower some throttle rates for one test and start every budget afresh."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }
    # Budgets live in Redis and outlast a test's transaction.
    cache_reset()
