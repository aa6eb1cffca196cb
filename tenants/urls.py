from django.urls import path

from tenants import views

app_name = "public"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("pricing/", views.pricing, name="pricing"),
    path("signup/", views.signup, name="signup"),
    path("signup/check-slug/", views.slug_check, name="slug_check"),
    path("find-my-store/", views.find_store, name="find_store"),
    path("find-my-store/sent/", views.find_store_sent, name="find_store_sent"),
]
