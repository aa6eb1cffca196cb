"""The live server's media switch (SERVE_MEDIA, config/urls_tenant.py): off unless a process is
told, and then a store host serves that store's own files only. (No browser: the Django test
client is enough; test_storefront.py shows the pictures arriving in Chromium.)"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings


@pytest.fixture
def pictures(store_a, store_b) -> dict[str, str]:
    """One file per store, where StoreFileSystemStorage puts them: <MEDIA_ROOT>/<schema>/...
    (MEDIA_ROOT is a per-test directory, tests/conftest.py)."""
    names = {}
    for store, body in ((store_a, b"picture of A"), (store_b, b"picture of B")):
        name = f"{store.schema}/products/picture.txt"
        path = Path(settings.MEDIA_ROOT) / name
        path.parent.mkdir(parents=True)
        path.write_bytes(body)
        names[store.schema] = name
    return names


def test_media_is_not_served_by_default(client_a, store_a, pictures):
    assert settings.SERVE_MEDIA is False
    response = client_a.get(f"/media/{pictures[store_a.schema]}")
    assert response.status_code == 404


@override_settings(SERVE_MEDIA=True)
def test_a_store_host_serves_its_own_media_when_told(client_a, store_a, pictures):
    response = client_a.get(f"/media/{pictures[store_a.schema]}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"picture of A"


@override_settings(SERVE_MEDIA=True)
def test_a_store_host_never_serves_another_stores_media(client_a, store_a, store_b, pictures):
    other = pictures[store_b.schema]
    for path in (
        f"/media/{other}",
        # the own schema's prefix, then out of it
        f"/media/{store_a.schema}/../{other}",
        f"/media/{store_a.schema}/%2E%2E/{other}",
        f"/media/{store_a.schema}/..%2F{other}",
    ):
        response = client_a.get(path)
        assert response.status_code == 404, path
        assert b"picture of B" not in response.content, path


@override_settings(SERVE_MEDIA=True)
def test_nothing_outside_media_root_is_served(client_a, store_a):
    response = client_a.get(f"/media/{store_a.schema}/../../config/settings/base.py")
    assert response.status_code == 404
