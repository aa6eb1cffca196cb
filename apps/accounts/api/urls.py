from django.urls import path

from apps.accounts.api import views

urlpatterns = [
    path("store/", views.StoreProfileView.as_view(), name="api-store"),
]
