"""The token endpoints and /auth/me/ on one store."""

import jwt
import pytest
from django.conf import settings as django_settings
from django_tenants.utils import schema_context

from apps.accounts.models import User
from tests.api.helpers import ME_URL, REFRESH_URL, TOKEN_URL, error, token_pair


def test_token_pair_is_bound_to_the_store(api_a, store_a):
    # when
    tokens = token_pair(api_a, email=store_a.owner_email, password=store_a.password)
    # then
    assert sorted(tokens) == ["access", "refresh"]
    for kind in ("access", "refresh"):
        claims = jwt.decode(
            tokens[kind], django_settings.SIMPLE_JWT["SIGNING_KEY"], algorithms=["HS256"]
        )
        assert claims["store"] == f"{store_a.schema}:{store_a.tenant.pk}"
        assert claims["token_type"] == kind


def test_token_email_is_case_insensitive(api_a, store_a):
    response = api_a.post(
        TOKEN_URL,
        {"email": store_a.customer_email.upper(), "password": store_a.password},
        format="json",
    )
    assert response.status_code == 200


def test_token_wrong_password_is_refused(api_a, store_a):
    response = api_a.post(
        TOKEN_URL, {"email": store_a.owner_email, "password": "nope"}, format="json"
    )
    assert response.status_code == 401
    assert response.json() == error(
        "no_active_account", "No active account found with the given credentials"
    )


def test_inactive_account_gets_no_token(api_a, store_a):
    # given
    with schema_context(store_a.schema):
        User.objects.filter(email=store_a.customer_email).update(is_active=False)
    # when
    response = api_a.post(
        TOKEN_URL, {"email": store_a.customer_email, "password": store_a.password}, format="json"
    )
    # then
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "no_active_account"


def test_token_request_without_fields_is_a_validation_error(api_a):
    response = api_a.post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {"code": "required", "detail": "This field is required.", "attr": "email"},
            {"code": "required", "detail": "This field is required.", "attr": "password"},
        ],
    }


def test_refresh_gives_a_working_access_token(api_a, store_a):
    # given
    tokens = token_pair(api_a, email=store_a.staff_email, password=store_a.password)
    # when
    response = api_a.post(REFRESH_URL, {"refresh": tokens["refresh"]}, format="json")
    # then
    assert response.status_code == 200
    assert sorted(response.json()) == ["access"]
    api_a.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert api_a.get(ME_URL).json()["email"] == store_a.staff_email


def test_refresh_with_an_access_token_is_refused(api_a, store_a):
    tokens = token_pair(api_a, email=store_a.owner_email, password=store_a.password)
    response = api_a.post(REFRESH_URL, {"refresh": tokens["access"]}, format="json")
    assert response.status_code == 401
    assert response.json() == error("token_not_valid", "Token has wrong type")


def test_refresh_for_a_deactivated_account_is_refused(api_a, store_a):
    # given
    tokens = token_pair(api_a, email=store_a.customer_email, password=store_a.password)
    with schema_context(store_a.schema):
        User.objects.filter(email=store_a.customer_email).update(is_active=False)
    # when
    response = api_a.post(REFRESH_URL, {"refresh": tokens["refresh"]}, format="json")
    # then
    assert response.status_code == 401
    assert response.json() == error(
        "no_active_account", "No active account found for the given token."
    )


def test_garbage_bearer_token_is_401_with_one_error(api_a):
    api_a.credentials(HTTP_AUTHORIZATION="Bearer not-a-jwt")
    response = api_a.get(ME_URL)
    assert response.status_code == 401
    # simplejwt's own body lists token internals; ours is one error with a stable code.
    assert response.json() == error("token_not_valid", "Given token not valid for any token type")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    ("who", "role", "is_staff"),
    [("owner", "owner", True), ("staff", "staff", True), ("customer", "customer", False)],
)
def test_me_returns_the_current_account(api_a, store_a, who, role, is_staff):
    # given
    email = getattr(store_a, f"{who}_email")
    tokens = token_pair(api_a, email=email, password=store_a.password)
    api_a.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    with schema_context(store_a.schema):
        user_id = User.objects.get(email=email).pk
    # when
    response = api_a.get(ME_URL)
    # then
    assert response.status_code == 200
    assert response.json() == {
        "id": user_id,
        "email": email,
        "first_name": "",
        "last_name": "",
        "role": role,
        "is_staff": is_staff,
    }


def test_me_query_count(api_a, store_a, django_assert_num_queries):
    # given: a warm worker (host map filled, search_path already the store's)
    tokens = token_pair(api_a, email=store_a.customer_email, password=store_a.password)
    api_a.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    api_a.get(ME_URL)
    # then: 1. SELECT the account by the token's user id (throttles live in Redis)
    with django_assert_num_queries(1):
        response = api_a.get(ME_URL)
    assert response.status_code == 200


def test_me_needs_authentication(api_a):
    response = api_a.get(ME_URL)
    assert response.status_code == 401
    assert response.json() == error(
        "not_authenticated", "Authentication credentials were not provided."
    )


def test_me_accepts_the_storefront_session(client_a, store_a):
    # given: a customer logged in on the storefront
    client_a.post(
        "/account/login/", {"username": store_a.customer_email, "password": store_a.password}
    )
    # when
    response = client_a.get(ME_URL)
    # then
    assert response.status_code == 200
    assert response.json()["email"] == store_a.customer_email
