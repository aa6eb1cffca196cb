"""The storefront's cart: add to cart from the product page without JavaScript, the cart page
(quantities, removal, vouchers, messages), the cart cookies, the mini-cart, the page cache
never showing one shopper's cart to another, and the merge at login."""

import re

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.cart import selectors, services
from apps.cart.cookies import CART_COOKIE, COUNT_COOKIE
from apps.cart.models import Cart, CartLine
from apps.discounts import services as discounts
from tests.cart.conftest import customer_of, stock_set, stocked_variant
from tests.catalog.storefront.conftest import warm

PASSWORD = "Correct-Horse-42!"


@pytest.fixture
def mug(store_a, django_capture_on_commit_callbacks):
    """A published mug at 12.50 with 3 in stock (the catalog version bumped, as in production,
    so its page can be cached)."""
    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        return stocked_variant("Stoneware Mug", price="12.50", stock=3)


def add(client: Client, variant, quantity: int = 1, **headers):
    return client.post("/cart/add/", {"variant": variant.pk, "quantity": quantity}, **headers)


def csrf_client(store) -> Client:
    return Client(HTTP_HOST=store.host, enforce_csrf_checks=True)


def csrf_token(client: Client) -> str:
    client.get("/cart/")
    page = client.get("/cart/").content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def forget_expired_cookies(client: Client) -> None:
    """What a browser does and Django's test client does not: drop the cookies a response
    deleted (the consumed messages cookie would otherwise keep every page out of the cache)."""
    for name in [name for name, morsel in client.cookies.items() if morsel["max-age"] == 0]:
        del client.cookies[name]


def lines_in(store, token: str) -> dict[str, int]:
    with schema_context(store.schema):
        return dict(CartLine.objects.filter(cart__token=token).values_list("sku", "quantity"))


# --- add to cart, without JavaScript --------------------------------------------------------
def test_the_product_page_has_a_plain_add_to_cart_form(client_a, mug):
    page = client_a.get("/products/stoneware-mug/").content.decode()
    form = re.search(
        r'<form method="post" action="/cart/add/" class="add-to-cart">.*?</form>', page, re.S
    ).group(0)
    assert f'<input type="hidden" name="variant" value="{mug.pk}">' in form
    assert '<label for="add-quantity">Quantity</label>' in form
    assert 'id="add-quantity" name="quantity" value="1" min="1"' in form
    assert '<button type="submit">Add to cart</button>' in form
    # no per-visitor token in a page that every visitor shares
    assert "csrfmiddlewaretoken" not in form


def test_add_to_cart_without_javascript_or_csrf_token(store_a, mug):
    client = csrf_client(store_a)  # CSRF checks on, as in a browser
    # when the product page's form is posted
    response = add(client, mug, 2, HTTP_ORIGIN=f"http://{store_a.host}")
    # then the shopper lands on the cart with their line, and the cookies remember the cart
    assert response.status_code == 302
    assert response["Location"] == "/cart/"
    token_cookie, count_cookie = response.cookies[CART_COOKIE], response.cookies[COUNT_COOKIE]
    assert (token_cookie["httponly"], token_cookie["samesite"]) == (True, "Lax")
    assert (count_cookie.value, count_cookie["httponly"], count_cookie["samesite"]) == (
        "2",
        "",
        "Lax",
    )
    assert lines_in(store_a, token_cookie.value) == {mug.sku: 2}
    page = client.get("/cart/").content.decode()
    assert "Added 2 x Stoneware Mug to your cart." in page
    assert "Stoneware Mug" in page
    assert "$25.00" in page


def test_adding_again_adds_to_the_line_and_keeps_the_cart(client_a, store_a, mug):
    first = add(client_a, mug)
    token = first.cookies[CART_COOKIE].value
    second = add(client_a, mug)
    assert CART_COOKIE not in second.cookies  # the same cart: nothing to change
    assert second.cookies[COUNT_COOKIE].value == "2"
    assert lines_in(store_a, token) == {mug.sku: 2}


def test_adding_more_than_is_left_says_so_on_the_cart_page(client_a, store_a, mug):
    response = add(client_a, mug, 5)
    assert response["Location"] == "/cart/"
    assert CART_COOKIE not in response.cookies  # no empty cart left behind
    page = client_a.get("/cart/").content.decode()
    assert "Only 3 left of Stoneware Mug." in page
    assert "Your cart is empty." in page
    with schema_context(store_a.schema):
        assert not Cart.objects.exists()


