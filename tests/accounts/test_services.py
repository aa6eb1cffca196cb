import pytest
from django.db import IntegrityError, transaction
from django_tenants.utils import tenant_context

from apps.accounts import services
from apps.accounts.models import User
from apps.core.exceptions import ApplicationError


@pytest.fixture
def in_store_a(store_a):
    with tenant_context(store_a.tenant):
        yield store_a


def test_customer_register_opens_a_customer_account(in_store_a):
    # when
    user = services.customer_register(
        email="  Ada@Example.COM ", password="Analytical-Engine-1843", first_name=" Ada "
    )
    # then
    user.refresh_from_db()
    assert (user.email, user.first_name, user.role) == ("ada@example.com", "Ada", "customer")
    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, True)
    assert user.check_password("Analytical-Engine-1843")


def test_customer_register_refuses_a_taken_address_whatever_its_case(in_store_a):
    with pytest.raises(ApplicationError) as caught:
        services.customer_register(email="CUSTOMER@store-a.test", password="Another-Pass-99")
    assert (caught.value.code, caught.value.field) == ("email_taken", "email")


def test_customer_register_refuses_a_weak_password(in_store_a):
    with pytest.raises(ApplicationError) as caught:
        services.customer_register(email="new@example.com", password="12345678")
    assert (caught.value.code, caught.value.field) == ("password_invalid", "password")
    assert caught.value.message == "This password is too common. This password is entirely numeric."
    assert not User.objects.filter(email="new@example.com").exists()


def test_customer_register_refuses_an_invalid_address(in_store_a):
    with pytest.raises(ApplicationError) as caught:
        services.customer_register(email="not an address", password="Analytical-Engine-1843")
    assert (caught.value.code, caught.value.field) == ("email_invalid", "email")


def test_database_refuses_two_accounts_differing_only_in_case(in_store_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        User(email=in_store_a.customer_email.upper()).save()


def test_password_reset_request_queues_one_email_per_active_account(
    in_store_a, mailoutbox, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.password_reset_request(email=in_store_a.customer_email.upper())
    # then
    assert queued == 1
    assert [m.to for m in mailoutbox] == [[in_store_a.customer_email]]


def test_password_reset_request_for_an_unknown_address_sends_nothing(
    in_store_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.password_reset_request(email="nobody@example.com")
    assert queued == 0
    assert mailoutbox == []
