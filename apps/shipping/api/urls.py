from rest_framework.routers import SimpleRouter

from apps.shipping.api import views

router = SimpleRouter()
router.register("shipping-zones", views.ShippingZoneViewSet, basename="api-shipping-zone")
router.register("shipping-methods", views.ShippingMethodViewSet, basename="api-shipping-method")

urlpatterns = router.urls
