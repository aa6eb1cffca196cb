"""The store API: /api/v1/..., its OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("v1/", include("apps.accounts.api.urls")),
    path("v1/", include("apps.catalog.api.urls")),
    path("v1/", include("apps.inventory.api.urls")),
    path("v1/", include("apps.shipping.api.urls")),
    path("v1/", include("apps.tax.api.urls")),
    path("v1/", include("apps.discounts.api.urls")),
    path("v1/", include("apps.cart.api.urls")),
    path("v1/", include("apps.orders.api.urls")),
    path("v1/", include("apps.payments.api.urls")),
    path("v1/", include("apps.checkout.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
