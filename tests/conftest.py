"""Shared fixtures: two committed stores (A and B), each with an owner, a staff user and a
customer, and clients bound to each store's host.

The stores are created once per test session, through the same provisioning service as the
signup page, and committed; each test then runs in a transaction that is rolled back.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client, override_settings
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from tenants import routing, services
from tenants.models import Tenant
from tests.cache import cache_reset

PASSWORD = "Correct-Horse-42!"


@dataclass(frozen=True)
class StoreFixture:
    tenant: Tenant
    owner_email: str
    staff_email: str
    customer_email: str
    password: str = PASSWORD

    @property
    def host(self) -> str:
        return self.tenant.primary_host

    @property
    def schema(self) -> str:
        return self.tenant.schema_name


def _store_create(slug: str) -> StoreFixture:
    from apps.accounts.models import User

    tenant = services.store_provision(
        name=f"Store {slug.upper()}",
        slug=slug,
        owner_email=f"owner@{slug}.test",
        owner_password=PASSWORD,
        strategy=services.ProvisionStrategy.CLONE,
    ).tenant
    with schema_context(tenant.schema_name):
        staff = User.objects.create_user(
            email=f"staff@{slug}.test", password=PASSWORD, role=User.Role.STAFF, is_staff=True
        )
        group, _ = Group.objects.get_or_create(name="Staff")
        group.permissions.set(Permission.objects.filter(codename__startswith="view_"))
        staff.groups.add(group)
        User.objects.create_user(email=f"customer@{slug}.test", password=PASSWORD)
    return StoreFixture(
        tenant=tenant,
        owner_email=f"owner@{slug}.test",
        staff_email=f"staff@{slug}.test",
        customer_email=f"customer@{slug}.test",
    )


@pytest.fixture(scope="session")
def two_stores(django_db_setup, django_db_blocker) -> tuple[StoreFixture, StoreFixture]:
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        stores = {}
        for slug in ("store-a", "store-b"):
            existing = Tenant.objects.filter(slug=slug).first()
            if existing is not None:  # left by an earlier run with --reuse-db
                services.store_delete(tenant=existing, confirmation=slug)
            stores[slug] = _store_create(slug)
        routing.routing_invalidate()
    return stores["store-a"], stores["store-b"]


@pytest.fixture
def store_a(two_stores, db) -> StoreFixture:
    return two_stores[0]


@pytest.fixture
def store_b(two_stores, db) -> StoreFixture:
    return two_stores[1]


@pytest.fixture(autouse=True)
def _media_in_tmp(tmp_path):
    """Uploaded and generated files (product images, thumbnails, the demo seed's pictures) go
    to a per-test directory, never into the project's media/. (override_settings, not the
    `settings` fixture: that one would restore a test's own changes only after the fixture
    below had already torn down with them in place.)"""
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Redis is not rolled back with the test's transaction: a page cached or a budget spent
    by one test must not leak into the next."""
    cache_reset()


@pytest.fixture(autouse=True)
def _public_schema_and_fresh_routing():
    """Each test starts in the public schema with an empty host map (rolled-back stores
    must not linger in a worker's routing map)."""
    connection.set_schema_to_public()
    routing.routing_invalidate()
    yield
    connection.set_schema_to_public()
    routing.routing_invalidate()


@pytest.fixture
def public_client() -> Client:
    return Client(HTTP_HOST="localhost")


@pytest.fixture
def client_a(store_a) -> Client:
    return Client(HTTP_HOST=store_a.host)


@pytest.fixture
def client_b(store_b) -> Client:
    return Client(HTTP_HOST=store_b.host)


@pytest.fixture
def api_a(store_a) -> APIClient:
    return APIClient(HTTP_HOST=store_a.host)


@pytest.fixture
def api_b(store_b) -> APIClient:
    return APIClient(HTTP_HOST=store_b.host)


@pytest.fixture(autouse=True)
def _celery_join_flag_reset():
    """Eager tasks run from several threads at once (the concurrency tests) set and restore
    Celery's process-wide "joining would block" flag in an interleaved order and can leave
    it on, which makes a later test's eager `.get()` raise. Each test starts with it off."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)
    yield
    _set_task_join_will_block(False)
