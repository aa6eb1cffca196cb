from django.urls import path, re_path

from apps.cart.api import views

# A token is 43 URL-safe characters (secrets.token_urlsafe(32)); "mine" is the customer's cart.
CART = r"^carts/(?P<token>[A-Za-z0-9_-]{1,64})/"

urlpatterns = [
    path("carts/", views.CartListView.as_view(), name="api-cart-list"),
    path("carts/mine/merge/", views.CartMergeView.as_view(), name="api-cart-merge"),
    re_path(rf"{CART}$", views.CartDetailView.as_view(), name="api-cart-detail"),
    re_path(rf"{CART}lines/$", views.CartLinesView.as_view(), name="api-cart-lines"),
    re_path(
        rf"{CART}lines/(?P<line_id>[0-9]{{1,18}})/$",
        views.CartLineView.as_view(),
        name="api-cart-line",
    ),
    re_path(rf"{CART}voucher/$", views.CartVoucherView.as_view(), name="api-cart-voucher"),
]
