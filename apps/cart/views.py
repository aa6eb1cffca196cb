"""The storefront's cart: the cart page, add to cart (a plain form post from the product page:
no JavaScript needed), quantities, removal and the voucher. Thin: apps.cart.services decide,
apps.cart.selectors.cart_view prices. Every change answers with a redirect to the cart page
(post/redirect/get) and a message saying what happened or why not.

None of these pages is cached: they are outside the page cache's paths and say never_cache.
The cart cookies (apps.cart.cookies) are set on each answer.

Add to cart is exempt from Django's CSRF token because the product page that holds its form is
served from the shared page cache (one copy for every visitor: it cannot carry a per-visitor
token, and rendering one would set a cookie and keep the page out of the cache). It stays safe:
both cookies it relies on (the cart token and the session) are SameSite=Lax, so a form on
another site posts without them and at worst fills a new, empty cart of its own; and a post
whose Origin (or Referer) names another site is refused outright.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from apps.cart import selectors, services
from apps.cart.cookies import cart_cookies_set, cart_token_from
from apps.cart.forms import AddToCartForm, QuantityForm, VoucherForm
from apps.cart.models import Cart
from apps.catalog.page_context import page_context, page_meta
from apps.catalog.storefront import category_tree
from apps.core.exceptions import ApplicationError


def _customer(request: HttpRequest):
    user = request.user
    return user if user.is_authenticated else None


def _cart(request: HttpRequest, *, create: bool = False) -> Cart | None:
    """The visitor's cart: a signed-in customer's own, else the cookie's anonymous one; with
    `create`, a new one when there is none."""
    customer = _customer(request)
    if customer is not None:
        cart = selectors.cart_of_customer(customer=customer)
    else:
        cart = selectors.cart_find(token=cart_token_from(request), customer=None)
    if cart is None and create:
        cart = services.cart_create(customer=customer)
    return cart


def _cookies(
    request: HttpRequest, response: HttpResponse, cart: Cart | None, count: int
) -> HttpResponse:
    token = cart.token if cart is not None and cart.customer_id is None else None
    cart_cookies_set(response, token=token, count=count, request=request)
    return response


def _back_to_cart(request: HttpRequest, cart: Cart | None) -> HttpResponse:
    response = redirect("cart:detail")
    return _cookies(request, response, cart, selectors.cart_item_count(cart))


def _same_site(request: HttpRequest) -> bool:
    """The post came from a page of this host (or says nothing about where it came from:
    browsers always send Origin on a cross-site form post)."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return True
    return urlsplit(source).netloc == request.get_host()


@never_cache
@require_GET
def cart_detail(request: HttpRequest) -> HttpResponse:
    cart = _cart(request)
    view = selectors.cart_view(cart) if cart is not None else None
    meta = page_meta(request, path="", title="Your cart", noindex=True)
    context = page_context(
        request,
        category_tree(),
        meta,
        cart=view,
        voucher_form=VoucherForm(),
    )
    response = render(request, "storefront/cart.html", context)
    return _cookies(request, response, cart, view.item_count if view else 0)


@csrf_exempt
@never_cache
@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    if not _same_site(request):
        return HttpResponseForbidden("Add to cart from this store's own pages.")
    form = AddToCartForm(request.POST)
    cart = _cart(request)
    if not form.is_valid():
        messages.error(request, "Choose a product option and a quantity from 1 to 999.")
        return _back_to_cart(request, cart)
    try:
        # A refused first add leaves no empty cart behind (the new cart rolls back with it).
        with transaction.atomic():
            target = cart or _cart(request, create=True)
            line = services.cart_line_add(
                cart=target,
                variant_id=form.cleaned_data["variant"],
                quantity=form.cleaned_data["quantity"],
            )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        cart = target
        name = line.product_name
        if line.variant_name:
            name = f"{name} ({line.variant_name})"
        messages.success(request, f"Added {form.cleaned_data['quantity']} x {name} to your cart.")
    return _back_to_cart(request, cart)


@never_cache
@require_POST
def cart_line_update(request: HttpRequest, line_id: int) -> HttpResponse:
    cart = _cart(request)
    form = QuantityForm(request.POST)
    if cart is None:
        return _back_to_cart(request, None)
    if not form.is_valid():
        messages.error(request, "Enter a quantity from 0 to 999.")
        return _back_to_cart(request, cart)
    try:
        line = services.cart_line_set_quantity(
            cart=cart, line_id=line_id, quantity=form.cleaned_data["quantity"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Quantity updated." if line else "Item removed.")
    return _back_to_cart(request, cart)


@never_cache
@require_POST
def cart_line_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    cart = _cart(request)
    if cart is not None:
        try:
            services.cart_line_remove(cart=cart, line_id=line_id)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Item removed.")
    return _back_to_cart(request, cart)


@never_cache
@require_POST
def cart_voucher_apply(request: HttpRequest) -> HttpResponse:
    cart = _cart(request)
    form = VoucherForm(request.POST)
    if cart is None:
        messages.error(request, "Add something to your cart before applying a voucher.")
        return _back_to_cart(request, None)
    if not form.is_valid():
        messages.error(request, "Enter a voucher code.")
        return _back_to_cart(request, cart)
    try:
        voucher = services.cart_voucher_apply(cart=cart, code=form.cleaned_data["code"])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Voucher {voucher.code} applied.")
    return _back_to_cart(request, cart)


@never_cache
@require_POST
def cart_voucher_remove(request: HttpRequest) -> HttpResponse:
    cart = _cart(request)
    if cart is not None:
        services.cart_voucher_remove(cart=cart)
        messages.success(request, "Voucher removed.")
    return _back_to_cart(request, cart)
