"""bench/catalog.py's URLs: every store URL, plus the trivial JSON view that is the ceiling."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from config.urls_tenant import handler404, handler500  # noqa: F401 (Django reads them here)


def ping(request: HttpRequest) -> JsonResponse:
    # The cheapest Django answer on a store host: routed, through every middleware, no query.
    return JsonResponse({"ok": True, "schema": connection.schema_name})


urlpatterns = [
    path("bench/ping/", ping),
    path("", include("config.urls_tenant")),
]
