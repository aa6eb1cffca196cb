"""Every API error, whatever raised it, has the same JSON shape and a stable code."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.api.helpers import ME_URL, STORE_URL, TOKEN_URL, error, throttle_rates_set

ERRORS_URLCONF = "tests.api.urls_errors"


@pytest.fixture
def failing_views(settings):
    settings.ROOT_URLCONF = ERRORS_URLCONF


def test_400_validation_error(api_a):
    response = api_a.post(TOKEN_URL, {"email": "not-an-email", "password": "x"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [{"code": "invalid", "detail": "Enter a valid email address.", "attr": "email"}],
    }


def test_400_malformed_json(api_a):
    response = api_a.post(TOKEN_URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == error(
        "parse_error",
        "JSON parse error - Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)",
    )


def test_401_not_authenticated(api_a):
    response = api_a.get(ME_URL)
    assert response.status_code == 401
    assert response.json() == error(
        "not_authenticated", "Authentication credentials were not provided."
    )
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_403_session_write_without_csrf_token(store_a):
    # given: a customer signed in on the storefront (session cookie)
    api = APIClient(HTTP_HOST=store_a.host, enforce_csrf_checks=True)
    api.get("/account/login/")
    api.post(
        "/account/login/",
        {
            "username": store_a.customer_email,
            "password": store_a.password,
            "csrfmiddlewaretoken": api.cookies["csrftoken"].value,
        },
        format="multipart",
    )
    # when: a write through the session without the CSRF token
    response = api.post(ME_URL, {}, format="json")
    # then
    assert response.status_code == 403
    assert response.json() == error("permission_denied", "CSRF Failed: CSRF token missing.")


def test_404_unknown_api_url(api_a):
    response = api_a.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == error("not_found", "Not found.")


def test_404_outside_the_api_stays_a_page(client_a):
    response = client_a.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_405_method_not_allowed(api_a):
    response = api_a.get(TOKEN_URL)
    assert response.status_code == 405
    assert response.json() == error("method_not_allowed", 'Method "GET" not allowed.')


def test_429_throttled(api_a, settings):
    # given
    throttle_rates_set(settings, client="2/min")
    assert [api_a.get(STORE_URL).status_code for _ in range(2)] == [200, 200]
    # when
    response = api_a.get(STORE_URL)
    # then
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    # two requests this minute under a 2/min sliding window: the next fits once half of this
    # window has slid past, 30 to 90 s from now depending on where in the minute we are
    assert 30 <= wait <= 90
    assert response.json() == error(
        "throttled", f"Request was throttled. Expected available in {wait} seconds."
    )


def test_application_error_keeps_its_code_and_status(api_a, failing_views):
    response = api_a.get("/api/test/application-error/")
    assert response.status_code == 409
    assert response.json() == error("order_already_cancelled", "This order was already cancelled.")


def test_application_error_on_a_field_is_a_validation_error(api_a, failing_views):
    response = api_a.post("/api/test/application-error/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == error(
        "stock_insufficient", "Not enough stock.", attr="quantity", type_="validation_error"
    )


@pytest.mark.parametrize("path", ["/api/test/crash/", "/api/test/crash-plain/"])
def test_500_has_the_shape_and_no_internals(store_a, failing_views, path):
    client = Client(HTTP_HOST=store_a.host, raise_request_exception=False)
    response = client.get(path)
    assert response.status_code == 500
    assert response.json() == error("error", "Server Error (500)", type_="server_error")
    assert b"hunter2" not in response.content
    assert b"Traceback" not in response.content


def test_store_profile_query_count(api_a, store_a, django_assert_num_queries):
    # given: a warm worker
    api_a.get(STORE_URL)
    # then: no query at all (the store comes from the routing map, the budgets from Redis)
    with django_assert_num_queries(0):
        response = api_a.get(STORE_URL)
    assert response.json() == {
        "name": "Store STORE-A",
        "slug": "store-a",
        "currency": store_a.tenant.currency,
        "language": store_a.tenant.language,
    }
