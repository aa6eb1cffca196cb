"""Shipping test fixtures: signed-in API clients and admin sessions, and a little shipping
setup in store A built through the services."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.core.addresses import Address
from apps.shipping import services
from apps.shipping.providers.base import Package
from tests.api.helpers import token_pair

ADMIN_LOGIN = "/admin/login/?next=/admin/"
LONDON = Address(
    last_name="Holmes",
    street_address_1="221B Baker Street",
    city="London",
    postal_code="NW1 6XE",
    country_code="GB",
)
WESTMINSTER = Address(
    last_name="Windsor",
    street_address_1="Buckingham Palace",
    city="London",
    postal_code="SW1A 1AA",
    country_code="GB",
)
BERLIN = Address(
    last_name="Müller",
    street_address_1="Unter den Linden 77",
    city="Berlin",
    postal_code="10117",
    country_code="DE",
)
LOS_ANGELES = Address(
    last_name="Doe",
    street_address_1="1 Sunset Blvd",
    city="Los Angeles",
    country_area="CA",
    postal_code="90012",
    country_code="US",
)
TOKYO = Address(
    last_name="Tanaka",
    street_address_1="Chiyoda 1-1",
    country_area="東京都",
    postal_code="100-0001",
    country_code="JP",
)
PICKUP = {
    "company": "The Shop",
    "street_address_1": "1 Market Street",
    "city": "London",
    "postal_code": "sw1a 2aa",
    "country_code": "gb",
}


def package(subtotal: str = "20.00", grams: int = 500, currency: str = "GBP") -> Package:
    return Package(subtotal=Decimal(subtotal), weight_grams=grams, currency=currency, item_count=1)


def signed_in(store, email: str) -> APIClient:
    api = APIClient(HTTP_HOST=store.host)
    access = token_pair(api, email=email, password=store.password)["access"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return api


def perms_grant(store, email: str, app_label: str) -> None:
    with schema_context(store.schema):
        user = User.objects.get(email=email)
        user.user_permissions.add(*Permission.objects.filter(content_type__app_label=app_label))


def admin_login(client, email: str, password: str) -> None:
    response = client.post(ADMIN_LOGIN, {"username": email, "password": password})
    assert response.status_code == 302, "admin login failed"


@pytest.fixture
def in_a(store_a):
    """The test body runs in store A's schema."""
    with schema_context(store_a.schema):
        yield


@pytest.fixture
def owner_api_a(store_a) -> APIClient:
    return signed_in(store_a, store_a.owner_email)


@pytest.fixture
def staff_api_a(store_a) -> APIClient:
    """Store A's staff member with only the view permissions of the shared fixture."""
    return signed_in(store_a, store_a.staff_email)


@pytest.fixture
def customer_api_a(store_a) -> APIClient:
    return signed_in(store_a, store_a.customer_email)


@pytest.fixture
def owner_admin_a(client_a, store_a):
    admin_login(client_a, store_a.owner_email, store_a.password)
    return client_a


@pytest.fixture
def zones_a(store_a):
    """Store A ships in the UK (flat), with a London-centre zone (postcodes SW1*, pickup)
    and the rest of the world (by weight)."""
    with schema_context(store_a.schema):
        uk = services.shipping_zone_create(name="United Kingdom", countries=["GB"])
        standard = services.shipping_method_create(
            zone=uk, name="Royal Mail", rate_type="flat", amount=Decimal("3.95")
        )
        central = services.shipping_zone_create(
            name="Central London", countries=["GB"], postcodes=["SW1*"]
        )
        pickup = services.shipping_method_create(
            zone=central, name="Collect in store", rate_type="pickup", pickup_address=PICKUP
        )
        world = services.shipping_zone_create(name="Rest of the world")
        parcel = services.shipping_method_create(
            zone=world,
            name="Parcel",
            rate_type="weight",
            brackets=[{"lower": 0, "upper": 2000, "amount": "15.00"}],
        )
    return {
        "uk": uk, "standard": standard, "central": central, "pickup": pickup,
        "world": world, "parcel": parcel,
    }  # fmt: skip
