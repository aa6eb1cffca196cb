"""Periodic inventory work: the fleet fan-out reaches every active store in its own schema,
expiry through it, and the daily low-stock email. Tasks run eagerly here (CELERY_EAGER)."""

from datetime import UTC, datetime, timedelta

import pytest
from celery import current_app, shared_task
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from apps.accounts.models import User
from apps.core import fleet
from apps.inventory import services, tasks
from apps.inventory.models import LowStockDigest, Reservation
from tenants.models import Tenant
from tests.inventory.conftest import books_balance, variant_make

SEEN: list[str] = []


@shared_task(name="tests.inventory.schema_record")
def schema_record(*, note: str) -> str:
    SEEN.append(f"{connection.schema_name}:{note}")
    return connection.schema_name


@pytest.fixture
def seen():
    SEEN.clear()
    yield SEEN
    SEEN.clear()


def _active_schemas() -> set[str]:
    return set(
        Tenant.objects.filter(status=Tenant.Status.ACTIVE).values_list("schema_name", flat=True)
    )


def test_fan_out_runs_the_task_once_in_each_active_store(store_a, store_b, seen):
    # given: store B is suspended
    Tenant.objects.filter(pk=store_b.tenant.pk).update(status=Tenant.Status.SUSPENDED)
    expected = _active_schemas()
    assert store_a.schema in expected
    assert store_b.schema not in expected
    # when: beat's message, sent from the public schema
    queued = fleet.fleet_fan_out.delay(task="tests.inventory.schema_record", kwargs={"note": "x"})
    # then
    assert queued.get() == len(expected)
    assert sorted(seen) == sorted(f"{schema}:x" for schema in expected)
    assert connection.schema_name == "public"


def test_beat_entries_name_registered_tasks():
    for key in ("inventory-reservations-expire", "inventory-low-stock-email"):
        entry = settings.CELERY_BEAT_SCHEDULE[key]
        assert entry["task"] == "apps.core.fleet.fleet_fan_out"
        assert entry["task"] in current_app.tasks
        assert entry["kwargs"]["task"] in current_app.tasks
    assert settings.CELERY_BEAT_SCHEDULE["inventory-reservations-expire"]["kwargs"]["task"] == (
        tasks.reservations_expire.name
    )


def test_expiry_through_the_fan_out_reaches_both_stores(store_a, store_b):
    # given: an expired reservation in each store (same ids in both schemas, different rows)
    past = timezone.now() - timedelta(minutes=1)
    for store in (store_a, store_b):
        with schema_context(store.schema):
            variant = variant_make("TEE-1")
            services.stock_receive(variant=variant, quantity=2)
            services.stock_reserve(lines=[(variant.pk, 2)], reference="checkout:t", expires_at=past)
    # when
    fleet.fleet_fan_out.delay(task=tasks.reservations_expire.name)
    # then
    for store in (store_a, store_b):
        with schema_context(store.schema):
            assert list(Reservation.objects.values_list("state", flat=True)) == ["released"]
            books_balance()


# --- the low-stock email --------------------------------------------------------------------

MORNING = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)


@pytest.fixture
def low_stock_a(in_a):
    """Store A: one variant out of stock and one low (threshold 5), one fine, one unwatched;
    an inactive staff member who must not get the email."""
    out, low, fine = variant_make("OUT-1"), variant_make("LOW-1"), variant_make("FINE-1")
    variant_make("UNWATCHED")
    for variant in (out, low, fine):
        services.policy_update(variant=variant, low_stock_threshold=5)
    services.stock_receive_many(entries=[(low, 2), (fine, 50)])
    User.objects.create_user(
        email="gone@store-a.test",
        password="x",
        role=User.Role.STAFF,
        is_staff=True,
        is_active=False,
    )
    return in_a


def test_low_stock_email_goes_to_active_staff_once_a_day(low_stock_a, mailoutbox):
    store = low_stock_a
    # when
    sent = services.low_stock_email_send(now=MORNING)
    # then: one email each to the owner and the staff member (not customers, not inactive staff)
    assert sent == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([store.owner_email, store.staff_email])
    message = mailoutbox[0]
    assert message.subject == "Store STORE-A: 2 variants low on stock"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    text = message.body
    assert "- Product OUT-1 (OUT-1): 0 available, threshold 5" in text
    assert "- Product LOW-1 (LOW-1): 2 available, threshold 5" in text
    assert "FINE-1" not in text
    assert "UNWATCHED" not in text
    assert "/admin/inventory/stockitem/low-stock/" in text
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<code>LOW-1</code>" in html
    assert LowStockDigest.objects.get().day == MORNING.date()
    # and not again the same day, nor before 07:00 the next day; then again
    assert services.low_stock_email_send(now=MORNING + timedelta(hours=3)) == 0
    assert services.low_stock_email_send(now=MORNING + timedelta(hours=20)) == 0
    assert services.low_stock_email_send(now=MORNING + timedelta(days=1)) == 2
    assert len(mailoutbox) == 4


def test_no_email_when_nothing_is_low(in_a, mailoutbox):
    variant = variant_make("FINE-1")
    services.policy_update(variant=variant, low_stock_threshold=1)
    services.stock_receive(variant=variant, quantity=2)
    assert services.low_stock_email_send(now=MORNING) == 0
    assert mailoutbox == []
    assert not LowStockDigest.objects.exists()


def test_the_store_time_zone_decides_the_morning(low_stock_a, mailoutbox):
    # given: store A is in New York, where 08:00 UTC is 03:00
    Tenant.objects.filter(pk=low_stock_a.tenant.pk).update(timezone="America/New_York")
    with tenant_context(Tenant.objects.get(pk=low_stock_a.tenant.pk)):
        # then
        assert services.low_stock_email_send(now=MORNING) == 0
        assert services.low_stock_email_send(now=MORNING + timedelta(hours=5)) == 2
        assert LowStockDigest.objects.get().day == MORNING.date()


def test_low_stock_task_through_the_fan_out(low_stock_a, store_b, mailoutbox):
    # given: store B has nothing watched
    connection.set_schema_to_public()
    # when (from 00:00, so the run does not depend on the hour the test runs at)
    fleet.fleet_fan_out.delay(task=tasks.low_stock_email.name, kwargs={"from_hour": 0})
    # then: only store A's staff hear, about store A
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [low_stock_a.owner_email, low_stock_a.staff_email]
    )
    assert {m.subject for m in mailoutbox} == {"Store STORE-A: 2 variants low on stock"}
