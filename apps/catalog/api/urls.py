from rest_framework.routers import SimpleRouter

from apps.catalog.api import views

router = SimpleRouter()
router.register("categories", views.CategoryViewSet, basename="api-category")
router.register("collections", views.CollectionViewSet, basename="api-collection")
router.register("products", views.ProductViewSet, basename="api-product")
router.register("variants", views.VariantViewSet, basename="api-variant")

urlpatterns = router.urls
