"""Storefront checkout and order pages (config/urls_tenant.py includes them at the root)."""

from django.urls import path

from apps.checkout import views

app_name = "checkout"
urlpatterns = [
    path("checkout/", views.details, name="details"),
    path("checkout/saved-address/", views.saved_address_use, name="saved_address"),
    path("checkout/shipping/", views.shipping, name="shipping"),
    path("checkout/review/", views.review, name="review"),
    path("orders/<str:token>/", views.order_detail, name="order"),
    path("orders/<str:token>/pay/", views.order_pay, name="order_pay"),
]
