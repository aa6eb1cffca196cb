from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.tax.api import views

router = SimpleRouter()
router.register("tax-rates", views.TaxRateViewSet, basename="api-tax-rate")

urlpatterns = [
    path("tax-settings/", views.TaxSettingsView.as_view(), name="api-tax-settings"),
    *router.urls,
]
