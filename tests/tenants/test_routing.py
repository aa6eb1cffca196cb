"""Hostname → store routing (tenants.middleware + tenants.routing)."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenants import routing, services
from tenants.models import Domain

STORE_URL = "/api/v1/store/"


def test_store_host_serves_its_store(client_a, client_b, store_a, store_b):
    assert client_a.get(STORE_URL).json()["slug"] == "store-a"
    assert client_b.get(STORE_URL).json()["slug"] == "store-b"


def test_host_match_ignores_port_case_and_www(store_a):
    for host in ("STORE-A.localhost:8000", "www.store-a.localhost", "store-a.localhost."):
        response = Client(HTTP_HOST=host).get(STORE_URL)
        assert (host, response.status_code) == (host, 200)
        assert response.json()["slug"] == "store-a"


def test_unknown_host_gets_plain_404(store_a):
    response = Client(HTTP_HOST="nobody.localhost").get("/")
    assert response.status_code == 404
    assert b"There is no store at this address" in response.content
    assert b"Store A" not in response.content


def test_public_host_is_the_operator_site_not_a_store(public_client, store_a):
    response = public_client.get(STORE_URL)
    # the store API does not exist on the public host
    assert response.status_code == 404


def test_warm_worker_resolves_host_without_tenant_queries(client_a, store_a):
    # given: a first request warms the host map and sets the connection's search_path
    client_a.get(STORE_URL)
    # when
    with CaptureQueriesContext(connection) as queries:
        response = client_a.get(STORE_URL)
    # then: no domain lookup, no SET search_path, nothing at all for routing
    assert response.status_code == 200
    assert [q["sql"] for q in queries.captured_queries] == []


def test_switching_stores_moves_the_connection_without_a_domain_query(client_a, client_b):
    # given: both hosts known to this worker
    client_a.get(STORE_URL)
    client_b.get(STORE_URL)
    # when: the connection moves from B's schema to A's
    with CaptureQueriesContext(connection) as queries:
        response = client_a.get(STORE_URL)
    # then: routed from the map; the search_path follows lazily, with the first real query
    assert response.json()["slug"] == "store-a"
    assert connection.schema_name == "store_store_a"
    assert [q["sql"] for q in queries.captured_queries] == []


def test_suspended_store_answers_503_page_and_json(
    client_a, store_a, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        services.store_suspend(tenant=store_a.tenant)
    # when
    page = client_a.get("/")
    api = client_a.get(STORE_URL)
    # then
    assert page.status_code == 503
    assert b"Store unavailable" in page.content
    assert page["Retry-After"] == "3600"
    assert api.status_code == 503
    assert api.json() == {
        "type": "server_error",
        "errors": [
            {
                "code": "store_unavailable",
                "detail": "This store is temporarily unavailable.",
                "attr": None,
            }
        ],
    }


def test_a_new_domain_is_served_once_routing_is_invalidated(
    store_a, django_capture_on_commit_callbacks
):
    # given: the worker has already answered 404 for the host (and remembered it)
    client = Client(HTTP_HOST="second.localhost")
    assert client.get(STORE_URL).status_code == 404
    # when: the domain is added (the save signal invalidates routing on commit)
    with django_capture_on_commit_callbacks(execute=True):
        Domain.objects.create(domain="second.localhost", tenant=store_a.tenant, is_primary=False)
    # then
    assert client.get(STORE_URL).json()["slug"] == "store-a"


def test_another_workers_change_is_seen_after_the_check_interval(store_a, settings):
    # given: a warm map, and a worker that checks the shared version only once an hour
    settings.TENANT_ROUTING_CHECK_INTERVAL = 3600
    client = Client(HTTP_HOST=store_a.host)
    assert client.get(STORE_URL).status_code == 200
    Domain.objects.filter(tenant=store_a.tenant).delete()  # as another process would
    # then: within the interval this worker still routes from its map (no query)...
    assert client.get(STORE_URL).status_code == 200
    # when: the interval has passed and another process bumped the shared version
    caches["platform"].set(routing.VERSION_KEY, "changed-elsewhere", None)
    routing._state["checked_at"] = float("-inf")
    # then: the map is dropped and the host is looked up afresh
    assert client.get(STORE_URL).status_code == 404


@pytest.mark.parametrize("host", ["localhost", "store-a.localhost", "nobody.localhost"])
def test_health_probes_answer_on_any_host(store_a, host):
    client = Client(HTTP_HOST=host)
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": True, "cache": True}}


def test_readyz_is_503_when_redis_is_unreachable(db, settings):
    settings.CACHES = {
        **settings.CACHES,
        "platform": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        },
    }
    response = Client(HTTP_HOST="localhost").get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": True, "cache": False},
    }
