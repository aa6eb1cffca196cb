"""Login merges the visitor's anonymous cart into their account's cart (the storefront's login
and registration both call django.contrib.auth.login, which sends user_logged_in)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import connection
from django.dispatch import receiver
from django_tenants.utils import get_public_schema_name

from apps.cart import selectors, services
from apps.cart.cookies import CART_COOKIE, COUNT_COOKIE, cart_cookies_later


def _in_a_store() -> bool:
    return connection.schema_name != get_public_schema_name()


@receiver(user_logged_in, dispatch_uid="cart_merge_at_login")
def cart_merge_at_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    cookies = getattr(request, "COOKIES", None) or {}
    token = cookies.get(CART_COOKIE)
    if not token or not _in_a_store():
        return
    result = services.cart_merge_for_login(token=token, customer=user)
    if result is None:
        return
    if hasattr(request, "_messages"):
        for message in result.messages:
            messages.warning(request, message)
    cart_cookies_later(request, token=None, count=selectors.cart_item_count(result.cart))


@receiver(user_logged_out, dispatch_uid="cart_forget_at_logout")
def cart_forget_at_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # The account's cart stays with the account; this browser now has none.
    cookies = getattr(request, "COOKIES", None) or {}
    if request is not None and (CART_COOKIE in cookies or COUNT_COOKIE in cookies):
        cart_cookies_later(request, token=None, count=0)
