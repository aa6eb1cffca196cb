from django.urls import path

from tenants import views

app_name = "public"
urlpatterns = [
    path("", views.landing, name="landing"),
]
