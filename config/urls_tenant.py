"""URLs of every store host."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

# Under /api/ errors keep the API's JSON shape; elsewhere Django's own pages.
# ...and the storefront's pages in the store's own look (both delegate to those for /api/).
handler404 = "apps.catalog.views.page_not_found"
handler500 = "apps.catalog.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("config.urls_api")),
    path("", include("tenants.handover_urls")),
    # The storefront answers "/" (before apps.accounts' placeholder home, whose name
    # accounts:home still reverses to "/").
    path("", include("apps.catalog.urls")),
    path("", include("apps.accounts.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
