from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.orders.api import views

router = SimpleRouter()
router.register("orders", views.OrderViewSet, basename="api-order")

urlpatterns = [
    path(
        "orders/by-token/<str:token>/",
        views.OrderByTokenView.as_view(),
        name="api-order-by-token",
    ),
    *router.urls,
]
