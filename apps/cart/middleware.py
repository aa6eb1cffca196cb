"""Writes the cart cookies a signal asked for (cookies.cart_cookies_later): a login merges the
anonymous cart into the customer's and a logout leaves the visitor without one, but Django's
login and logout views build their responses themselves."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from apps.cart.cookies import cart_cookies_set


class CartCookieMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        pending = getattr(request, "cart_cookies", None)
        if pending is not None:
            token, count = pending
            cart_cookies_set(response, token=token, count=count, request=request)
        return response
