"""URLs of the public host (the operator's site)."""

from django.conf import settings
from django.urls import include, path

from tenants.admin import operator_site

urlpatterns = [
    path("admin/", operator_site.urls),
    path("", include("tenants.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
