from rest_framework.routers import SimpleRouter

from apps.checkout.api import views

router = SimpleRouter()
router.register("checkouts", views.CheckoutViewSet, basename="api-checkout")

urlpatterns = router.urls
