"""The storefront's two cart cookies.

- `cart`: the anonymous cart's token. HttpOnly (scripts never see it), SameSite=Lax (a form on
  another site cannot post with it), Secure wherever the session cookie is (production).
- `cart_count`: how many units the cart holds, a bare number and nothing else, readable by our
  own script (static/storefront/cart.js) which shows it in the header's mini-cart. Pages the
  anonymous page cache stores (apps.catalog.pagecache) are the same for every visitor and
  carry no cart content at all; the count is filled in by each visitor's browser from their
  own cookie, and without JavaScript the header shows a plain "Cart" link.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CART_COOKIE = "cart"
COUNT_COOKIE = "cart_count"
MAX_AGE = 60 * 60 * 24 * 30  # a month since the cart last changed


def cart_token_from(request: HttpRequest) -> str:
    return request.COOKIES.get(CART_COOKIE, "")


def _secure() -> bool:
    return bool(settings.SESSION_COOKIE_SECURE)


def cart_cookies_set(
    response: HttpResponse,
    *,
    token: str | None,
    count: int,
    request: HttpRequest | None = None,
) -> None:
    """Remember the anonymous cart `token` (None: no anonymous cart, e.g. a customer's) and
    show `count` in the mini-cart (0: no count). With `request`, a cookie that already holds
    that value is left alone (a visitor without a cart gets no cookie at all)."""
    had = request.COOKIES if request is not None else None
    token = token or None
    shown = str(count) if count > 0 else None
    if had is None or (had.get(CART_COOKIE) or None) != token:
        if token:
            response.set_cookie(
                CART_COOKIE,
                token,
                max_age=MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=_secure(),
            )
        else:
            response.delete_cookie(CART_COOKIE, samesite="Lax")
    if had is None or (had.get(COUNT_COOKIE) or None) != shown:
        if shown:
            response.set_cookie(
                COUNT_COOKIE,
                shown,
                max_age=MAX_AGE,
                httponly=False,  # read by cart.js for the header; holds nothing but a number
                samesite="Lax",
                secure=_secure(),
            )
        else:
            response.delete_cookie(COUNT_COOKIE, samesite="Lax")


def cart_cookies_later(request: HttpRequest, *, token: str | None, count: int) -> None:
    """Ask CartCookieMiddleware to set the cookies on this request's response (for code that
    has no response in hand: the login and logout signals)."""
    request.cart_cookies = (token, count)
