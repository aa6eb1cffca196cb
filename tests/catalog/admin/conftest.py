"""Fixtures of the catalog admin tests: store A's owner logged in on store A's host."""

import pytest

ADMIN_LOGIN = "/admin/login/?next=/admin/"


def admin_login(client, email: str, password: str) -> None:
    response = client.post(ADMIN_LOGIN, {"username": email, "password": password})
    assert response.status_code == 302, "admin login failed"


@pytest.fixture
def owner_a(client_a, store_a):
    """client_a, logged in to store A's admin as its owner."""
    admin_login(client_a, store_a.owner_email, store_a.password)
    return client_a


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path
