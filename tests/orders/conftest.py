"""Orders test fixtures: tests inside store A."""

import pytest
from django_tenants.utils import tenant_context


@pytest.fixture
def in_a(store_a):
    with tenant_context(store_a.tenant):
        yield store_a
