"""Store A's credentials, cookies, cache entries, files and log lines mean nothing on store B.

Both stores were provisioned the same way, so their accounts have the same ids: exactly the
situation in which an unbound token or session would let A's owner in as B's owner.
"""

import logging
import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts import services
from apps.accounts.models import User
from apps.core.api.throttling import budget_used
from apps.core.logging import StoreSchemaFilter
from tests.api.helpers import ME_URL, REFRESH_URL, STORE_URL, error, token_pair
from tests.cache import cache_reset

ADMIN_LOGIN = "/admin/login/?next=/admin/"


def _user_id(store, email: str) -> int:
    with schema_context(store.schema):
        return User.objects.get(email=email).pk


def test_same_user_ids_exist_in_both_stores(store_a, store_b):
    # The premise of the token tests below.
    assert _user_id(store_a, store_a.owner_email) == _user_id(store_b, store_b.owner_email)


def test_a_jwt_from_store_a_is_refused_on_store_b(api_a, api_b, store_a):
    # given
    access = token_pair(api_a, email=store_a.owner_email, password=store_a.password)["access"]
    # when
    api_b.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    response = api_b.get(ME_URL)
    # then
    assert response.status_code == 401
    assert response.json() == error("token_wrong_store", "This token belongs to another store.")
    # and it still works at home
    api_a.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api_a.get(ME_URL).json()["email"] == store_a.owner_email


def test_a_refresh_token_from_store_a_is_refused_on_store_b(api_a, api_b, store_a):
    refresh = token_pair(api_a, email=store_a.owner_email, password=store_a.password)["refresh"]
    response = api_b.post(REFRESH_URL, {"refresh": refresh}, format="json")
    assert response.status_code == 401
    assert response.json() == error("token_wrong_store", "This token belongs to another store.")


def test_tokens_of_a_deleted_store_mean_nothing_to_its_successor(
    db, django_capture_on_commit_callbacks
):
    # given: a store, a token pair for its owner, then the store deleted and its address
    # signed up again (same slug, same schema name, same owner id)
    from rest_framework.test import APIClient

    from tenants import services as store_services

    def signup():
        with django_capture_on_commit_callbacks(execute=True):
            return store_services.store_provision(
                name="Phoenix",
                slug="phoenix",
                owner_email="o@phoenix.test",
                owner_password="Rises-again-42",
                strategy=store_services.ProvisionStrategy.CLONE,
            ).tenant

    first = signup()
    api = APIClient(HTTP_HOST=first.primary_host)
    tokens = token_pair(api, email="o@phoenix.test", password="Rises-again-42")
    connection.set_schema_to_public()  # the request left the connection in the store's schema
    with django_capture_on_commit_callbacks(execute=True):
        store_services.store_delete(tenant=first, confirmation="phoenix")
    second = signup()
    assert (second.schema_name, second.primary_host) == (first.schema_name, first.primary_host)
    # when
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    me = api.get(ME_URL)
    refreshed = APIClient(HTTP_HOST=second.primary_host).post(
        REFRESH_URL, {"refresh": tokens["refresh"]}, format="json"
    )
    # then
    wrong_store = error("token_wrong_store", "This token belongs to another store.")
    assert (me.status_code, me.json()) == (401, wrong_store)
    assert (refreshed.status_code, refreshed.json()) == (401, wrong_store)


def test_a_session_cookie_from_store_a_is_anonymous_on_store_b(client_a, client_b, store_a):
    # given: the owner is logged in on A (storefront and admin share the session)
    client_a.post(ADMIN_LOGIN, {"username": store_a.owner_email, "password": store_a.password})
    assert client_a.get("/admin/").status_code == 200
    # when: the same session cookie is presented to B
    client_b.cookies["sessionid"] = client_a.cookies["sessionid"].value
    # then
    assert client_b.get(ME_URL).status_code == 401
    admin = client_b.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"].startswith("/admin/login/")
    assert "Log in" in client_b.get("/").content.decode()


def test_store_a_owner_cannot_log_in_to_store_b_admin(client_b, store_a):
    response = client_b.post(
        ADMIN_LOGIN, {"username": store_a.owner_email, "password": store_a.password}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Please enter the correct email address and password for a staff account. "
        "Note that both fields may be case-sensitive."
    ]
    assert client_b.get("/admin/").status_code == 302


def test_same_email_in_two_stores_is_two_independent_accounts(client_a, client_b):
    # given: the same person registers in both stores, with different passwords
    email = "shopper@example.com"
    for client, password in ((client_a, "Password-For-A-1"), (client_b, "Password-For-B-2")):
        response = client.post("/account/register/", {"email": email, "password": password})
        assert response.status_code == 302
        client.post("/account/logout/")

    def logs_in(client, password):
        response = client.post("/account/login/", {"username": email, "password": password})
        client.post("/account/logout/")
        return response.status_code == 302

    # then: each store knows only its own password
    assert logs_in(client_a, "Password-For-A-1")
    assert not logs_in(client_a, "Password-For-B-2")
    assert logs_in(client_b, "Password-For-B-2")
    assert not logs_in(client_b, "Password-For-A-1")


