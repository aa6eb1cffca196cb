"""The signed, one-time login handover from signup (public host) to the new store's admin."""

import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django_tenants.utils import schema_context

from tenants import handover
from tenants.models import Tenant

PASSWORD = "Plenty-long-Secret-7"


@pytest.fixture
def signed_up(public_client, db) -> tuple[Tenant, str]:
    """A store just created through the signup page, and the handover path it redirected to."""
    response = public_client.post(
        "/signup/",
        {"name": "Kite Shop", "slug": "kite-shop", "email": "kim@kite.test", "password": PASSWORD},
    )
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc, location.path) == (
        "http",
        "kite-shop.localhost",
        "/accounts/handover/",
    )
    return Tenant.objects.get(slug="kite-shop"), f"{location.path}?{location.query}"


def _token_of(path: str) -> str:
    return path.split("token=", 1)[1]


def _assert_anonymous_on(client: Client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_valid_token_logs_the_owner_in_on_the_store_host(signed_up):
    store, path = signed_up
    client = Client(HTTP_HOST="kite-shop.localhost")
    # when
    response = client.get(path)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert response["Referrer-Policy"] == "no-referrer"
    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert "Kite Shop" in admin.content.decode()
    assert admin.context["user"].email == "kim@kite.test"
    with schema_context(store.schema_name):
        from apps.accounts.models import User

        assert User.objects.get(email="kim@kite.test").last_login is not None


def test_a_spent_token_is_refused(signed_up):
    _store, path = signed_up
    first = Client(HTTP_HOST="kite-shop.localhost")
    assert first.get(path).status_code == 302
    # when: the same link is opened again, in another browser
    second = Client(HTTP_HOST="kite-shop.localhost")
    response = second.get(path)
    # then
    assert response.status_code == 403
    assert "This sign-in link has expired or has already been used." in response.content.decode()
    _assert_anonymous_on(second)


def test_an_expired_token_is_refused(signed_up, settings):
    _store, path = signed_up
    payload = signing.loads(_token_of(path), salt=handover.HANDOVER_SALT)

    class SignedLongAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - settings.LOGIN_HANDOVER_MAX_AGE - 1)

    old_token = SignedLongAgo(salt=handover.HANDOVER_SALT).sign_object(payload)
    client = Client(HTTP_HOST="kite-shop.localhost")
    # when
    response = client.get("/accounts/handover/", {"token": old_token})
    # then
    assert response.status_code == 403
    _assert_anonymous_on(client)
    # and the fresh token still works: the refusal did not spend it
    assert client.get(path).status_code == 302


def test_store_a_token_is_refused_on_store_b_host(store_a, store_b, client_b):
    # given: a genuine token for store A's owner (ids start at 1 in every store, so A's owner
    # and B's owner share an id: exactly the mix-up this must prevent)
    from apps.accounts.models import User

    with schema_context(store_a.schema):
        owner_a = User.objects.get(email=store_a.owner_email)
    with schema_context(store_b.schema):
        owner_b = User.objects.get(email=store_b.owner_email)
    assert owner_a.pk == owner_b.pk
    token = handover.handover_token_make(tenant=store_a.tenant, user_id=owner_a.pk)
    # when
    response = client_b.get("/accounts/handover/", {"token": token})
    # then
    assert response.status_code == 403
    assert f"Sign in to {store_b.tenant.name}" in response.content.decode()
    _assert_anonymous_on(client_b)


def test_a_tampered_token_is_refused(signed_up):
    _store, path = signed_up
    token = _token_of(path)
    payload = signing.loads(token, salt=handover.HANDOVER_SALT)
    forged_payload = signing.dumps(
        payload, key="not-our-secret-key-" * 3, salt=handover.HANDOVER_SALT
    )
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    other_salt = signing.dumps(payload, salt="some.other.purpose")
    client = Client(HTTP_HOST="kite-shop.localhost")
    for bad in (flipped, forged_payload, other_salt, "", "garbage"):
        # when
        response = client.get("/accounts/handover/", {"token": bad})
        # then
        assert response.status_code == 403, bad
    _assert_anonymous_on(client)


def test_a_token_for_a_customer_is_refused(store_a, client_a):
    # The handover leads to the admin: only staff accounts may use it.
    from apps.accounts.models import User

    with schema_context(store_a.schema):
        customer = User.objects.get(email=store_a.customer_email)
    token = handover.handover_token_make(tenant=store_a.tenant, user_id=customer.pk)
    response = client_a.get("/accounts/handover/", {"token": token})
    assert response.status_code == 403
    _assert_anonymous_on(client_a)


def test_handover_lifetime_comes_from_settings():
    assert settings.LOGIN_HANDOVER_MAX_AGE == 120
