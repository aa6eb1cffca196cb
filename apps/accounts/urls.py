from django.urls import path

from apps.accounts import views

app_name = "accounts"
urlpatterns = [
    path("account/", views.home, name="home"),
    path("account/orders/", views.orders, name="orders"),
    path("account/addresses/", views.addresses, name="addresses"),
    path("account/addresses/new/", views.address_add, name="address_add"),
    path("account/addresses/<int:address_id>/", views.address_edit, name="address_edit"),
    path("account/addresses/<int:address_id>/delete/", views.address_delete, name="address_delete"),
    path(
        "account/addresses/<int:address_id>/default/",
        views.address_default,
        name="address_default",
    ),
    path("account/register/", views.register, name="register"),
    path("account/login/", views.LoginView.as_view(), name="login"),
    path("account/logout/", views.LogoutView.as_view(), name="logout"),
    path("account/password-reset/", views.password_reset, name="password_reset"),
    path("account/password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "account/password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