def test_same_email_in_two_stores_through_the_service(store_a, store_b):
    with schema_context(store_a.schema):
        in_a = services.customer_register(email="both@example.com", password="Password-For-A-1")
    with schema_context(store_b.schema):
        in_b = services.customer_register(email="both@example.com", password="Password-For-B-2")
        in_b.first_name = "Only in B"
        in_b.save(update_fields=["first_name"])
    with schema_context(store_a.schema):
        assert User.objects.get(pk=in_a.pk).first_name == ""
        assert User.objects.get(pk=in_a.pk).check_password("Password-For-A-1")


def test_a_cached_value_set_for_store_a_is_invisible_to_store_b(store_a, store_b):
    # given
    with schema_context(store_a.schema):
        cache.set("isolation-probe", "A's value", 60)
    # then
    with schema_context(store_b.schema):
        assert cache.get("isolation-probe") is None
        cache.set("isolation-probe", "B's value", 60)
    with schema_context(store_a.schema):
        assert cache.get("isolation-probe") == "A's value"


def test_cache_entries_written_while_serving_a_stay_with_a(api_a, api_b, store_a, store_b):
    # given: a fresh cache; each request records a throttle entry under its store
    cache_reset()
    # when: a request is served on A
    assert api_a.get(STORE_URL).status_code == 200
    # then: A's count exists for A only, and B's requests do not see or touch it
    with schema_context(store_a.schema):
        assert budget_used("store", store_a.schema) == 1
        assert budget_used("client", "ip-127.0.0.1") == 1
    with schema_context(store_b.schema):
        assert budget_used("store", store_a.schema) == 0
        assert budget_used("client", "ip-127.0.0.1") == 0
    assert api_b.get(STORE_URL).status_code == 200
    with schema_context(store_a.schema):
        assert budget_used("client", "ip-127.0.0.1") == 1


def test_unknown_host_is_a_plain_404(store_a):
    client = Client(HTTP_HOST="nobody.localhost")
    response = client.get("/")
    assert response.status_code == 404
    assert b"There is no store at this address" in response.content
    assert client.get("/admin/login/").status_code == 404


def test_unknown_host_is_a_json_404_on_the_api(store_a):
    response = Client(HTTP_HOST="nobody.localhost").get(STORE_URL)
    assert response.status_code == 404
    assert response.json() == error("store_not_found", "No store answers on this host.")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_media_files_are_kept_per_store(media_root, store_a, store_b):
    # when: both stores save a file under the same name
    with schema_context(store_a.schema):
        name_a = default_storage.save("logos/logo.png", ContentFile(b"A's logo"))
    with schema_context(store_b.schema):
        name_b = default_storage.save("logos/logo.png", ContentFile(b"B's logo"))
    # then: each lands under its own schema's directory; B did not overwrite A
    assert name_a == f"{store_a.schema}/logos/logo.png"
    assert name_b == f"{store_b.schema}/logos/logo.png"
    assert (media_root / store_a.schema / "logos" / "logo.png").read_bytes() == b"A's logo"
    assert (media_root / store_b.schema / "logos" / "logo.png").read_bytes() == b"B's logo"
    # and B cannot reach A's file by naming it
    with schema_context(store_b.schema):
        assert not default_storage.exists(name_a)
        assert default_storage.url(name_b) == f"/media/{store_b.schema}/logos/logo.png"


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.addFilter(StoreSchemaFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def request_log():
    handler = _Records()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


def test_log_records_carry_the_store_schema(api_a, api_b, store_a, store_b, request_log):
    # when: each store logs a request it could not serve
    api_a.get("/api/v1/no-such-thing/")
    api_b.get("/api/v1/no-such-thing/")
    # then
    assert [(r.getMessage(), r.schema) for r in request_log] == [
        ("Not Found: /api/v1/no-such-thing/", store_a.schema),
        ("Not Found: /api/v1/no-such-thing/", store_b.schema),
    ]


def test_log_records_outside_a_store_say_public():
    handler = _Records()
    logger = logging.getLogger("tests.isolation")
    logger.addHandler(handler)
    try:
        logger.warning("operator work")
    finally:
        logger.removeHandler(handler)
    assert [r.schema for r in handler.records] == ["public"]


def test_a_password_reset_link_from_store_a_does_not_work_on_store_b(
    client_a, client_b, store_a, mailoutbox, django_capture_on_commit_callbacks
):
    # given: a reset link for A's customer (whose id also exists on B)
    with django_capture_on_commit_callbacks(execute=True):
        client_a.post("/account/password-reset/", {"email": store_a.customer_email})
    [message] = mailoutbox
    path = re.search(r"http://store-a\.localhost(/account/password-reset/\S+/)", message.body)
    # when
    response = client_b.get(path.group(1), follow=True)
    # then
    assert "This link no longer works" in response.content.decode()
