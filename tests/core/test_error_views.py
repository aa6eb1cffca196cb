"""Crashes outside the API keep Django's plain 500 page (no traceback either way)."""

from django.test import Client


def test_a_crash_outside_the_api_is_a_plain_500_page(store_a, settings):
    settings.ROOT_URLCONF = "tests.core.urls_crash"
    response = Client(HTTP_HOST=store_a.host, raise_request_exception=False).get("/crash/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"hunter2" not in response.content
