from rest_framework.routers import SimpleRouter

from apps.inventory.api import views

router = SimpleRouter()
router.register("stock-locations", views.StockLocationViewSet, basename="api-stock-location")
router.register("stock", views.StockViewSet, basename="api-stock")

urlpatterns = router.urls
