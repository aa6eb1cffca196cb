from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_store_host_serves_its_store(client_a, store_a):
    # when
    response = client_a.get("/api/v1/store/")
    # then
    assert response.status_code == 200
    assert response.json()["slug"] == store_a.tenant.slug


def test_unknown_host_gets_plain_404(store_a):
    from django.test import Client

    response = Client(HTTP_HOST="nobody.localhost").get("/")
    assert response.status_code == 404
    assert b"no store at this address" in response.content


def test_warm_worker_resolves_host_without_tenant_queries(client_a, store_a):
    # given: a first request warms the host map and sets the connection's search_path
    client_a.get("/api/v1/store/")
    # when
    with CaptureQueriesContext(connection) as queries:
        response = client_a.get("/api/v1/store/")
    # then: no domain lookup, no SET search_path, nothing at all for routing
    assert response.status_code == 200
    assert [q["sql"] for q in queries.captured_queries] == []
