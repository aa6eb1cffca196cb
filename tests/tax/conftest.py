"""Tax test fixtures: the shipping tests' signed-in clients and store A's schema, plus a few
rates in store A."""

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from apps.tax import services
from tests.shipping.conftest import (  # noqa: F401 (fixtures shared with the shipping tests)
    customer_api_a,
    in_a,
    owner_admin_a,
    owner_api_a,
    staff_api_a,
)


@pytest.fixture
def rates_a(store_a):
    """Store A: US sales tax 5 % with California's own 7.25 %, and UK VAT 20 %."""
    with schema_context(store_a.schema):
        return {
            "us": services.tax_rate_create(country="US", rate=Decimal("5"), name="Sales tax"),
            "ca": services.tax_rate_create(
                country="US", region="CA", rate=Decimal("7.25"), name="CA sales tax"
            ),
            "gb": services.tax_rate_create(country="GB", rate=Decimal("20"), name="VAT"),
        }
