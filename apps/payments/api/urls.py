from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.payments.api import views

router = SimpleRouter()
router.register("payment-methods", views.PaymentMethodViewSet, basename="api-payment-method")
router.register("payments", views.PaymentViewSet, basename="api-payment")

urlpatterns = [
    path(
        "payments/webhooks/<slug:provider>/",
        views.PaymentWebhookView.as_view(),
        name="api-payment-webhook",
    ),
    *router.urls,
]
