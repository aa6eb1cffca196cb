"""URLs of every store host."""

import posixpath
import re

from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.views.static import serve

# Under /api/ errors keep the API's JSON shape; elsewhere Django's own pages.
# ...and the storefront's pages in the store's own look (both delegate to those for /api/).
handler404 = "apps.catalog.views.page_not_found"
handler500 = "apps.catalog.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("config.urls_api")),
    path("", include("tenants.handover_urls")),
    # The storefront answers "/"; the account pages live under /account/.
    path("", include("apps.catalog.urls")),
    path("", include("apps.accounts.urls")),
    path("cart/", include("apps.cart.urls")),
    path("", include("apps.checkout.urls")),
]


def store_media(request: HttpRequest, name: str) -> HttpResponse:
    """A file the store uploaded, from MEDIA_ROOT, when this process serves media itself
    (SERVE_MEDIA: the browser tests' gunicorn; DEBUG: `make run`). Names start with the
    store's schema (apps.core.storage), so another store's files are not found on this host."""
    if not (settings.SERVE_MEDIA or settings.DEBUG):
        raise Http404("Media is served by the storage, not by Django.")
    # Normalised before the check: "<schema>/../<other schema>/..." must not pass it.
    name = posixpath.normpath(name).lstrip("/")
    if not name.startswith(f"{connection.schema_name}/"):
        raise Http404("No such file in this store.")
    return serve(request, name, document_root=settings.MEDIA_ROOT)


# Checked per request (not at import), so a process without SERVE_MEDIA or DEBUG answers 404
# here, exactly as with no route at all. A MEDIA_URL on another host has no local route.
if settings.MEDIA_URL.startswith("/") and settings.MEDIA_URL != "/":
    urlpatterns.append(
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<name>.+)$", store_media)
    )
