from rest_framework.routers import SimpleRouter

from apps.discounts.api import views

router = SimpleRouter()
router.register("vouchers", views.VoucherViewSet, basename="api-voucher")
router.register("promotions", views.PromotionViewSet, basename="api-promotion")

urlpatterns = router.urls