def test_add_to_cart_from_another_site_is_refused(client_a, store_a, mug):
    response = add(client_a, mug, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    response = add(client_a, mug, HTTP_REFERER="https://evil.example/page")
    assert response.status_code == 403
    with schema_context(store_a.schema):
        assert not Cart.objects.exists()


# --- the cart page ----------------------------------------------------------------------------
def test_an_empty_cart_page_sets_no_cookie(client_a):
    response = client_a.get("/cart/")
    assert response.status_code == 200
    assert "Your cart is empty." in response.content.decode()
    assert not response.cookies
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_change_quantity_remove_and_vouchers_through_the_forms(store_a, mug):
    with schema_context(store_a.schema):
        discounts.voucher_create(code="TENOFF", kind="percentage", value="10")
    client = csrf_client(store_a)
    add(client, mug, 1)
    token = csrf_token(client)
    with schema_context(store_a.schema):
        line = CartLine.objects.get()
    # quantity
    response = client.post(f"/cart/lines/{line.pk}/", {"quantity": 3, "csrfmiddlewaretoken": token})
    assert response.cookies[COUNT_COOKIE].value == "3"
    page = client.get("/cart/").content.decode()
    assert "Quantity updated." in page
    assert "$37.50" in page
    # too many
    client.post(f"/cart/lines/{line.pk}/", {"quantity": 4, "csrfmiddlewaretoken": token})
    assert "Only 3 left of Stoneware Mug." in client.get("/cart/").content.decode()
    # a voucher: refused, then applied, then removed
    client.post("/cart/voucher/", {"code": "NOPE", "csrfmiddlewaretoken": token})
    assert "There is no voucher with the code NOPE." in client.get("/cart/").content.decode()
    client.post("/cart/voucher/", {"code": "tenoff", "csrfmiddlewaretoken": token})
    page = client.get("/cart/").content.decode()
    assert "Voucher TENOFF applied." in page
    assert "\N{MINUS SIGN}$3.75" in page
    assert "$33.75" in page
    client.post("/cart/voucher/remove/", {"csrfmiddlewaretoken": token})
    assert "Voucher removed." in client.get("/cart/").content.decode()
    # remove
    response = client.post(f"/cart/lines/{line.pk}/remove/", {"csrfmiddlewaretoken": token})
    assert response.cookies[COUNT_COOKIE].value == ""  # deleted
    assert "Your cart is empty." in client.get("/cart/").content.decode()


def test_the_cart_forms_need_their_csrf_token(store_a, mug):
    client = csrf_client(store_a)
    add(client, mug, 1)
    with schema_context(store_a.schema):
        line = CartLine.objects.get()
    assert client.post(f"/cart/lines/{line.pk}/", {"quantity": 0}).status_code == 403
    assert client.post(f"/cart/lines/{line.pk}/remove/").status_code == 403
    assert lines_in(store_a, client.cookies[CART_COOKIE].value) == {mug.sku: 1}


def test_the_cart_page_is_labelled_and_links_to_checkout(client_a, mug):
    add(client_a, mug, 2)
    page = client_a.get("/cart/").content.decode()
    assert re.search(
        r'<label for="quantity-\d+">Quantity'
        r'<span class="visually-hidden"> of Stoneware Mug</span></label>',
        page,
    )
    assert '<label for="voucher-code">Voucher code</label>' in page
    assert '<a class="button cart-checkout" href="/checkout/">Checkout</a>' in page
    assert 'name="robots" content="noindex"' in page
    assert "Subtotal (2 items)" in page


def test_a_line_that_cannot_be_bought_is_flagged_on_the_page(client_a, store_a, mug):
    add(client_a, mug, 2)
    with schema_context(store_a.schema):
        stock_set(mug, 1)
    page = client_a.get("/cart/").content.decode()
    assert "Only 1 left. Please lower the quantity." in page
    assert "Please fix the items marked above before checking out." in page
    assert "/checkout/" not in page


# --- the mini-cart and the page cache --------------------------------------------------------
def test_every_page_has_the_mini_cart_link_and_its_script(client_a, mug):
    page = client_a.get("/products/stoneware-mug/").content.decode()
    assert '<a class="minicart" href="/cart/" data-minicart>' in page
    assert '<span class="minicart__count" data-minicart-count hidden></span>' in page
    assert "/static/storefront/cart.js" in page
    assert "/static/storefront/cart.css" in page


def test_a_cached_page_never_carries_a_shoppers_cart(store_a, mug):
    # given a shopper with a cart of 2 mugs and a voucher
    with schema_context(store_a.schema):
        discounts.voucher_create(code="SECRET10", kind="percentage", value="10")
    shopper = Client(HTTP_HOST=store_a.host)
    add(shopper, mug, 2)
    shopper.post("/cart/voucher/", {"code": "SECRET10"})
    assert "Voucher SECRET10 applied." in shopper.get("/cart/").content.decode()
    token = shopper.cookies[CART_COOKIE].value
    forget_expired_cookies(shopper)
    assert set(shopper.cookies) == {CART_COOKIE, COUNT_COOKIE, "csrftoken"}
    warm(shopper)
    # when the shopper views the product page first (so it is cached from their request)
    theirs = shopper.get("/products/stoneware-mug/")
    assert theirs["X-Storefront-Cache"] == "miss"
    # then another visitor is served that very page, with nothing of the shopper's cart in it
    stranger = Client(HTTP_HOST=store_a.host)
    served = stranger.get("/products/stoneware-mug/")
    assert served["X-Storefront-Cache"] == "hit"
    assert served.content == theirs.content
    body = served.content.decode()
    for private in (token, "SECRET10", "cart_count", "data-minicart-count hidden>2"):
        assert private not in body
    assert '<span class="minicart__count" data-minicart-count hidden></span>' in body
    assert not served.cookies
    # and the shopper's own copy came from the cache as well, with the same empty mini-cart
    assert shopper.get("/products/stoneware-mug/")["X-Storefront-Cache"] == "hit"


# --- signed-in customers and the merge at login -----------------------------------------------
def test_a_signed_in_customer_adds_to_their_own_cart(client_a, store_a, mug):
    with schema_context(store_a.schema):
        assert client_a.login(username=store_a.customer_email, password=PASSWORD)
    response = add(client_a, mug, 1)
    assert CART_COOKIE not in response.cookies  # their cart is found by their account
    assert response.cookies[COUNT_COOKIE].value == "1"
    with schema_context(store_a.schema):
        cart = Cart.objects.get(customer=customer_of(store_a))
        assert lines_in(store_a, cart.token) == {mug.sku: 1}
    assert "Stoneware Mug" in client_a.get("/cart/").content.decode()


def test_logging_in_merges_the_anonymous_cart_into_the_customers(client_a, store_a, mug):
    # given a customer whose account cart has 2 mugs, and an anonymous cart with 2 more
    with schema_context(store_a.schema):
        mine = services.cart_get_or_create(customer=customer_of(store_a))
        services.cart_line_add(cart=mine, variant_id=mug.pk, quantity=2)
    add(client_a, mug, 2)
    anonymous = client_a.cookies[CART_COOKIE].value
    # when they log in on the storefront
    response = client_a.post(
        "/account/login/", {"username": store_a.customer_email, "password": PASSWORD}
    )
    assert response.status_code == 302
    # then one cart, capped to the 3 in stock, and a message saying so
    with schema_context(store_a.schema):
        assert not Cart.objects.filter(token=anonymous).exists()
        assert selectors.cart_item_count(Cart.objects.get(pk=mine.pk)) == 3
    page = client_a.get("/cart/").content.decode()
    assert "Only 3 left of Stoneware Mug: your cart has 3." in page


def test_the_cart_cookie_middleware_updates_the_cookies_at_login_and_logout(
    settings, client_a, store_a, mug
):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "apps.cart.middleware.CartCookieMiddleware"]
    with schema_context(store_a.schema):
        mine = services.cart_get_or_create(customer=customer_of(store_a))
        services.cart_line_add(cart=mine, variant_id=mug.pk, quantity=1)
    add(client_a, mug, 1)
    response = client_a.post(
        "/account/login/", {"username": store_a.customer_email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.cookies[CART_COOKIE].value == ""  # the anonymous cart is gone
    assert response.cookies[COUNT_COOKIE].value == "2"  # the account's cart, merged
    response = client_a.post("/account/logout/")
    assert response.cookies[COUNT_COOKIE].value == ""  # this browser has no cart now
    assert CART_COOKIE not in response.cookies  # already gone


# --- stores ---------------------------------------------------------------------------------
def test_another_stores_cart_cookie_finds_nothing(client_b, store_a, mug):
    first = Client(HTTP_HOST=store_a.host)
    add(first, mug, 1)
    client_b.cookies[CART_COOKIE] = first.cookies[CART_COOKIE].value
    page = client_b.get("/cart/").content.decode()
    assert "Your cart is empty." in page
    assert "Stoneware Mug" not in page


def test_the_cart_cookies_are_secure_wherever_the_session_cookie_is(settings, client_a, mug):
    settings.SESSION_COOKIE_SECURE = True  # as config/settings/production.py sets it
    response = add(client_a, mug, 1)
    assert response.cookies[CART_COOKIE]["secure"] is True
    assert response.cookies[COUNT_COOKIE]["secure"] is True


def test_a_sold_out_variant_offers_no_add_to_cart(
    client_a, store_a, django_capture_on_commit_callbacks
):
    with schema_context(store_a.schema), django_capture_on_commit_callbacks(execute=True):
        stocked_variant("Rare Vase", price="40.00", stock=0)
    page = client_a.get("/products/rare-vase/").content.decode()
    assert '<button type="button" disabled>Sold out</button>' in page
    assert 'action="/cart/add/"' not in page
