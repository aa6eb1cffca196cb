"""Store-host URL that spends a signup's login handover token (see tenants.handover)."""

from django.urls import path

from tenants import handover

app_name = "handover"
urlpatterns = [
    path("accounts/handover/", handover.handover_view, name="login"),
]
