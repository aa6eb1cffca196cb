from django.urls import path

from apps.accounts.api import views

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="api-token"),
    path("auth/token/refresh/", views.TokenRefreshStoreView.as_view(), name="api-token-refresh"),
    path("auth/me/", views.MeView.as_view(), name="api-me"),
    path("store/", views.StoreProfileView.as_view(), name="api-store"),
]
